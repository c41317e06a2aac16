"""The course's stored notebooks prepared as web pages: verdicts, figure alt text, widget outputs, links.

Used by build_site.py (the website), build_pdf.py (the PDF) and their tests. Nothing is executed:
the pages show the outputs stored in lessons/ and exercises/.

* ``verdict(nb)``: the printed text of a lesson's verdict: the stdout of the first code cell with
  text output after the heading whose title contains "Verdict".
* ``alt_text(cell)``: a figure's alt text: the cell's own ``metadata.mystnb.image.alt`` (what myst-nb
  and Jupyter Book read), else the titles the cell's code gives its plots (``title=``, ``set_title``,
  ``suptitle``, ``*_title=``).  ``None`` when there is neither: the builder then refuses the page.
* ``prepare(nb, ...)``: a copy of a notebook ready for myst-nb: widget views replaced by a note (a
  static page cannot run them; their stored default output follows), widget state dropped (it
  would make myst-nb load require.js from a CDN), a repeated figure shown once, alt text on every
  figure cell, badges whose images live on other servers turned into text links (the site loads
  nothing from the internet), and a header with the links to the notebook, its exercises and launch badges.
"""
from __future__ import annotations

import copy
import re

import nbformat

__all__ = ["verdict", "alt_text", "prepare", "figure_cells", "has_launch_links", "WIDGET_MIME", "WIDGET_NOTE"]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ("Interactive controls appear here when the notebook runs in Jupyter; "
               "the static page shows the demo's output at its default settings.")
# [![label](https://... image)](target): a badge whose image lives on another server
_EXTERNAL_BADGE = re.compile(r"\[!\[([^\]]*)\]\(https?://[^)]*\)\]\(([^)\s]+)\)")
_VERDICT_HEADING = re.compile(r"^#{1,6}\s.*\bverdict\b", re.IGNORECASE | re.MULTILINE)
# string literals given as plot titles in a cell's code
_TITLE = re.compile(r"""(?:\w*title\s*=\s*|set_title\(\s*|suptitle\(\s*)f?(["'])(.+?)\1""")


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def verdict(nb) -> str | None:
    """The verdict text a lesson prints (stdout of the first code cell with output after the
    "Verdict" heading), or None if the notebook has no verdict section."""
    seen_heading = False
    for cell in nb.cells:
        if cell.cell_type == "markdown" and _VERDICT_HEADING.search(cell.source):
            seen_heading = True
        elif seen_heading and cell.cell_type == "code" and _stdout(cell).strip():
            return _stdout(cell)
    return None


def has_launch_links(nb) -> bool:
    """True if the notebook's own Markdown already links to Binder or Colab."""
    return any(c.cell_type == "markdown" and ("mybinder.org" in c.source or "colab.research.google.com" in c.source)
               for c in nb.cells)


def _images(cell) -> list[str]:
    return [o["data"]["image/png"] for o in cell.get("outputs", [])
            if o.get("output_type") in ("display_data", "execute_result") and "image/png" in o.get("data", {})]


def figure_cells(nb) -> list:
    """Code cells with at least one PNG output, in order."""
    return [c for c in nb.cells if c.cell_type == "code" and _images(c)]


def alt_text(cell) -> str | None:
    """Alt text of the figure(s) a code cell shows: authored metadata first, else its plot titles."""
    authored = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
    if authored and authored.strip():
        return authored.strip()
    titles = [t.strip().replace("{", "").replace("}", "") for _, t in _TITLE.findall(cell.source)]
    titles = [t for t in titles if t]
    if titles:
        return "Figure: " + "; ".join(dict.fromkeys(titles)) + "."
    return None


def _header(links: list[tuple[str, str]]) -> nbformat.NotebookNode:
    """A Markdown cell of links (raw HTML so it works for files Sphinx does not know as documents)."""
    items = " · ".join(f'<a href="{href}">{text}</a>' for text, href in links)
    cell = nbformat.v4.new_markdown_cell(f'<p class="course-links">{items}</p>')
    cell["id"] = "course-links"
    return cell


def prepare(nb, links: list[tuple[str, str]], fallback_alt: dict[int, str] | None = None):
    """A copy of ``nb`` ready to render (see the module docstring).  ``links`` are (text, href)
    pairs placed under the title.  Raises ValueError naming the cell if a figure has no alt text."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    shown_images: dict[str, str] = {}  # PNG data -> alt text of the cell that showed it first
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source = _EXTERNAL_BADGE.sub(r"[\1](\2)", cell.source)
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data:
                outputs.append(nbformat.v4.new_output("stream", name="stdout", text=WIDGET_NOTE + "\n"))
                continue
            png = data.get("image/png")
            if png is not None and png in shown_images:
                continue  # the same figure again (a demo's panel repeats its first figure)
            outputs.append(out)
        cell["outputs"] = outputs
        if _images(cell):
            alt = alt_text(cell) or (fallback_alt or {}).get(index)
            if not alt:
                raise ValueError(f"cell {index} (id {cell.get('id')}) shows a figure without alt text: add "
                                 "metadata.mystnb.image.alt to the cell, or a title to its plot")
            cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = alt
            for png in _images(cell):
                shown_images[png] = alt
    title_at = next((i for i, c in enumerate(nb.cells)
                     if c.cell_type == "markdown" and c.source.lstrip().startswith("# ")), -1)
    if links:
        nb.cells.insert(title_at + 1, _header(links))
    return nb
