"""course.hub_kernel, the class hub's Python kernel (deploy/hub/jupyter/kernels/python3): it runs notebooks as
ipykernel does, and a kernel that cannot bind its ports (another student's kernel took one first) exits at once
so that the server restarts it, where ipykernel's own launcher hangs for ever."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "deploy" / "hub" / "jupyter"


def _connection_file(path, taken_port):
    """A kernel connection file whose iopub port is `taken_port` (the other ports free)."""
    from jupyter_client.connect import write_connection_file

    fname, _ = write_connection_file(str(path / "kernel-test.json"), ip="127.0.0.1", iopub_port=taken_port,
                                     key=b"0123456789abcdef")
    return fname


def _launch(module, fname, cwd, timeout):
    return subprocess.run([sys.executable, "-m", module, "-f", fname], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def test_a_kernel_whose_port_is_taken_exits_at_once_with_the_reason(tmp_path):
    with socket.socket() as holder:                  # another process holds the port the kernel was given
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        fname = _connection_file(tmp_path, holder.getsockname()[1])
        done = _launch("course.hub_kernel", fname, tmp_path, timeout=60)
    assert done.returncode == 1
    assert "could not start" in done.stderr and "Address already in use" in done.stderr


def test_the_hub_kernelspec_is_ipykernels_own_but_for_the_launcher():
    """Everything but the module it launches (display name, protocol, debugger, encryption support) is what the
    installed ipykernel declares: a newer ipykernel that changes its spec shows here."""
    from ipykernel.kernelspec import get_kernel_dict

    stock = get_kernel_dict()
    ours = json.loads((SPEC_DIR / "kernels" / "python3" / "kernel.json").read_text())
    assert stock["argv"][1:] == ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert ours["argv"] == ["python", "-m", "course.hub_kernel", "-f", "{connection_file}"]
    assert {k: v for k, v in ours.items() if k != "argv"} == {k: v for k, v in stock.items() if k != "argv"}


def test_the_hub_kernelspec_runs_code_through_course_hub_kernel(tmp_path, monkeypatch):
    """The kernelspec the hub's servers find first (JUPYTER_PATH, deploy/hub/jupyterhub_config.py) starts
    course.hub_kernel, and that kernel runs code as any Python kernel."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import start_new_kernel

    spec = json.loads((SPEC_DIR / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["argv"][:3] == ["python", "-m", "course.hub_kernel"]
    monkeypatch.setenv("JUPYTER_PATH", str(SPEC_DIR))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    assert Path(KernelSpecManager().get_kernel_spec("python3").resource_dir) == SPEC_DIR / "kernels" / "python3"
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(tmp_path), startup_timeout=60)
    outputs = []
    try:
        code = "print(6 * 7, 'course.hub_kernel' in open('/proc/self/cmdline').read().split(chr(0)))"
        reply = kc.execute_interactive(code, timeout=60, output_hook=outputs.append)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok"
    assert [m["content"]["text"] for m in outputs if m["msg_type"] == "stream"] == ["42 True\n"]


def test_a_kernel_that_lost_its_port_is_back_on_new_ports_within_seconds(monkeypatch):
    """What a student's server does (jupyter_client's kernel manager and restarter, ports drawn at random): the
    first draw gives iopub a port another process holds; course.hub_kernel exits, the restarter starts it again
    on new random ports, and it answers. (ipykernel's own launcher hangs instead and never answers.)"""
    import asyncio
    import time

    from jupyter_client.connect import port_names
    from jupyter_client.ioloop import AsyncIOLoopKernelManager

    monkeypatch.setenv("JUPYTER_PATH", str(SPEC_DIR))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))

    async def recovered(taken):
        km = AsyncIOLoopKernelManager(kernel_name="python3", cache_ports=False)
        km._random_port_names = list(port_names)      # every port drawn at random, as in a server ...
        km.iopub_port = taken                          # ... and the draw for iopub collided
        await km.start_kernel()
        km.start_restarter()
        try:
            t0 = time.monotonic()
            while time.monotonic() - t0 < 30:
                await asyncio.sleep(0.5)
                if km.iopub_port != taken and await km.is_alive():
                    kc = km.client()
                    kc.start_channels()
                    try:
                        await kc.wait_for_ready(timeout=30)
                        return True
                    finally:
                        kc.stop_channels()
            return False
        finally:
            km.stop_restarter()
            await km.shutdown_kernel(now=True)

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        assert asyncio.run(recovered(holder.getsockname()[1]))


def test_the_hub_servers_draw_a_restarted_kernels_ports_anew(tmp_path, monkeypatch):
    """The hub starts each student's server with KernelManager.cache_ports off (deploy/hub/jupyterhub_config.py),
    so its kernel managers draw a kernel's ports again on a restart, as the test above does. With jupyter_client's
    default for tcp (cache_ports on) a server picked a kernel's ports once and every restart reused them: a kernel
    whose port another student's kernel held failed five restarts on that same port and was dropped (CI,
    2026-11-30). Here: the server's own option parsing and kernel-manager factory, with and without the hub's
    arguments; then a kernel started as the hub's servers start it gets new ports on a restart."""
    import asyncio

    from jupyter_client.connect import port_names
    from jupyter_server.serverapp import ServerApp
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from test_hub_config import load

    def kernel_manager(args):
        app = ServerApp()
        app.parse_command_line(args)
        mkm = AsyncMappingKernelManager(config=app.config)
        return mkm.kernel_manager_factory(parent=mkm, kernel_name="python3")

    args = load(tmp_path / "hub", monkeypatch).Spawner.args
    assert kernel_manager([]).cache_ports is True                   # jupyter_client's default: the bug
    km = kernel_manager(args)
    assert km.cache_ports is False
    monkeypatch.setenv("JUPYTER_PATH", str(SPEC_DIR))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))

    async def ports_before_and_after_a_restart():
        await km.start_kernel()
        try:
            before = km.get_connection_info()
            await km.restart_kernel(now=True, newports=True)          # what the restarter does
            return before, km.get_connection_info()
        finally:
            await km.shutdown_kernel(now=True)

    before, after = asyncio.run(ports_before_and_after_a_restart())
    assert all(before[n] != after[n] for n in port_names), (before, after)
