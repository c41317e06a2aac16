"""The distal reward experiment's reward scheduling (snnlib/experiments/distal_reward.py). The experiment's outcome
(the rewarded synapse winning for several seeds) is not tested yet: its parameters are not tuned (see its docstring)."""

import numpy as np


def test_distal_reward_is_the_same_for_any_reward_scheduling_chunk():
    """Rewards come at least 1 s after their pairing, so scheduling them every 0.5 s or every 1 s gives the same run."""
    from snnlib.experiments.distal_reward import simulate_distal_reward

    kw = dict(t_stop=40.0, seed=2, input_rate=5.0)
    a = simulate_distal_reward(chunk=0.5, **kw)
    b = simulate_distal_reward(chunk=1.0, **kw)
    assert len(a.pairings) > 0 and len(a.rewards) == len(a.pairings)
    assert a.rewards.min() >= a.pairings.min() + 1.0 and a.rewards.max() <= a.pairings.max() + 3.0
    assert np.array_equal(a.rewards, b.rewards) and np.array_equal(a.w_others, b.w_others)
    assert a.w_rewarded[-1] == b.w_rewarded[-1]
