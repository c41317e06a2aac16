"""The neuron catalogue (adaptive LIF, Izhikevich, AdEx) run in the generated kernel, checked against closed
forms and the published firing patterns."""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

import snnlib as snn
from snnlib.analysis import firing_patterns as fp
from snnlib.neurons import adex, izhikevich


def spikes_of(neurons, drive, t_stop, dt, t_on=0.0):
    """Spike times (s, one list per neuron model) of one neuron per model under a step drive from t_on."""
    net = snn.Network(seed=1)
    pops = [net.population(1, m) for m in neurons]
    for p, J in zip(pops, drive):
        net.input(p, snn.Step(t_on, J))
    probes = [net.probe(p, "spikes") for p in pops]
    sim = snn.Simulator(net, dt=dt)
    sim.run(t_stop)
    return [sim.data[p].times for p in probes]


def test_izhikevich_presets_give_the_papers_five_patterns():
    """Izhikevich (2003), Fig. 2, at the paper's input I = 10: RS, IB, CH, FS and LTS, named from the spikes.
    All five populations are one merged group in the kernel."""
    names = sorted(izhikevich.PRESETS)
    trains = spikes_of([snn.Izhikevich(preset=n) for n in names], [10.0] * 5, 1.0, 1e-4, t_on=0.1)
    assert [fp.classify(t) for t in trains] == names


@pytest.mark.parametrize("dt", [5e-5, 2.5e-4])
def test_izhikevich_patterns_hold_at_other_time_steps(dt):
    names = sorted(izhikevich.PRESETS)
    trains = spikes_of([snn.Izhikevich(preset=n) for n in names], [10.0] * 5, 1.0, dt, t_on=0.1)
    assert [fp.classify(t) for t in trains] == names


def test_izhikevich_rest_is_the_fixed_point_of_its_equations():
    """Without input v settles where 0.04 v^2 + 5 v + 140 - b v = 0 (u = b v): about -70 mV for RS."""
    net = snn.Network(seed=0)
    pop = net.population(1, snn.Izhikevich(preset="RS"))
    vp = net.probe(pop, "voltage")
    sim = snn.Simulator(net, dt=1e-4)
    sim.run(2.0)
    b = 0.2
    v_rest = (-(5 - b) - math.sqrt((5 - b) ** 2 - 4 * 0.04 * 140)) / (2 * 0.04)     # the stable root, mV
    assert sim.data[vp][-1, 0] * 1000 == pytest.approx(v_rest, abs=1e-6)


def test_adex_presets_give_naud_2008_patterns():
    """Naud et al. (2008), Table 1, with their step currents: tonic (no adaptation: named FS here), adapting
    (RS), initial burst (IB) and regular bursting (CH)."""
    names = ["tonic", "adapting", "initial_burst", "bursting"]
    models = [snn.AdEx(preset=n) for n in names]
    drive = [snn.AdEx.preset_current(n) / m.g_L for n, m in zip(names, models)]     # J = I / g_L (V)
    trains = spikes_of(models, drive, 0.6, 1e-4)
    assert [fp.classify(t) for t in trains] == ["FS", "RS", "IB", "CH"]


def test_adex_settles_at_the_subthreshold_fixed_point():
    """Below rheobase v and w settle where both derivatives vanish: w = a (v - E_L) and
    g_L (v - E_L) - g_L dT exp((v - V_T)/dT) + a (v - E_L) = g_L J."""
    m = snn.AdEx()                                  # Brette & Gerstner 2005 defaults
    J = 0.010                                       # 10 mV of drive: 0.3 nA, below rheobase
    net = snn.Network(seed=0)
    pop = net.population(1, m, bias=J)
    vp, sp = net.probe(pop, "voltage"), net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=1e-4)
    sim.run(3.0)
    f = lambda v: m.g_L * (v - m.E_L) - m.g_L * m.delta_T * math.exp((v - m.V_T) / m.delta_T) \
        + m.a * (v - m.E_L) - m.g_L * J
    v_star = brentq(f, m.E_L, m.V_T)
    assert len(sim.data[sp].times) == 0
    assert sim.data[vp][-1, 0] == pytest.approx(v_star, abs=1e-7)


def test_adaptive_lif_without_adaptation_is_the_lif_spike_for_spike():
    lif = spikes_of([snn.LIF()], [1.5], 1.0, 1e-3)[0]
    alif = spikes_of([snn.AdaptiveLIF(inc_n=0.0)], [1.5], 1.0, 1e-3)[0]
    assert np.array_equal(lif, alif) and len(lif) > 30


def test_adaptive_lif_starts_at_the_lif_rate_and_settles_at_the_adapted_rate():
    """First spike from rest at the LIF's first-passage time tau ln(J / (J - 1)); the steady rate solves
    r = LIF.rates(J - inc_n r) (mean adaptation inc_n r, Nengo's convention)."""
    m = snn.AdaptiveLIF(tau_n=0.2, inc_n=0.02)
    J, dt = 2.0, 1e-4
    times = spikes_of([m], [J], 3.0, dt)[0]
    assert times[0] == pytest.approx(m.tau_rc * math.log(J / (J - 1)), abs=dt)
    late = times[times > 2.0]
    steady = (len(late) - 1) / (late[-1] - late[0])
    assert steady == pytest.approx(float(m.adapted_rates(J)[0]), rel=0.03)
    assert 1 / (times[1] - times[0]) > 1.5 * steady          # it adapted


@pytest.mark.parametrize("make, bad, name", [
    (lambda x: snn.Izhikevich(a=x), -0.02, "a"),
    (lambda x: snn.Izhikevich(d=x), float("nan"), "d"),
    (lambda x: snn.Izhikevich(c=x), 40.0, "c"),
    (lambda x: snn.Izhikevich(preset=x), "XX", "preset"),
    (lambda x: snn.AdEx(C=x), -1e-12, "C"),
    (lambda x: snn.AdEx(tau_w=x), 0.0, "tau_w"),
    (lambda x: snn.AdEx(delta_T=x), "2 mV", "delta_T"),
    (lambda x: snn.AdEx(v_peak=x), -0.06, "v_peak"),
    (lambda x: snn.AdaptiveLIF(tau_n=x), -1.0, "tau_n"),
    (lambda x: snn.AdaptiveLIF(inc_n=x), True, "inc_n"),
])
def test_bad_parameters_are_named(make, bad, name):
    with pytest.raises((ValueError, TypeError), match=rf"^{name}\b"):
        make(bad)


def test_two_compartment_rates_follow_the_dendrite_at_steady_state():
    """Constant dendritic input J: the dendrite settles at J and the soma fires at LIF.rates(g_c A(J))."""
    m = snn.TwoCompartmentLIF(nonlinearity="sigmoid")
    J = np.array([0.8, 1.0, 1.3, 2.0])
    net = snn.Network(seed=0)
    pop = net.population(4, m, bias=J)
    sp = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=1e-4)
    sim.run(0.2)
    sim2_counts = sim.data[sp].counts()
    sim.run(2.0)
    rate = (sim.data[sp].counts() - sim2_counts) / 2.0
    assert np.allclose(rate, m.rates(J), atol=1.0)              # within one spike over 2 s
    assert np.all(np.diff(m.rates(J)) > 0)                      # the sigmoid plateau is monotonic


def test_dcaap_dendrite_computes_xor_that_the_sigmoid_dendrite_cannot():
    """Gidon et al. (2020): input A alone or B alone (1.2 each, above the dendritic threshold 1) makes the
    neuron fire; both together (2.4) overdrive the dCaAP, whose amplitude falls, and the neuron is silent."""
    both = [0.0, 1.2, 1.2, 2.4]                                 # (0,0), (1,0), (0,1), (1,1)
    for nonlinearity, expected in (("dcaap", [False, True, True, False]), ("sigmoid", [False, True, True, True])):
        net = snn.Network(seed=0)
        pop = net.population(4, snn.TwoCompartmentLIF(nonlinearity=nonlinearity), bias=both)
        sp = net.probe(pop, "spikes")
        sim = snn.Simulator(net, dt=1e-4)
        sim.run(0.5)
        assert (sim.data[sp].counts() > 5).tolist() == expected, nonlinearity


def test_every_catalogue_model_gives_the_same_numbers_with_and_without_the_jit():
    from catalogue_network import run_catalogue
    from nojit import run_without_jit

    jit = run_catalogue()
    assert all(len(jit[f"{k}.spikes"]) > 0 for k in ("izh", "adex", "alif", "two", "si"))
    assert run_without_jit("catalogue_network", "run_catalogue()") == jit


def test_burst_detection_needs_the_pause():
    """Three fast spikes then a long pause is one burst; evenly fast firing, or a gradual slowing, is none."""
    assert fp.bursts([0.0, 0.003, 0.006, 0.05, 0.1]) == [(0, 2)]
    assert fp.bursts(np.arange(20) * 0.005) == []
    assert fp.bursts(np.cumsum([0.003, 0.004, 0.005, 0.006, 0.007, 0.009])) == []


def test_kernel_cache_key_covers_the_modules_a_model_calls_into():
    """AdaptiveLIF's step calls the LIF's lif_step (another module): an edit there must change the key."""
    from snnlib.sim.kernel_cache import plugin_source

    text = plugin_source(snn.AdaptiveLIF)
    assert "def adaptive_lif_step" in text and "def lif_step" in text
    assert "def dendritic_activation" in plugin_source(snn.TwoCompartmentLIF)
