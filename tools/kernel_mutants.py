"""Named kernel mutants, run with the JIT: each must make the tests that guard it fail.

    .venv/bin/python tools/kernel_mutants.py            # all of them
    .venv/bin/python tools/kernel_mutants.py --list     # the table
    .venv/bin/python tools/kernel_mutants.py refractory_not_served stdp_sign

Mutation tools (mutmut, see `make mutate`) cannot run numba kernels usefully: a mutant of compiled code
needs a fresh compile and the real JIT.  So these few mutants are hand-named source patches, each
applied to a temporary copy of the repository (the working tree is never touched), with an empty numba
cache, and the tests listed for it are run there with the JIT on.  A mutant is *killed* when those
tests fail.  The exit status is 0 only if every mutant was killed.

The table MUTANTS is the one place to update when the kernels change: each entry names a file, an
exact snippet and its replacement.  The kernel is generated (snnlib/sim/codegen*.py) from the models'
plain step functions (snnlib/neurons, snnlib/synapses, snnlib/learning), so most mutants patch those.
Before anything runs, every snippet must occur exactly once in its file: otherwise the run stops with
exit status 2 and names the stale entries (re-aim them at the code that now does the job); nothing is
ever skipped.  tests/test_kernel_mutants_table.py checks the same in `make test`.
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
SYN_TESTS = ("tests/test_simulator.py", "tests/test_jit_equivalence.py")
CODE_TESTS = ("tests/test_edge_codes.py", "tests/test_simulator.py")


@dataclass(frozen=True)
class Mutant:
    name: str
    what: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTANTS = [
    # -- the LIF step functions (snnlib/neurons/lif.py), inlined by the generated kernel: `lif_update` runs
    #    the common case for every neuron, `lif_step` the exact step of a neuron flagged by it -------------
    Mutant("refractory_ignored", "a spike starts no refractory period",
           "snnlib/neurons/lif.py", "return v_reset, tau_ref - (dt - t_cross), True", "return v_reset, 0.0, True",
           SIM_TESTS),
    Mutant("refractory_not_served", "the exact step never counts the refractory time down",
           "snnlib/neurons/lif.py", "    ref = ref - dt\n", "    ref = ref - 0.0\n", SIM_TESTS),
    Mutant("refractory_not_served_fast", "the vectorised update never counts the refractory time down",
           "snnlib/neurons/lif.py", "    rn = ref - dt\n", "    rn = ref\n", SIM_TESTS),
    Mutant("refractory_whole_step", "the spike's sub-step crossing time is ignored (refractory = tau_ref)",
           "snnlib/neurons/lif.py", "return v_reset, tau_ref - (dt - t_cross), True", "return v_reset, tau_ref, True",
           SIM_TESTS),
    Mutant("membrane_leak_sign", "the exact step moves the membrane away from v_rest + J",
           "snnlib/neurons/lif.py", "v = v - (v_inf - v) * math.expm1(-active / tau_rc)",
           "v = v + (v_inf - v) * math.expm1(-active / tau_rc)", SIM_TESTS),
    Mutant("membrane_leak_sign_fast", "the vectorised update moves the membrane away from v_rest + J",
           "snnlib/neurons/lif.py", "vn = v + (v_rest + J - v) * (a_rc if out else zero)",
           "vn = v - (v_rest + J - v) * (a_rc if out else zero)", SIM_TESTS),
    # -- synaptic decay: the factor exp(-dt/tau) (ExpSynapse.derived, a column of the kernel's parameter
    #    matrix) and the model's advance function that applies it ---------------------------------------
    Mutant("synaptic_decay_slow", "synaptic currents decay with twice their time constant",
           "snnlib/synapses/exponential.py", '"decay": float(np.exp(-dt / self.tau))',
           '"decay": float(np.exp(-dt / (2 * self.tau)))', SYN_TESTS),
    Mutant("synaptic_no_decay", "synaptic currents never decay",
           "snnlib/synapses/exponential.py", "    return I * decay\n", "    return I\n", SYN_TESTS),
    # -- the STDP rule's step functions (snnlib/learning/stdp.py), called by the generated kernel ---------
    Mutant("stdp_depression_sign", "a presynaptic spike potentiates instead of depressing",
           "snnlib/learning/stdp.py", "min(max(w - a_minus * y, w_min), w_max)",
           "min(max(w + a_minus * y, w_min), w_max)", STDP_TESTS),
    Mutant("stdp_potentiation_sign", "a postsynaptic spike depresses instead of potentiating",
           "snnlib/learning/stdp.py", "min(max(w + a_plus * x, w_min), w_max)",
           "min(max(w - a_plus * x, w_min), w_max)", STDP_TESTS),
    Mutant("stdp_pre_trace_no_decay", "the presynaptic trace never decays",
           "snnlib/learning/stdp.py", "    return x * decay_plus\n", "    return x\n", STDP_TESTS),
    Mutant("stdp_post_trace_jump", "the postsynaptic trace jumps by 0.5 instead of 1",
           "snnlib/learning/stdp.py", "def stdp_post_spike(y):\n    return y + 1.0\n",
           "def stdp_post_spike(y):\n    return y + 0.5\n", STDP_TESTS),
    Mutant("stdp_pre_trace_jump", "the presynaptic trace does not jump at a presynaptic spike",
           "snnlib/learning/stdp.py", "def stdp_pre_spike(x):\n    return x + 1.0\n",
           "def stdp_pre_spike(x):\n    return x + 0.0\n", STDP_TESTS),
    # -- the generated kernel itself (snnlib/sim/codegen_learning.py): the order of the plasticity updates
    Mutant("stdp_post_side_skipped", "the kernel never applies the postsynaptic (potentiation) side of a rule",
           "snnlib/sim/codegen_learning.py", '"    for t in range(g.post_rules_ptr[j], g.post_rules_ptr[j + 1]):",',
           '"    for t in range(0):",', STDP_TESTS),
    # -- edge codes (snnlib/sim/edge_codes.py): the generated delivery decodes slot and weight from one integer
    Mutant("coded_weight_index", "every coded synapse delivers the first weight of the table",
           "snnlib/sim/codegen_delivery.py", "+= g.wtab[g.edge_slot[e] >> g.code_bits]", "+= g.wtab[0]", CODE_TESTS),
    Mutant("coded_slot_mask", "a coded synapse's slot loses its top bit (another neuron's current)",
           "snnlib/sim/codegen_delivery.py", "np.uint32(g.edge_slot[e] & g.code_mask)",
           "np.uint32(g.edge_slot[e] & (g.code_mask >> 1))", CODE_TESTS),
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
    """Apply ``m`` to a fresh copy and run its tests with the JIT; (verdict, seconds, last lines).

    A mutant whose `old` is empty is the baseline: the unmutated copy, whose tests must pass."""
    with tempfile.TemporaryDirectory(prefix=f"kernel-mutant-{m.name}-") as tmp:
        copy = Path(tmp) / "repo"
        _copy_repo(copy)
        if m.old:
            target = copy / m.path
            text = target.read_text() if target.exists() else ""
            if text.count(m.old) != 1:      # stale_targets() ran first; a file changed since then
                return "TARGET GONE", 0.0, f"{m.path}: the snippet {m.old!r} occurs {text.count(m.old)} times"
            target.write_text(text.replace(m.old, m.new))
        env = {k: v for k, v in os.environ.items() if k != "NUMBA_DISABLE_JIT"}
        caches = {"NUMBA_CACHE_DIR": Path(tmp) / "numba-cache", "SNNLIB_CACHE_DIR": Path(tmp) / "kernel-cache"}
        for var, path in caches.items():      # empty, private (snnlib refuses caches others can write)
            path.mkdir(mode=0o700)
            env[var] = str(path)
        env["PYTHONPATH"] = str(copy)
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


def stale_targets(mutants=MUTANTS, root: Path = ROOT) -> list[str]:
    """One line per mutant whose snippet does not occur exactly once in its file (in `root`)."""
    out = []
    for m in mutants:
        path = root / m.path
        n = path.read_text().count(m.old) if path.is_file() else 0
        if n != 1:
            where = "the file is gone" if not path.is_file() else f"the snippet occurs {n} times"
            out.append(f"{m.name}: {m.path}: {where}: {m.old!r}")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--list", action="store_true", help="print the table and exit")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the first run of the tests on the unmutated copy (which must pass)")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.names or m.name in args.names]
    unknown = set(args.names) - {m.name for m in MUTANTS}
    if unknown:
        parser.error(f"unknown mutants {sorted(unknown)}; --list shows them")
    if args.list:
        for m in MUTANTS:
            print(f"{m.name:26s} {m.path:30s} {m.what}")
        return 0
    stale = stale_targets(chosen)
    if stale:
        print("error: named kernel mutants aim at code that is no longer there (nothing was run); re-aim them in "
              "tools/kernel_mutants.py at the code that now does the job:\n  " + "\n  ".join(stale), file=sys.stderr)
        return 2
    if not args.no_baseline:     # a test that fails without any mutant would count every mutant as killed
        tests = tuple(dict.fromkeys(t for m in chosen for t in m.tests))
        verdict, took, tail = run_mutant(Mutant("baseline", "no mutation", "", "", "", tests))
        print(f"{'baseline (no mutant)':26s} {'passed' if verdict == 'SURVIVED' else verdict:18s} {took:6.1f} s  "
              f"{' '.join(tests)}", flush=True)
        if verdict != "SURVIVED":
            print("error: the tests fail without any mutant, so a failure proves nothing; fix them first:\n    "
                  + tail.replace("\n", "\n    "), file=sys.stderr)
            return 2
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
