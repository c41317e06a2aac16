"""`make site`: the course website, from the stored notebooks (no re-execution), with Sphinx + myst-nb.

    .venv/bin/python tools/site/build_site.py [--out build/site]

writes the page sources to OUT/src (prepared copies of the notebooks, see pages.py, and an index
generated from README.md and course/syllabus.py) and the website to OUT/html (open
OUT/html/index.html). Lessons and exercise notebooks appear in syllabus order; a lesson that is not
written yet is listed as "in preparation". The raw notebooks are published beside the pages
(notebooks/lessons/..., notebooks/exercises/...) for download.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import pages  # noqa: E402
from course.syllabus import LESSONS  # noqa: E402

DEFAULT_OUT = ROOT / "build" / "site"
_BADGE = re.compile(r"\[!\[([^\]]*)\]\([^)]*\)\]\(([^)\s]+)\)")  # [![label](image)](target)


def launch_links(readme: str, notebook: Path) -> list[tuple[str, str]]:
    """Launch links (Binder, Colab) for ``notebook``, from the badges the README shows for the course.

    A badge that points into the repository at a notebook (Colab's ``/blob/<ref>/path.ipynb``, Binder's
    ``labpath=``/``urlpath=``) is re-pointed at ``notebook``; others are linked as they are. The links are
    text: badge images live on other servers, and the site loads nothing from the internet.
    """
    links = []
    for label, target in _BADGE.findall(readme):
        service = "Binder" if "mybinder" in target else "Colab" if "colab.research.google.com" in target else None
        if service is None:
            continue
        path = notebook.as_posix()
        if service == "Colab":
            target = re.sub(r"(/blob/[^/]+/).*\.ipynb", rf"\g<1>{path}", target)
        elif re.search(r"(?:labpath|urlpath)=[^&]*\.ipynb", target):
            target = re.sub(r"((?:labpath|urlpath)=(?:lab/tree/|tree/)?)[^&]*\.ipynb", rf"\g<1>{path}", target)
        else:  # the course's root in JupyterLab: open this notebook instead
            target = re.sub(r"urlpath=lab(?=&|$)", f"urlpath=lab/tree/{path}", target)
        links.append((f"Launch on {service}", target))
    return links


def _index(readme: str, root: Path) -> str:
    """The home page: the README's introduction, the lessons table, and the navigation trees."""
    intro = readme.split("\n## ", 1)[0]
    intro = re.sub(r"^# .*\n", "", intro, count=1).strip()
    intro = _BADGE.sub(r"[\1](\2)", intro)        # badge images live on other servers: text links (offline site)
    rows = ["| # | lesson | the claim it tests | exercises |", "|---|---|---|---|"]
    lessons, exercises = [], []
    for les in LESSONS:
        has_lesson = (root / les.lesson_notebook).exists()
        has_ex = (root / les.exercise_notebook).exists()
        title = f"[{les.title}](lessons/{les.key}.ipynb)" if has_lesson else f"{les.title} (in preparation)"
        ex = f"[exercises {les.number:02d}](exercises/{les.key}.ipynb)" if has_ex else "in preparation"
        rows.append(f"| {les.number:02d} | {title} | {les.claim} | {ex} |")
        if has_lesson:
            lessons.append(f"lessons/{les.key}")
        if has_ex:
            exercises.append(f"exercises/{les.key}")
    toc = ""
    for caption, entries in (("Lessons", lessons), ("Exercises", exercises)):
        if entries:
            toc += f"\n```{{toctree}}\n:caption: {caption}\n:hidden:\n\n" + "\n".join(entries) + "\n```\n"
    return (f"# Deep Learning Isn't the Brain\n\n{intro}\n\n## Lessons\n\n"
            "Each lesson is shown here with the outputs stored in its notebook; the interactive demos run "
            "when you open the notebooks in Jupyter (see the repository's README: `make lab`).\n\n"
            + "\n".join(rows) + "\n" + toc)


def assemble(src: Path, root: Path = ROOT) -> dict[str, str]:
    """Write the Sphinx source tree ``src``; return {page path: verdict text} of the lessons."""
    if src.exists():
        shutil.rmtree(src)
    (src / "_static").mkdir(parents=True)
    shutil.copy2(HERE / "conf.py", src / "conf.py")
    shutil.copytree(HERE / "static", src / "_static", dirs_exist_ok=True)
    import jupyter_server_mathjax

    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", src / "_static" / "mathjax")
    readme = (root / "README.md").read_text(encoding="utf-8")
    (src / "index.md").write_text(_index(readme, root), encoding="utf-8")
    verdicts = {}
    for les in LESSONS:
        lesson_nb, ex_nb = root / les.lesson_notebook, root / les.exercise_notebook
        for kind, path in (("lessons", lesson_nb), ("exercises", ex_nb)):
            if not path.exists():
                continue
            raw = src / "_extra" / "notebooks" / kind / path.name
            raw.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, raw)
            links = [("Download this notebook", f"../notebooks/{kind}/{path.name}")]
            if kind == "lessons" and ex_nb.exists():
                links.append((f"Exercises {les.number:02d}", f"../exercises/{les.key}.html"))
            if kind == "exercises" and lesson_nb.exists():
                links.append((f"Back to lesson {les.number:02d}", f"../lessons/{les.key}.html"))
            nb = nbformat.read(str(path), as_version=4)
            if not pages.has_launch_links(nb):  # a notebook with its own badges keeps just those
                links += launch_links(readme, path.relative_to(root))
            try:
                page = pages.prepare(nb, links)
            except ValueError as exc:
                raise ValueError(f"{path.relative_to(root)}: {exc}") from None
            (src / kind).mkdir(exist_ok=True)
            nbformat.write(page, str(src / kind / path.name))
            if kind == "lessons":
                verdicts[f"lessons/{les.key}.html"] = pages.verdict(nb)
    return verdicts


def build(out: Path = DEFAULT_OUT, root: Path = ROOT) -> Path:
    """Assemble the sources and run Sphinx; return the folder of the website (OUT/html)."""
    src, html = out / "src", out / "html"
    assemble(src, root)
    if html.exists():
        shutil.rmtree(html)
    # -W: a warning (a broken cross-reference, an unreadable notebook) fails the build; -n: nitpicky refs
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
           "-D", "html_extra_path=_extra", str(src), str(html)]
    subprocess.run(cmd, check=True)
    return html


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default build/site)")
    args = parser.parse_args(argv)
    try:
        html = build(args.out)
    except (ValueError, subprocess.CalledProcessError) as exc:
        print(f"make site: {exc}", file=sys.stderr)
        return 1
    print(f"The course website is in {html}; open {html / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
