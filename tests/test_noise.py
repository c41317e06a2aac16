"""Noise currents drawn in the loop from a counter-based generator: membrane variance against theory, the same
numbers with and without the JIT and for any chunk size, bad parameters named."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nojit import run_without_jit
import snnlib as snn
from snnlib.noise import OUNoise, WhiteNoise
from snnlib.sim import rng
from snnlib.units import ms

TAU, DT = 20 * ms, 1 * ms


def membrane(noise, n=200, t=2.5, chunk_steps=2000, dt=DT):
    """Voltages of n LIF neurons that never fire (threshold far away), driven by `noise` only."""
    net = snn.Network(seed=7)
    pop = net.population(n, snn.LIF(tau_rc=TAU, v_th=1e9))
    net.noise(pop, noise)
    vp = net.probe(pop, "voltage")
    sim = snn.Simulator(net, dt=dt, chunk_steps=chunk_steps)
    sim.run(t)
    return sim.data[vp]


def test_white_noise_membrane_variance_matches_theory():
    sigma = 0.5
    v = membrane(WhiteNoise(sigma))[200:]                # after 10 membrane time constants
    a = math.exp(-DT / TAU)
    assert v.var() == pytest.approx(sigma ** 2 * (1 - a) / (1 + a), rel=0.05)
    assert abs(v.mean()) < 0.05 * v.std()


def test_ou_noise_membrane_variance_matches_theory():
    sigma, tau_n = 0.5, 5 * ms
    v = membrane(OUNoise(sigma, tau_n))[200:]
    a, b = math.exp(-DT / TAU), math.exp(-DT / tau_n)
    expected = (1 - a) ** 2 * sigma ** 2 * (1 + a * b) / ((1 - a * a) * (1 - a * b))
    assert v.var() == pytest.approx(expected, rel=0.05)


def noisy_run(chunk_steps=2000):
    v = membrane(OUNoise(0.3, 4 * ms), n=5, t=0.3, chunk_steps=chunk_steps)
    return v.ravel().tolist()


def test_same_noise_for_any_chunk_size_and_without_jit():
    ref = noisy_run()
    assert noisy_run(chunk_steps=37) == ref
    assert run_without_jit("test_noise", "noisy_run(chunk_steps=50)") == ref


def test_counter_rng_is_uniform_and_uncorrelated():
    u = np.array([rng.uniform(3, 1, s, i) for s in range(200) for i in range(50)])
    z = np.array([rng.normal(3, 1, s, i) for s in range(200) for i in range(50)])
    assert u.min() > 0 and u.max() < 1
    assert abs(u.mean() - 0.5) < 0.01 and abs(u.var() - 1 / 12) < 0.003
    assert abs(z.mean()) < 0.04 and abs(z.std() - 1) < 0.03
    assert abs(np.corrcoef(z[:-1], z[1:])[0, 1]) < 0.04
    assert rng.normal(3, 1, 5, 2) != rng.normal(4, 1, 5, 2) != rng.normal(3, 2, 5, 2)


def test_different_populations_get_different_noise():
    net = snn.Network(seed=1)
    a, b = (net.population(3, snn.LIF(v_th=1e9)) for _ in range(2))
    net.noise(a, WhiteNoise(1.0))
    net.noise(b, WhiteNoise(1.0))
    pa, pb = net.probe(a, "voltage"), net.probe(b, "voltage")
    sim = snn.Simulator(net, dt=DT)
    sim.run(0.05)
    assert not np.allclose(sim.data[pa], sim.data[pb])


BAD = st.one_of(st.just(-1.0), st.just(float("nan")), st.just(float("inf")), st.just("0.1"), st.just(None),
                st.just(True), st.floats(max_value=-1e-9, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(which=st.sampled_from([("WhiteNoise", "sigma"), ("OUNoise", "sigma"), ("OUNoise", "tau"),
                              ("LIF", "tau_rc"), ("LIF", "tau_ref"), ("ExpSynapse", "tau"), ("STDP", "a_plus"),
                              ("STDP", "tau_minus")]), value=BAD)
def test_bad_parameters_of_every_model_name_the_parameter(which, value):
    cls = {"WhiteNoise": WhiteNoise, "OUNoise": OUNoise, "LIF": snn.LIF, "ExpSynapse": snn.ExpSynapse,
           "STDP": snn.STDP}[which[0]]
    with pytest.raises((ValueError, TypeError), match=which[1]):
        cls(**{which[1]: value})


def test_noise_attachment_errors():
    net = snn.Network(seed=0)
    pop = net.population(2)
    with pytest.raises(TypeError, match="model must be a noise model"):
        net.noise(pop, 0.1)
    net.noise(pop, WhiteNoise(0.1))
    with pytest.raises(ValueError, match="one noise model per population"):
        net.noise(pop, WhiteNoise(0.2))
