"""Drive one notebook in JupyterLab the way a learner does: open it, wait for the kernel, run all, read it.

Every check returns a list of problems (plain sentences) instead of raising, so a test can report all that
is wrong with a notebook at once, and the harness self-tests can check which problem was found.
Selectors are those of JupyterLab 4 and ipywidgets 8.
"""

from __future__ import annotations

import re
import time

from typing import TYPE_CHECKING

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # without Playwright the tests skip; this module must still import
    PlaywrightTimeout = TimeoutError
if TYPE_CHECKING:
    from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

# The kernel item of the status bar reads e.g. "Python 3 (ipykernel) | Idle". The toolbar can say idle
# while this still reads "No Kernel | Initializing", and a Run All issued then is dropped.
KERNEL_IDLE_JS = r"""() => /\|\s*Idle\s*$/m.test(document.querySelector('#jp-main-statusbar')?.innerText || '')"""

# Prompts of code cells in notebook order ("[ ]:", "[*]:", "[12]:"), each with its cell number (1-based,
# counting all cells, as JupyterLab's status bar does) and whether its source is empty.
PROMPTS_JS = """() => Array.from(document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell'))
  .map((c, i) => ({cell: i + 1, code: c.classList.contains('jp-CodeCell'),
                   prompt: (c.querySelector('.jp-InputArea-prompt')?.innerText || '').trim(),
                   empty: !(c.querySelector('.cm-content')?.innerText || '').trim()}))
  .filter(c => c.code)"""

# Every rendered output with its cell number (1-based, counting all cells), mime type and text.
OUTPUTS_JS = """() => {
  const cells = Array.from(document.querySelectorAll(
      '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell'));
  const found = [];
  cells.forEach((cell, i) => cell.querySelectorAll('.jp-OutputArea-output').forEach(o => found.push({
      cell: i + 1, mime: o.getAttribute('data-mime-type') || '', text: o.innerText || ''})));
  return found;
}"""

# Text a widget shows instead of its controls when the front end cannot render it.
WIDGET_ERROR_TEXTS = ["Error displaying widget", "model not found", "Failed to load model class",
                      "Could not create a view", "Could not create a model", "Loading widget..."]
# A widget printed as its Python repr: the widget extension is missing from the server's environment.
WIDGET_REPR = re.compile(r"^\s*(VBox|HBox|Box|GridBox|Tab|Accordion|interactive|Output|[A-Z]\w*"
                         r"(Slider|Dropdown|Button|Buttons|Checkbox|Text|Select))\(")
ERROR_LINE = re.compile(r"^\s*(\w+(Error|Exception|Interrupt)|Traceback)\b.*$", re.M)


def last_error_line(text: str) -> str:
    """The `SomeError: message` line of a traceback (the last one that names an error)."""
    lines = [m.group(0).strip() for m in ERROR_LINE.finditer(text)]
    named = [ln for ln in lines if not ln.startswith("Traceback") and ":" in ln]
    return (named or lines or [text.strip().splitlines()[-1] if text.strip() else "(empty)"])[-1][:300]


def dismiss_toasts(page: Page) -> None:
    """Close notification toasts (e.g. "get notified about Jupyter news?") that could cover the notebook."""
    for toast in page.locator(".Toastify__toast").all():
        try:
            no = toast.get_by_role("button", name=re.compile(r"^No$"))
            if no.count():
                no.first.click(timeout=2000)
            elif toast.locator(".Toastify__close-button").count():
                toast.locator(".Toastify__close-button").first.click(timeout=2000)
        except PlaywrightTimeout:
            pass  # a toast that vanished on its own is fine


def load_lab(page: Page, url: str, timeout: float = 120.0) -> None:
    """Load the JupyterLab application at `url` (a /lab URL) and wait until it has restored its layout.

    The server exposes the app as `window.jupyterapp` (LabApp.expose_app_in_browser), so later notebooks
    open in this same page, as a learner opens them from the file browser, instead of reloading Lab.
    """
    page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=timeout * 1000)
    page.evaluate("async () => { await window.jupyterapp.restored; }")
    dismiss_toasts(page)


def open_notebook(page: Page, rel_path: str, timeout: float) -> list[str]:
    """Open `rel_path` (relative to the server root) in the loaded Lab; wait until its kernel is really idle.

    Returns problems: a dialog instead of a kernel (unknown kernelspec), or a kernel that never gets idle.
    """
    page.evaluate("async p => { await window.jupyterapp.commands.execute('docmanager:open', "
                  "{path: p, factory: 'Notebook'}); }", rel_path)
    current_js = "p => window.jupyterapp.shell.currentWidget?.context?.path === p"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dialog = page.locator(".jp-Dialog")
        if dialog.count() and dialog.first.is_visible():
            text = dialog.first.inner_text()
            return [f"JupyterLab asked a question instead of starting the kernel: {text.strip()[:300]!r} "
                    "(does the notebook's kernelspec name an installed kernel?)"]
        if page.evaluate(current_js, rel_path) and page.evaluate(KERNEL_IDLE_JS) \
                and page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").count():
            dismiss_toasts(page)
            return []
        time.sleep(0.25)
    status = page.evaluate("document.querySelector('#jp-main-statusbar')?.innerText || '(no status bar)'")
    return [f"kernel not idle within {timeout:.0f} s; status bar: {status!r}"]


def close_notebooks(page: Page) -> None:
    """Close every document tab without the "save changes?" dialog (the copies are throw-away)."""
    page.evaluate("""() => {
      for (const w of Array.from(window.jupyterapp.shell.widgets('main'))) {
        if (w.context) { w.context.model.dirty = false; }
        w.dispose();
      }}""")


def _prompts(page: Page) -> list[dict]:
    return page.evaluate(PROMPTS_JS)


def _click_run_all(page: Page) -> None:
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.click(position={"x": 5, "y": 5})
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def run_all(page: Page, timeout: float, start_timeout: float = 15.0, attempts: int = 3) -> list[str]:
    """Run all cells and wait until none is running or queued and the kernel is idle.

    Retries Run All when no prompt turns to [*] or [n] within `start_timeout` seconds (JupyterLab drops a
    Run All issued while the kernel is still starting). Returns problems: not started, not finished.
    """
    for _ in range(attempts):
        _click_run_all(page)
        deadline = time.monotonic() + start_timeout
        while time.monotonic() < deadline:
            if any(p["prompt"] != "[ ]:" for p in _prompts(page)):
                break
            time.sleep(0.25)
        else:
            page.keyboard.press("Escape")  # close a menu left open by a dropped click
            continue
        break
    else:
        return [f"Run All did not start any cell in {attempts} attempts of {start_timeout:.0f} s"]

    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        busy = any(p["prompt"] == "[*]:" for p in _prompts(page)) or not page.evaluate(KERNEL_IDLE_JS)
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 1.5:  # idle and nothing queued for a while: really done
            return []
        time.sleep(0.25)
    running = [p["cell"] for p in _prompts(page) if p["prompt"] == "[*]:"]
    return [f"notebook did not finish within {timeout:.0f} s (cells still running or queued: {running})"]


def notebook_problems(page: Page, settle: float = 10.0) -> list[str]:
    """Errors a learner would see after Run All: cells not run, tracebacks, widgets that failed to render.

    `settle` is how long a widget may show "Loading widget..." before that counts as a failure.
    """
    problems = []
    for p in _prompts(page):
        if p["prompt"] == "[ ]:" and not p["empty"]:
            problems.append(f"cell {p['cell']} was never run (an earlier cell failed or Run All stopped)")
    deadline = time.monotonic() + settle
    while True:
        outputs = page.evaluate(OUTPUTS_JS)
        loading = [o for o in outputs if "Loading widget..." in o["text"]]
        if not loading or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    for o in outputs:
        where = f"cell {o['cell']}"
        if o["mime"] == "application/vnd.jupyter.stderr" and ERROR_LINE.search(o["text"]) \
                and ("Traceback" in o["text"] or "Error" in o["text"]):
            problems.append(f"{where}: error output: {last_error_line(o['text'])}")
        for marker in WIDGET_ERROR_TEXTS:
            if marker in o["text"]:
                problems.append(f"{where}: widget shows {o['text'].strip()[:200]!r} instead of its controls"
                                f" (contains {marker!r})")
                break
        if o["mime"] == "text/plain" and WIDGET_REPR.match(o["text"]):
            problems.append(f"{where}: widget printed as text {o['text'].strip()[:80]!r}: is the "
                            "jupyterlab_widgets extension installed in the server's environment?")
    return problems
