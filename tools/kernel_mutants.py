"""Named kernel mutants, run with the JIT: each must make the tests that guard it fail.

    .venv/bin/python tools/kernel_mutants.py            # all of them
    .venv/bin/python tools/kernel_mutants.py --list     # the table
    .venv/bin/python tools/kernel_mutants.py refractory_not_served stdp_sign

Mutation tools (mutmut, see `make mutate`) cannot run numba kernels usefully: a mutant of compiled code
needs a fresh compile and the real JIT.  So these few mutants are hand-named source patches, each
applied to a temporary copy of the repository (the working tree is never touched), with an empty numba
cache, and the tests listed for it are run there with the JIT on.  A mutant is *killed* when those
tests fail.  The exit status is 0 only if every mutant was killed.

The table MUTANTS is the one place to update when the kernels change (issue 10 replaces them by a
generated kernel): each entry names a file, an exact snippet and its replacement.  A snippet that is
no longer in the file is reported as "target gone" (and counts as a failure), never silently skipped.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIM_TESTS = ("tests/test_lif.py", "tests/test_simulator.py", "tests/test_jit_equivalence.py")
STDP_TESTS = ("tests/test_stdp.py", "tests/test_plasticity_kernel.py")


@dataclass(frozen=True)
class Mutant:
    name: str
    what: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTANTS = [
    # -- the LIF step (snnlib/neurons/lif.py: the model's own function, compiled by the kernels) -----------
    Mutant("refractory_ignored", "a spike starts no refractory period",
           "snnlib/neurons/lif.py", "return v_reset, tau_ref - (dt - t_cross), True", "return v_reset, 0.0, True",
           SIM_TESTS),
    Mutant("refractory_not_served", "the refractory time never counts down",
           "snnlib/neurons/lif.py", "    ref = ref - dt\n", "    ref = ref - 0.0\n", SIM_TESTS),
    Mutant("refractory_whole_step", "the spike's sub-step crossing time is ignored (refractory = tau_ref)",
           "snnlib/neurons/lif.py", "return v_reset, tau_ref - (dt - t_cross), True", "return v_reset, tau_ref, True",
           SIM_TESTS),
    Mutant("membrane_leak_sign", "the membrane moves away from v_rest + J instead of towards it",
           "snnlib/neurons/lif.py", "v = v - (v_inf - v) * math.expm1(-active / tau_rc)",
           "v = v + (v_inf - v) * math.expm1(-active / tau_rc)", SIM_TESTS),
    # -- synaptic decay (per step factor exp(-dt/tau), set up by the builder) -----------------------------
    Mutant("synaptic_decay_slow", "synaptic currents decay with twice their time constant",
           "snnlib/sim/builder.py", "np.full(conn.post.n, np.exp(-dt / conn.synapse.tau))",
           "np.full(conn.post.n, np.exp(-dt / (2 * conn.synapse.tau)))", SIM_TESTS),
    Mutant("synaptic_no_decay", "synaptic currents never decay",
           "snnlib/sim/builder.py", "np.full(conn.post.n, np.exp(-dt / conn.synapse.tau))",
           "np.full(conn.post.n, 1.0)", SIM_TESTS),
    # -- the STDP rule (its parameters as the kernels use them, and its traces) --------------------------
    Mutant("stdp_sign", "potentiation and depression swapped",
           "snnlib/sim/builder.py", "stdp_params[k] = (rule.a_plus, rule.a_minus,",
           "stdp_params[k] = (-rule.a_plus, -rule.a_minus,", STDP_TESTS),
    Mutant("stdp_pre_trace_no_decay", "the presynaptic trace never decays",
           "snnlib/sim/builder.py", "np.exp(-dt / rule.tau_plus), np.exp(-dt / rule.tau_minus),",
           "1.0, np.exp(-dt / rule.tau_minus),", STDP_TESTS),
    Mutant("stdp_post_trace_jump", "the postsynaptic trace jumps by 0.5 instead of 1",
           "snnlib/sim/generic_kernel.py", "ypost[ypost_off[k] + b] += 1.0", "ypost[ypost_off[k] + b] += 0.5",
           STDP_TESTS),
    Mutant("stdp_pre_trace_jump", "the presynaptic trace does not jump at a presynaptic spike",
           "snnlib/sim/generic_kernel.py", "xpre[xpre_off[k] + a] += 1.0", "xpre[xpre_off[k] + a] += 0.0",
           STDP_TESTS),
]


def _copy_repo(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if name:
            src, dst = ROOT / name, dest / name
            if src.is_file():
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_bytes(src.read_bytes())


def run_mutant(m: Mutant, timeout: float = 900) -> tuple[str, float, str]:
    """Apply ``m`` to a fresh copy and run its tests with the JIT; (verdict, seconds, last lines)."""
    with tempfile.TemporaryDirectory(prefix=f"kernel-mutant-{m.name}-") as tmp:
        copy = Path(tmp) / "repo"
        _copy_repo(copy)
        target = copy / m.path
        text = target.read_text() if target.exists() else ""
        if text.count(m.old) != 1:
            return "target gone", 0.0, f"{m.path}: the snippet {m.old!r} occurs {text.count(m.old)} times"
        target.write_text(text.replace(m.old, m.new))
        env = {k: v for k, v in os.environ.items() if k != "NUMBA_DISABLE_JIT"}
        env.update(PYTHONPATH=str(copy), NUMBA_CACHE_DIR=str(Path(tmp) / "numba-cache"))
        start = time.monotonic()
        try:
            run = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                                  "-p", "no:randomly", "-o", "addopts=", *m.tests],
                                 cwd=copy, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "killed (timeout)", time.monotonic() - start, ""
        took = time.monotonic() - start
        tail = "\n".join((run.stdout + run.stderr).strip().splitlines()[-3:])
        if run.returncode == 1:
            return "killed", took, tail
        if run.returncode == 0:
            return "SURVIVED", took, tail
        return f"error (pytest exit {run.returncode})", took, tail


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--list", action="store_true", help="print the table and exit")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.names or m.name in args.names]
    unknown = set(args.names) - {m.name for m in MUTANTS}
    if unknown:
        parser.error(f"unknown mutants {sorted(unknown)}; --list shows them")
    if args.list:
        for m in MUTANTS:
            print(f"{m.name:26s} {m.path:30s} {m.what}")
        return 0
    killed = 0
    for m in chosen:
        verdict, took, tail = run_mutant(m)
        killed += verdict.startswith("killed")
        print(f"{m.name:26s} {verdict:18s} {took:6.1f} s  {m.what}", flush=True)
        if not verdict.startswith("killed"):
            print("    " + tail.replace("\n", "\n    "), flush=True)
    print(f"named kernel mutants killed: {killed} of {len(chosen)} ({100 * killed / max(len(chosen), 1):.0f} %)")
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
