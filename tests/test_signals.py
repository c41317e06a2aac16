"""Signals in the loop: decoded values, errors (Nengo's sign), decoded inputs and PES learning (Nengo's rule)."""

import numpy as np
import pytest

from nojit import run_without_jit
import snnlib as snn
from snnlib.units import ms


def test_decoded_value_mean_is_rates_times_decoders():
    """A unit-area filter keeps the mean: the time average of x_hat is sum_i r_i d_i (r_i the LIF rates)."""
    J = np.array([1.5, 2.0, 3.0, 5.0])
    dec = np.array([[0.01, 0.0], [0.0, -0.02], [0.005, 0.005], [0.001, 0.002]])
    net = snn.Network(seed=0)
    pop = net.population(4, snn.LIF(), bias=J)
    xh = net.decoded(pop, dec, tau=10 * ms)
    p = net.probe(xh)
    sim = snn.Simulator(net, dt=0.1 * ms)
    sim.run(3.0)
    mean = sim.data[p][10000:].mean(axis=0)              # after the first second
    expected = snn.LIF().rates(J) @ dec
    assert np.allclose(mean, expected, rtol=0.01)


def test_error_is_decoded_minus_target_and_decoded_input_drives_the_post_population():
    net = snn.Network(seed=0)
    pop = net.population(3, snn.LIF(), bias=[1.5, 2.0, 4.0])
    xh = net.decoded(pop, np.array([0.01, 0.02, -0.005]), tau=5 * ms)
    err = net.error(xh, lambda t: np.sin(10 * t))
    post = net.population(2, snn.LIF(), bias=0.1)
    enc = np.array([[2.0], [-1.0]])
    net.decoded_input(post, xh, enc)
    px, pe, pd = net.probe(xh), net.probe(err), net.probe(post, "drive")
    sim = snn.Simulator(net, dt=1 * ms)
    sim.run(0.5)
    x, e, d = sim.data[px][:, 0], sim.data[pe][:, 0], sim.data[pd]
    t_start = sim.trange() - sim.dt                        # the target is evaluated at each step's start
    assert np.ptp(x) > 0.1
    assert np.allclose(e, x - np.sin(10 * t_start), rtol=0, atol=1e-12)
    # the post drive in step s is bias + encoders * x_hat at the end of step s - 1
    assert np.allclose(d[1:], 0.1 + x[:-1, None] * enc[:, 0], rtol=0, atol=1e-12)
    assert np.allclose(d[0], 0.1)


def ensemble(net, n, rng, label):
    """n LIF neurons representing a scalar in [-1, 1]: random encoders +-1, intercepts and max rates."""
    enc = rng.choice([-1.0, 1.0], size=n)
    intercepts, max_rates = rng.uniform(-0.9, 0.9, n), rng.uniform(100, 200, n)
    lif = snn.LIF()
    # Nengo's LIF gain/bias: J(x) = gain * e.x + bias, J = 1 at the intercept, rate max_rate at e.x = 1
    j_max = 1.0 / (1.0 - np.exp((lif.tau_ref - 1.0 / max_rates) / lif.tau_rc))
    gain = (j_max - 1.0) / (1.0 - intercepts)
    bias = 1.0 - gain * intercepts
    return net.population(n, lif, bias=bias, label=label), gain * enc


def pes_run(learning_rate=1e-3, t=6.0, n=60):
    """A communication channel learnt from zero decoders: x(t) = sin(2 pi t / 2), error = x_hat - x."""
    rng = np.random.default_rng(3)
    net = snn.Network(seed=2)
    pop, ge = ensemble(net, n, rng, "pre")
    signal = lambda t: np.sin(np.pi * t)                   # noqa: E731
    net.input(pop, lambda t: ge * signal(t))
    xh = net.decoded(pop, np.zeros((n, 1)), tau=10 * ms)
    err = net.error(xh, signal)
    rule = net.pes(xh, err, learning_rate=abs(learning_rate))
    rule.learning_rate = learning_rate                     # a negative rate only to show the sign matters
    pe = net.probe(err, every=10)
    sim = snn.Simulator(net, dt=1 * ms, chunk_steps=700)
    sim.run(t)
    e = sim.data[pe][:, 0]
    first, last = e[:20], e[-len(e) // 6:]               # the first 0.2 s, the last sixth of the run
    return {"first": float(np.sqrt(np.mean(first ** 2))), "last": float(np.sqrt(np.mean(last ** 2))),
            "e": e.tolist(), "d": sim.decoders(xh).ravel().tolist()}


def test_pes_learns_a_communication_channel_and_its_sign_matters():
    learnt = pes_run()
    assert learnt["first"] > 0.2                       # zero decoders: the error starts as the signal itself
    assert learnt["last"] < 0.25 * learnt["first"]     # measured: 0.29 -> 0.05
    wrong = pes_run(learning_rate=-1e-3)               # the opposite sign must not learn (Nengo's sign is -)
    assert wrong["last"] > 10 * learnt["first"]        # it diverges


def test_pes_same_with_and_without_jit():
    jitted = pes_run(t=0.6, n=20)
    assert run_without_jit("test_signals", "pes_run(t=0.6, n=20)") == jitted


def test_bad_signal_arguments_are_named():
    net = snn.Network(seed=0)
    pop = net.population(3)
    with pytest.raises(ValueError, match="decoders must have shape"):
        net.decoded(pop, np.zeros((4, 1)))
    xh = net.decoded(pop, np.zeros(3))
    with pytest.raises(ValueError, match="tau must be > 0"):
        net.decoded(pop, np.zeros(3), tau=0.0)
    with pytest.raises(TypeError, match="decoded must be a DecodedValue"):
        net.error(pop, 0.0)
    err = net.error(xh, 0.0)
    with pytest.raises(ValueError, match="learning_rate must be >= 0"):
        net.pes(xh, err, learning_rate=-1.0)
    with pytest.raises(ValueError, match="encoders must have shape"):
        net.decoded_input(pop, xh, np.zeros((2, 1)))
    with pytest.raises(ValueError, match="only 'value'"):
        net.probe(xh, "voltage")
