"""`make pdf`: the lessons, in syllabus order with their stored outputs, as one PDF.

    .venv/bin/python tools/site/build_pdf.py [--out build/course.pdf] [--site build/site]

Each lesson page of the website (built by build_site.py if OUT/html is missing or --rebuild is given) is
printed by the system Chromium (Debian's /usr/bin/chromium, or $COURSE_CHROMIUM) through Playwright's
page.pdf(), with the "Think!" answers unfolded, then the pages are joined with pypdf. Nothing is
re-executed, and nothing is fetched from the internet.
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import build_site  # noqa: E402
from course.syllabus import LESSONS  # noqa: E402

DEFAULT_PDF = ROOT / "build" / "course.pdf"
# True once MathJax has typeset the page (or the page has no math): MathJax 2 loads asynchronously.
MATHJAX_DONE = ("() => !document.querySelector('.math') || (window.MathJax && window.MathJax.isReady"
                " && window.MathJax.Hub.queue.pending === 0 && window.MathJax.Hub.queue.running === 0"
                " && document.querySelector('.MathJax, .MathJax_Display, .MathJax_CHTML, .MathJax_SVG') !== null)")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def find_chromium() -> str:
    """The system Chromium: $COURSE_CHROMIUM, /usr/bin/chromium, or `chromium` on PATH."""
    for candidate in (os.environ.get("COURSE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError("no Chromium found (set COURSE_CHROMIUM, or on Debian: apt-get install chromium)")


def _print(context, html_files: list[Path]) -> list[bytes]:
    page = context.new_page()
    try:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else route.abort())
        out = []
        for path in html_files:
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function(MATHJAX_DONE, timeout=60_000)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            page.emulate_media(media="print")
            out.append(page.pdf(format="A4", print_background=True, outline=True,
                                margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"}))
        return out
    finally:
        page.close()


def print_pages(html_files: list[Path], chromium: str | None = None, context=None) -> list[bytes]:
    """Each HTML file printed to PDF (A4, backgrounds on) by headless Chromium, with requests that leave
    the local files refused.  ``context``: a Playwright browser context to use (else the system Chromium,
    or ``chromium``, is started and stopped here)."""
    if context is not None:
        return _print(context, html_files)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium or find_chromium(), headless=True,
                                     args=CHROMIUM_FLAGS)
        try:
            return _print(browser.new_context(), html_files)
        finally:
            browser.close()


def build(pdf: Path = DEFAULT_PDF, site_out: Path = build_site.DEFAULT_OUT, rebuild: bool = False,
          chromium: str | None = None, context=None) -> Path:
    """Write the course PDF to ``pdf`` and return its path (``chromium``, ``context``: see print_pages)."""
    from pypdf import PdfWriter

    html = site_out / "html"
    if rebuild or not (html / "index.html").exists():
        build_site.build(site_out)
    lessons = [(les, html / "lessons" / f"{les.key}.html") for les in LESSONS]
    lessons = [(les, path) for les, path in lessons if path.exists()]
    if not lessons:
        raise ValueError(f"no lesson pages under {html / 'lessons'}")
    writer = PdfWriter()
    for (les, _), data in zip(lessons, print_pages([p for _, p in lessons], chromium, context)):
        start = len(writer.pages)
        writer.append(io.BytesIO(data))
        writer.add_outline_item(title=f"{les.number:02d} {les.title}", page_number=start)
    writer.add_metadata({"/Title": "Deep Learning Isn't the Brain: the lessons"})
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with open(pdf, "wb") as fh:
        writer.write(fh)
    return pdf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_PDF, help="the PDF to write (default build/course.pdf)")
    parser.add_argument("--site", type=Path, default=build_site.DEFAULT_OUT, help="website folder (default build/site)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the website first")
    args = parser.parse_args(argv)
    try:
        pdf = build(args.out, args.site, args.rebuild)
    except (ValueError, FileNotFoundError) as exc:
        print(f"make pdf: {exc}", file=sys.stderr)
        return 1
    from pypdf import PdfReader

    print(f"wrote {pdf} ({len(PdfReader(str(pdf)).pages)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
