"""Modulators: a value from a function of time or from activity, acting on a population's gain, bias or threshold
(snnlib/model/modulators.py, snnlib/sim/modulators.py)."""

import numpy as np
import pytest

from modulation_models import J_LIF, LEVELS, SCALE, catalogue_modulated, level, lif_modulated
from nojit import run_without_jit
import snnlib as snn

T, DT = 1.0, 1e-4


@pytest.fixture(scope="module")
def lif_run():
    return lif_modulated(T=T, dt=DT)


def _isi_rates(spikes, n, t0, t1):
    """Per neuron: 1 / mean inter-spike interval of its spikes in [t0, t1) (0 with fewer than 2 spikes)."""
    times, neurons = np.array(spikes[0]), np.array(spikes[1])
    out = np.zeros(n)
    for i in range(n):
        t = times[(neurons == i) & (times >= t0) & (times < t1)]
        out[i] = 1.0 / np.mean(np.diff(t)) if len(t) > 2 else 0.0
    return out


@pytest.mark.parametrize("parameter", ["gain", "bias", "threshold"])
def test_modulated_lif_rate_equals_the_rate_formula_at_the_modulated_parameter(lif_run, parameter):
    """Exact LIF integration: the steady-state rate under modulator level m is LIF.rates at the input
    (1 + k m) J (gain), J + k m (bias), or with threshold 1 + k m, in each half of the run."""
    k = SCALE[parameter]
    for half, m in enumerate(LEVELS):
        if parameter == "gain":
            expected = snn.LIF().rates(J_LIF * (1 + k * m))
        elif parameter == "bias":
            expected = snn.LIF().rates(J_LIF + k * m)
        else:
            expected = snn.LIF(v_th=1 + k * m).rates(J_LIF)
        got = _isi_rates(lif_run[parameter], len(J_LIF), half * T + 0.1, (half + 1) * T)
        assert np.allclose(got, expected, rtol=2e-3, atol=0), (parameter, m, got, expected)
    if parameter == "threshold":            # the raised threshold silences the weakest neuron: a real change
        assert _isi_rates(lif_run[parameter], len(J_LIF), T + 0.1, 2 * T)[0] == 0


def test_time_modulator_value_is_the_function_at_each_step_start(lif_run):
    steps = int(round(2 * T / DT))
    assert np.array_equal(lif_run["m"], level(np.arange(steps) * DT, T))


def test_filtered_time_modulator_equals_a_numpy_replay(lif_run):
    """With tau: m <- a m + (1 - a) f(t_s), a = exp(-dt / tau), unit DC gain."""
    steps = int(round(2 * T / DT))
    a = np.exp(-DT / 0.02)
    f = np.sin(2 * np.pi * 3.0 * np.arange(steps) * DT)
    m, expected = 0.0, np.zeros(steps)
    for s in range(steps):
        m = a * m + (1.0 - a) * f[s]
        expected[s] = m
    assert np.allclose(lif_run["filt"], expected, rtol=0, atol=1e-12)
    assert np.ptp(expected) > 1.0


def test_activity_modulator_equals_a_numpy_replay_of_the_filtered_spikes(lif_run):
    """After each step's spikes: m <- a m + (1 - a) / dt * sum_i w_i s_i (unit area); its mean is sum_i w_i r_i."""
    steps = int(round(2 * T / DT))
    w = np.array([0.5, -1.0, 0.25, 2.0])
    a = np.exp(-DT / 0.05)
    times, neurons = np.array(lif_run["src"][0]), np.array(lif_run["src"][1])
    step_of = np.round(times / DT).astype(int) - 1                 # spikes are recorded at their step's end
    drive = np.zeros(steps)
    np.add.at(drive, step_of, w[neurons] * ((1.0 - a) / DT))
    m, expected = 0.0, np.zeros(steps)
    for s in range(steps):
        m = a * m + drive[s]
        expected[s] = m
    assert np.allclose(lif_run["act"], expected, rtol=0, atol=1e-9)
    assert len(times) > 100
    mean_expected = snn.LIF().rates(J_LIF + 1.0) @ w
    assert np.mean(lif_run["act"][steps // 4:]) == pytest.approx(mean_expected, rel=0.02)


@pytest.mark.parametrize("parameter", ["gain", "bias", "threshold"])
def test_modulation_equals_the_same_change_made_by_hand_for_every_catalogue_model(parameter):
    """Gain and bias act on the input of every neuron model, threshold on those with a threshold parameter:
    the spikes are identical to a population whose drive (or threshold) was changed by hand."""
    got = catalogue_modulated(parameter)
    if parameter == "threshold":
        assert "izhikevich" not in got
    for name, (mod, ref) in got.items():
        assert len(mod[0]) > 0, name
        assert mod == ref, name


def test_threshold_of_a_model_without_one_is_refused():
    net = snn.Network(seed=0)
    izh = net.population(2, snn.Izhikevich())
    m = net.modulator(0.5)
    with pytest.raises(ValueError, match="threshold.*Izhikevich has no threshold"):
        net.modulate(izh, "threshold", m)


def test_same_run_with_and_without_the_jit():
    here = lif_modulated(T=0.2, dt=DT)
    assert run_without_jit("modulation_models", "lif_modulated(T=0.2, dt=1e-4)") == here


def test_any_chunk_size_gives_the_same_run():
    assert lif_modulated(T=0.2, dt=DT, chunk_steps=7) == lif_modulated(T=0.2, dt=DT)


def _net(scale=0.4, tau=0.1, weights=None, fn=None, parameter="gain"):
    net = snn.Network(seed=0)
    pop = net.population(3, snn.LIF(), bias=1.5)
    src = net.poisson(5, rate=10.0)
    m = net.modulator(fn or (lambda t: 0.5 + 0 * t), tau=tau)
    a = net.modulator(src, tau=tau, weights=weights)
    net.modulate(pop, parameter, m, scale=scale)
    net.modulate(pop, parameter, a, scale=scale)
    net.probe(m)
    return net


def test_moving_a_slider_does_not_change_the_structure_key():
    """scale, tau, weights and the function are data: the same kernel source, so no recompilation."""
    from snnlib.sim import codegen

    def source(net):
        return codegen.generate(snn.Simulator(net, dt=1e-3)._layout)

    base = source(_net())
    assert source(_net(scale=[1.0, -2.0, 3.0], tau=0.3, weights=np.arange(5.0), fn=np.sin)) == base
    assert source(_net(parameter="bias")) != base          # a different kind of modulation is structure
    assert "mods.vals" not in source(snn.Network(seed=0))   # networks without modulators: no modulator code


@pytest.mark.parametrize("make, error, words", [
    (lambda net, pop, m: net.modulate(pop, "gian", m), ValueError, "parameter must be one of 'gain'"),
    (lambda net, pop, m: net.modulate(pop, "gain", m, scale=np.ones(3)), ValueError, "scale has shape"),
    (lambda net, pop, m: net.modulate(pop, "gain", m, scale=np.nan), ValueError, "scale must contain only finite"),
    (lambda net, pop, m: net.modulate(pop, "gain", 0.5), TypeError, "modulator must be a Modulator"),
    (lambda net, pop, m: net.modulate(pop, "gain", snn.Network().modulator(1.0)), TypeError, "of this network"),
    (lambda net, pop, m: net.modulate("pop", "gain", m), ValueError, "pop must be a population"),
    (lambda net, pop, m: net.modulator("dopamine"), TypeError, "source must be a function of time"),
    (lambda net, pop, m: net.modulator(lambda t: 1.0 if t > 1 else 0.0), TypeError, "np.where"),
    (lambda net, pop, m: net.modulator(lambda t: np.ones((len(t), 2))), ValueError, "one number per time"),
    (lambda net, pop, m: net.modulator(lambda t: t / 0), ValueError, "non-finite"),
    (lambda net, pop, m: net.modulator(pop), ValueError, "tau .s. is needed"),
    (lambda net, pop, m: net.modulator(pop, tau=0.1, weights=[1.0, 2.0]), ValueError, "weights has shape"),
    (lambda net, pop, m: net.modulator(1.0, weights=[1.0]), ValueError, "weights is only for"),
    (lambda net, pop, m: net.modulator(1.0, tau=-1.0), ValueError, "tau must be > 0"),
    (lambda net, pop, m: net.modulator(snn.Network().population(2), tau=0.1), ValueError, "not a population or source of this network"),
])
def test_bad_arguments_get_clear_errors(make, error, words):
    net = snn.Network(seed=0)
    pop = net.population(4, snn.LIF())
    m = net.modulator(0.5)
    with np.errstate(all="ignore"), pytest.raises(error, match=words):
        make(net, pop, m)


def test_a_modulator_time_constant_not_above_dt_is_refused():
    net = snn.Network(seed=0)
    net.modulator(np.sin, tau=1e-4)
    with pytest.raises(ValueError, match="modulator 'modulator0': tau"):
        snn.Simulator(net, dt=1e-3)
