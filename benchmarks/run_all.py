"""Run the whole benchmark suite, print one table and write benchmarks/results.json (`make bench`).

    .venv/bin/python benchmarks/run_all.py [--no-peers] [--no-widgets] [--repeats N] [--setup-peers]
    make bench            (the same; BENCH_ARGS=... passes options)      make peers   (--setup-only)

Every benchmark runs as its own subprocess: snnlib's side with this interpreter (the project's
`.venv`), the peers (Brian2, Nengo) with `.venv-peers/bin/python` when that environment exists
(`--setup-peers` creates it from the `peers` extra in pyproject.toml). Timings are medians over
--repeats runs after one warm-up run, so numba's and Brian2's caches are warm (Nengo, which has no
compile cache and takes seconds, runs once). Float32 CUBA, CUBA+STDP and Brian2 cpp_standalone's CUBA
run in alternated rounds (--stdp-rounds, default 9): STDP / plain and snnlib / Brian2 are each the median
of the rounds' ratios, with its range. The machine's load average is recorded before and after: the cores
may be shared, and the figures mean little under load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS_VENV = ROOT / ".venv-peers"
RESULTS = HERE / "results.json"
BRIAN2_ROUNDS = "brian2_cpp_standalone"         # Brian2's record from the alternated rounds
BRIAN2_KEYS = ("loop_s", "build_s", "total_s")  # summarised in a Brian2 record (loop_s: Brian2's own timer)
sys.path.insert(0, str(HERE))

import report  # noqa: E402


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_json(python: str | os.PathLike, script: Path, *args: str, timeout: float = 1800) -> tuple[dict, float]:
    """Run `python script --json args`; return (its JSON object with `process_cpu_s` added, the
    process's wall time in s)."""
    t0, c0 = time.perf_counter(), _children_cpu()
    out = subprocess.run([str(python), str(script), "--json", *args], capture_output=True, text=True,
                         timeout=timeout, cwd=ROOT)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError(f"{script.name} {' '.join(args)} failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    rec = json.loads(out.stdout.strip().splitlines()[-1])
    rec["process_cpu_s"] = _children_cpu() - c0      # includes the child's own children (make, g++)
    return rec, wall


def repeated(python, script: Path, *args: str, repeats: int, keys: tuple[str, ...]) -> dict:
    """One warm-up run, then `repeats` runs; the record of the last run with medians (and `<key>_min`,
    the fastest run) for `keys`, `process_s` (whole-process wall time) and `process_cpu_s`."""
    run_json(python, script, *args)
    return _summary([run_json(python, script, *args) for _ in range(repeats)], keys)


def alternated(variants: dict, repeats: int, keys) -> dict:
    """`repeated` for several variants (name -> (python, script, its arguments): a script of snnlib's or a peer's,
    each with its own interpreter), their runs alternated: one warm-up run of each, then `repeats` rounds, each
    running every variant once in a fresh process (the order rotating from round to round, as benchmarks/ab.py
    does), so that a ratio of two variants can be taken per round (`report.round_ratios`). `keys`: the keys to
    summarise, one tuple for every variant or name -> tuple. Returns name -> the record `repeated` would give,
    plus `<key>_runs`: the round-by-round values of each key."""
    names = list(variants)
    keys = {name: keys[name] if isinstance(keys, dict) else tuple(keys) for name in names}
    for name in names:
        python, script, args = variants[name]
        run_json(python, script, *args)
    recs = {name: [] for name in names}
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            python, script, args = variants[name]
            recs[name].append(run_json(python, script, *args))
    out = {}
    for name in names:
        rec = _summary(recs[name], keys[name])
        for k in keys[name]:
            rec[k + "_runs"] = [x[k] for x, _ in recs[name]]
        out[name] = rec
    return out


def _summary(recs: list, keys: tuple[str, ...]) -> dict:
    """The record of the last run with medians (and `<key>_min`) of `keys` over runs `recs` ((record, wall))."""
    rec = dict(recs[-1][0])
    for k in keys + ("process_cpu_s",):
        rec[k] = statistics.median(r[k] for r, _ in recs)
        rec[k + "_min"] = min(r[k] for r, _ in recs)    # the least disturbed run on a shared machine
    rec["process_s"] = statistics.median(w for _, w in recs)
    rec["process_s_min"] = min(w for _, w in recs)
    return rec


def peers_python(venv: Path = PEERS_VENV) -> Path | None:
    """The peers environment's interpreter if it exists and imports brian2, else None."""
    py = venv / "bin" / "python"
    if not py.exists():
        return None
    ok = subprocess.run([str(py), "-c", "import brian2"], capture_output=True, cwd="/").returncode == 0
    return py if ok else None


def setup_peers() -> None:
    """Create `.venv-peers` and install the `peers` extra of pyproject.toml into it (not the project)."""
    import tomllib

    reqs = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["peers"]
    if not (PEERS_VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    subprocess.run([str(PEERS_VENV / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
                    "-q", *reqs], check=True)


def cuba_rounds(py, rounds: int, keys: tuple[str, ...], results: dict) -> None:
    """cuba.*, the benchmark's precision (float32, see cuba.py), cuba_stdp.*, CUBA with pair STDP on its excitatory
    synapses, and brian2_cpp_standalone.* when the peers' interpreter `py` is given: `rounds` alternated rounds
    (plain, STDP, Brian2 | STDP, Brian2, plain | ...), so that STDP / plain and snnlib / Brian2 are judged per round
    (report.ratios). Separate blocks of runs minutes apart measured the machine's drift between the blocks too
    (session 12: the same loop 16-17 ms CPU in one process, 24-41 ms in another minutes later). A Brian2 that fails
    (no compiler, a broken install) goes to `peer_errors` and the rounds are run again without it."""
    variants = {"cuba": (sys.executable, HERE / "cuba.py", ()),
                "cuba_stdp": (sys.executable, HERE / "cuba.py", ("--stdp",))}
    brian2 = (py, HERE / "peers" / "brian2_cuba.py", ("--target", "cpp_standalone"))
    print(f"CUBA in snnlib, float32 state, without and with pair STDP on its excitatory synapses"
          f"{', and in Brian2 cpp_standalone (its first run ever compiles for minutes)' if py else ''}, "
          f"{rounds} alternated rounds ...", flush=True)
    if py is not None:
        try:
            results.update(alternated({**variants, BRIAN2_ROUNDS: brian2}, rounds,
                                      {"cuba": keys, "cuba_stdp": keys, BRIAN2_ROUNDS: BRIAN2_KEYS}))
            return
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            if brian2[1].name not in str(exc):       # snnlib's own failure stops the suite, as before
                raise
            results.setdefault("peer_errors", {})[BRIAN2_ROUNDS] = str(exc)[-500:]
            print(f"  Brian2 failed: {str(exc)[-300:]}\n  the rounds again without Brian2 ...", flush=True)
    results.update(alternated(variants, rounds, keys))


def run_scaling(peers_py, large: bool, results: dict, threads_rounds: int = 15) -> str:
    """CUBA at k = 1, 4, 16 (64 with --large): one snnlib run and one Brian2 run per size, in the same
    sweep, so their ratios share the machine's load (recorded per run); 1 and 2 threads alternated, in
    `threads_rounds` rounds at the judged size (k = 16) and 3 at the others. Returns the table."""
    import scaling

    ks = scaling.SCALES + ((scaling.LARGE,) if large else ())
    records, brian, threads = {}, {}, {}
    for k in ks:
        print(f"scaling: CUBA x {k} in snnlib ...", flush=True)
        records[k], _ = run_json(sys.executable, HERE / "scaling.py", "--scale", str(k))
        if (os.cpu_count() or 1) > 1:
            print(f"scaling: CUBA x {k} in snnlib on 1 and 2 threads, alternated ...", flush=True)
            # from k = 16 (the 64,000 neurons of the target) beside the machine's ceiling (twins.py). More rounds
            # at the judged size: on this VM the 2-thread loop drops to 1.0-1.4x for seconds at a time, when the
            # VM gives two processes less than two cores and when its vCPUs are placed far apart (benchmarks/
            # README.md, sessions 14 and 15): a median of 3 rounds lands in such a stretch about one run in four
            rounds = threads_rounds if k == scaling.JUDGED else 3
            threads[k], _ = run_json(sys.executable, HERE / "scaling.py", "--scale", str(k), "--threads-ab",
                                     "--threads", "2", "--rounds", str(rounds), "--duration", "0.5",
                                     *(["--ceiling"] if k >= 16 else []))
        if peers_py is not None:
            print(f"scaling: CUBA x {k} in Brian2 cpp_standalone (compiles once per size) ...", flush=True)
            try:
                brian[k], _ = run_json(peers_py, HERE / "peers" / "brian2_scaling.py", "--scale", str(k))
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                results.setdefault("peer_errors", {})[f"brian2_scaling_k{k}"] = str(exc)[-500:]
    results["scaling"] = {f"k{k}": rec for k, rec in records.items()}
    if brian:
        results["scaling_brian2"] = {f"k{k}": rec for k, rec in brian.items()}
    if threads:
        results["scaling_threads"] = {f"k{k}": rec for k, rec in threads.items()}
    return scaling.table(records, brian, threads)


def machine() -> dict:
    """Where the numbers came from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime())}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per benchmark after a warm-up")
    parser.add_argument("--stdp-rounds", type=int, default=9,
                        help="alternated rounds of CUBA, CUBA+STDP and Brian2 cpp_standalone (at least --repeats)")
    parser.add_argument("--no-peers", action="store_true", help="skip Brian2/Nengo even if installed")
    parser.add_argument("--no-widgets", action="store_true", help="skip the lesson widget latencies")
    parser.add_argument("--no-classroom", action="store_true", help="skip the class hub (classroom.py)")
    parser.add_argument("--setup-peers", action="store_true", help="create .venv-peers from the peers extra")
    parser.add_argument("--setup-only", action="store_true", help="only create .venv-peers (make peers)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling table (CUBA at k = 1, 4, 16)")
    parser.add_argument("--large", action="store_true", help="add k = 64 (256,000 neurons) to the scaling table")
    parser.add_argument("--threads-rounds", type=int, default=15,
                        help="alternated rounds of 1 and 2 threads at 64,000 neurons (the judged speed-up; other "
                             "sizes run 3)")
    parser.add_argument("--peers-venv", type=Path, default=PEERS_VENV,
                        help="the peers environment to use (default .venv-peers; e.g. another worktree's)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.threads_rounds < 1:
        parser.error(f"--threads-rounds must be at least 1, got {args.threads_rounds}")

    if args.setup_peers or args.setup_only:
        setup_peers()
        print(f"{PEERS_VENV} is ready: make bench now compares with Brian2", flush=True)
        if args.setup_only:
            return 0
    results: dict = {"machine": machine(), "load_before": os.getloadavg()}
    print(f"benchmarks on {results['machine']['cpu']} ({results['machine']['cores']} cores), "
          f"load average {results['load_before'][0]:.2f}", flush=True)

    keys = ("run_s", "run_cpu_s", "build_s", "total_s")
    py = None if args.no_peers else peers_python(args.peers_venv)
    cuba_rounds(py, max(args.repeats, args.stdp_rounds), keys, results)
    # cuba_f64.*: Simulator's default precision
    print("CUBA in snnlib, float64 state ...", flush=True)
    results["cuba_f64"] = repeated(sys.executable, HERE / "cuba.py", "--precision", "float64",
                                   repeats=args.repeats, keys=keys)
    for key in ("cuba", "cuba_f64"):
        results[key]["events_per_s"] = results[key]["synaptic_events"] / results[key]["run_s"]
    print("kernel start-up: first compile of a structure, cached load in a fresh process ...", flush=True)
    comp, _ = run_json(sys.executable, HERE / "compile.py")
    results.update(comp)

    if py is not None:
        # a peer that fails (no compiler, a broken install) is reported, and the rest of the suite runs.
        # cpp_standalone ran in the rounds above; the runtime target is not judged: a block of its own
        print("CUBA in Brian2 (runtime; the first run ever compiles for minutes) ...", flush=True)
        try:
            results["brian2_runtime"] = repeated(py, HERE / "peers" / "brian2_cuba.py", "--target", "runtime",
                                                 repeats=args.repeats, keys=BRIAN2_KEYS)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            results.setdefault("peer_errors", {})["brian2_runtime"] = str(exc)[-500:]
            print(f"  failed: {str(exc)[-300:]}", flush=True)
        print("CUBA in Nengo (numpy reference simulator, one run) ...", flush=True)
        try:
            nengo_rec, wall = run_json(py, HERE / "peers" / "nengo_cuba.py")
            nengo_rec["process_s"] = wall
            results["nengo"] = nengo_rec
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            results.setdefault("peer_errors", {})["nengo"] = str(exc)[-500:]
            print(f"  failed: {str(exc)[-300:]}", flush=True)
    elif not args.no_peers:
        print("peers: .venv-peers not found (make peers creates it): Brian2 comparison skipped", flush=True)

    scaling_table = None
    if not args.no_scaling:
        scaling_table = run_scaling(py if not args.no_peers else None, args.large, results,
                                    args.threads_rounds)

    print("latency: import, cold start, small network ...", flush=True)
    lat, _ = run_json(sys.executable, HERE / "latency.py", "--repeats", str(max(3, args.repeats)))
    results.update(lat)

    if not args.no_widgets:
        print("lesson widgets ...", flush=True)
        widgets, _ = run_json(sys.executable, HERE / "widgets.py")
        results["widgets_ms"] = widgets["median_ms"]
        results["widgets_cpu_ms"] = widgets["cpu_ms"]
        results["widgets_draw_ms"] = widgets["draw_ms"]
        results["widgets_png_ms"] = widgets["png_ms"]
        results["widgets_errors"] = widgets["errors"]

    classroom_table = None
    if not args.no_classroom:
        print("classroom: a class on the one-machine hub (needs make hub-setup; about 10-20 min) ...", flush=True)
        import classroom

        results["classroom"], _ = run_json(sys.executable, HERE / "classroom.py", timeout=7200)
        classroom_table = classroom.table(results["classroom"])

    results["load_after"] = os.getloadavg()
    results["ratios"] = report.ratios(results)
    args.output.write_text(json.dumps(report.flatten(results), indent=1, sort_keys=True) + "\n")
    print()
    print(report.table(results))
    if scaling_table:
        print()
        print(scaling_table)
    if classroom_table:
        print()
        print(classroom_table)
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
