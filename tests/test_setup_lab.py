"""`make lab` really serves the course: started on a free port, fetched over 127.0.0.1, stopped by pid.

The server is started through the Makefile (not by calling jupyter directly), so the flags the README
promises are the ones tested: 127.0.0.1 only, a token, the port from PORT=, the welcome lesson as start
page. `-o <stamp>` tells make not to redo the install (the suite is already running inside it).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

TOKEN = "course-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 10):
    """(status, body, final url) of a GET; redirects are followed."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace"), resp.url
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace"), url


@pytest.fixture(scope="module")
def lab(repo_root: Path, tmp_path_factory):
    venv = Path(sys.prefix)
    port = _free_port()
    log_path = tmp_path_factory.mktemp("lab") / "lab.log"
    cmd = ["make", "--no-print-directory", "-o", f"{venv}/.installed", "lab", f"VENV={venv}",
           f"PORT={port}", "LAB_ARGS=--no-browser"]
    # The token through the environment (issue 18): never on a command line other users can read.
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(log_path.parent / "runtime"), JUPYTER_TOKEN=TOKEN)
    with open(log_path, "w") as log:
        # Own process group: make execs jupyter, and the whole group is stopped by its id afterwards.
        proc = subprocess.Popen(cmd, cwd=repo_root, stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"make lab exited with {proc.returncode}:\n{log_path.read_text()}")
            try:
                if _get(f"{base}/api/status?token={TOKEN}", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab did not answer on port {port} within 90 s:\n{log_path.read_text()}")
        yield base, log_path, proc.pid
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_lab_page_is_served_with_the_token(lab):
    base, _, _ = lab
    status, body, _ = _get(f"{base}/lab?token={TOKEN}")
    assert status == 200
    assert "JupyterLab" in body


def test_api_refuses_requests_without_the_token(lab):
    base, _, _ = lab
    assert _get(f"{base}/api/kernelspecs")[0] == 403
    assert _get(f"{base}/api/kernelspecs?token=wrong")[0] == 403


def test_python3_kernel_is_offered(lab):
    base, _, _ = lab
    status, body, _ = _get(f"{base}/api/kernelspecs?token={TOKEN}")
    assert status == 200
    assert "python3" in json.loads(body)["kernelspecs"]


def test_lessons_and_exercises_are_served(lab, repo_root):
    from course import syllabus

    base, _, _ = lab
    for folder, finder in (("lessons", syllabus.existing_lesson_notebooks),
                           ("exercises", syllabus.existing_exercise_notebooks)):
        expected = {p.name for p in finder(repo_root)}
        if not expected:
            continue
        status, body, _ = _get(f"{base}/api/contents/{folder}?token={TOKEN}")
        assert status == 200, body
        served = {item["name"] for item in json.loads(body)["content"]}
        assert expected <= served


def test_start_page_is_the_welcome_lesson(lab, repo_root):
    base, log_path, _ = lab
    _, _, final = _get(f"{base}/?token={TOKEN}")
    if (repo_root / "lessons" / "00_welcome.ipynb").exists():
        assert final.split("?")[0].endswith("/lab/tree/lessons/00_welcome.ipynb"), final
    else:
        assert final.split("?")[0].endswith("/lab"), final
    # With TOKEN= given, Jupyter hides the token in its log; the Makefile prints the full link.
    assert f"Open: {base}/lab" in log_path.read_text()
    assert f"?token={TOKEN}" in log_path.read_text()


def _listening_addresses(port: int) -> set[str]:
    """IPv4/IPv6 addresses with a socket listening on `port`, from the kernel's tables (Linux)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(addr)[::-1]) if len(addr) == 8 else addr)
    return found


def test_server_listens_on_loopback_only(lab):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("reads the Linux socket table /proc/net/tcp")
    base, _, _ = lab
    assert _listening_addresses(int(base.rsplit(":", 1)[1])) == {"127.0.0.1"}


def _group_command_lines(pgid: int) -> list[str]:
    """Command lines of every process in process group ``pgid`` (Linux /proc)."""
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if os.getpgid(int(d.name)) == pgid:
                    found.append((d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace"))
            except (OSError, ProcessLookupError):
                pass
    return found


def test_token_is_on_no_command_line(lab):
    """Any local user can read every process's arguments (ps): the token must not be among them."""
    if not Path("/proc/self/cmdline").exists():
        pytest.skip("reads /proc/<pid>/cmdline (Linux)")
    base, _, pgid = lab
    lines = _group_command_lines(pgid)
    assert any("jupyter" in ln and "lab" in ln for ln in lines), lines  # the server itself was seen
    assert not [ln for ln in lines if TOKEN in ln], lines
    assert _get(f"{base}/api/status?token={TOKEN}")[0] == 200  # and the token from the environment works
