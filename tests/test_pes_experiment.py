"""snnlib.experiments.pes (lesson 03, section 4): PES in a spiking population learns a function online, and the
learnt decoders are exactly the sum of the local updates -kappa dt/n e(t) a_i(t) (Nengo's PES)."""
import numpy as np

from snnlib.experiments.pes import learn_function_pes


def test_pes_learns_x_squared_and_its_updates_are_local():
    run = learn_function_pes(np.square, n_neurons=40, learning_rate=1e-3, duration=4.0, seed=2)
    assert run.rms(3, 4) < 0.7 * run.rms(0, 1)
    assert np.abs(run.decoders).max() > 0
    np.testing.assert_allclose(run.decoders, run.local_sum, rtol=1e-9, atol=1e-15)
    # the error is Nengo's actual - target: at t = 0 the decoded value is 0, so e = -target
    assert run.error[0] == -run.target[0] == 0.0 and run.error[500] < 0


def test_pes_run_is_seeded():
    a = learn_function_pes(n_neurons=20, duration=0.5, seed=4)
    b = learn_function_pes(n_neurons=20, duration=0.5, seed=4)
    np.testing.assert_array_equal(a.error, b.error)
    np.testing.assert_array_equal(a.decoders, b.decoders)
