"""ANN-to-SNN conversion arithmetic on a tiny hand-set network (no training): every number the converted
network is built from, and every figure a run reports, recomputed independently.

tests/test_conversion.py checks the lesson-level behaviour on a trained digits net (accuracy approaches the
ANN's, rates equal LIF theory); it trains for seconds per test module, which made each mutant of
snnlib/ml/conversion.py cost minutes. These tests take about a second each (a 4-3-2-3 net, 3 images), so
the `conversion` scope of `make mutate` runs them (with tests/test_softlif.py) instead.
"""
from __future__ import annotations

import types

import numpy as np
import pytest

from snnlib import Simulator
from snnlib.ml.ann import DenseNet
from snnlib.ml.conversion import SpikingClassifier
from snnlib.ml.softlif import lif_rate
from snnlib.model.inputs import Uniform

TAU_RC, TAU_REF, AMP = 0.05, 0.001, 0.01      # SoftLIF's defaults (s, s, s per spike)
W0 = np.array([[2.0, 1.0, 0.0, 1.0], [1.0, 3.0, 1.0, 0.0], [0.0, 1.0, 2.0, 2.0]])
B0 = np.array([0.5, 0.0, -0.2])
W1 = np.array([[1.5, 1.0, 0.5], [0.5, 1.0, 2.0]])
B1 = np.array([0.8, 0.6])
W2 = np.array([[4.0, -4.0], [-4.0, 4.0], [0.0, 0.0]])   # class 0, 1 or 2: layer 2's first neuron, second, neither
B2 = np.array([0.0, 0.0, 0.12])
X = np.array([[0.5, 1.0, 1.5, 0.8], [1.2, 0.4, 0.9, 1.1], [1.5, 1.5, 0.2, 0.3]])


def _net(weights=(W0, W1, W2), biases=(B0, B1, B2)):
    net = DenseNet([w.shape[1] for w in weights] + [weights[-1].shape[0]], seed=0)
    net.weights, net.biases = [w.copy() for w in weights], [b.copy() for b in biases]
    return net


@pytest.mark.parametrize("dt, tau", [(0.001, 0.005), (0.0005, 0.02), (0.002, 0.003)])
def test_synapse_area_is_the_area_of_the_discrete_exponential_synapse(dt, tau):
    sc = SpikingClassifier(_net(), tau_syn=tau, dt=dt, cache_size=0)
    x = dt / tau
    assert sc.synapse_area == pytest.approx(x / (1 - np.exp(-x)), rel=1e-12)
    # the same area summed step by step: a current held over each step, decaying exactly by exp(-dt/tau)
    assert sc.synapse_area == pytest.approx(sum(x * np.exp(-k * x) for k in range(20000)), rel=1e-9)
    assert (sc.tau_syn, sc.dt, sc.tau_rc, sc.tau_ref, sc.amplitude) == (tau, dt, TAU_RC, TAU_REF, AMP)
    assert sc.hidden_sizes == [3, 2] and sc.sizes == [4, 3, 2, 3]


def test_the_weights_are_copied_not_referenced():
    net = _net()
    sc = SpikingClassifier(net, cache_size=0)
    net.weights[0][:] = 0.0
    net.biases[1][:] = 0.0
    np.testing.assert_array_equal(sc.weights[0], W0)
    np.testing.assert_array_equal(sc.biases[1], B1)


@pytest.mark.parametrize("rate_scale", [1.0, 2.5])
def test_the_network_built_for_a_batch_of_images(rate_scale):
    s = rate_scale
    sc = SpikingClassifier(_net(), cache_size=0)
    model, probes = sc.build(X, rate_scale=s, seed=4)
    assert model.seed == 4
    h1, h2 = model.populations
    assert (h1.n, h2.n, h1.label, h2.label) == (9, 6, "hidden1", "hidden2")
    # layer 1: the image as a constant current, image after image; layer 2: its bias, once per image
    np.testing.assert_allclose(h1.bias, (X @ W0.T + B0).ravel(), rtol=1e-15)
    np.testing.assert_array_equal(h2.bias, np.tile(B1, 3))
    for p in (h1, h2):   # rates scaled by s: both time constants divided by s
        assert (p.neuron.tau_rc, p.neuron.tau_ref) == pytest.approx((TAU_RC / s, TAU_REF / s), rel=1e-15)
        assert isinstance(p.v_init, Uniform) and (p.v_init.low, p.v_init.high) == (0.0, 1.0)
    (c,) = model.connections
    assert (c.pre, c.post, c.label) == (h1, h2, "hidden1->hidden2")
    assert (c.synapse.tau, c.synapse.normalize) == (0.005, "area")
    # block diagonal: image b's layer 1 reaches only image b's layer 2, with W1 * amplitude / s / area
    expected = np.kron(np.eye(3), W1 * (AMP / s / sc.synapse_area))
    np.testing.assert_allclose(c.weights.toarray(), expected, rtol=1e-14)
    assert [(p.obj, p.target) for p in probes] == [(h1, "spikes"), (h2, "spikes")]


def test_a_deeper_network_chains_every_hidden_layer():
    W1b, B1b = np.array([[1.0, 2.0], [2.0, 1.0]]), np.array([0.7, 0.9])
    sc = SpikingClassifier(_net((W0, W1, W1b, W2), (B0, B1, B1b, B2)), cache_size=0)
    model, probes = sc.build(X[:2])
    assert [p.label for p in model.populations] == ["hidden1", "hidden2", "hidden3"]
    assert [p.n for p in model.populations] == [6, 4, 4]
    assert [c.label for c in model.connections] == ["hidden1->hidden2", "hidden2->hidden3"]
    np.testing.assert_array_equal(model.populations[2].bias, np.tile(B1b, 2))
    np.testing.assert_allclose(model.connections[1].weights.toarray(),
                               np.kron(np.eye(2), W1b * (AMP / sc.synapse_area)), rtol=1e-14)
    assert len(probes) == 3
    r = sc.run(X[:2], t_present=0.05)
    assert [rec.counts().size for rec in r.records] == [6, 4, 4]


def test_first_layer_rates_equal_lif_theory():
    sc = SpikingClassifier(_net(), cache_size=0)
    model, probes = sc.build(X)
    sim = Simulator(model, dt=sc.dt)
    sim.run(1.0)
    expected = lif_rate((X @ W0.T + B0).ravel(), TAU_RC, TAU_REF) * 1.0
    assert expected.min() > 20        # every neuron fires: the comparison is not 0 against 0
    # constant input: the count in 1 s differs from rate x 1 s by at most one spike (phase of the first)
    assert np.max(np.abs(sim.data[probes[0]].counts() - expected)) <= 1.0 + 1e-9


def _figures(sc, T, s, seed, y=None):
    r = sc.run(X, y, t_present=T, rate_scale=s, seed=seed)
    c1 = r.records[0].counts().reshape(3, 3)
    c2 = r.records[1].counts().reshape(3, 2)
    return r, c1, c2


@pytest.mark.parametrize("rate_scale", [1.0, 1.5])
def test_a_run_reports_what_its_spikes_say(rate_scale):
    s, T = rate_scale, 0.3
    sc = SpikingClassifier(_net(), cache_size=0)
    r, c1, c2 = _figures(sc, T, s, seed=2)
    logits = (AMP / s * c2 / T) @ W2.T + B2          # the readout of the last hidden layer's counts
    np.testing.assert_array_equal(r.predictions, np.argmax(logits, axis=1))
    assert len(set(r.predictions.tolist())) >= 2     # not one class for every image
    assert r.accuracy is None
    total = c1.sum() + c2.sum()
    assert total > 0 and r.counts["spikes"] == total
    assert r.t_present == pytest.approx(T) and r.rate_scale == s
    assert r.spikes_per_inference == pytest.approx(total / 3)
    assert r.mean_rate == pytest.approx(total / (3 * 5 * T))                 # Hz over the 5 hidden neurons
    # events: a layer-1 spike reaches the 2 neurons of layer 2, a layer-2 spike the 3 outputs
    assert r.synaptic_events_per_inference == pytest.approx((2 * c1.sum() + 3 * c2.sum()) / 3)
    assert r.input_macs_per_inference == 12
    # labels: the accuracy is the fraction predicted right (same seed, same spikes)
    y = r.predictions.copy()
    y[0] = (y[0] + 1) % 3
    assert sc.run(X, y, t_present=T, rate_scale=s, seed=2).accuracy == pytest.approx(2 / 3)
    assert sc.run(X, r.predictions, t_present=T, rate_scale=s, seed=2).accuracy == 1.0


def test_the_seed_sets_the_initial_voltages():
    sc = SpikingClassifier(_net(), cache_size=0)
    a, b, c = (sc.run(X, t_present=0.05, seed=k).records[0] for k in (1, 1, 2))
    np.testing.assert_array_equal(a.times, b.times)
    assert not (a.times.shape == c.times.shape and np.array_equal(a.times, c.times))


def test_the_cache_keeps_the_latest_simulators_and_resets_them():
    sc = SpikingClassifier(_net(), cache_size=2)
    first = sc.run(X, t_present=0.1, seed=1)
    again = sc.run(X, t_present=0.1, seed=1)            # the cached simulator, reset: not 0.2 s of it
    assert again.t_present == pytest.approx(0.1)
    np.testing.assert_array_equal(first.records[1].times, again.records[1].times)
    sc.run(X, t_present=0.1, seed=2)
    sc.run(X, t_present=0.1, seed=3)
    assert [key[1:] for key in sc._cache] == [(1.0, 2), (1.0, 3)]    # the oldest went first
    # rate_scale is part of the key: twice the rate, not the cached simulator of rate_scale 1
    one = sc.run(X, t_present=1.0, seed=3)
    two = sc.run(X, t_present=1.0, rate_scale=2.0, seed=3)
    assert two.spikes_per_inference / one.spikes_per_inference == pytest.approx(2.0, rel=0.05)
    none = SpikingClassifier(_net(), cache_size=0)
    none.run(X, t_present=0.01)
    assert none._cache == {}


def test_rate_prediction_is_the_hard_lif_forward_pass():
    Xs = np.random.default_rng(3).uniform(0.0, 1.5, size=(60, 4))
    a = Xs
    for W, b in ((W0, B0), (W1, B1)):
        a = AMP * lif_rate(a @ W.T + b, TAU_RC, TAU_REF)
    expected = np.argmax(a @ W2.T + B2, axis=1)
    assert len(set(expected.tolist())) == 3
    np.testing.assert_array_equal(SpikingClassifier(_net(), cache_size=0).rate_prediction(Xs), expected)


def _without(attr):
    nl = types.SimpleNamespace(tau_rc=TAU_RC, tau_ref=TAU_REF, amplitude=AMP)
    delattr(nl, attr)
    return nl


@pytest.mark.parametrize("attr", ["tau_rc", "tau_ref", "amplitude"])
def test_a_non_linearity_without_lif_parameters_is_refused(attr):
    net = _net()
    net.nonlinearity = _without(attr)
    with pytest.raises(TypeError, match=f"must be a LIF-rate curve with tau_rc, tau_ref and amplitude "
                                        rf"\(e.g. snnlib.ml.softlif.SoftLIF\), got .* without '{attr}'$"):
        SpikingClassifier(net)


@pytest.mark.parametrize("make, error, message", [
    (lambda: SpikingClassifier("net"), TypeError, r"^ann must be a trained DenseNet \(snnlib.ml.ann\), got 'net'$"),
    (lambda: SpikingClassifier(DenseNet([4, 3])), ValueError, "^conversion needs at least one hidden layer of neurons$"),
    (lambda: SpikingClassifier(_net(), tau_syn=0.005, dt=0.005), ValueError,
     r"^need 0 < dt < tau_syn \(s\), got dt=0.005, tau_syn=0.005$"),
    (lambda: SpikingClassifier(_net(), tau_syn=0.0), ValueError, "^tau_syn must be > 0 s, got 0.0$"),
    (lambda: SpikingClassifier(_net(), dt=-0.001), ValueError, "^dt must be > 0 s, got -0.001$"),
    (lambda: SpikingClassifier(_net(), cache_size=-1), ValueError, "^cache_size must be >= 0, got -1$"),
    (lambda: SpikingClassifier(_net()).run(X[:, :3]), ValueError, r"^X must have shape \(n_images, 4\), got \(3, 3\)$"),
    (lambda: SpikingClassifier(_net()).run(X[0]), ValueError, r"^X must have shape \(n_images, 4\), got \(4,\)$"),
    (lambda: SpikingClassifier(_net()).run(X[:0]), ValueError, r"^X must have shape \(n_images, 4\), got \(0, 4\)$"),
    (lambda: SpikingClassifier(_net()).run(X * np.inf), ValueError, "^X contains NaN or inf$"),
    (lambda: SpikingClassifier(_net()).build(X, rate_scale=50.0), ValueError,
     r"^rate_scale 50 makes tau_rc/rate_scale = 0.001 s, not above dt = 0.001 s; use a smaller rate_scale or dt$"),
    (lambda: SpikingClassifier(_net()).run(X, t_present=0.0005), ValueError,
     "^t_present must be at least one step dt = 0.001 s, got 0.0005$"),
    (lambda: SpikingClassifier(_net()).run(X, t_present=0.0), ValueError, "^t_present must be > 0 s, got 0.0$"),
    (lambda: SpikingClassifier(_net()).run(X, rate_scale=0.0), ValueError, "^rate_scale must be > 0 ?, got 0.0$"),
    (lambda: SpikingClassifier(_net()).build(X, rate_scale=0.0), ValueError, "^rate_scale must be > 0 ?, got 0.0$"),
    (lambda: SpikingClassifier(_net()).build(X, seed=-1), ValueError, "^seed must be >= 0, got -1$"),
    (lambda: SpikingClassifier(_net()).run("abc"), TypeError, "^X must be "),
    (lambda: SpikingClassifier(_net()).run(X, y="abc"), TypeError, "^y must be "),
    (lambda: SpikingClassifier(_net()).run(X, seed=-1), ValueError, "^seed must be >= 0, got -1$"),
    (lambda: SpikingClassifier(_net()).run(X, y=[0, 1]), ValueError,
     r"^y must hold one integer label per image, shape \(3,\), got array\(\[0, 1\]\)$"),
    (lambda: SpikingClassifier(_net()).run(X, y=[0.0, 1.0, 2.0]), ValueError,
     r"^y must hold one integer label per image, shape \(3,\), got "),
])
def test_bad_arguments_are_named(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_the_limits_themselves_are_accepted():
    sc = SpikingClassifier(_net(), tau_syn=0.005, dt=0.00499, cache_size=0)
    assert sc.run(X, t_present=0.00499).t_present == pytest.approx(0.00499)     # one step
    SpikingClassifier(_net()).build(X, rate_scale=49.0)          # tau_rc / 49 just above dt = 1 ms
    assert SpikingClassifier(_net(), cache_size=0).run(X, y=np.array([0, 1, 2], dtype=np.uint8)).accuracy is not None


def test_one_hidden_layer_and_one_image_are_enough():
    """The smallest network conversion accepts (input, one hidden layer, output) and a batch of one image."""
    sc = SpikingClassifier(_net((W0, W2[:, :1] @ np.ones((1, 3))), (B0, B2)), cache_size=1)
    r = sc.run(X[:1], t_present=0.2)
    c = r.records[0].counts().reshape(1, 3)
    np.testing.assert_array_equal(r.predictions, np.argmax((AMP * c / 0.2) @ sc.weights[-1].T + B2, axis=1))
    assert r.synaptic_events_per_inference == pytest.approx(3 * c.sum())
    assert len(sc._cache) == 1                      # a cache of one keeps one simulator


def test_a_deeper_network_reads_out_its_last_layer():
    """Sizes 4-3-2-4-2: the readout uses the last hidden layer (4 neurons), and a spike of layer k reaches the
    next layer's neurons (2, 4, then the 2 outputs)."""
    W2b, B2b = np.array([[1.0, 2.0], [2.0, 1.0], [1.5, 1.5], [0.5, 2.5]]), np.array([0.7, 0.9, 0.5, 0.6])
    Wout, Bout = np.array([[3.0, -3.0, 1.0, -1.0], [-3.0, 3.0, -1.0, 1.0]]), np.zeros(2)
    sc = SpikingClassifier(_net((W0, W1, W2b, Wout), (B0, B1, B2b, Bout)), tau_syn=0.01, cache_size=0)
    model, _ = sc.build(X)
    assert [c.synapse.tau for c in model.connections] == [0.01, 0.01]
    r = sc.run(X, t_present=0.3)
    c1, c2, c3 = (rec.counts().reshape(3, -1) for rec in r.records)
    assert c3.shape == (3, 4) and c3.sum() > 0
    np.testing.assert_array_equal(r.predictions, np.argmax((AMP * c3 / 0.3) @ Wout.T + Bout, axis=1))
    assert r.synaptic_events_per_inference == pytest.approx((2 * c1.sum() + 4 * c2.sum() + 2 * c3.sum()) / 3)


def test_the_documented_defaults():
    """tau_syn 5 ms, dt 1 ms, a cache of 4; a run presents each image for 0.1 s at rate_scale 1 with seed 0."""
    sc = SpikingClassifier(_net())
    assert (sc.tau_syn, sc.dt, sc.cache_size) == (0.005, 0.001, 4)
    model, _ = sc.build(X)
    assert model.seed == 0 and model.populations[0].neuron.tau_rc == TAU_RC
    r = sc.run(X)
    assert (r.t_present, r.rate_scale) == (pytest.approx(0.1), 1.0)
    explicit = SpikingClassifier(_net(), cache_size=0).run(X, t_present=0.1, rate_scale=1.0, seed=0)
    np.testing.assert_array_equal(r.records[0].times, explicit.records[0].times)
