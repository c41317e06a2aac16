"""The browser harness catches what it claims to catch.

Small fixture notebooks (fixture_notebooks.py) run through the same check as the course notebooks: a
working demo must pass (with its screenshots written), and each broken one must fail with the specific
problem: an error in a cell, a demo callback that raises after a change, a Settings line that does not
follow the control, figures stacked instead of replaced, a widget whose model is missing.
"""

from __future__ import annotations

import pytest

from .check_notebook import check_notebook
from .conftest import HARNESS_DIR, SCREENSHOTS, record_timing
from .lab_page import close_notebooks, load_lab
from .lab_server import start_lab
from .fixture_notebooks import fixtures

pytestmark = pytest.mark.browser

FIXTURES = fixtures()


@pytest.mark.parametrize("name", list(FIXTURES))
def test_harness_verdict(name, lab_page, lab_server):
    expected = FIXTURES[name][1]
    shots = SCREENSHOTS / HARNESS_DIR / name
    result = check_notebook(lab_page, f"{HARNESS_DIR}/{name}.ipynb", shots,
                            run_timeout=120, update_timeout=8)
    record_timing(f"{HARNESS_DIR}/{name}", result.seconds)
    if expected is None:
        assert not result.problems, result.message()
        assert result.n_demos == 1
        demo = result.demos[0]
        assert demo.before != demo.after, "the harness did not move the control"
        assert (shots / "demo1-before.png").stat().st_size > 0
        assert (shots / "demo1-after.png").stat().st_size > 0
    else:
        assert any(expected in p for p in result.problems), (
            f"expected a problem mentioning {expected!r}, got: {result.problems}")


def test_missing_widget_extension_is_caught(browser_context, lab_root, tmp_path, chromium_path):
    """The failure that motivated these tests: a server without the ipywidgets front end. The working
    demo must then fail, because its controls are printed as text instead of rendered."""
    server = start_lab(lab_root, tmp_path / "lab-state",
                       disabled_extensions=("@jupyter-widgets/jupyterlab-manager",))
    page = browser_context.new_page()
    try:
        load_lab(page, server.url("lab?reset"))
        result = check_notebook(page, f"{HARNESS_DIR}/good_demo.ipynb",
                                SCREENSHOTS / HARNESS_DIR / "no_widget_extension", run_timeout=120,
                                update_timeout=8)
        record_timing(f"{HARNESS_DIR}/good_demo without widget extension", result.seconds)
        close_notebooks(page)
    finally:
        page.close()
        server.stop()
    assert any("is the jupyterlab_widgets extension installed" in p for p in result.problems), result.problems
