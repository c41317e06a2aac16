"""Every lesson and exercise notebook of the syllabus, opened, run and used in JupyterLab (issue 5).

For each notebook: JupyterLab (project .venv, temporary copy of the notebooks) in headless Chromium;
wait for an idle kernel, Run All, fail on any error output or widget error; then move one control of
every interactive demo and require the Settings line and the figure to follow. Screenshots are saved
under tests/browser/screenshots/<notebook>/.
"""

from __future__ import annotations

import pytest

from .check_notebook import check_notebook
from .conftest import SCREENSHOTS, record_timing
from .notebooks import CourseNotebook, course_notebooks

pytestmark = pytest.mark.browser


def _cases() -> list:
    try:
        notebooks = course_notebooks()
    except ImportError as exc:  # collection must not crash; the test says why it has nothing to open
        return [pytest.param(None, id="syllabus-missing",
                             marks=pytest.mark.skip(reason=f"course.syllabus unavailable: {exc}"))]
    return [pytest.param(nb, id=nb.test_id, marks=() if nb.exists else pytest.mark.skip(
        reason=f"listed in course.syllabus but {nb.path} does not exist yet")) for nb in notebooks]


@pytest.mark.parametrize("notebook", _cases())
def test_notebook_in_jupyterlab(notebook: CourseNotebook, lab_page, lab_server, timeouts):
    shots = SCREENSHOTS / notebook.path.removesuffix(".ipynb").replace("/", "__")
    result = check_notebook(lab_page, notebook.path, shots,
                            require_demo=notebook.kind == "lesson", **timeouts)
    record_timing(notebook.path, result.seconds)
    assert not result.problems, result.message()
