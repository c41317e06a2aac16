"""Stress the threaded loop's failure path (a plug-in model function that raises inside a thread): each
scenario runs in a subprocess with a time-out, many times, optionally several at once to oversubscribe the
cores. A run that does not finish in time has every thread's stack dumped (gdb, /proc) before it is killed.

Not a test (it runs for minutes): the regression tests are in tests/test_threads_persistent.py.

    nice -n 19 .venv/bin/python tools/stress_thread_failure.py --rounds 20 --jobs 3 --timeout 300 \
        --log /tmp/stress.log [--fresh-cache-every 5] [--scenarios first,last,...]

Scenario names: WHICH-WHEN[-plastic][-then][-repN] where WHICH is first / last / all (the neurons that raise) or
normal (none), WHEN is step0 (the first step) or late (about step 105); -plastic adds an STDP connection (the
fork/join path); -then runs, in the same process after the raising run, the same simulator again after reset()
(same error) and a normal network on 2 threads, checked against 1 thread; -repN repeats the run N more times
in the process (reset between; the same error each time).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def _network(which, when, plastic, threads):
    """2,000 plug-in PIF neurons (tests/toy_models.raising_pif) on `threads` threads; the chosen ones raise (at
    the first step, or once their voltage is above 0.95)."""
    import snnlib as snn
    from toy_models import raising_pif

    cls = raising_pif(v_above=None if when == "step0" else 0.95)
    n = 2000
    bias = {"first": [0.9] + [0.8] * (n - 1), "last": [0.8] * (n - 1) + [0.9], "all": [0.9] * n,
            "normal": [0.8] * n}[which]
    net = snn.Network(seed=1)
    a = net.population(n, cls(tau=0.01), bias=bias)
    rule = snn.STDP(a_plus=1e-5, a_minus=1e-5, w_min=0.0, w_max=0.01) if plastic else None
    net.connect_random(a, a, p=0.01, weight=0.001, plasticity=rule)
    probe = net.probe(a, "spikes")
    return snn.Simulator(net, dt=1e-4, threads=threads), probe


def _try_run(sim, t=0.05):
    try:
        sim.run(t)
    except Exception as err:        # noqa: BLE001 (reported)
        return f"{type(err).__name__}: {str(err)[:60]}"
    return None


def _compile_timer():
    """A dict whose "s" adds up the wall time numba spends compiling (cache misses only: a kernel loaded from
    numba's cache is not a "numba:compile" event), so a slow first run can be told from a slow failure path."""
    from numba.core import event

    total = {"s": 0.0, "depth": 0, "t0": 0.0}

    class Timer(event.Listener):
        def on_start(self, ev):
            if total["depth"] == 0:
                total["t0"] = time.time()
            total["depth"] += 1

        def on_end(self, ev):
            total["depth"] -= 1
            if total["depth"] == 0:
                total["s"] += time.time() - total["t0"]

    event.register("numba:compile", Timer())
    return total


def child(name):
    """One scenario in this process; prints a JSON line with what happened and the stage times (s)."""
    import faulthandler

    import numpy as np

    sys.path.insert(0, os.path.join(ROOT, "tests"))
    faulthandler.dump_traceback_later(float(os.environ.get("STRESS_DUMP_AFTER", "1e9")), exit=False)
    parts = name.split("-")
    which, when = parts[0], parts[1]
    plastic, then = "plastic" in parts, "then" in parts
    compiling = _compile_timer()
    t0 = time.time()
    stages = {}
    sim, _ = _network(which, when, plastic, 2)
    sim._compiled()
    stages["compiled"] = round(time.time() - t0, 2)
    print("compiled", stages["compiled"], file=sys.stderr, flush=True)
    out = dict(error=_try_run(sim))
    stages["ran"] = round(time.time() - t0, 2)
    stages["numba_compiling"] = round(compiling["s"], 2)      # of which numba compiled (first call: the loop)
    reps = [int(p[3:]) for p in parts if p.startswith("rep")]
    if reps:            # the same run again and again in this process (reset between): the error each time
        errors = set()
        for _ in range(reps[0]):
            sim.reset()
            errors.add(_try_run(sim))
        out["repeats"] = sorted(map(str, errors))
        stages["repeated"] = round(time.time() - t0, 2)
    if then:
        sim.reset()
        out["again"] = _try_run(sim)
        one, p1 = _network("normal", when, plastic, 1)
        two, p2 = _network("normal", when, plastic, 2)
        one.run(0.05)
        two.run(0.05)
        s1, s2 = one.data[p1], two.data[p2]
        out["normal_same"] = bool(len(s1.times) > 100 and np.array_equal(s1.times, s2.times)
                                  and np.array_equal(s1.neurons, s2.neurons))
        stages["then"] = round(time.time() - t0, 2)
    out["stages"] = stages
    out["cpu"] = round(time.process_time(), 1)        # all threads: a starved child has little, a spinning one much
    print(json.dumps(out), flush=True)


def _expected(name, got):
    """Whether a finished child's result is the right one."""
    which, plastic = name.split("-")[0], "plastic" in name
    err = got.get("error")
    if which == "normal":
        ok = err is None
    else:
        ok = err is not None and (err.startswith("ThreadedLoopError") or err.startswith("ValueError"))
    if "then" in name:
        ok = ok and got.get("again") == err and got.get("normal_same") is True
    if "repeats" in got:
        ok = ok and got["repeats"] == [str(err)]
    return ok


def _stacks(pid):
    """Every thread's native stack (gdb) and kernel state (/proc) of a hung child."""
    lines = []
    for tid in sorted(os.listdir(f"/proc/{pid}/task")):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                lines.append(f"task {tid}: {f.read().split(')')[1].split()[0]} (state)")
            with open(f"/proc/{pid}/task/{tid}/wchan") as f:
                lines.append(f"  wchan {f.read()}")
        except OSError:
            pass
    try:
        gdb = subprocess.run(["gdb", "-p", str(pid), "-batch", "-ex", "thread apply all bt 30"],
                             capture_output=True, text=True, timeout=300)
        lines.append(gdb.stdout[-20000:])
    except Exception as err:        # noqa: BLE001
        lines.append(f"gdb failed: {err}")
    return "\n".join(lines)


def run_one(name, timeout, cache, log, lock, dump_after):
    env = dict(os.environ, NUMBA_NUM_THREADS="2", PYTHONPATH=ROOT, STRESS_DUMP_AFTER=str(dump_after))
    if cache:
        env["SNNLIB_CACHE_DIR"] = cache
    t0 = time.time()
    proc = subprocess.Popen([sys.executable, __file__, "--child", name], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stacks = _stacks(proc.pid)
        proc.kill()
        out, err = proc.communicate()
        rec = dict(name=name, outcome="TIMEOUT", seconds=round(time.time() - t0, 1), fresh=bool(cache),
                   stderr=err[-4000:], stacks=stacks)
    else:
        got = None
        if proc.returncode == 0 and out.strip():
            got = json.loads(out.strip().splitlines()[-1])
        ok = got is not None and _expected(name, got)
        rec = dict(name=name, outcome="ok" if ok else "WRONG", seconds=round(time.time() - t0, 1), fresh=bool(cache),
                   got=got, rc=proc.returncode, stderr="" if ok else err[-3000:])
    with lock:
        with open(log, "a") as f:
            f.write(json.dumps(rec) + "\n")
        print(rec["name"], rec["outcome"], rec["seconds"], "fresh" if cache else "", flush=True)
    return rec


ALL = ["first-step0", "last-step0", "all-step0", "first-late", "last-late", "all-late", "normal-late",
       "last-late-then", "first-step0-then", "all-late-plastic", "last-step0-plastic", "normal-late-plastic",
       "last-late-plastic-then"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--child")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--dump-after", type=float, default=1e9, help="faulthandler's Python stacks after s")
    ap.add_argument("--fresh-cache-every", type=int, default=0, help="every k-th run: an empty kernel cache")
    ap.add_argument("--scenarios", default=",".join(ALL))
    ap.add_argument("--log", default="/tmp/stress_thread_failure.log")
    a = ap.parse_args()
    if a.child:
        return child(a.child)
    names = [n for _ in range(a.rounds) for n in a.scenarios.split(",")]
    lock, queue, results = threading.Lock(), list(enumerate(names)), []

    def work():
        while True:
            with lock:
                if not queue:
                    return
                k, name = queue.pop(0)
            cache = None
            if a.fresh_cache_every and k % a.fresh_cache_every == 0:
                cache = tempfile.mkdtemp(prefix="stress-cache-")
            results.append(run_one(name, a.timeout, cache, a.log, lock, a.dump_after))

    pool = [threading.Thread(target=work) for _ in range(a.jobs)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    bad = [r for r in results if r["outcome"] != "ok"]
    print(f"{len(results)} runs, {len(bad)} not ok: {[(r['name'], r['outcome']) for r in bad]}")


if __name__ == "__main__":
    main()
