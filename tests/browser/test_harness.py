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
