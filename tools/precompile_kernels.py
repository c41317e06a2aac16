"""Pre-compile snnlib's numba kernels by running notebooks once (the image build's postBuild step).

    python tools/precompile_kernels.py lessons/*.ipynb

Each notebook runs on a fresh kernel (as `make notebooks ARGS=--check` does, nothing is written back), so
every kernel a lesson uses is compiled with the argument types the lesson passes and numba caches it in
snnlib's kernel cache ($SNNLIB_CACHE_DIR, else ~/.cache/snnlib/kernels; snnlib/sim/kernel_cache.py). Prints the cache folder and how
many cached kernels it holds; exits 1 if a notebook failed or nothing was cached.

numba keys each cache entry by CPU model and features: the entries made here are reused on the same kind
of CPU and ignored elsewhere (numba compiles again and adds an entry, if the folder is writable).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from execute_notebooks import execute  # noqa: E402  (same runner as make notebooks)

# Where snnlib keeps its compiled kernels in this environment (snnlib/sim/kernel_cache.py: $SNNLIB_CACHE_DIR,
# else ~/.cache/snnlib/kernels), asked of a fresh interpreter with this environment.
_WHERE = ("import json; from snnlib.sim import kernel_cache as k; d, on = k.cache_dir();"
          "print(json.dumps([d, on]))")


def cache_files(cache_dir: str) -> list[Path]:
    """numba's index files (*.nbi) of the cached kernels."""
    return sorted(Path(cache_dir).rglob("*.nbi"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="notebooks to run (.ipynb)")
    parser.add_argument("--timeout", type=float, default=600.0, help="per-cell timeout in seconds")
    args = parser.parse_args(argv)
    failed = 0
    for path in args.notebooks:
        nb, seconds, error = execute(path, args.timeout)
        print(f"{path}: {'ran' if nb is not None else 'FAILED'} in {seconds:.1f} s {error}".rstrip(), flush=True)
        failed += nb is None
    cache_dir, caching = json.loads(subprocess.run([sys.executable, "-c", _WHERE], check=True,
                                                   capture_output=True, text=True).stdout)
    n = len(cache_files(cache_dir)) if caching else 0
    print(f"numba cache: {cache_dir}: {n} cached kernels")
    if n == 0:
        print("error: no kernel was cached (is the cache folder private and writable?)", file=sys.stderr)
    return 1 if failed or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
