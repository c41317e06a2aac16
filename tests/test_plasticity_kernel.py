"""STDP in the simulator: the weight change of isolated spike pairs equals the analytic window."""

import numpy as np
import pytest
import scipy.sparse as sparse

import snnlib as snn
from snnlib.units import ms

DTS = np.array([-40, -20, -10, -5, -2, -1, 1, 2, 5, 10, 20, 40]) * ms


def pair_experiment(rule, dts, dt=1e-4, w0=0.5):
    """One pre source and one post neuron per pair; the post neuron is forced to fire by a driver spike."""
    n = len(dts)
    t_pre = np.full(n, 0.06)
    t_post_goal = t_pre + dts
    net = snn.Network(seed=0)
    pre = net.spike_times(n, t_pre, np.arange(n), label="pre")
    # the driver spike lands one step before the desired post spike: the post neuron fires in the next step
    driver = net.spike_times(n, t_post_goal - dt, np.arange(n), label="driver")
    post = net.population(n, snn.LIF(), label="post")
    plastic = net.connect(pre, post, weights=sparse.identity(n, format="csr") * w0,
                          synapse=snn.ExpSynapse(5 * ms), plasticity=rule, label="plastic")
    net.connect(driver, post, weights=sparse.identity(n, format="csr") * 1000.0, synapse=snn.ExpSynapse(0.2 * ms))
    sp_pre, sp_post = net.probe(pre, "spikes"), net.probe(post, "spikes")
    sim = snn.Simulator(net, dt=dt)
    sim.run(0.2)
    first = lambda rec: np.array([tr[0] for tr in rec.trains()])     # noqa: E731
    measured_dt = first(sim.data[sp_post]) - first(sim.data[sp_pre])
    return measured_dt, sim.weights(plastic).diagonal() - w0, sim, sp_post


def test_stdp_window_matches_exponential_rule():
    rule = snn.STDP(a_plus=0.01, a_minus=0.0105, tau_plus=20 * ms, tau_minus=20 * ms, w_min=0.0, w_max=1.0)
    measured_dt, dw, sim, sp_post = pair_experiment(rule, DTS)
    assert np.all([len(tr) == 1 for tr in sim.data[sp_post].trains()]), "each post neuron must fire once"
    assert np.allclose(measured_dt, DTS, atol=1.5e-4)
    assert np.allclose(dw, rule.window(measured_dt), rtol=1e-9, atol=1e-12)
    assert np.all(dw[DTS > 0] > 0) and np.all(dw[DTS < 0] < 0)
    assert sim.counts["plasticity_updates"] == 2 * len(DTS)     # one update per pre and per post spike


def test_weights_stay_in_bounds():
    rule = snn.STDP(a_plus=0.8, a_minus=0.8, w_min=0.0, w_max=1.0)
    _, dw, _, _ = pair_experiment(rule, DTS)
    w = 0.5 + dw
    assert np.all(w >= 0.0) and np.all(w <= 1.0)
    assert w[DTS == 1 * ms][0] == 1.0 and w[DTS == -1 * ms][0] == 0.0


def test_initial_weights_outside_bounds_are_refused():
    net = snn.Network(seed=0)
    a = net.population(2, snn.LIF())
    with pytest.raises(ValueError, match="STDP bounds"):
        net.connect(a, a, weights=2.0, plasticity=snn.STDP(w_max=1.0))
