"""`make site` and `make pdf`: the course website opened page by page in headless Chromium, and the PDF.

The site is built once (tools/site/build_site.py, into a temporary folder) and served on 127.0.0.1.
Every page reachable from the home page is opened; the browser refuses any request that leaves the
local server, so a page that needs a CDN fails here. Checked on every page: internal links resolve,
every image loads and has alt text, no error output, no JavaScript error. Lesson pages: the title
is the notebook's, and every line of the stored verdict is on the page. Then the PDF of the lessons
(tools/site/build_pdf.py): its page count is plausible and every verdict's text is in it (pypdf).
"""
from __future__ import annotations

import functools
import http.server
import re
import sys
import threading
import unicodedata
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import nbformat
import pytest

from .notebooks import ROOT

pytestmark = pytest.mark.browser

sys.path.insert(0, str(ROOT / "tools" / "site"))
import build_pdf  # noqa: E402
import build_site  # noqa: E402
import pages  # noqa: E402

from course.syllabus import existing_lesson_notebooks  # noqa: E402

LESSON_NOTEBOOKS = existing_lesson_notebooks(ROOT)


def _squash(text: str) -> str:
    """Text without any whitespace and with ligatures resolved (NFKC: the PDF's "\ufb01" is "fi"):
    a line wrapped on screen or on paper still matches."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _h1(nb) -> str:
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.lstrip().startswith("# "))
    return re.sub(r"[`*_]", "", cell.source.lstrip()[2:].splitlines()[0]).strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site.build(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def server(site):
    """A static HTTP server for the site on a free port of 127.0.0.1 (stopped at the end)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def crawl(server, browser_context):
    """Open every page linked from the home page (recursively, inside the site); return per-page facts."""
    outside: list[str] = []

    def gate(route):
        url = route.request.url
        if url.startswith(server) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page = browser_context.new_page()
    page.route("**/*", gate)
    js_errors: list[str] = []
    page.on("pageerror", lambda exc: js_errors.append(f"{page.url}: {exc}"))
    failed: list[str] = []
    page.on("requestfailed", lambda req: failed.append(req.url) if req.url.startswith(server) else None)
    results, queue, seen = {}, [server + "index.html"], set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url, wait_until="load")
        page.wait_for_function(build_pdf.MATHJAX_DONE, timeout=60_000)
        facts = page.evaluate("""() => ({
            title: document.title,
            h1: [...document.querySelectorAll('main h1')].map(h => h.textContent.replace('#', '').trim()),
            text: document.querySelector('main').innerText,
            images: [...document.images].map(i => ({src: i.currentSrc, ok: i.complete && i.naturalWidth > 0,
                                                     alt: (i.getAttribute('alt') || '').trim()})),
            links: [...document.querySelectorAll('a[href]')].map(a => a.href),
            errors: document.querySelectorAll('.output.error, .output.traceback, .cell_output .traceback').length,
            mathjax: document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML').length,
        })""")
        facts["status"] = response.status if response else None
        results[url[len(server):]] = facts
        for link in facts["links"]:
            target = urldefrag(link)[0]
            if target.startswith(server) and target.endswith(".html") and "/_" not in target[len(server):]:
                queue.append(target)
            elif target.startswith(server):
                results.setdefault("__files__", {"links": set()})["links"].add(target)
    page.close()
    return {"pages": results, "outside": outside, "js_errors": js_errors, "failed": failed}


def test_every_page_loads_offline_with_images_and_links(crawl, server, site):
    pages_ = {k: v for k, v in crawl["pages"].items() if k != "__files__"}
    expected = {"index.html"} | {f"lessons/{p.stem}.html" for p in LESSON_NOTEBOOKS}
    assert expected <= set(pages_), f"pages not reachable from the home page: {expected - set(pages_)}"
    assert not crawl["outside"], f"requests outside the site (CDN?): {sorted(set(crawl['outside']))[:5]}"
    assert not crawl["js_errors"], crawl["js_errors"][:3]
    assert not crawl["failed"], f"failed requests: {crawl['failed'][:5]}"
    for name, facts in pages_.items():
        assert facts["status"] == 200, name
        assert facts["errors"] == 0, f"{name} shows an error output"
        assert "Traceback (most recent call last)" not in facts["text"], name
        for img in facts["images"]:
            assert img["ok"], f"{name}: image {img['src']} did not load"
            if "/_images/" in img["src"]:  # notebook figures (the theme's logo and icons are decoration)
                assert len(img["alt"].split()) >= 4, f"{name}: figure {img['src']} has no real alt text"
    for link in crawl["pages"].get("__files__", {}).get("links", ()):
        path = site / urlparse(link).path.lstrip("/")
        assert path.exists(), f"broken internal link {link}"


def test_lessons_in_syllabus_order_in_navigation(crawl, server):
    nav = [urldefrag(link)[0][len(server):] for link in crawl["pages"]["index.html"]["links"]
           if link.startswith(server + "lessons/")]
    order = list(dict.fromkeys(nav))
    assert order == [f"lessons/{p.stem}.html" for p in LESSON_NOTEBOOKS]


@pytest.mark.parametrize("notebook", LESSON_NOTEBOOKS, ids=[p.stem for p in LESSON_NOTEBOOKS])
def test_lesson_page_has_title_verdict_figures_and_links(crawl, notebook, server):
    nb = nbformat.read(str(notebook), as_version=4)
    facts = crawl["pages"][f"lessons/{notebook.stem}.html"]
    title = _h1(nb)
    assert facts["h1"] and facts["h1"][0] == title and title in facts["title"]
    verdict = pages.verdict(nb)
    assert verdict, f"{notebook.name} has no verdict section"
    text = _squash(facts["text"])
    for line in verdict.splitlines():
        assert _squash(line) in text, f"verdict line missing from the page: {line!r}"
    n_figures = len({png for c in pages.figure_cells(nb) for png in pages._images(c)})
    figures = [i for i in facts["images"] if "/_images/" in i["src"]]
    assert len(figures) == n_figures
    if "$" in "".join(c.source for c in nb.cells if c.cell_type == "markdown"):
        assert facts["mathjax"] > 0, "the lesson's equations were not typeset (local MathJax)"
    links = facts["links"]
    assert f"{server}notebooks/lessons/{notebook.name}" in links
    if (ROOT / "exercises" / notebook.name).exists():
        assert f"{server}exercises/{notebook.stem}.html" in links


def test_pdf_has_every_lesson_and_verdict(tmp_path, site, browser_context):
    from pypdf import PdfReader

    pdf = build_pdf.build(tmp_path / "course.pdf", site_out=site.parent, context=browser_context)
    reader = PdfReader(str(pdf))
    text = _squash("\n".join(p.extract_text() or "" for p in reader.pages))
    notebooks = [nbformat.read(str(p), as_version=4) for p in LESSON_NOTEBOOKS]
    # at least two pages per lesson (text, figures, verdict), and not an endless repeat
    assert 2 * len(notebooks) <= len(reader.pages) <= 40 * len(notebooks), len(reader.pages)
    positions = []
    for nb in notebooks:
        assert _squash(_h1(nb)) in text
        positions.append(text.index(_squash(_h1(nb))))
        for line in pages.verdict(nb).splitlines():
            assert _squash(line) in text, f"verdict line missing from the PDF: {line!r}"
    assert positions == sorted(positions), "lessons are not in syllabus order"
