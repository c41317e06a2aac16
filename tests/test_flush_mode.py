"""Float32 loops under the CPU's flush-to-zero mode (snnlib.sim.jit.flush_on, codegen.flush_mode; serial loop
session 9, threads session 10): compiled on x86-64 the generated pass no longer flushes decayed synaptic
currents itself; every thread that runs a part of the loop sets MXCSR's FTZ bit instead (the serial loop on
entry; in a threaded loop the calling thread and each partition's or persistent thread's guard) and writes its
own MXCSR back before it returns, also when a model function raises. Without the JIT the pass keeps its
explicit flush: spikes, voltages and summed currents must be the same bits both ways; the one visible
difference is the sign of a flushed negative synaptic state (-0.0 under FTZ, +0.0 flushed explicitly), which no
computed quantity sees. A threaded loop gives the serial loop's bits exactly, -0.0 included. Speed:
benchmarks/README.md."""

import numpy as np
import pytest

import snnlib as snn
from nojit import run_in_subprocess, run_without_jit
from snnlib.sim import codegen, codegen_parallel, jit
from snnlib.units import ms

needs_ftz = pytest.mark.skipif(not jit.FLUSH_MODE, reason="flush-to-zero mode: compiled loops on x86-64 only")
needs_threads = pytest.mark.skipif(codegen_parallel.cores() < 2, reason="one core: numba runs one thread")


def decaying_net(threads=1, precision="float32", plastic=False):
    """Four LIF neurons kicked once by an excitatory and an inhibitory spike source through exponential
    synapses, then left alone for 0.5 s: both currents decay far below float32's normal range (0.5 *
    exp(-100) is 2e-44). Probes: spikes, the summed synaptic current, v. `plastic`: STDP on the excitatory
    connection (a threaded loop then forks and joins its threads each step instead of keeping them)."""
    net = snn.Network(seed=0)
    exc = net.spike_times(1, [0.001, 0.0012])
    inh = net.spike_times(1, [0.0015])
    pop = net.population(4, snn.LIF(), bias=[0.0, 0.5, 1.2, 2.0])
    rule = snn.STDP(a_plus=0.01, a_minus=0.01, w_min=0.0, w_max=1.0) if plastic else None
    net.connect(exc, pop, weights=0.7, synapse=snn.ExpSynapse(5 * ms), plasticity=rule)
    net.connect(inh, pop, weights=-0.9, synapse=snn.ExpSynapse(4 * ms))
    probes = [net.probe(pop, "spikes"), net.probe(pop, "current"), net.probe(pop, "voltage")]
    sim = snn.Simulator(net, dt=0.1 * ms, precision=precision, threads=threads)
    return sim, probes


def decaying_result(threads=1, plastic=False):
    """JSON-friendly: spikes, the current and v probes as float32 bit patterns, final v bits, synaptic state
    values with their signs (and the weights' bits, `plastic`)."""
    sim, (sp, cur, vp) = decaying_net(threads=threads, plastic=plastic)
    sim.run(0.5)
    bits = lambda a: np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).ravel().tolist()  # noqa: E731
    return dict(spikes=[sim.data[sp].times.tolist(), sim.data[sp].neurons.tolist()],
                current=bits(sim.data[cur]), v=bits(sim.data[vp]), v_end=bits(sim._v),
                ss=sim._I.astype(float).tolist(), ss_sign=np.signbit(sim._I).tolist(),
                w=bits(sim._w) if plastic else [])


def _ftz_bit():
    return jit.mxcsr() & jit.FTZ


@needs_ftz
def test_float32_loops_run_under_ftz_in_every_thread_without_the_explicit_flush():
    """Generated source. Serial float32: the loop sets FTZ on entry and restores MXCSR before each return.
    Threaded float32 with persistent threads: the region's guard sets FTZ in each thread (the main thread's loop
    too) and restores it after the `try`, so on return and on raise; with a fork/join per step (plastic): the
    loop sets it in the calling thread and every partition's guard in its own thread. No explicit flush in any
    of them. float64 neither flushes nor sets FTZ."""
    def source(**kw):
        sim, _ = decaying_net(**kw)
        return codegen.generate(sim._layout), codegen.flush_mode(sim._layout)

    def guards(src):        # each guard's source: from its `def` to the next blank line
        return [blk.split("\n\n")[0] for blk in src.split("\ndef g")[1:]]

    serial, ftz = source()
    assert ftz and "fp_[0] = flush_on()" in serial and "TINY else zero" not in serial
    assert serial.count("flush_off(fp_[0])") == serial.count("return s") + serial.count("return n_steps") == 2
    persistent, ftz_p = source(threads=2)
    assert ftz_p and "TINY else zero" not in persistent and "fp_[0] = flush_on()" not in persistent
    (guard,) = guards(persistent)
    assert guard.startswith("uard_(") and guard.index("fp_ = flush_on()") < guard.index("try:") \
        < guard.index("except Exception:") < guard.index("flush_off(fp_)") < guard.index("return r_")
    forked, ftz_f = source(threads=2, plastic=True)
    assert ftz_f and "TINY else zero" not in forked and "fp_[0] = flush_on()" in forked
    assert forked.count("flush_off(fp_[0])") == 2
    parts = guards(forked)
    assert [g.split("(")[0] for g in parts] == ["tstep_", "tdlv_"]
    for g in parts:
        lines = [ln.strip() for ln in g.split("\n")]
        assert lines[2] == "fp_ = flush_on()" and lines[-1] == "flush_off(fp_)", g
    for kw in ({}, {"threads": 2}, {"threads": 2, "plastic": True}):
        f64, ftz64 = source(precision="float64", **kw)
        assert not ftz64 and "TINY else zero" not in f64 and "flush_on()" not in f64, kw


@needs_ftz
def test_ftz_gives_the_explicit_flush_bits_without_the_jit():
    """Under FTZ the decayed currents are zeros like the explicit flush's, and spikes, the summed current and v
    are the same bits as without the JIT (explicit flush) at every step. A flushed inhibitory state is -0.0
    under FTZ, +0.0 flushed explicitly: the summed current is `zero + c0 + c1`, so +0.0 both ways."""
    jitted = decaying_result()
    plain = run_without_jit("test_flush_mode", "decaying_result()")
    assert len(jitted["spikes"][0]) > 20
    assert jitted["ss"] == [0.0] * len(jitted["ss"]) == plain["ss"]          # -0.0 == 0.0
    assert not any(plain["ss_sign"]) and any(jitted["ss_sign"])               # the documented sign difference
    assert not any(np.signbit(np.array(jitted["current"], np.uint32).view(np.float32)[-100:]))
    for key in ("spikes", "current", "v", "v_end"):
        assert jitted[key] == plain[key], key


@needs_ftz
@needs_threads
def test_threaded_ftz_gives_the_serial_ftz_bits():
    """2 threads (persistent threads; with STDP, a fork/join per step): every thread's part runs under FTZ, so
    spikes, currents, v, weights and the synaptic state are the serial FTZ loop's bits, the -0.0 of a flushed
    inhibitory state included (a thread without FTZ would leave its neurons' currents as denormals, +0.0
    flushed explicitly). The tiny network is cut between the threads (neurons 0-1 and 2-3); a fork/join
    runs partition 1 on numba's other thread."""
    for plastic in (False, True):
        serial = decaying_result(plastic=plastic)
        assert len(serial["spikes"][0]) > 20 and any(serial["ss_sign"])
        assert decaying_result(threads=2, plastic=plastic) == serial, plastic


@needs_ftz
def test_the_callers_mxcsr_is_back_after_a_run_and_numpy_keeps_its_denormals():
    before = jit.mxcsr()
    assert before & jit.FTZ == 0
    sim, _ = decaying_net()
    sim.run(0.05)
    assert _ftz_bit() == 0
    assert np.float32(1e-38) * np.float32(0.5) != 0             # a denormal, not flushed by a leftover FTZ
    # a caller that runs under FTZ itself keeps it
    jit.restore_fp(before | jit.FTZ)
    try:
        sim.run(0.01)
        assert _ftz_bit() == jit.FTZ
    finally:
        jit.restore_fp(before)
    assert _ftz_bit() == 0


def _raising_net(threads=1, plastic=False):
    """Ten plug-in PIF neurons (tests/toy_models.raising_pif) whose step raises once a spike at 2 ms has raised
    their input above 0.85 (every neuron: on 2 threads, every thread raises); `plastic`: STDP on the
    connection."""
    from toy_models import raising_pif

    net = snn.Network(seed=1)
    src = net.spike_times(1, [0.002])
    a = net.population(10, raising_pif()(tau=0.01), bias=0.5)
    rule = snn.STDP(a_plus=1e-4, a_minus=1e-4, w_min=0.0, w_max=1.0) if plastic else None
    net.connect(src, a, weights=0.5, synapse=snn.ExpSynapse(5 * ms), plasticity=rule)
    return snn.Simulator(net, dt=1e-4, precision="float32", threads=threads)


@needs_ftz
def test_the_callers_mxcsr_is_back_when_a_model_function_raises_in_the_loop():
    sim = _raising_net()
    assert codegen.flush_mode(sim._layout)
    with pytest.raises(ValueError, match="raised by the plug-in"):
        sim.run(0.01)
    assert _ftz_bit() == 0
    assert np.float32(1e-38) * np.float32(0.5) != 0


def _probe_mxcsr():
    """A parallel region of numba's threads reading MXCSR in each: {numba thread id: MXCSR}."""
    import numba

    @numba.njit(parallel=True)
    def probe(out):
        for t in numba.prange(out.shape[0]):
            v = jit.flush_on()
            jit.flush_off(v)
            out[t, 0] = numba.get_thread_id()
            out[t, 1] = v

    out = np.full((numba.get_num_threads(), 2), -1, np.int64)
    probe(out)
    return {int(t): int(v) for t, v in out}


def threads_mxcsr():
    """The MXCSR of the calling thread and of each of numba's threads before, and after every threaded float32
    run: persistent threads and fork/join (plastic), a normal run and one where a model function raises in
    every thread; then the same with the caller under FTZ itself (and its workers still without). JSON."""
    before = dict(caller=jit.mxcsr(), workers=_probe_mxcsr())
    runs = []
    for ftz_caller in (False, True):
        for plastic in (False, True):
            for raising in (False, True):
                sim = _raising_net(threads=2, plastic=plastic) if raising else decaying_net(2, plastic=plastic)[0]
                if ftz_caller:
                    jit.restore_fp(before["caller"] | jit.FTZ)
                error = None
                try:
                    sim.run(0.05)
                except Exception as err:        # noqa: BLE001 (the test looks at which error it is)
                    error = type(err).__name__
                caller = jit.mxcsr()
                jit.restore_fp(before["caller"])
                runs.append(dict(ftz_caller=ftz_caller, plastic=plastic, raising=raising, error=error, caller=caller,
                                 workers=_probe_mxcsr()))
    return dict(before=before, runs=runs)


@needs_ftz
@needs_threads
def test_every_threads_mxcsr_is_back_after_a_threaded_run_and_after_a_raise():
    """MXCSR belongs to a thread: each of numba's threads that ran a part of a threaded float32 loop under FTZ
    must have its own MXCSR back afterwards, as the calling thread must, after a normal run and after a model
    function raised (ThreadedLoopError), with persistent threads and with a fork/join per step. Read by a
    parallel region of numba's threads after each run (in a subprocess: a thread left waiting would hang)."""
    got = run_in_subprocess("test_flush_mode", "threads_mxcsr()", 900, NUMBA_NUM_THREADS="2")
    before = got["before"]
    assert before["caller"] & jit.FTZ == 0 and len(before["workers"]) == 2
    assert all(v & jit.FTZ == 0 for v in before["workers"].values())
    for run in got["runs"]:
        assert run["error"] == ("ThreadedLoopError" if run["raising"] else None), run
        assert run["caller"] == before["caller"] | (jit.FTZ if run["ftz_caller"] else 0), run
        assert run["workers"] == before["workers"], run


def silent_v(threads=1):
    """Float32 voltages of neurons left to decay from 0.5 towards v_rest = 0 (no input) for 200 membrane time
    constants: 0.5 * exp(-200) is far below float32's smallest number."""
    net = snn.Network(seed=0)
    net.population(3, snn.LIF(tau_rc=10 * ms), v_init=snn.Uniform(0.4, 0.6))
    sim = snn.Simulator(net, dt=1 * ms, precision="float32", threads=threads)
    sim.run(2.0)
    return sim._v.astype(float).tolist()


@needs_ftz
def test_a_voltage_decaying_to_zero_stops_near_the_normal_range_under_ftz():
    """The documented difference beyond the synaptic currents: under FTZ every float32 result below the normal
    range is a zero. A voltage decaying freely towards v_rest = 0 moves by (0 - v) * a_rc a step; once that
    step is below float32's smallest normal number (tiny = 1.2e-38) it is flushed, and v stops at about
    tiny / a_rc (1.2e-37 here, a_rc = 0.095); without the JIT (IEEE denormals) v goes on into the denormals and
    stalls at a few multiples of the smallest one (7e-45). Both are 1e37 times below any threshold or drive:
    the same spikes, different bits of v."""
    tiny = float(np.finfo(np.float32).tiny)
    a_rc = -np.expm1(-0.1)
    jitted = silent_v()
    plain = run_without_jit("test_flush_mode", "silent_v()")
    assert all(tiny < v <= tiny / a_rc * 1.001 for v in jitted), jitted
    assert all(0.0 < v < 1e-44 for v in plain), plain
    if codegen_parallel.cores() >= 2:       # threads: the same stop, the same bits (neuron 0 | neurons 1-2)
        assert silent_v(threads=2) == jitted
