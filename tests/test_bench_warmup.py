"""benchmarks/scaling.py measures a network's build and memory after a warm-up, so that the build it times and
the peak it reads hold no compile: on an empty cache (a first `make bench`) a CUBA x 1 warm-up alone left the
x 4 and x 16 builds compiling their own structure (edge codes of another integer type, other wiring paths):
0.22 and 0.97 s instead of 0.07 and 0.22, estimate / model 0.50 and 0.48 instead of 1.06 and 0.83
(benchmarks/README.md, "session 17"). Each check runs in a fresh process with an empty kernel cache and counts
numba's compiles (`numba.core.compiler.compile_extra`; a function loaded from the cache does not go through it)
during a build and step of CUBA x 4 after the warm-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"

PROBE = """
import json, sys
sys.path.insert(0, {bench!r})
import numba.core.compiler as compiler
import scaling
scaling._warm_up("float32", {warm_scale})
compiled = []
original = compiler.compile_extra
def counted(typingctx, targetctx, func, *args, **kwargs):
    compiled.append(getattr(func, "__name__", "?"))
    return original(typingctx, targetctx, func, *args, **kwargs)
compiler.compile_extra = counted
scaling._step_cuba(4, "float32")
print(json.dumps(compiled))
"""


def _compiles_after_warm_up(cache, warm_scale):
    """The names of the functions numba compiled while CUBA x 4 was built and stepped after
    `scaling._warm_up("float32", warm_scale)`, in a fresh process with the kernel cache `cache` (empty)."""
    env = dict(os.environ, SNNLIB_CACHE_DIR=str(cache))
    out = subprocess.run([sys.executable, "-c", PROBE.format(bench=str(BENCH), warm_scale=warm_scale)], env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_after_the_warm_up_a_measured_build_compiles_nothing(tmp_path):
    assert _compiles_after_warm_up(tmp_path / "warm", 4) == []
    # the check can see a compile: with the small network's warm-up alone, the same build compiles its own
    assert _compiles_after_warm_up(tmp_path / "small", 1) != []
