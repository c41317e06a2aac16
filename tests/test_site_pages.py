"""tools/site/pages.py and build_site.launch_links: how stored notebooks become web pages (no browser needed;
the built website itself is opened in Chromium by tests/browser/test_site.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools" / "site"))
import build_site  # noqa: E402
import pages  # noqa: E402

from course.syllabus import existing_lesson_notebooks  # noqa: E402

PNG_A, PNG_B = "iVBORw0KGgoAAAA", "iVBORw0KGgoBBBB"  # stand-ins: only equality matters here


def _figure(source: str, png: str, **meta):
    cell = new_code_cell(source, metadata=meta)
    cell.outputs = [new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]
    return cell


def _notebook(*cells):
    nb = new_notebook(cells=[new_markdown_cell("# Lesson 99: Test"), *cells])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


@pytest.mark.parametrize("path", existing_lesson_notebooks(ROOT), ids=lambda p: p.stem)
def test_every_lesson_has_a_verdict_and_alt_text_for_every_figure(path):
    nb = nbformat.read(str(path), as_version=4)
    text = pages.verdict(nb)
    assert text and len(text.splitlines()) >= 3, f"{path.name}: no printed verdict after a 'Verdict' heading"
    page = pages.prepare(nb, [])  # raises if a figure has no alt text
    for cell in pages.figure_cells(page):
        assert len(pages.alt_text(cell).split()) >= 4


def test_verdict_is_the_output_after_the_verdict_heading():
    out = new_code_cell("print(...)")
    out.outputs = [new_output("stream", name="stdout", text="VERDICT\n1. measured 42 Hz\n")]
    early = new_code_cell("print('setup')")
    early.outputs = [new_output("stream", name="stdout", text="setup\n")]
    nb = _notebook(early, new_markdown_cell("## 5. Verdict"), new_code_cell("x = 1"), out)
    assert pages.verdict(nb) == "VERDICT\n1. measured 42 Hz\n"
    assert pages.verdict(_notebook(early)) is None


def test_alt_text_from_metadata_then_titles_else_refused():
    authored = _figure("plt.plot(x)", PNG_A, mystnb={"image": {"alt": "A line rising from 0 to 1."}})
    titled = _figure('ax.set_title("Rates rise")\nplots.fi_curve(J, title=f"f-I at {tau} ms")', PNG_B)
    assert pages.alt_text(authored) == "A line rising from 0 to 1."
    assert pages.alt_text(titled) == "Figure: Rates rise; f-I at tau ms."
    bare = _figure("plt.plot(x)", PNG_B)
    assert pages.alt_text(bare) is None
    with pytest.raises(ValueError, match="without alt text"):
        pages.prepare(_notebook(bare), [])


def test_prepare_replaces_widgets_drops_repeated_figures_and_adds_links():
    demo = _figure('view = View(title="Demo view")', PNG_A)
    panel = new_code_cell("panel(demo, **controls)")
    panel.outputs = [
        new_output("display_data", data={pages.WIDGET_MIME: {"model_id": "x"}, "text/plain": "VBox()"}),
        new_output("display_data", data={"text/plain": "Settings: J = 1.5"}),
        new_output("display_data", data={"image/png": PNG_A, "text/plain": "<Figure>"}),
    ]
    nb = _notebook(demo, panel)
    page = pages.prepare(nb, [("Exercises 99", "../exercises/99_test.html")])
    assert "widgets" not in page.metadata and "widgets" in nb.metadata  # the original is untouched
    assert page.cells[1].source == '<p class="course-links"><a href="../exercises/99_test.html">Exercises 99</a></p>'
    outputs = page.cells[3].outputs
    assert outputs[0].text.strip() == pages.WIDGET_NOTE and outputs[1].data["text/plain"] == "Settings: J = 1.5"
    assert len(outputs) == 2  # the figure repeated from the cell above is shown once
    assert page.cells[2].metadata["mystnb"]["image"]["alt"] == "Figure: Demo view."


def test_launch_links_follow_the_readme_badges():
    readme = ("[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/o/r/main"
              "?urlpath=lab/tree/lessons/00_welcome.ipynb)\n"
              "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
              "(https://colab.research.google.com/github/o/r/blob/main/lessons/00_welcome.ipynb)\n"
              "[![CI](https://example.org/ci.svg)](https://example.org/ci)\n")
    links = build_site.launch_links(readme, Path("exercises/01_spikes.ipynb"))
    assert links == [
        ("Launch on Binder", "https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/exercises/01_spikes.ipynb"),
        ("Launch on Colab", "https://colab.research.google.com/github/o/r/blob/main/exercises/01_spikes.ipynb"),
    ]
    assert build_site.launch_links("no badges here", Path("lessons/00_welcome.ipynb")) == []
    root_badge = "[![Launch on Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/o/r/main?urlpath=lab)"
    assert build_site.launch_links(root_badge, Path("lessons/02_power.ipynb")) == [
        ("Launch on Binder", "https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/lessons/02_power.ipynb")]


def test_badges_in_a_notebook_become_text_links():
    intro = new_markdown_cell("[![Launch on Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/o/r/main"
                              "?urlpath=lab/tree/lessons/99_test.ipynb) and ![local](figure.png)")
    nb = _notebook(intro)
    assert pages.has_launch_links(nb) and not pages.has_launch_links(_notebook())
    page = pages.prepare(nb, [])
    assert page.cells[1].source == ("[Launch on Binder](https://mybinder.org/v2/gh/o/r/main"
                                    "?urlpath=lab/tree/lessons/99_test.ipynb) and ![local](figure.png)")


def test_index_lists_lessons_in_syllabus_order_and_marks_missing_ones():
    from course.syllabus import LESSONS

    text = build_site._index((ROOT / "README.md").read_text(encoding="utf-8"), ROOT)
    positions = [text.index(f"| {les.number:02d} | ") for les in LESSONS]
    assert positions == sorted(positions)
    for les in LESSONS:
        written = (ROOT / les.lesson_notebook).exists()
        assert (f"](lessons/{les.key}.ipynb)" in text) == written
        assert (f"{les.title} (in preparation)" in text) == (not written)
