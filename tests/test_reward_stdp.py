"""Three-factor STDP (Izhikevich 2007): eligibility traces from pair STDP, weight change = eligibility x modulator
(snnlib/learning/reward_stdp.py)."""

import numpy as np
import pytest

from modulation_models import pairing, reward_network
from nojit import run_without_jit
import snnlib as snn

RULE = snn.ThreeFactorSTDP(snn.Network().modulator(0.0))      # the defaults: a_plus 1, a_minus 1.5, tau_c 1 s


def closed_form(c0, t0, t1, t2, height, tau_c=RULE.tau_c):
    """w change for eligibility c0 made at t0, decaying with tau_c, times a modulator pulse `height` in [t1, t2)."""
    return c0 * height * tau_c * (np.exp(-(t1 - t0) / tau_c) - np.exp(-(t2 - t0) / tau_c))


@pytest.mark.parametrize("t_post, reward", [(0.105, (1.0, 1.2, 0.5)), (0.12, (2.0, 2.6, 0.3)),
                                             (0.101, (0.3, 0.31, 2.0))])
def test_causal_pairing_then_delayed_reward_changes_w_by_the_closed_form(t_post, reward):
    """pre at 0.1 s, post after it: c = a_plus exp(-dt/tau_plus), then w grows by c x the integral of the
    decaying eligibility times the reward pulse, however late the reward comes."""
    out = pairing(0.1, t_post, reward)
    assert len(out["pre"]) == 1 and len(out["post"]) == 1
    (tq,), (tp,) = out["pre"], out["post"]
    c0 = RULE.a_plus * np.exp(-(tp - tq) / RULE.tau_plus)
    dw = out["w"] - 0.5
    assert dw > 0
    assert dw == pytest.approx(closed_form(c0, tp, *reward), rel=1e-9)


def test_anti_causal_pairing_then_reward_depresses_by_the_closed_form():
    out = pairing(0.11, 0.1, (1.0, 1.5, 0.5))
    (tq,), (tp,) = out["pre"], out["post"]
    assert tq > tp
    c0 = -RULE.a_minus * np.exp(-(tq - tp) / RULE.tau_minus)
    dw = out["w"] - 0.5
    assert dw < 0
    assert dw == pytest.approx(closed_form(c0, tq, 1.0, 1.5, 0.5), rel=1e-9)


def test_no_modulator_no_weight_change():
    """Pairings alone only mark synapses as eligible: with d = 0 no weight moves, however active the network."""
    assert pairing(0.1, 0.105, (1.0, 1.2, 0.0))["w"] == 0.5
    out = reward_network(d_level=0.0, T=0.5)
    w0 = np.random.default_rng(0).uniform(0.05, 0.3, (10, 40)).ravel()
    assert len(out["post"][0]) > 20
    assert np.array_equal(out["w"], w0)


def test_weights_stay_within_the_bounds():
    assert pairing(0.1, 0.105, (0.2, 1.2, 1e4))["w"] == 10.0                  # w_max of `pairing`
    assert pairing(0.105, 0.1, (0.2, 1.2, 1e4))["w"] == 0.0                   # w_min


def test_activity_modulated_network_learns_and_is_the_same_with_and_without_the_jit():
    here = reward_network(T=0.5)
    w0 = np.random.default_rng(0).uniform(0.05, 0.3, (10, 40)).ravel()
    assert np.max(np.abs(np.array(here["w"]) - w0)) > 1e-3          # the weights moved
    assert run_without_jit("modulation_models", "reward_network(T=0.5)") == here


def test_any_chunk_size_gives_the_same_learning():
    assert reward_network(T=0.5, chunk_steps=7) == reward_network(T=0.5)


def test_modulator_of_another_network_is_refused():
    other = snn.Network().modulator(1.0)
    net = snn.Network(seed=0)
    a, b = net.population(2), net.population(2)
    with pytest.raises(ValueError, match="belongs to another network"):
        net.connect(a, b, 0.1, plasticity=snn.ThreeFactorSTDP(other))
    with pytest.raises(TypeError, match="modulator must be a Modulator"):
        snn.ThreeFactorSTDP(0.5)
