"""The Python kernel of the class hub's students (`make hub`; deploy/hub/jupyter/kernels/python3): ipykernel's
own launcher, except that a kernel which cannot start exits at once instead of hanging.

Why: each student's Jupyter server picks its kernels' TCP ports by binding to a free port and letting it go;
ten servers starting kernels in the same second can pick the same port. The losing kernel fails to bind
("Address already in use"), and ipykernel (7.4) then hangs for ever at exit, in `IPKernelApp.close` ->
`zmq.Context.term`, waiting for the socket that never bound. The process stays alive, so the server never
restarts it: that student's notebook waits on a kernel that will never answer (seen in this repository's
CI, the ten-student hub test, 2026-11-30). A kernel that exits instead is restarted by jupyter_client's
restarter on new random ports (`KernelRestarter.random_ports_until_alive`), and the student sees a kernel
that took a second longer to start.

    python -m course.hub_kernel -f {connection_file}       # as ipykernel_launcher
"""

import os
import sys
from pathlib import Path


def main(argv=None) -> None:
    """Launch the kernel; if starting it raises, report why and end the process without its exit handlers
    (ipykernel's `close`, registered with atexit, is what hangs)."""
    from ipykernel import kernelapp

    try:
        kernelapp.launch_new_instance(argv)
    except BaseException as exc:  # noqa: BLE001 - any failure to start must end the process, not hang it
        if isinstance(exc, SystemExit) and exc.code in (None, 0):
            raise
        print(f"course.hub_kernel: the kernel could not start ({type(exc).__name__}: {exc}); exiting so that "
              "the server starts it again on new ports", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(1)


if __name__ == "__main__":
    # as ipykernel_launcher: the working folder leaves sys.path while ipykernel loads (init_path puts it back)
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    main()
