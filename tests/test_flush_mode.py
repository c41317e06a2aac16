"""The serial float32 loop under the CPU's flush-to-zero mode (snnlib.sim.jit.flush_on, codegen.flush_mode;
session 9): compiled on x86-64 the generated pass no longer flushes decayed synaptic currents itself, the
loop sets MXCSR's FTZ bit instead and writes the caller's MXCSR back before it returns, also when a model
function raises. Without the JIT the pass keeps its explicit flush: spikes, voltages and summed currents must
be the same bits both ways; the one visible difference is the sign of a flushed negative synaptic state
(-0.0 under FTZ, +0.0 flushed explicitly), which no computed quantity sees. Speed: benchmarks/README.md."""

import numpy as np
import pytest

import snnlib as snn
from nojit import run_without_jit
from snnlib.sim import codegen, jit
from snnlib.units import ms

needs_ftz = pytest.mark.skipif(not jit.FLUSH_MODE, reason="flush-to-zero mode: compiled loops on x86-64 only")


def decaying_net(threads=1, precision="float32"):
    """Four LIF neurons kicked once by an excitatory and an inhibitory spike source through exponential
    synapses, then left alone for 0.5 s: both currents decay far below float32's normal range (0.5 *
    exp(-100) is 2e-44). Probes: spikes, the summed synaptic current, v."""
    net = snn.Network(seed=0)
    exc = net.spike_times(1, [0.001, 0.0012])
    inh = net.spike_times(1, [0.0015])
    pop = net.population(4, snn.LIF(), bias=[0.0, 0.5, 1.2, 2.0])
    net.connect(exc, pop, weights=0.7, synapse=snn.ExpSynapse(5 * ms))
    net.connect(inh, pop, weights=-0.9, synapse=snn.ExpSynapse(4 * ms))
    probes = [net.probe(pop, "spikes"), net.probe(pop, "current"), net.probe(pop, "voltage")]
    sim = snn.Simulator(net, dt=0.1 * ms, precision=precision, threads=threads)
    return sim, probes


def decaying_result():
    """JSON-friendly: spikes, the current and v probes as float32 bit patterns, final v bits, synaptic state
    values with their signs."""
    sim, (sp, cur, vp) = decaying_net()
    sim.run(0.5)
    bits = lambda a: np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).ravel().tolist()  # noqa: E731
    return dict(spikes=[sim.data[sp].times.tolist(), sim.data[sp].neurons.tolist()],
                current=bits(sim.data[cur]), v=bits(sim.data[vp]), v_end=bits(sim._v),
                ss=sim._I.astype(float).tolist(), ss_sign=np.signbit(sim._I).tolist())


def _ftz_bit():
    return jit.mxcsr() & jit.FTZ


@needs_ftz
def test_the_serial_float32_loop_runs_under_ftz_the_others_flush_or_need_nothing():
    """Generated source: the serial float32 loop sets FTZ and has no explicit flush; the threaded float32 loop
    (each thread has its own MXCSR) keeps the flush; float64 neither flushes nor sets FTZ."""
    def source(**kw):
        sim, _ = decaying_net(**kw)
        return codegen.generate(sim._layout), codegen.flush_mode(sim._layout, getattr(sim._layout, "parallel", False))

    serial, ftz = source()
    assert ftz and "fp_[0] = flush_on()" in serial and "TINY else zero" not in serial
    assert serial.count("flush_off(fp_[0])") == serial.count("return s") + serial.count("return n_steps") == 2
    threaded, ftz_t = source(threads=2)
    assert not ftz_t and "TINY else zero" in threaded and "flush_on()" not in threaded
    f64, ftz64 = source(precision="float64")
    assert not ftz64 and "TINY else zero" not in f64 and "flush_on()" not in f64


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


def _raising_net():
    from snnlib.model.plugin import register
    from toy_models import ToyPIF

    def bad_step(v, J, dt, tau, v_th, v_reset):
        if J > 0.85:
            raise ValueError("raised by the plug-in")
        v = v + J * dt / tau
        if v > v_th:
            return v_reset, True
        return v, False

    cls = register(type("RaisingPIF32", (ToyPIF,), {"kind": "toy_raising_pif_f32", "functions": {"step": bad_step}}))
    net = snn.Network(seed=1)
    src = net.spike_times(1, [0.002])
    a = net.population(10, cls(tau=0.01), bias=0.5)
    net.connect(src, a, weights=0.5, synapse=snn.ExpSynapse(5 * ms))
    return snn.Simulator(net, dt=1e-4, precision="float32")


@needs_ftz
def test_the_callers_mxcsr_is_back_when_a_model_function_raises_in_the_loop():
    sim = _raising_net()
    assert codegen.flush_mode(sim._layout)
    with pytest.raises(ValueError, match="raised by the plug-in"):
        sim.run(0.01)
    assert _ftz_bit() == 0
    assert np.float32(1e-38) * np.float32(0.5) != 0


def silent_v():
    """Float32 voltages of neurons left to decay from 0.5 towards v_rest = 0 (no input) for 200 membrane time
    constants: 0.5 * exp(-200) is far below float32's smallest number."""
    net = snn.Network(seed=0)
    net.population(3, snn.LIF(tau_rc=10 * ms), v_init=snn.Uniform(0.4, 0.6))
    sim = snn.Simulator(net, dt=1 * ms, precision="float32")
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
