"""In-loop Poisson sources (`Network.poisson(..., in_loop=True)`, snnlib/sim/poisson.py): a Poisson train drawn
inside the kernel by the counter-based generator."""

import numpy as np
import pytest

from modulation_models import loop_poisson_run
from nojit import run_without_jit
import snnlib as snn


def test_counts_and_intervals_are_those_of_a_poisson_train():
    """Bernoulli(p = rate dt) per step: mean count p x steps, inter-spike intervals geometric with
    CV sqrt(1 - p) (-> 1, a Poisson train, as dt -> 0), count Fano factor 1 - p."""
    n, rate, T, dt = 200, 20.0, 20.0, 1e-3
    net = snn.Network(seed=9)
    src = net.poisson(n, rate=rate, in_loop=True)
    p = net.probe(src)
    sim = snn.Simulator(net, dt=dt)
    sim.run(T)
    rec = sim.data[p]
    counts = np.bincount(rec.neurons, minlength=n)
    q, steps = rate * dt, int(round(T / dt))
    assert counts.mean() == pytest.approx(q * steps, rel=0.015)
    isi = np.concatenate([np.diff(np.sort(rec.times[rec.neurons == i])) for i in range(n)])
    assert isi.std() / isi.mean() == pytest.approx(np.sqrt(1 - q), abs=0.02)
    windows = np.array([np.histogram(rec.times[rec.neurons == i], bins=40, range=(0, T))[0] for i in range(n)])
    assert windows.var() / windows.mean() == pytest.approx(1 - q, abs=0.05)
    # independent sources: counts of neighbouring sources are uncorrelated
    assert abs(np.corrcoef(windows[:-1].ravel(), windows[1:].ravel())[0, 1]) < 0.05


def test_same_seed_same_spikes_with_and_without_the_jit_and_for_any_chunk_size():
    here = loop_poisson_run()
    assert len(here["loop"][0]) > 100 and len(here["post"][0]) > 0
    assert loop_poisson_run(chunk_steps=7) == here
    assert run_without_jit("modulation_models", "loop_poisson_run()") == here


def test_the_numpy_drawn_sources_are_unchanged_by_an_in_loop_source_beside_them():
    """The default stays the default: existing lessons' numbers do not move."""
    def numpy_spikes(with_loop_source):
        net = snn.Network(seed=4)
        src = net.poisson(5, rate=30.0)
        if with_loop_source:
            net.poisson(3, rate=30.0, in_loop=True)
        p = net.probe(src)
        sim = snn.Simulator(net, dt=1e-3, chunk_steps=100)       # several chunks: each draws anew
        sim.run(0.5)
        return sim.data[p].times.tolist(), sim.data[p].neurons.tolist()

    assert numpy_spikes(True) == numpy_spikes(False)


def test_in_loop_spikes_reach_their_synapses():
    out = loop_poisson_run()
    assert out["events"] == 3 * (len(out["loop"][0]) + len(out["numpy"][0]))      # all-to-all onto 3 neurons


@pytest.mark.parametrize("kw, error, words", [
    ({"in_loop": "yes"}, TypeError, "in_loop must be True or False"),
    ({"rate": np.sin, "in_loop": True}, ValueError, "rate: in_loop=True needs a constant rate"),
    ({"rate": -1.0, "in_loop": True}, ValueError, "rate must be >= 0"),
])
def test_bad_arguments(kw, error, words):
    with pytest.raises(error, match=words):
        snn.Network().poisson(3, **{"rate": 10.0, **kw})


def test_rate_too_high_for_dt_is_refused():
    net = snn.Network()
    net.poisson(3, rate=2000.0, in_loop=True)
    with pytest.raises(ValueError, match="rate x dt must lie in"):
        snn.Simulator(net, dt=1e-3)
