"""The parallel loop's persistent threads (snnlib.sim.codegen_parallel, session 8): a network whose delivery is
fused runs ONE parallel region per call of the loop, in which the main thread runs the steps and publishes each
step's partitions, and the other threads claim them (compare-and-swap on shared words: snnlib.sim.jit's sync
intrinsics); a plastic network keeps a fork/join per step. Whichever thread runs a partition, the results are
the single-thread loop's, also when no other thread ever comes (the main thread then claims every partition).
Speed is measured in benchmarks/scaling.py (--threads-ab), not here."""

import json

import numpy as np

import snnlib as snn
from nojit import run_in_subprocess
from snnlib.sim import codegen, codegen_parallel, codegen_persistent, jit
from test_threads import cuba_net, run_cuba


def test_sync_intrinsics_claim_once_publish_and_compile_to_atomics():
    """sync_claim wins once per expected value (the partition's claim), sync_store / sync_load round-trip, relax
    returns after spinning and after yielding; compiled, they are LLVM atomics (cmpxchg, acquire load, release
    store), the pause hint and a call of sched_yield. The plain-Python versions (no JIT) agree."""
    import numba

    def body(a):
        first = jit.sync_claim(a, 8, 0, 1)
        second = jit.sync_claim(a, 8, 0, 1)          # already claimed: the other thread lost
        next_ = jit.sync_claim(a, 8, 1, 2)
        jit.sync_store(a, 0, 7)
        for k in range(jit.SPIN_PAUSES + 3):         # spins, then yields
            jit.relax(k)
        return first, second, next_, jit.sync_load(a, 0), a[8]

    compiled = numba.njit(body)
    expected = (True, False, True, 7, 2)
    assert compiled(np.zeros(16, np.int64)) == expected
    llvm = compiled.inspect_llvm(compiled.signatures[0])
    for piece in ("cmpxchg", "load atomic", "acquire", "store atomic", "release", "@llvm.x86.sse2.pause",
                  "@sched_yield"):
        assert piece in llvm, piece
    a = np.zeros(16, np.int64)
    plain = (jit._py_claim(a, 8, 0, 1), jit._py_claim(a, 8, 0, 1), jit._py_claim(a, 8, 1, 2))
    jit._py_store(a, 0, 7)
    jit._py_relax(0)
    assert plain + (jit._py_load(a, 0), a[8]) == expected


def test_fused_network_keeps_its_threads_for_the_call_a_plastic_one_forks_per_step():
    """CUBA (fused delivery): one prange in the whole kernel (`loop`'s, around `main_` and `twork_`), the
    steps' partitions published and claimed; CUBA with STDP: a fork/join per step as before."""
    fused = snn.Simulator(cuba_net()[0], dt=1e-4, threads=2)
    src = codegen.generate(fused._layout)
    assert src.count("prange(") == 1 and "def main_(" in src and "def twork_(" in src
    assert "sync_claim(" in src and f"sync_store(pp_sync, {jit.SYNC_SEQ}, -1)" in src
    assert codegen_persistent.persistent(fused._layout)
    plastic = snn.Simulator(cuba_net(extras=True)[0], dt=1e-4, threads=2)
    src = codegen.generate(plastic._layout)
    assert "def twork_(" not in src and "sync_claim(" not in src and src.count("prange(") >= 2
    assert not codegen_persistent.persistent(plastic._layout)


def _alone():
    """CUBA on 2 partitions with ONE numba thread (cores() says 1): the main thread must claim and run both."""
    import numba

    codegen_parallel.cores = lambda: 1
    counts, original = [], numba.set_num_threads

    def record(n):
        counts.append(n)
        original(n)

    numba.set_num_threads = record
    two = run_cuba(2, "float32", t=0.03)
    return dict(two=two, numba_threads=counts[0])


def test_the_main_thread_runs_every_partition_when_no_other_thread_comes():
    """With fewer running threads than partitions (here one), the main thread claims the partitions nobody
    claimed and the run is the single-thread one; it never waits for a partition no thread has taken (in a
    subprocess with a time-out: a loop that waited would hang, not fail)."""
    got = run_in_subprocess("test_threads_persistent", "_alone()", 900, NUMBA_NUM_THREADS="2")
    assert got["numba_threads"] == 1
    one = json.loads(json.dumps(run_cuba(1, "float32", t=0.03)))
    assert one["counts"]["spikes"] > 100 and got["two"] == one


def _raising(which, plastic=False):
    """A plug-in neuron whose step raises ValueError once a chosen neuron's drive is above 0.85 and its voltage
    above 0.5 (`which`: the first neuron, the last, or every one; from about step 56), 2,000 of them on 2
    threads, with STDP on their connection if `plastic` (the fork/join loop); (error type, message), and
    whether the simulator, reset, then runs 40 steps (before any neuron raises) as the one-thread loop does."""
    from toy_models import raising_pif

    cls = raising_pif(v_above=0.5)
    bias = {"first": [0.9] + [0.8] * 1999, "last": [0.8] * 1999 + [0.9], "all": [0.9] * 2000}[which]
    net = snn.Network(seed=1)
    a = net.population(2000, cls(tau=0.01), bias=bias)
    rule = snn.STDP(a_plus=1e-5, a_minus=1e-5, w_min=0.0, w_max=0.01) if plastic else None
    net.connect_random(a, a, p=0.01, weight=0.001, plasticity=rule)
    sims = [snn.Simulator(net, dt=1e-4, threads=n) for n in (2, 1)]
    persistent = codegen_persistent.persistent(sims[0]._layout) if jit.JIT_ENABLED else None
    got = dict(type=None, message="", persistent=persistent)
    try:
        sims[0].run(0.05)
    except Exception as err:       # noqa: BLE001 (the test looks at which error it is)
        got.update(type=type(err).__name__, message=str(err))
    states = []
    for sim in sims:        # usable after the error: reset, 40 steps (v < 0.4: nothing raises)
        sim.reset()
        sim.run(0.004)
        states.append([sim._v.tolist(), sim.counts, sim._w.tolist() if plastic else []])
    got["usable"] = states[0] == states[1] and states[0][1]["spikes"] == 0 and states[0][0][0] > 0.25
    return got


def _raising_rule(which):
    """A plastic connection whose learning rule (tests/toy_models.RaisingSTDP, a plug-in) raises in its
    presynaptic update (on_pre) at the synapses of positive weight: one spike source at 2 ms onto 2,000 neurons
    on 2 threads (thread 0 owns the slots of neurons 0-999, thread 1 the rest), positive weights onto the first
    neuron, the last, or every one (`which`); the others have weight 0 (their on_pre runs, as STDP's). (error
    type, message), and whether the simulator, reset, then runs the 10 steps before the spike as the
    one-thread loop does."""
    from toy_models import RaisingSTDP

    n = 2000
    w = np.zeros((n, 1))
    w[{"first": [0], "last": [n - 1], "all": slice(None)}[which]] = 0.01
    net = snn.Network(seed=1)
    src = net.spike_times(1, [0.002])
    a = net.population(n, snn.LIF(), bias=0.5)
    net.connect(src, a, weights=w, plasticity=RaisingSTDP(a_plus=1e-4, a_minus=1e-4, w_min=0.0, w_max=0.1))
    sims = [snn.Simulator(net, dt=1e-4, threads=k) for k in (2, 1)]
    got = dict(type=None, message="", persistent=codegen_persistent.persistent(sims[0]._layout))
    try:
        sims[0].run(0.005)
    except Exception as err:       # noqa: BLE001 (the test looks at which error it is)
        got.update(type=type(err).__name__, message=str(err))
    states = []
    for sim in sims:        # usable after the error: reset, 10 steps (before the spike: nothing raises)
        sim.reset()
        sim.run(0.001)
        states.append([sim._v.tolist(), sim._w.tolist(), sim.counts])
    got["usable"] = states[0] == states[1] and states[0][0][0] > 0.0
    return got


def _raising_runs(cases, timeout=600, call="_raising"):
    """`call(*args)` (a function of this module, `_raising` unless said) for each (*args, no_jit) case, each in a
    fresh subprocess with a time-out (a thread left waiting would hang, not fail): the results, in order."""
    return [run_in_subprocess("test_threads_persistent", f"{call}{tuple(case[:-1])!r}", timeout,
                              NUMBA_NUM_THREADS="2", **({"NUMBA_DISABLE_JIT": "1"} if case[-1] else {}))
            for case in cases]


def test_a_model_that_raises_in_one_thread_stops_every_thread_with_a_clear_error():
    """A plug-in's exception in any thread (the main thread's partition, the other's, both) ends the region:
    the others are told to return instead of waiting for it forever, and the simulator raises
    ThreadedLoopError saying to run on one thread to see the message (numba cannot pass the exception across
    threads). Without the JIT the threads run one after the other and the plug-in's own ValueError arrives.
    In subprocesses with a time-out: a thread left waiting would hang, not fail."""
    cases = [("first", False, False), ("last", False, False), ("all", False, False), ("last", False, True)]
    for (which, _, no_jit), got in zip(cases, _raising_runs(cases)):
        assert got["usable"], (which, got)
        if no_jit:
            assert (got["type"], got["message"]) == ("ValueError", "raised by the plug-in")
        else:
            assert got["persistent"] is True
            assert got["type"] == "ThreadedLoopError", (which, got)
            assert "Simulator(..., threads=1) to see it" in got["message"]


def test_a_model_that_raises_in_a_plastic_threaded_network_gives_the_same_clear_error():
    """A plastic network keeps a fork/join per step (no persistent threads): a plug-in's exception in one
    thread's partition used to leave numba's prange (silently lost, or numba's SystemError "returned a result
    with an exception set"); each partition runs through a guard that marks the failure, and once the threads
    have joined the loop raises ThreadedLoopError. The simulator is usable after it (reset, then the same
    steps as one thread), and without the JIT the plug-in's own ValueError arrives."""
    cases = [("first", True, False), ("last", True, False), ("all", True, False), ("last", True, True)]
    for (which, _, no_jit), got in zip(cases, _raising_runs(cases)):
        assert got["usable"], (which, got)
        if no_jit:
            assert (got["type"], got["message"]) == ("ValueError", "raised by the plug-in")
        else:
            assert got["persistent"] is False
            assert got["type"] == "ThreadedLoopError", (which, got)
            assert "Simulator(..., threads=1) to see it" in got["message"]


def test_a_learning_rule_that_raises_in_the_threaded_delivery_gives_the_same_clear_error():
    """A plastic network's spike delivery runs in a fork/join of its own, each thread delivering to the slots it
    owns and running the rule's presynaptic update (on_pre, a plug-in) on those synapses: an exception there
    used to leave numba's prange (lost, or numba's SystemError); each thread's delivery runs through a guard,
    and the loop raises ThreadedLoopError once the threads have joined, whichever thread raised (the calling
    thread's partition, the worker's, both). The simulator is usable after it, and without the JIT the rule's
    own ValueError arrives."""
    cases = [("first", False), ("last", False), ("all", False), ("last", True)]
    for (which, no_jit), got in zip(cases, _raising_runs(cases, call="_raising_rule")):
        assert got["usable"], (which, got)
        assert got["persistent"] is False
        if no_jit:
            assert (got["type"], got["message"]) == ("ValueError", "raised by the plug-in rule")
        else:
            assert got["type"] == "ThreadedLoopError", (which, got)
            assert "Simulator(..., threads=1) to see it" in got["message"]
