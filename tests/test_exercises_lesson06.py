"""Lesson 06 exercises: the checks' references agree with snnlib.nef (gain/bias, LstsqL2, decoding, the
integrator built from the recurrent transform), and checks never crash. (Solutions passing and mistakes
diagnosed: tests/test_exercises_all.py, for every lesson.)"""
from __future__ import annotations

import numpy as np
import pytest

from course.exercises import lesson06 as ex
from course.exercises import lesson06_solutions as sol
from snnlib import nef


def test_gain_bias_reference_matches_snnlib_nef():
    rates, icpt = np.array([120.0, 250.0, 399.0]), np.array([-0.9, 0.1, 0.85])
    assert np.allclose(ex._gain_bias(rates, icpt, 0.02, 0.002), np.array(nef.gain_bias(rates, icpt)))


def test_lstsq_reference_matches_snnlib_lstsql2():
    A, x = ex._A2, ex._X2[:, None]
    assert np.allclose(ex._lstsq(A, x, 0.1), nef.LstsqL2(0.1)(A, x)[0], rtol=1e-8, atol=1e-12)


def test_decode_reference_matches_ensemble_decode():
    ens = nef.Ensemble(40, dimensions=2, radius=1.5, seed=4)
    D = ens.decoders()
    x = ens.eval_points[:20]
    by_hand = ex._decode(x, ens.encoders, ens.gain, ens.bias, ens.radius, D)
    assert np.allclose(by_hand, ens.decode(x, D), rtol=1e-10)


def test_recurrent_transform_solution_makes_an_integrator_hold_its_value():
    tau = 0.1
    model = nef.Network(seed=0)
    pulse = model.node(lambda t: 2.5 if t < 0.2 else 0.0)
    a = model.ensemble(100)
    model.connect(pulse, a, transform=tau, synapse=tau)
    model.connect(a, a, transform=sol.recurrent_transform(np.array([[0.0]]), tau), synapse=tau)
    p = model.probe(a, synapse=0.05)
    sim = nef.Simulator(model)
    sim.run(0.6)
    x = sim.data[p][:, 0]
    assert x[299] == pytest.approx(0.5, abs=0.05) and abs(x[599] - x[299]) < 0.05


def test_experiment_errors_fall_with_n():
    errors = ex.measured_errors()
    values = [errors[n] for n in ex.CANDIDATES]
    assert all(b < a for a, b in zip(values, values[1:]))
    # the targets sit between candidates, not on a knife edge (more than 5 % from every mean error)
    assert min(abs(e - 0.012) / 0.012 for e in values) > 0.1      # measured: 0.0143 (N 100) and 0.0105 (N 200)

