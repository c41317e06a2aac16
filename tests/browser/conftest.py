"""Fixtures of the browser tests: Chromium through Playwright, and one JupyterLab server per session.

The tests carry the `browser` marker; `make test` deselects them (root conftest.py), `make test-browser`
runs them. Without Playwright or Chromium they are skipped with the reason; with CI=true that is a
failure instead, so CI cannot pass by not testing.

Environment knobs (all optional):
  COURSE_CHROMIUM               Chromium executable (default /usr/bin/chromium, else `chromium` on PATH)
  COURSE_BROWSER_RUN_TIMEOUT    seconds a notebook's Run All may take (default 300)
  COURSE_BROWSER_UPDATE_TIMEOUT seconds a demo may take to redraw after a change (default 60)
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import nbformat
import pytest

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the tests skip (or fail in CI) through the chromium_path fixture
    PlaywrightError = Exception

from .fixture_notebooks import write_fixtures
from .lab_page import close_notebooks, load_lab
from .lab_server import LabServer, start_lab
from .notebooks import ROOT

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
HARNESS_DIR = "_harness"  # folder of the harness's own fixture notebooks inside the server root
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# name -> seconds per phase, for the timing table at the end of the run
TIMINGS: dict[str, dict] = {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: real-browser test (headless Chromium + JupyterLab); "
                                       "run with `make test-browser`")


def env_seconds(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    try:
        return float(value) if value else default
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {value!r}") from None


def unavailable(reason: str):
    """Skip (laptop) or fail (CI=true) because the browser test cannot run here."""
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    explicit = os.environ.get("COURSE_CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("Playwright is not installed: pip install -e '.[browser]'")
    path = find_chromium()
    if path is None:
        unavailable("Chromium not found (COURSE_CHROMIUM, /usr/bin/chromium or `chromium` on PATH); "
                    "on Debian: apt-get install chromium")
    return path


def _strip_outputs(path: Path) -> None:
    """Remove stored outputs, so whatever the test sees was produced in this session."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)  # stored widget state would render without a live kernel
    nbformat.write(nb, path)


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory) -> Path:
    """A temporary copy of lessons/ and exercises/ (outputs stripped) plus the harness fixtures."""
    root = tmp_path_factory.mktemp("lab-root")
    for folder in ("lessons", "exercises"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, root / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for nb_path in root.rglob("*.ipynb"):
        _strip_outputs(nb_path)
    write_fixtures(root / HARNESS_DIR)
    return root


@pytest.fixture(scope="session")
def lab_server(chromium_path, lab_root, tmp_path_factory):
    """JupyterLab serving `lab_root`; stopped by its process id at the end, also after a failure."""
    server = start_lab(lab_root, tmp_path_factory.mktemp("lab-state"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser_context(chromium_path, tmp_path_factory):
    """A headless Chromium with a fresh profile directory."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=chromium_path,
            headless=True, args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1400})
        try:
            yield context
        finally:
            context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def _lab_tab(browser_context, lab_server: LabServer):
    """One browser tab with JupyterLab loaded; the notebooks are opened in it one after another."""
    page = browser_context.new_page()
    page.set_default_timeout(30_000)
    load_lab(page, lab_server.url("lab?reset"))
    yield page
    page.close()


@pytest.fixture
def lab_page(request, _lab_tab, lab_server: LabServer):
    """The JupyterLab tab, with no notebook open. Afterwards the notebook is closed and every kernel
    shut down; after a failure Lab is reloaded, so one broken notebook cannot spoil the next test."""
    yield _lab_tab
    failed = getattr(request.node, "report_call", None) is None or request.node.report_call.failed
    try:
        close_notebooks(_lab_tab)
    except PlaywrightError:
        failed = True
    lab_server.shutdown_kernels()
    if failed:
        load_lab(_lab_tab, lab_server.url("lab?reset"))


@pytest.fixture(scope="session")
def timeouts() -> dict:
    return {"run_timeout": env_seconds("COURSE_BROWSER_RUN_TIMEOUT", 300),
            "update_timeout": env_seconds("COURSE_BROWSER_UPDATE_TIMEOUT", 60)}


def record_timing(name: str, seconds: dict) -> None:
    TIMINGS[name] = {k: round(v, 2) for k, v in seconds.items()}


_SESSION_START = time.monotonic()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not TIMINGS:
        return
    tr = terminalreporter
    wall = time.monotonic() - _SESSION_START
    tr.section("browser test timings (seconds; whole run budget 600 s, measured, not asserted)")
    width = max(len(n) for n in TIMINGS)
    tr.write_line(f"{'notebook':<{width}}  {'open':>6} {'run all':>8} {'demos':>6} {'total':>7}")
    for name, t in TIMINGS.items():
        tr.write_line(f"{name:<{width}}  {t.get('open', 0):6.1f} {t.get('run_all', 0):8.1f} "
                      f"{t.get('demos', 0):6.1f} {t.get('total', 0):7.1f}")
    tr.write_line(f"wall time of the browser session (incl. server and browser start): {wall:.1f} s")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "timings.json").write_text(json.dumps(
        {"wall_seconds": round(wall, 1), "notebooks": TIMINGS}, indent=1))
    tr.write_line(f"screenshots and timings.json: {SCREENSHOTS}")
