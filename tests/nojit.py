"""Run a test module's function in a fresh Python with NUMBA_DISABLE_JIT=1 and return its JSON result.

Used by the tests that require identical results with and without the JIT (`run_without_jit`), and by
those that run threaded code that could hang in a subprocess with a time-out (`run_in_subprocess`).
"""

import json
import os
import subprocess
import sys

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))


def run_without_jit(module, call, timeout=600):
    """Import tests/`module`.py in a subprocess without the JIT, evaluate `call` (e.g. "run_model('fast')"),
    and return what it returned, round-tripped through JSON."""
    return run_in_subprocess(module, call, timeout, NUMBA_DISABLE_JIT="1")


def run_in_subprocess(module, call, timeout=600, **env):
    """Import tests/`module`.py in a fresh Python with the environment variables `env` added, evaluate `call`
    and return what it returned, round-tripped through JSON (a time-out fails the test: code that could hang,
    e.g. a thread left waiting, runs here)."""
    code = (f"import json, sys; sys.path.insert(0, {TESTS_DIR!r}); import {module} as m; "
            f"print(json.dumps(m.{call}))")
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, **env), capture_output=True, text=True,
                         timeout=timeout)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])
