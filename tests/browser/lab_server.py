"""Start and stop a throw-away JupyterLab server for the browser tests.

The server runs from the project's own environment (the `jupyter` next to the running Python), on a free
127.0.0.1 port with a random token, from a directory the caller prepared (a temporary copy of the
notebooks). Its settings, workspaces, runtime files and data directory are temporary too, so a learner's
personal Jupyter set-up neither helps nor breaks the test, and nothing outside the temporary directory
changes. The server is stopped by its own process id.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# JupyterLab settings that keep the run deterministic and offline.
# windowingMode "none": every cell stays in the DOM, so the tests can count prompts and outputs of cells
# that are scrolled out of view (the default lazily renders off-screen cells).
# fetchNews/checkForUpdates off: no network access and no "Jupyter news" toast covering the notebook.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def jupyter_executable() -> Path:
    """The `jupyter` launcher of the environment running the tests (the project's .venv)."""
    exe = Path(sys.executable).parent / "jupyter"
    if not exe.exists():
        raise FileNotFoundError(
            f"no jupyter launcher next to {sys.executable}; install the project with "
            "`pip install -e '.[test,browser]'` into the environment that runs the tests"
        )
    return exe


@dataclass
class LabServer:
    """A running JupyterLab server: its URL parts, process and log file."""

    root: Path
    port: int
    token: str
    process: subprocess.Popen
    log_path: Path
    _log_file: object = field(repr=False, default=None)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """Full URL (with the token) of a server path such as `lab/tree/x.ipynb`."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{sep}token={self.token}"

    def api(self, method: str, path: str, timeout: float = 10.0):
        """Call the server's REST API; returns the decoded JSON body (None when empty)."""
        request = urllib.request.Request(
            f"{self.base_url}/api/{path.lstrip('/')}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Shut down every kernel session, so the next notebook starts on a fresh, uncontended machine."""
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}")

    def log_tail(self, n_chars: int = 4000) -> str:
        """The end of the server's log, for error messages."""
        try:
            return self.log_path.read_text(errors="replace")[-n_chars:]
        except OSError as exc:  # the log is a diagnostic aid only
            return f"(server log unreadable: {exc})"

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server by its process id: SIGTERM (it shuts its kernels down), SIGKILL if it hangs."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)
        if self._log_file is not None:
            self._log_file.close()


def _write_settings(settings_dir: Path) -> None:
    for rel, content in LAB_SETTINGS.items():
        path = settings_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


def start_lab(root: Path, state_dir: Path, startup_timeout: float = 90.0,
              disabled_extensions: tuple[str, ...] = ()) -> LabServer:
    """Start `jupyter lab` serving `root`; keep its settings and logs under `state_dir`.

    `disabled_extensions` names JupyterLab extensions to switch off in this server only (its private
    config directory), e.g. to show what a learner sees when the widget extension is missing.

    Returns once the server answers on its API. Raises RuntimeError with the server log if it exits or
    does not answer within `startup_timeout` seconds.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    settings_dir = state_dir / "user-settings"
    _write_settings(settings_dir)
    env = dict(os.environ)
    # Isolate from the user's Jupyter set-up: config, data (kernelspecs, extensions), runtime, IPython.
    # Extensions and the python3 kernel still come from the environment's prefix, as for a learner.
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ]:
        (state_dir / sub).mkdir(exist_ok=True)
        env[var] = str(state_dir / sub)
    if disabled_extensions:
        labconfig = state_dir / "config" / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        (labconfig / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {name: True for name in disabled_extensions}}))
    env.pop("MPLBACKEND", None)  # a headless Agg setting would hide the inline figures we check
    env["PYTHONUNBUFFERED"] = "1"

    token = secrets.token_hex(24)
    port = free_port()
    cmd = [
        str(jupyter_executable()), "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        f"--LabApp.user_settings_dir={settings_dir}",
        f"--LabApp.workspaces_dir={state_dir / 'workspaces'}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--ServerApp.terminals_enabled=False",
        # window.jupyterapp: the tests open each notebook in the already loaded app (loading Lab takes
        # ~8 s of CPU per page on a busy 2-core machine) and close it without a save dialog
        "--LabApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = state_dir / "jupyter-lab.log"
    log_file = open(log_path, "w")
    # Popen runs the server itself (no shell in between), so process.pid is the server's own pid.
    process = subprocess.Popen(cmd, cwd=root, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    server = LabServer(root=root, port=port, token=token, process=process, log_path=log_path,
                       _log_file=log_file)
    deadline = time.monotonic() + startup_timeout
    while True:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(f"jupyter lab exited with code {process.returncode}:\n{server.log_tail()}")
        try:
            server.api("GET", "status", timeout=2)
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"jupyter lab did not answer within {startup_timeout:.0f} s:\n"
                               f"{server.log_tail()}")
        time.sleep(0.3)
