"""Sphinx configuration of the course website (`make site`; tools/site/build_site.py writes the sources).

The notebooks are rendered from their stored outputs (myst-nb, execution off) with the Jupyter Book
theme. Everything a page loads is local: MathJax is copied from jupyter-server-mathjax into _static,
widget JavaScript (require.js from a CDN) is turned off, the theme ships its own fonts and icons.
"""
project = "Deep Learning Isn't the Brain"
author = "the course authors"
copyright = "the course authors (MIT licence)"

extensions = ["myst_nb"]
nb_execution_mode = "off"            # stored outputs only: no notebook is re-executed
nb_ipywidgets_js = {}                # no require.js / widget manager from a CDN (widgets are not live here)
nb_output_stderr = "remove"          # stored notebooks have no stderr anyway (a hygiene test checks)
myst_enable_extensions = ["dollarmath", "amsmath", "html_image"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,    # its print/download menu needs no network, but links are ours
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
}
html_last_updated_fmt = None

# MathJax 2 from the local copy (the build copies jupyter-server-mathjax's files to _static/mathjax).
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
# That copy ships the STIX-Web fonts only (as the classic notebook used them): tell MathJax so.
_STIX = {"availableFonts": ["STIX-Web"], "preferredFont": "STIX-Web", "webFont": "STIX-Web", "imageFont": None}
mathjax2_config = {"tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]],
                               "processEscapes": True,
                               # myst-nb marks notebook pages tex2jax_ignore and the math it made "math"
                               "processClass": "math|tex2jax_process|mathjax_process",
                               "ignoreClass": "tex2jax_ignore|mathjax_ignore"},
                   "HTML-CSS": _STIX, "SVG": {"font": "STIX-Web"}, "showMathMenu": False}
