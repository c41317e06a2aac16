"""Presynaptic models in the generated kernel: Tsodyks-Markram short-term plasticity against its closed-form
steady state and a plain-Python replay, probabilistic release against its binomial mean and variance."""

import math

import numpy as np
import pytest

import snnlib as snn
from snnlib.presynaptic.tsodyks_markram import tm_on_spike

DT = 1e-4
TAU = 2e-3


def delivered(times, presynaptic, w=1.0, n_pre=1, n_post=1, chunk_steps=2000, seed=3):
    """Weight delivered at each spike of a regular train through `presynaptic`: the jumps of an exponential
    current (I_n - I_(n-1) exp(-dt/tau)), shape (steps, n_post)."""
    net = snn.Network(seed=seed)
    src = net.spike_times(n_pre, np.repeat(times, n_pre), np.tile(np.arange(n_pre), len(times)))
    pop = net.population(n_post, snn.LIF(v_th=1e9))
    net.connect(src, pop, weights=w, synapse=snn.ExpSynapse(TAU), presynaptic=presynaptic)
    cp = net.probe(pop, "current")
    sim = snn.Simulator(net, dt=DT, chunk_steps=chunk_steps)
    sim.run(times[-1] + 0.01)
    I = np.vstack([np.zeros((1, n_post)), sim.data[cp]])
    return I[1:] - I[:-1] * math.exp(-DT / TAU)


@pytest.mark.parametrize("U, tau_D, tau_F, rate", [(0.5, 0.8, 0.0, 20.0), (0.1, 0.1, 1.0, 20.0),
                                                   (0.5, 0.8, 0.0, 5.0)])
def test_tsodyks_markram_releases_match_the_replay_and_the_steady_state(U, tau_D, tau_F, rate):
    model = snn.TsodyksMarkram(U, tau_D, tau_F)
    n_spikes = max(60, int(12 * max(tau_D, tau_F) * rate))              # a dozen time constants
    times = np.arange(n_spikes) / rate + 0.0105
    jumps = delivered(times, model, w=0.8)[:, 0]
    got = jumps[np.abs(jumps) > 1e-12]
    u, x, h, expected = 0.0, 1.0, 1e9, []
    for k in range(len(times)):
        u, x, r = tm_on_spike(u, x, h, U, tau_D, tau_F)
        expected.append(0.8 * r)
        h = 1.0 / rate
    assert np.allclose(got, expected, rtol=1e-9)
    assert got[0] == pytest.approx(0.8 * U)                              # a first spike from rest releases U
    assert got[-1] == pytest.approx(0.8 * model.steady_state(rate)[2], rel=1e-6)


def test_depressing_synapse_transmits_rate_changes_not_rates():
    """Pure depression: release per spike ~ 1/(f tau_D) at high rates, so f u* x* hardly grows with f."""
    m = snn.TsodyksMarkram(U=0.5, tau_D=0.8)
    transmitted = [f * m.steady_state(f)[2] for f in (10.0, 20.0, 40.0, 80.0)]
    assert transmitted[-1] / transmitted[0] < 1.25
    assert transmitted[-1] == pytest.approx(1 / 0.8, rel=0.1)


def test_release_probability_gives_binomial_mean_and_variance():
    """200 synapses x 100 spikes at p = 0.3: the released fraction has mean p and variance p (1 - p)."""
    p = 0.3
    times = np.arange(100) * 0.01 + 0.0105
    jumps = delivered(times, snn.Release(p), w=1.0, n_pre=1, n_post=200)
    spikes = np.flatnonzero(np.abs(jumps).max(axis=1) > 1e-12)
    released = np.round(jumps[spikes]).ravel()
    assert set(np.unique(released)) <= {0.0, 1.0}
    n = released.size
    assert abs(released.mean() - p) < 4 * math.sqrt(p * (1 - p) / n)
    assert released.var() == pytest.approx(p * (1 - p), rel=0.05)
    # independent across synapses: the count per spike is binomial(200, p)
    per_spike = released.reshape(len(spikes), 200).sum(axis=1)
    assert per_spike.var() == pytest.approx(200 * p * (1 - p), rel=0.35)


def test_release_draws_do_not_depend_on_the_chunk_size():
    times = np.arange(50) * 0.01 + 0.0105
    a = delivered(times, snn.Release(0.5), n_post=20, chunk_steps=37)
    b = delivered(times, snn.Release(0.5), n_post=20, chunk_steps=2000)
    assert np.array_equal(a, b) and a.sum() > 0


@pytest.mark.parametrize("make, bad, name", [
    (lambda x: snn.TsodyksMarkram(U=x), 0.0, "U"),
    (lambda x: snn.TsodyksMarkram(U=x), 1.5, "U"),
    (lambda x: snn.TsodyksMarkram(tau_D=x), -0.1, "tau_D"),
    (lambda x: snn.TsodyksMarkram(tau_F=x), float("nan"), "tau_F"),
    (lambda x: snn.Release(p=x), 1.2, "p"),
    (lambda x: snn.Release(p=x), "half", "p"),
])
def test_bad_parameters_are_named(make, bad, name):
    with pytest.raises((ValueError, TypeError), match=rf"^{name}\b"):
        make(bad)


def test_presynaptic_must_be_a_presynaptic_model():
    net = snn.Network(seed=0)
    a = net.population(2)
    with pytest.raises(TypeError, match="presynaptic must be"):
        net.connect(a, a, weights=0.1, presynaptic=snn.STDP())
