"""One notebook, end to end in the browser: open, run all, look for errors, use every demo."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

from .demo_checks import check_demos
from .lab_page import dismiss_toasts, notebook_problems, open_notebook, run_all


@dataclass
class NotebookResult:
    """Problems found in one notebook, its demos, and how long each phase took (seconds)."""

    path: str
    problems: list = field(default_factory=list)
    n_demos: int = 0
    demos: list = field(default_factory=list)
    seconds: dict = field(default_factory=dict)

    def message(self) -> str:
        return f"{self.path}: {len(self.problems)} problem(s) seen in JupyterLab:\n  " + "\n  ".join(
            self.problems)


def check_notebook(page: Page, rel_path: str, shots: Path, *, run_timeout: float,
                   update_timeout: float, require_demo: bool = False) -> NotebookResult:
    """Open `rel_path` (relative to the server root) in `page`, a loaded JupyterLab, and check it as a
    learner would use it.

    Screenshots go to `shots`: the whole page after Run All, and each demo before and after its change.
    Stops early (with the reason as a problem) when the kernel never becomes idle or Run All never runs.
    """
    result = NotebookResult(rel_path)
    t0 = time.monotonic()
    result.problems += open_notebook(page, rel_path, timeout=120)
    result.seconds["open"] = time.monotonic() - t0
    if result.problems:
        return result
    t1 = time.monotonic()
    result.problems += run_all(page, timeout=run_timeout)
    result.seconds["run_all"] = time.monotonic() - t1
    shots.mkdir(parents=True, exist_ok=True)
    dismiss_toasts(page)
    page.screenshot(path=str(shots / "notebook-after-run-all.png"))
    if result.problems:
        return result
    result.problems += notebook_problems(page)
    t2 = time.monotonic()
    result.n_demos, result.demos = check_demos(page, shots, update_timeout=update_timeout)
    for report in result.demos:
        result.problems += report.problems
    if require_demo and result.n_demos == 0:
        result.problems.append("no interactive demo (box with CSS class course-demo) rendered; every "
                               "lesson has at least one (shared/course-design.md)")
    # errors raised by the demos' callbacks after the change show up as cell outputs too
    result.problems += [p for p in notebook_problems(page, settle=0) if p not in result.problems]
    result.seconds["demos"] = time.monotonic() - t2
    result.seconds["total"] = time.monotonic() - t0
    return result
