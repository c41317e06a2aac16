"""An ANN and its spiking conversion: the measured energy crossover against the analytic one."""

import numpy as np
import pytest

from snnlib.ml.ann import train_digits_net
from snnlib.ml.conversion import SpikingClassifier
from snnlib.energy import OpCounts, break_even_rate, count_macs, estimate, get_device
from snnlib.ml.softlif import lif_rate

SIZES_HIDDEN = (32, 16)


@pytest.fixture(scope="module")
def converted():
    net, (_, _, Xte, yte) = train_digits_net(hidden=SIZES_HIDDEN, epochs=10, seed=1)
    return net, SpikingClassifier(net, cache_size=0), Xte[:100], yte[:100]


def _ann_events_per_second(sc, X):
    """Synaptic events per second of one image, predicted from the ANN: hidden LIF rates x fan-out."""
    a, total = X, 0.0
    fan_outs = sc.sizes[2:]  # each hidden layer's spikes reach the next layer (the last: the readout)
    for W, b, fan_out in zip(sc.weights[:-1], sc.biases[:-1], fan_outs):
        r = lif_rate(a @ W.T + b, sc.tau_rc, sc.tau_ref)  # Hz, shape (images, neurons)
        total += r.sum(axis=1).mean() * fan_out
        a = sc.amplitude * r
    return total


def test_from_conversion_counts_the_layers(converted):
    net, sc, X, y = converted
    res = sc.run(X, y, t_present=0.1, seed=0)
    ops = OpCounts.from_conversion(res, net.sizes)
    n_in, h1, h2, n_out = net.sizes
    assert ops.connections == count_macs(net.sizes) == net.n_macs()
    assert ops.analog_synops == n_in * h1 and ops.neurons == h1 + h2
    assert ops.neuron_updates == (h1 + h2) * 100
    # hidden1 -> hidden2 events from the simulator, plus readout events of hidden2's spikes
    per_image_h1h2 = res.counts["synaptic_events_by_connection"]["hidden1->hidden2"] / len(X)
    assert ops.synaptic_events > per_image_h1h2 > 0
    with pytest.raises(ValueError, match="do not match"):
        OpCounts.from_conversion(res, [64, 30, 16, 10])


def test_conversion_crosses_the_ann_at_the_analytic_rate(converted):
    net, sc, X, y = converted
    t_present, dt = 0.15, sc.dt
    steps = round(t_present / dt)
    loihi = get_device("loihi")
    e_ann = estimate(OpCounts.dense(net.sizes, linear_output=True), "gpu")["gpu"].total
    n_hidden, analog = sum(net.sizes[1:-1]), net.sizes[0] * net.sizes[1]
    events_1 = _ann_events_per_second(sc, X) * t_present  # at rate_scale 1
    # analytic: e_syn (analog + s* events_1) + e_neu n_hidden steps = E_ann (rate_scale scales all rates by s)
    s_star = (e_ann - loihi.energy_per_neuron * n_hidden * steps - loihi.energy_per_synop * analog) / (
        loihi.energy_per_synop * events_1)
    assert 0.2 < s_star < 5, "the set-up should put the crossover at a plausible rate"
    scales = np.array([0.6, 1.4]) * s_star
    ops = [OpCounts.from_conversion(sc.run(X, y, t_present=t_present, rate_scale=s, seed=0), net.sizes)
           for s in scales]
    energies = [estimate(o, "loihi")["loihi"].total for o in ops]
    assert energies[0] < e_ann < energies[1]
    s_measured = scales[0] + (e_ann - energies[0]) * (scales[1] - scales[0]) / (energies[1] - energies[0])
    assert s_measured == pytest.approx(s_star, rel=0.1)
    # the same crossover as a fan-out-weighted mean rate: analytic vs break_even_rate on measured counts
    spiking_conns = count_macs(net.sizes) - analog
    r_star = s_star * events_1 / (spiking_conns * t_present)
    assert break_even_rate(ops[0], "loihi", "gpu") == pytest.approx(r_star, rel=1e-9)
    rates = [o.mean_rate for o in ops]
    r_measured = rates[0] + (e_ann - energies[0]) * (rates[1] - rates[0]) / (energies[1] - energies[0])
    assert r_measured == pytest.approx(r_star, rel=0.1)
