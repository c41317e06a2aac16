"""Drive the class hub (deploy/hub/jupyterhub_config.py) as a class of students would, over HTTP only.

Used by the hub test (tests/hub/) and the classroom benchmark (benchmarks/classroom.py):

    with ClassHub(state_dir) as hub:              # starts JupyterHub (and its proxy) on free ports
        s = hub.login("ada")                      # the login form, then a token from the REST API
        s.start_server()                          # POST /hub/api/users/ada/server, wait until ready
        k = s.kernel("course/lessons/00_welcome.ipynb")  # a session (kernel) over the Jupyter API
        k.run("print(1 + 1)")                     # execute_request on the kernel's websocket
    # leaving the block stops the hub, then every process it started (by pid, found under /proc)

Only the standard library, requests and websocket-client (both installed with JupyterLab).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
import websocket

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "jupyterhub_config.py"
REPO = HERE.parent.parent


def hub_venv() -> Path:
    """The hub's environment made by `make hub-setup`: $HUB_VENV (relative to the repository) or .venv-hub."""
    path = Path(os.environ.get("HUB_VENV") or ".venv-hub")
    return path if path.is_absolute() else REPO / path


def hub_ready() -> str | None:
    """None if `make hub-setup` has run, else what is missing."""
    if not (hub_venv() / ".installed").exists():
        return f"the hub's environment {hub_venv()} is missing: run `make hub-setup`"
    if not (HERE / "node_modules" / ".installed").exists():
        return "configurable-http-proxy is missing from deploy/hub/node_modules: run `make hub-setup`"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time in clock ticks since boot) of a process, from /proc; None if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), fields[0], int(fields[19])


def descendants(pid: int) -> set[tuple[int, int]]:
    """Every live process below ``pid`` (children, their children, ...), as (pid, start time): a pid alone
    could be reused by an unrelated process once ours has exited, the pair cannot."""
    children: dict[int, list[tuple[int, int]]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (st := _stat(int(entry))):
            children.setdefault(st[0], []).append((int(entry), st[2]))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child[0])
    return found


def alive(proc: int | tuple[int, int]) -> bool:
    """Whether the process (a pid, or a (pid, start time) pair from descendants) still runs (zombies: no)."""
    pid, start = proc if isinstance(proc, tuple) else (proc, None)
    st = _stat(pid)
    return st is not None and st[1] != "Z" and (start is None or st[2] == start)


def _signal(procs, sig) -> None:
    for p in procs:
        try:
            os.kill(p[0] if isinstance(p, tuple) else p, sig)
        except ProcessLookupError:
            pass


def stop_pids(pids, grace: float = 15.0) -> list:
    """SIGTERM each process (pid or (pid, start time)) still alive, wait up to ``grace`` s, SIGKILL the rest;
    return those that needed it."""
    pids = [p for p in pids if alive(p)]
    _signal(pids, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.2)
    killed = [p for p in pids if alive(p)]
    _signal(killed, signal.SIGKILL)
    return killed


class KernelError(RuntimeError):
    """A cell raised in the student's kernel."""


class ConnectionLost(RuntimeError):
    """The kernel's websocket closed while a cell ran. The message says which side closed it (a close frame
    from the server, or the TCP connection ending without one: the proxy or a process dropped it), the state
    of the kernel and of the student's server just after, and the hub log's lines about them. ``status``: the
    close frame's status code (1000, 1001: a deliberate close), None when there was no close frame."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class Kernel:
    """A kernel of one student's server, driven over its websocket (Jupyter messaging protocol 5).

    Connecting works as JupyterLab's kernel connection does (@jupyterlab/services KernelConnection): the
    socket counts as connected only once the kernel has answered a kernel_info_request on it, and no cell
    is sent before. jupyter_server finishes opening a kernel socket only when the kernel has answered its
    own "nudge" (kernel_info requests, up to MappingKernelManager.kernel_info_timeout, 60 s); when the kernel
    is slower than that (a kernel starting on a machine busy with a class) it aborts the socket: a TCP close
    without a WebSocket close frame, and whatever the client sent meanwhile is never delivered. JupyterLab
    then reconnects (up to 7 times, backing off); so does this driver, during that handshake only, and
    records each reconnect in ``reconnects``. Once connected, a lost socket raises ConnectionLost."""

    reconnect_limit = 7                      # JupyterLab's KernelConnection._reconnectLimit

    def __init__(self, student: "Student", session: dict, timeout: float = 600.0):
        self.student, self.session = student, session
        self.id = session["kernel"]["id"]
        self.reconnects: list[str] = []      # why each earlier socket was lost during the handshake
        deadline = time.monotonic() + timeout
        while True:
            self._connect(timeout)
            try:
                self._request("kernel_info_request", {}, channel="shell",
                              timeout=max(1.0, deadline - time.monotonic()))
                return
            except ConnectionLost as exc:
                self.reconnects.append(str(exc).splitlines()[0])
                student.reconnects.append(self.reconnects[-1])
                self.ws.shutdown()
                # like JupyterLab: a deliberate close (1000, 1001) is final, an abnormal one is retried
                if (exc.status in (1000, 1001) or len(self.reconnects) > self.reconnect_limit
                        or time.monotonic() > deadline):
                    raise
                time.sleep(min(2 ** len(self.reconnects) / 4, 8.0))

    def _connect(self, timeout: float) -> None:
        url = f"{self.student.hub.ws_url}/user/{self.student.name}/api/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {self.student.token}"],
                                              timeout=timeout)
        self.opened = time.monotonic()

    def _request(self, msg_type: str, content: dict, channel: str, timeout: float) -> tuple[dict, list[dict]]:
        """Send a request; wait for its reply and for the kernel's idle status after it; return
        (reply content, output messages)."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.student.name, "session": uuid.uuid4().hex,
                       "msg_type": msg_type, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": channel, "buffers": [], "content": content,
        }))
        code = content.get("code", f"({msg_type})")
        outputs, reply, idle = [], None, False
        deadline = time.monotonic() + timeout
        while not (reply and idle):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {msg_type.replace('_request', '_reply')} within {timeout:.0f} s from "
                                   f"{self.student.name}'s kernel")
            msg = json.loads(self._recv(code))
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if msg["channel"] == channel and kind == msg_type.replace("_request", "_reply"):
                reply = msg["content"]
            elif kind == "status":
                idle = msg["content"]["execution_state"] == "idle"
            elif kind in ("stream", "execute_result", "display_data", "error"):
                outputs.append({"msg_type": kind, "content": msg["content"]})
        return reply, outputs

    def run(self, code: str, timeout: float = 600.0) -> list[dict]:
        """Execute ``code``; return its output messages ({"msg_type", "content"}); raise KernelError on error."""
        reply, outputs = self._request("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False,
            "stop_on_error": True}, channel="shell", timeout=timeout)
        if reply["status"] != "ok":
            raise KernelError(f"{reply.get('ename')}: {reply.get('evalue')}")
        return outputs

    def _recv(self, code: str) -> str | bytes:
        """The next data message; ConnectionLost (saying who closed the socket) if the socket closes."""
        try:
            opcode, frame = self.ws.recv_data_frame()
        except websocket.WebSocketConnectionClosedException as exc:
            raise self._lost(code, "the TCP connection ended without a WebSocket close frame (the server aborted "
                                   "it, e.g. after an exception in its handler, or the proxy or a process died)") from exc
        except OSError as exc:
            raise self._lost(code, f"the socket failed: {exc!r}") from exc
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            data = frame.data or b""
            status = int.from_bytes(data[:2], "big") if len(data) >= 2 else None
            raise self._lost(code, f"the server sent a WebSocket close frame (status {status}, reason "
                                   f"{data[2:].decode(errors='replace')!r})", status)
        return frame.data.decode() if opcode == websocket.ABNF.OPCODE_TEXT else frame.data

    def _lost(self, code: str, how: str, status: int | None = None) -> ConnectionLost:
        """A ConnectionLost naming who closed the socket, the kernel's and server's state and the log lines."""
        s = self.student
        try:
            r = requests.get(f"{s.hub.url}/user/{s.name}/api/kernels/{self.id}", headers=s.headers, timeout=10)
            kernel = (f"{r.json().get('execution_state')} (last activity {r.json().get('last_activity')})"
                      if r.ok else f"HTTP {r.status_code} from its server")
        except (requests.RequestException, ValueError) as exc:
            kernel = f"its server did not answer ({exc.__class__.__name__})"
        try:
            server = s.hub_api("GET", f"users/{s.name}").json()["servers"].get("")
            server = "gone" if not server else ("ready" if server.get("ready") else f"pending {server.get('pending')}")
        except (requests.RequestException, ValueError, KeyError) as exc:
            server = f"the hub did not answer ({exc.__class__.__name__})"
        proxy = "running" if self.student.hub.proxy_alive() else "NOT running"
        lines = self.student.hub.log_lines(self.id, s.name)
        first = code.strip().splitlines()[0][:80] if code.strip() else ""
        return ConnectionLost(
            f"{s.name}'s kernel {self.id}: websocket lost {time.monotonic() - self.opened:.0f} s after it opened, "
            f"running a cell starting {first!r}: {how}. Just after: kernel {kernel}; {s.name}'s server {server}; "
            f"proxy {proxy}.\nHub log lines naming this kernel or student, then the log's last lines:\n"
            + "\n".join(lines), status)

    def text(self, code: str) -> str:
        """Execute ``code`` and return what it printed (stdout)."""
        return "".join(o["content"]["text"] for o in self.run(code)
                       if o["msg_type"] == "stream" and o["content"]["name"] == "stdout")

    def close(self) -> None:
        self.ws.close()
        self.student.api("DELETE", f"sessions/{self.session['id']}")


class Student:
    """One logged-in hub user: a requests session with the hub's cookie and an API token."""

    def __init__(self, hub: "ClassHub", name: str, password: str):
        self.hub, self.name = hub, name
        self.reconnects: list[str] = []      # kernel sockets lost during their handshake (see Kernel), why
        self.http = requests.Session()
        login = f"{hub.url}/hub/login"
        self.http.get(login, timeout=30).raise_for_status()                  # sets the _xsrf cookie
        xsrf = [c.value for c in self.http.cookies if c.name == "_xsrf"][-1]
        r = self.http.post(login, data={"username": name, "password": password, "_xsrf": xsrf},
                           allow_redirects=False, timeout=60)
        if r.status_code != 302 or "login" in r.headers.get("location", "/hub/login"):
            raise PermissionError(f"login of {name!r} refused (HTTP {r.status_code})")
        xsrf = [c.value for c in self.http.cookies if c.name == "_xsrf"][-1]  # login issues a new one
        r = self.http.post(f"{hub.url}/hub/api/users/{name}/tokens", headers={"X-XSRFToken": xsrf},
                           json={"note": "classdriver", "expires_in": 3600}, timeout=30)
        r.raise_for_status()
        self.token = r.json()["token"]
        self.headers = {"Authorization": f"token {self.token}"}

    def hub_api(self, method: str, path: str, **kw) -> requests.Response:
        r = requests.request(method, f"{self.hub.url}/hub/api/{path}", headers=self.headers, timeout=60, **kw)
        r.raise_for_status()
        return r

    def api(self, method: str, path: str, **kw) -> requests.Response:
        """A request to this student's own Jupyter server (/user/<name>/api/<path>)."""
        r = requests.request(method, f"{self.hub.url}/user/{self.name}/api/{path}", headers=self.headers,
                             timeout=120, **kw)
        r.raise_for_status()
        return r

    def start_server(self, timeout: float = 300.0) -> float:
        """Ask the hub for this student's server and wait until it answers; return the seconds it took."""
        t0 = time.perf_counter()
        self.hub_api("POST", f"users/{self.name}/server")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.hub_api("GET", f"users/{self.name}").json()["servers"].get("", {})
            if server.get("ready"):
                self.api("GET", "status")
                return time.perf_counter() - t0
            time.sleep(0.25)
        raise TimeoutError(f"{self.name}'s server did not start in {timeout} s")

    def kernel(self, notebook_path: str) -> Kernel:
        """Open a session for a notebook of the student's home (the kernel starts in its folder)."""
        session = self.api("POST", "sessions", json={"path": notebook_path, "type": "notebook",
                                                      "kernel": {"name": "python3"}}).json()
        return Kernel(self, session)

    def notebook(self, path: str) -> dict:
        """A notebook from the student's home, through the contents API."""
        return self.api("GET", f"contents/{path}", params={"content": 1}).json()["content"]


class ClassHub:
    """The class hub of deploy/hub, started on free loopback ports with a given state folder."""

    def __init__(self, state_dir: os.PathLike, password: str = "class-password", admin: str = "teacher",
                 idle_minutes: int = 60, python: str | None = None, log=None):
        self.state_dir = Path(state_dir)
        self.password, self.admin = password, admin
        self.port = free_port()
        self.url, self.ws_url = f"http://127.0.0.1:{self.port}", f"ws://127.0.0.1:{self.port}"
        self.env = {**os.environ, "COURSE_HUB_DIR": str(self.state_dir), "COURSE_HUB_PORT": str(self.port),
                    "COURSE_HUB_AUTH": "dummy", "COURSE_HUB_PASSWORD": password, "COURSE_HUB_ADMIN": admin,
                    "COURSE_HUB_IDLE_MIN": str(idle_minutes)}
        self.python, self.log = python or str(hub_venv() / "bin" / "python"), log
        self.proc: subprocess.Popen | None = None
        self.started: set[tuple[int, int]] = set()   # (pid, start time) of what the hub started

    def start(self, timeout: float = 120.0) -> "ClassHub":
        jupyterhub = Path(self.python).parent / "jupyterhub"
        self.proc = subprocess.Popen([str(jupyterhub), "-f", str(CONFIG)], env=self.env,
                                     cwd=self.state_dir.parent, start_new_session=True,
                                     stdout=self.log or subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with status {self.proc.returncode}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=5).ok:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"the hub did not answer on {self.url} within {timeout} s")

    def login(self, name: str, password: str | None = None) -> Student:
        return Student(self, name, self.password if password is None else password)

    def proxy_alive(self) -> bool:
        """Whether the hub's proxy (configurable-http-proxy, its pid in the state folder) still runs."""
        try:
            return alive(int((self.state_dir / "proxy.pid").read_text()))
        except (OSError, ValueError):
            return False

    def log_lines(self, *needles: str, last: int = 40, limit: int = 60) -> list[str]:
        """Lines of the hub's log (hub, proxy, students' servers and kernels write there) naming any of
        ``needles`` (at most ``limit``, the latest), then its ``last`` lines; [] when the log is not a file."""
        try:
            self.log.flush()
            text = Path(self.log.name).read_text(errors="replace").splitlines()
        except (AttributeError, OSError, TypeError):
            return []
        named = [line for line in text if any(n in line for n in needles)][-limit:]
        return named + ["-- last lines --"] + text[-last:]

    def note_processes(self) -> set[int]:
        """Record the hub's live descendants (call while servers and kernels run): all are stopped at the end."""
        if self.proc is not None:
            self.started |= descendants(self.proc.pid)
        return self.started

    def stop(self) -> list[int]:
        """Stop the hub (which stops its servers and proxy), then any process it started that is left.
        Returns the pids that had to be killed after the hub had stopped."""
        if self.proc is None:
            return []
        self.note_processes()
        stop_pids([self.proc.pid], grace=60.0)     # SIGTERM: the hub stops servers, proxy, services
        self.proc.wait()
        leftover = stop_pids(sorted(self.started))
        self.proc = None
        return leftover

    def __enter__(self) -> "ClassHub":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
