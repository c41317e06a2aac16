"""JupyterHub for a class on one machine: `make hub` (see docs/teaching.md).

Everything is local: the hub and its proxy (configurable-http-proxy from npm, installed by `make hub` into
deploy/hub/node_modules) listen on 127.0.0.1; put a TLS reverse proxy (nginx, Caddy) in front to open it
to students. Settings come from the environment, so the same file serves `make hub` and the tests:

  COURSE_HUB_DIR        state folder: database, cookie secret, passwords, homes (default: .hub)
  COURSE_HUB_PORT       public port of the proxy (default 8000); COURSE_HUB_API_PORT and
                        COURSE_HUB_INTERNAL_PORT: the proxy's API and the hub's own port (default: free ports)
  COURSE_HUB_AUTH       "shared-password" (default: one class password, the teacher logs in as an admin
                        with their own password) or "dummy" (tests only: any name, password
                        COURSE_HUB_PASSWORD)
  COURSE_HUB_PASSWORD   the class password (default: generated once, kept in $COURSE_HUB_DIR/passwords)
  COURSE_HUB_ADMIN      the teacher's user name (default: teacher)
  COURSE_HUB_ROSTER     optional file with one student name per line: only those (and the teacher) may log in
  COURSE_HUB_IDLE_MIN   stop servers idle this many minutes (default 60; 0 disables the culler)
  COURSE_HUB_SERVER_ARGS  extra options for every student's Jupyter server, e.g.
                        "--MappingKernelManager.kernel_info_timeout=120" (seconds a new kernel socket waits
                        for the kernel to answer before the server drops it; default 60) on a crowded machine
"""
import json
import os
import secrets
import shlex
import socket
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here))
from course_spawner import StudentSpawner  # noqa: E402

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)
repo = here.parent.parent
state = Path(os.environ.get("COURSE_HUB_DIR", repo / ".hub")).resolve()
state.mkdir(mode=0o700, parents=True, exist_ok=True)
os.chmod(state, 0o711)  # students' servers must reach their homes inside it, but not list it
# Everything the hub (and each student's server, which inherits it) creates is private to its owner: the
# database and pid files in the state folder, and students' own files.
os.umask(0o077)
for name in ("jupyterhub.sqlite", "jupyterhub.sqlite-journal"):
    if (state / name).exists():
        os.chmod(state / name, 0o600)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_port(name: str, default: int | None) -> int:
    value = os.environ.get(name)
    return int(value) if value else (default if default is not None else free_port())


# --- network: loopback only, ports chosen at start unless given -------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{env_port('COURSE_HUB_PORT', 8000)}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = env_port("COURSE_HUB_INTERNAL_PORT", None)
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env_port('COURSE_HUB_API_PORT', None)}"
c.ConfigurableHTTPProxy.command = [str(here / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

# --- state -----------------------------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")

# --- who may log in ----------------------------------------------------------------------------------
admin = os.environ.get("COURSE_HUB_ADMIN", "teacher")
c.Authenticator.admin_users = {admin}
roster = os.environ.get("COURSE_HUB_ROSTER")
if roster:
    names = [n.strip().lower() for n in Path(roster).read_text().splitlines()]
    c.Authenticator.allowed_users = {n for n in names if n and not n.startswith("#")}
else:
    c.Authenticator.allow_all = True  # anyone with the class password, under the name they type

passwords_file = state / "passwords"
passwords = json.loads(passwords_file.read_text()) if passwords_file.exists() else {}
if not passwords:
    passwords = {"class": secrets.token_urlsafe(9), "teacher": secrets.token_urlsafe(32)}
    passwords_file.touch(mode=0o600)
    passwords_file.write_text(json.dumps(passwords, indent=1))
class_password = os.environ.get("COURSE_HUB_PASSWORD") or passwords["class"]

if os.environ.get("COURSE_HUB_AUTH", "shared-password") == "dummy":
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = class_password
else:
    # Built into JupyterHub since 5.1: students log in with any (allowed) name and the class password;
    # the admin (the teacher) has a separate, longer password and may not use the class one.
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = class_password
    c.SharedPasswordAuthenticator.admin_password = passwords["teacher"]
    print(f"Class hub on {c.JupyterHub.bind_url}\n  students: any name, class password {class_password!r}\n"
          f"  teacher: {admin!r}, password in {passwords_file}", file=sys.stderr)

# --- one server per student, as a distinct uid in a private home ------------------------------------
c.JupyterHub.spawner_class = StudentSpawner
c.StudentSpawner.homes_root = str(state / "homes")
c.StudentSpawner.course_dir = str(repo)
c.Spawner.cmd = [str(Path(sys.prefix) / "bin" / "jupyterhub-singleuser")]  # the course's own .venv
c.Spawner.default_url = "/lab/tree/course/lessons/00_welcome.ipynb"
# KernelManager.cache_ports=False: a kernel's ports are drawn at random when it starts and drawn again when the
# restarter starts it anew. jupyter_client's default for tcp (cache_ports) picks them once per kernel, and every
# restart reuses them: when another student's kernel holds one, each of the five restarts fails on the same port
# and the server drops the kernel (this repository's CI, the ten-student hub test, 2026-11-30 20:47)
c.Spawner.args = ["--KernelManager.cache_ports=False"] + shlex.split(os.environ.get("COURSE_HUB_SERVER_ARGS", ""))
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# JUPYTER_PATH: the students' Python kernel is course.hub_kernel (deploy/hub/jupyter/kernels/python3), which
# exits instead of hanging when two servers gave their kernels the same port (see its docstring), so that the
# restarter starts it again on new ports (cache_ports above)
c.Spawner.environment = {"PYTHONHASHSEED": "0", "JUPYTER_PATH": str(here / "jupyter")}

# --- stop idle servers (frees their memory; work is saved in the home) ------------------------------
idle_min = int(os.environ.get("COURSE_HUB_IDLE_MIN", "60"))
if idle_min > 0:
    c.JupyterHub.load_roles = [{
        "name": "jupyterhub-idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["jupyterhub-idle-culler"],
    }]
    c.JupyterHub.services = [{
        "name": "jupyterhub-idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={idle_min * 60}"],
    }]
