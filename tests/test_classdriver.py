"""deploy/hub/classdriver.py's kernel connection, against a small fake Jupyter kernel websocket (tornado).

The driver must connect as JupyterLab does: a socket that the server aborts during the kernel_info
handshake (what jupyter_server does when a kernel misses kernel_info_timeout) is reconnected and recorded;
a deliberate close (1000) is not retried; a socket lost after the handshake raises ConnectionLost saying
that the TCP connection ended without a close frame, and is never retried (a cell may have run)."""
from __future__ import annotations

import asyncio
import json
import sys
import threading
from pathlib import Path

import pytest

tornado_web = pytest.importorskip("tornado.web")
from tornado import ioloop, websocket as tws  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "deploy" / "hub"))
import classdriver  # noqa: E402


class FakeKernelSocket(tws.WebSocketHandler):
    """Answers kernel_info and execute requests; ``plan`` says what to do to the n-th connection instead."""
    plan: list[str] = []           # per connection: "ok", "abort" (on its first message), "close", "abort-exec"
    connections = 0

    def open(self, *args):
        FakeKernelSocket.connections += 1
        self.mode = self.plan[self.connections - 1] if self.connections <= len(self.plan) else "ok"

    def on_message(self, raw):
        msg = json.loads(raw)
        kind = msg["header"]["msg_type"]
        if self.mode == "abort" or (self.mode == "abort-exec" and kind == "execute_request"):
            raise RuntimeError("the fake server drops this socket (tornado aborts it)")
        if self.mode == "close":
            self.close(1000, "bye")
            return
        parent = {"msg_id": msg["header"]["msg_id"]}

        def send(channel, msg_type, content):
            self.write_message(json.dumps({"channel": channel, "header": {"msg_type": msg_type},
                                           "parent_header": parent, "content": content}))
        send("iopub", "status", {"execution_state": "busy"})
        if kind == "execute_request":
            send("iopub", "stream", {"name": "stdout", "text": "ran\n"})
        send("shell", kind.replace("_request", "_reply"), {"status": "ok"})
        send("iopub", "status", {"execution_state": "idle"})


@pytest.fixture(scope="module")
def server():
    port = classdriver.free_port()
    started = threading.Event()

    def serve():
        asyncio.set_event_loop(asyncio.new_event_loop())
        tornado_web.Application([(r"/user/ada/api/kernels/k1/channels", FakeKernelSocket)],
                                log_function=lambda handler: None).listen(port, "127.0.0.1")
        started.set()
        ioloop.IOLoop.current().start()
    threading.Thread(target=serve, daemon=True).start()
    started.wait(10)
    return port


class FakeHub:
    def __init__(self, port):
        self.url, self.ws_url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"

    def proxy_alive(self):
        return True

    def log_lines(self, *needles):
        return ["(no hub log here)"]


class FakeStudent:
    name, token, headers = "ada", "t", {}

    def __init__(self, port):
        self.hub, self.reconnects = FakeHub(port), []

    def hub_api(self, method, path):
        raise classdriver.requests.ConnectionError("no hub in this test")


def kernel(server, plan, monkeypatch):
    FakeKernelSocket.plan, FakeKernelSocket.connections = plan, 0
    monkeypatch.setattr(classdriver.time, "sleep", lambda s: None)     # no back-off waits in the test
    student = FakeStudent(server)
    return classdriver.Kernel(student, {"id": "s1", "kernel": {"id": "k1"}}, timeout=20), student


def test_socket_aborted_during_handshake_is_reconnected_and_recorded(server, monkeypatch):
    k, student = kernel(server, ["abort", "abort", "ok"], monkeypatch)
    assert FakeKernelSocket.connections == 3
    assert len(k.reconnects) == 2 and student.reconnects == k.reconnects
    assert "without a WebSocket close frame" in k.reconnects[0]
    assert k.text("print('x')") == "ran\n"


def test_gives_up_after_jupyterlabs_reconnect_limit(server, monkeypatch):
    with pytest.raises(classdriver.ConnectionLost):
        kernel(server, ["abort"] * 20, monkeypatch)
    assert FakeKernelSocket.connections == classdriver.Kernel.reconnect_limit + 1


def test_deliberate_close_is_not_retried(server, monkeypatch):
    with pytest.raises(classdriver.ConnectionLost, match=r"close frame \(status 1000"):
        kernel(server, ["close", "ok"], monkeypatch)
    assert FakeKernelSocket.connections == 1


def test_socket_lost_after_the_handshake_raises_and_is_not_retried(server, monkeypatch):
    k, _ = kernel(server, ["abort-exec", "ok"], monkeypatch)
    with pytest.raises(classdriver.ConnectionLost, match="without a WebSocket close frame") as info:
        k.run("1 + 1")
    assert info.value.status is None and "(no hub log here)" in str(info.value)
    assert FakeKernelSocket.connections == 1 and k.reconnects == []
