"""snnlib.nef PES (through the engine's PES rule): the error of a learnt function falls, the learnt decoders
decode that function, learning rate 0 learns nothing, and bad arguments are named."""

import numpy as np
import pytest

from snnlib import nef

TARGET = lambda t: np.sin(2 * np.pi * t) ** 2          # noqa: E731  x(t)^2 for the input x(t) = sin(2 pi t)


def run(rate, t_stop=6.0, seed=0, n=100):
    model = nef.Network(seed=seed)
    stim = model.node(lambda t: np.sin(2 * np.pi * t))
    a, b = model.ensemble(n), model.ensemble(n)
    model.connect(stim, a)
    conn = model.connect(a, b, function=lambda x: 0.0, learning_rule=nef.PES(TARGET, learning_rate=rate))
    pe, pb = model.probe(conn, "error", synapse=0.01), model.probe(b, synapse=0.01)
    sim = nef.Simulator(model)
    sim.run(t_stop)
    e = sim.data[pe][:, 0]
    per_second = [np.sqrt(np.mean(e[k * 1000:(k + 1) * 1000] ** 2)) for k in range(int(t_stop))]
    return sim, a, conn, pb, np.array(per_second)


def test_pes_error_falls_and_the_learnt_decoders_decode_the_function():
    sim, a, conn, pb, err = run(3e-4)
    # zero initial decoders: the error starts as -x^2, RMS sqrt(3/8) = 0.61 over a period
    assert err[0] < np.sqrt(3 / 8) and np.all(np.diff(err) < 0.01)
    assert err[-1] < 0.25 * np.sqrt(3 / 8)                      # measured 0.61 -> 0.27 (1st s) -> 0.09 (6th)
    x = np.linspace(-1, 1, 101)
    learnt = a.decode(x, sim.decoders(conn))[:, 0]
    assert np.sqrt(np.mean((learnt - x ** 2) ** 2)) < 0.15     # the decoders now compute roughly x^2
    assert np.corrcoef(learnt, x ** 2)[0, 1] > 0.95
    assert sim.data[pb][-1000:, 0].mean() == pytest.approx(0.5, abs=0.1)   # b follows sin^2 (mean 1/2)


def test_no_learning_at_rate_zero():
    sim, a, conn, _, err = run(0.0, t_stop=2.0)
    assert np.allclose(sim.decoders(conn), conn.decoders)
    assert err[1] == pytest.approx(np.sqrt(3 / 8), rel=0.05)


def test_pes_arguments_are_checked():
    with pytest.raises(TypeError, match="target"):
        nef.PES(0.5)
    with pytest.raises(ValueError, match="learning_rate"):
        nef.PES(TARGET, learning_rate=-1e-4)
    model = nef.Network(seed=0)
    stim, a, b = model.node(0.0), model.ensemble(10), model.ensemble(10)
    with pytest.raises(ValueError, match="node"):
        model.connect(stim, a, learning_rule=nef.PES(TARGET))
    plain = model.connect(a, b)
    with pytest.raises(ValueError, match="learning connection"):
        model.probe(plain, "error")
