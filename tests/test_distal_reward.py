"""The distal reward experiment (snnlib/experiments/distal_reward.py, Izhikevich 2007 scaled down): the synapse
whose pairings are rewarded 1-3 s later ends above the other 499 synapses' 99th percentile for several seeds; in
the control (the same rewards, 20-40 s late) it stays with the others; same seed, same run."""

import numpy as np
import pytest

SEEDS = (1, 2, 3)


@pytest.fixture(scope="module")
def runs():
    """One full default run per (seed, contingent), shared by the tests (about 5 s each)."""
    from snnlib.experiments.distal_reward import simulate_distal_reward

    out = {(s, True): simulate_distal_reward(seed=s) for s in SEEDS}
    out.update({(s, False): simulate_distal_reward(seed=s, contingent=False) for s in SEEDS[:2]})
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_the_rewarded_synapse_ends_above_the_others_99th_percentile(runs, seed):
    r = runs[(seed, True)]
    assert len(r.rewards) > 100                                   # enough rewards for the claim to mean something
    assert r.w_rewarded[-1] > r.w_others_p99[-1] + 0.1            # clearly above, not at the edge
    assert r.w_rewarded[-1] > r.w_rewarded[0]                     # it rose ...
    assert r.w_others_median[-1] < r.w_others_median[0]           # ... while the others drifted down
    assert r.rank == 1.0


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_with_rewards_unrelated_to_its_pairings_the_chosen_synapse_stays_with_the_others(runs, seed):
    c, r = runs[(seed, False)], runs[(seed, True)]
    assert abs(len(c.rewards) - len(r.rewards)) < 0.2 * len(r.rewards)  # about as many rewards delivered
    assert c.w_rewarded[-1] < c.w_others_p99[-1]
    assert c.rank < 0.99


def test_same_seed_same_run(runs):
    from snnlib.experiments.distal_reward import simulate_distal_reward

    a, b = simulate_distal_reward(seed=1, t_stop=100.0), simulate_distal_reward(seed=1, t_stop=100.0)
    assert np.array_equal(a.pairings, b.pairings) and np.array_equal(a.rewards, b.rewards)
    assert np.array_equal(a.w_others, b.w_others) and np.array_equal(a.w_rewarded, b.w_rewarded)
    # and a shorter run is the start of the longer one (the spikes do not depend on the weights)
    n = len(a.t)
    assert np.array_equal(a.w_rewarded, runs[(1, True)].w_rewarded[:n])


def test_the_plastic_weights_do_not_drive_the_neurons():
    """ExpSynapse(scale=0): the neurons' spikes are the same whatever the plastic weights are."""
    from snnlib.experiments.distal_reward import simulate_distal_reward

    a, b = simulate_distal_reward(seed=4, t_stop=30.0), simulate_distal_reward(seed=4, t_stop=30.0, w_init=1.0)
    assert np.array_equal(a.pairings, b.pairings) and a.rate == b.rate


def test_distal_reward_is_the_same_for_any_reward_scheduling_chunk():
    """Rewards come at least 1 s after their pairing, so scheduling them every 0.5 s or every 1 s gives the same run."""
    from snnlib.experiments.distal_reward import simulate_distal_reward

    kw = dict(t_stop=60.0, seed=2, input_rate=5.0)
    a = simulate_distal_reward(chunk=0.5, **kw)
    b = simulate_distal_reward(chunk=1.0, **kw)
    assert len(a.pairings) > 0 and 0 < len(a.rewards) <= len(a.pairings)
    assert a.rewards.min() >= a.pairings.min() + 1.0 and a.rewards.max() <= a.pairings.max() + 3.0
    assert np.array_equal(a.rewards, b.rewards) and np.array_equal(a.w_others, b.w_others)
    assert a.w_rewarded[-1] == b.w_rewarded[-1]


def test_exp_synapse_scale_multiplies_the_jump_and_is_checked():
    import snnlib as snn

    assert snn.ExpSynapse(0.005, scale=0.0).derived(1e-3)["gain"] == 0.0
    assert snn.ExpSynapse(0.01, normalize="area", scale=2.0).gain == pytest.approx(200.0)
    assert "scale" not in repr(snn.ExpSynapse()) and "scale=0.5" in repr(snn.ExpSynapse(scale=0.5))
    with pytest.raises(ValueError, match="scale"):
        snn.ExpSynapse(scale=-1.0)
