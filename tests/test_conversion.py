"""ANN-to-SNN conversion: spiking rates equal LIF theory, accuracy approaches the ANN's as the window grows."""

import numpy as np
import pytest

from nojit import run_without_jit
from snnlib.ml.ann import train_digits_net
from snnlib.ml.conversion import SpikingClassifier
from snnlib.ml.softlif import lif_rate


@pytest.fixture(scope="module")
def trained():
    net, (Xtr, ytr, Xte, yte) = train_digits_net(hidden=(32, 16), epochs=20, seed=1)
    return net, Xte[:200], yte[:200]


def test_first_layer_rates_equal_lif_theory(trained):
    net, X, _ = trained
    sc = SpikingClassifier(net, cache_size=0)
    T = 1.0
    model, probes = sc.build(X[:20])
    from snnlib import Simulator
    sim = Simulator(model, dt=sc.dt)
    sim.run(T)
    counts = sim.data[probes[0]].counts()
    expected = lif_rate((X[:20] @ net.weights[0].T + net.biases[0]).ravel(), sc.tau_rc, sc.tau_ref) * T
    # constant input: the count in T differs from rate*T by at most one spike (phase of the first spike)
    assert np.max(np.abs(counts - expected)) <= 1.0 + 1e-9


def test_accuracy_approaches_ann_as_window_grows(trained):
    net, X, y = trained
    sc = SpikingClassifier(net)
    ann_acc = net.accuracy(X, y)
    assert np.mean(sc.rate_prediction(X) == net.predict(X)) > 0.97  # hard LIF ~ soft LIF
    accs = {T: sc.run(X, y, t_present=T).accuracy for T in (0.005, 0.03, 1.0)}
    assert accs[0.005] < accs[0.03] <= accs[1.0] + 0.01
    assert accs[0.005] < ann_acc - 0.1  # a few ms is too short: most neurons have not fired yet
    assert abs(accs[1.0] - ann_acc) <= 0.02
    agree = np.mean(sc.run(X, y, t_present=1.0).predictions == net.predict(X))
    assert agree > 0.96


def test_rate_scale_multiplies_rates_and_counts(trained):
    net, X, y = trained
    sc = SpikingClassifier(net)
    r1 = sc.run(X[:50], y[:50], t_present=0.5, rate_scale=1.0)
    r2 = sc.run(X[:50], y[:50], t_present=0.5, rate_scale=2.0)
    assert r2.mean_rate / r1.mean_rate == pytest.approx(2.0, rel=0.05)
    assert r2.spikes_per_inference / r1.spikes_per_inference == pytest.approx(2.0, rel=0.05)
    # events = spikes x fan-out: layer-1 spikes reach 16 neurons, layer-2 spikes the 10 outputs
    c = r1.counts
    assert c["synaptic_events_by_connection"]["hidden1->hidden2"] > 0
    assert r1.input_macs_per_inference == 64 * 32


def test_deterministic_and_cache_consistent(trained):
    net, X, y = trained
    a = SpikingClassifier(net, cache_size=0).run(X[:30], y[:30], t_present=0.05, seed=3)
    sc = SpikingClassifier(net, cache_size=2)
    b = sc.run(X[:30], y[:30], t_present=0.05, seed=3)
    c = sc.run(X[:30], y[:30], t_present=0.05, seed=3)  # from the cache, after a reset
    for r in (b, c):
        np.testing.assert_array_equal(a.predictions, r.predictions)
        assert a.counts["spikes"] == r.counts["spikes"]


def test_bad_inputs(trained):
    net, X, y = trained
    sc = SpikingClassifier(net)
    with pytest.raises(ValueError, match="shape"):
        sc.run(X[:, :10])
    with pytest.raises(ValueError, match="rate_scale"):
        sc.run(X[:2], rate_scale=0.0)
    with pytest.raises(ValueError, match="t_present"):
        sc.run(X[:2], t_present=0.0)
    with pytest.raises(ValueError, match="label"):
        sc.run(X[:2], y[:3])


def _small_conversion_run():
    """A tiny trained network converted and run: spike counts and predictions (for the JIT comparison)."""
    from snnlib.ml.ann import DenseNet, load_digits_split
    Xtr, ytr, Xte, yte = load_digits_split(seed=0)
    net = DenseNet([64, 8, 6, 10], seed=2)
    net.train(Xtr[:200], ytr[:200], epochs=2, seed=2)
    result = SpikingClassifier(net, cache_size=0).run(Xte[:3], yte[:3], t_present=0.03, seed=5)
    return {"pred": result.predictions.tolist(), "spikes": [r.times.tolist() for r in result.records],
            "neurons": [r.neurons.tolist() for r in result.records]}


def test_same_spikes_with_and_without_jit():
    no_jit = run_without_jit("test_conversion", "_small_conversion_run()")
    assert no_jit == _small_conversion_run()
    assert sum(len(s) for s in no_jit["spikes"]) > 0


def test_discrete_synapse_delivers_the_anns_mean_input_after_normalisation(trained):
    # A regular presynaptic train (a LIF neuron at constant drive) through the classifier's synapse: the mean
    # drive it delivers must be w * rate (the ANN's input), not the discrete synapse's 10 % more.
    import snnlib as snn

    net, X, _ = trained
    sc = SpikingClassifier(net, tau_syn=0.005, dt=0.001, cache_size=0)
    x = 0.2   # dt / tau
    assert sc.synapse_area == pytest.approx(x / (1 - np.exp(-x)))          # 1.1033
    assert sc.synapse_area == pytest.approx(sum(0.2 * np.exp(-k * x) for k in range(400)))  # sum of the held steps

    def mean_drive(weight):
        m = snn.Network(seed=0)
        pre = m.population(1, snn.LIF(), bias=3.0)
        post = m.population(1, snn.LIF(), bias=0.0)
        m.connect(pre, post, weights=weight, synapse=snn.ExpSynapse(sc.tau_syn, normalize="area"))
        drive = m.probe(post, "drive")
        spikes = m.probe(pre, "spikes")
        sim = snn.Simulator(m, dt=sc.dt)
        sim.run(20.0)
        return sim.data[drive][:, 0].mean(), sim.data[spikes].rates()[0]

    raw, rate = mean_drive(0.01)
    assert raw == pytest.approx(0.01 * rate * sc.synapse_area, rel=5e-3)   # the unnormalised synapse: 10 % too much
    fixed, rate = mean_drive(0.01 / sc.synapse_area)
    assert fixed == pytest.approx(0.01 * rate, rel=5e-3)


def test_classifier_weights_are_divided_by_the_synapse_area(trained):
    net, X, _ = trained
    sc = SpikingClassifier(net, cache_size=0)
    model, _ = sc.build(X[:2])
    block = model.connections[0].weights.toarray()[:net.sizes[2], :net.sizes[1]]
    np.testing.assert_allclose(block, net.weights[1] * sc.amplitude / sc.synapse_area)
