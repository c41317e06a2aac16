"""Run a test module's function in a fresh Python with NUMBA_DISABLE_JIT=1 and return its JSON result.

Used by the tests that require identical results with and without the JIT.
"""

import json
import os
import subprocess
import sys

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))


def run_without_jit(module, call, timeout=600):
    """Import tests/`module`.py in a subprocess without the JIT, evaluate `call` (e.g. "run_model('fast')"),
    and return what it returned, round-tripped through JSON."""
    code = (f"import json, sys; sys.path.insert(0, {TESTS_DIR!r}); import {module} as m; "
            f"print(json.dumps(m.{call}))")
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])
