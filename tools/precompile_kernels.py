"""Pre-compile snnlib's numba kernels by running notebooks once (the image build's postBuild step).

    python tools/precompile_kernels.py lessons/*.ipynb

Each notebook runs on a fresh kernel (as `make notebooks ARGS=--check` does, nothing is written back), so
every kernel a lesson uses is compiled with the argument types the lesson passes and numba caches it: beside
the installed snnlib, or in NUMBA_CACHE_DIR when set (see snnlib/sim/jit.py). Prints the cache folder and how
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

# Where numba puts snnlib's cache in this environment: asked of a fresh interpreter, because importing
# snnlib chooses the folder (the package's __pycache__ folders, or NUMBA_CACHE_DIR).
_WHERE = ("import json, os, snnlib, snnlib.sim.jit as j;"
          "print(json.dumps([os.path.dirname(snnlib.__file__), j.CACHE_DIR]))")


def cache_files(package_dir: str, cache_dir: str | None) -> list[Path]:
    """The numba index files (*.nbi) of snnlib's kernels: under NUMBA_CACHE_DIR if set, else beside the sources."""
    root = Path(cache_dir) if cache_dir else Path(package_dir)
    return sorted(root.rglob("*.nbi"))


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
    package_dir, cache_dir = json.loads(subprocess.run([sys.executable, "-c", _WHERE], check=True,
                                                       capture_output=True, text=True).stdout)
    n = len(cache_files(package_dir, cache_dir))
    print(f"numba cache: {cache_dir or package_dir + ' (beside the sources)'}: {n} cached kernels")
    if n == 0:
        print("error: no kernel was cached (is the cache folder writable?)", file=sys.stderr)
    return 1 if failed or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
