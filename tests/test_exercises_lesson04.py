"""Lesson 04 exercises (solutions passing, each mistake diagnosed, no diagnosis giving the expected
value away, bad answers: tests/test_exercises_all.py): the checks' references agree with snnlib
(NMDASynapse.block, TsodyksMarkram.steady_state and a simulated train), with a numerical integral, and with
simulations of SwitchingPopulation (the measured range of the switch experiment)."""
from __future__ import annotations

import numpy as np
import pytest

import snnlib as snn
from course.exercise import NOT_YET, PASSED
from course.exercises import lesson04 as ex
from snnlib.experiments import synapse_demos as syn
from snnlib.experiments.switching import F0, F1, SwitchingPopulation, rms
from tests.learner_mistakes import diagnosis_test

EXERCISES = ex.EXERCISES.exercises


def test_there_are_at_least_four_exercises_and_one_runs_snnlib():
    assert len(EXERCISES) >= 4
    assert any(e.kind == "value" for e in EXERCISES)          # the experiment, accepted within a range


# -- the references agree with snnlib, with integrals and with simulations ----------------------------------------
def test_mg_block_reference_is_snnlibs_block():
    for v, mg in [(c[0], c[1]) for c in ex.MG.cases]:
        assert np.allclose(ex._block(v, mg), snn.NMDASynapse.block(v, mg), rtol=1e-12)


def test_tm_reference_is_the_closed_form_and_what_a_simulated_train_settles_at():
    for rate, U, tau_D, tau_F in ex._TM_CASES:
        model = snn.TsodyksMarkram(U=U, tau_D=tau_D, tau_F=tau_F)
        assert ex._tm(rate, U, tau_D, tau_F) == pytest.approx(model.steady_state(rate)[2], rel=1e-12)
        # 200 spikes on the 0.1 ms grid (all these periods are whole steps): the last release is the steady state
        run = syn.stp_response(0.01 + np.arange(200) / rate, model)
        assert run.release[-1] == pytest.approx(ex._tm(rate, U, tau_D, tau_F), rel=1e-4), (rate, U, tau_D, tau_F)


def test_reward_reference_is_the_numerical_overlap_of_trace_and_dopamine():
    t = np.arange(0.0, 30.0, 1e-4)
    for delays, A, D, tau_c, tau_d in ex.REWARD.cases:
        for delay in delays:
            c = A * np.exp(-t / tau_c)
            d = np.where(t >= delay, D * np.exp(-(t - delay) / tau_d), 0.0)
            assert np.trapezoid(c * d, t) == pytest.approx(float(ex._reward(delay, A, D, tau_c, tau_d)), rel=1e-3)


@pytest.mark.parametrize("dt, seed", [(1e-3, 1), (1e-3, 2), (5e-4, 1)])
def test_the_switch_range_is_what_snnlib_measures(dt, seed):
    """The lowest level (0.05 grid) at which SwitchingPopulation(seed=3, sensitive=0.25)'s decoded output is closer
    to x^2 than to x lies in SWITCH_RANGE, for simulation seeds and time steps a learner may use; it passes the
    check, and the grid levels just outside the range do not."""
    pop = SwitchingPopulation(seed=3, sensitive=0.25)
    x = pop.x_train
    level = None
    for m in np.round(np.arange(0.0, 1.0001, 0.05), 2):
        out, _ = pop.simulate(x, m, dt=dt, seed=seed)
        if rms(out, F1(x)) < rms(out, F0(x)):
            level = float(m)
            break
    assert ex.SWITCH_RANGE[0] <= level <= ex.SWITCH_RANGE[1]
    assert ex.SWITCH.evaluate(level).status == PASSED
    for outside in (ex.SWITCH_RANGE[0] - 0.05, ex.SWITCH_RANGE[1] + 0.05):
        assert ex.SWITCH.evaluate(outside).status == NOT_YET


def test_tm_parts_are_snnlibs_steady_u_and_x():
    """The reference's parts "u" and "x" are snnlib's u* and x* (the mistake x_only uses "x")."""
    for rate, U, tau_D, tau_F in ex._TM_CASES:
        u, x, _ = snn.TsodyksMarkram(U=U, tau_D=tau_D, tau_F=tau_F).steady_state(rate)
        assert ex._tm(rate, U, tau_D, tau_F, part="u") == pytest.approx(u, rel=1e-12)
        assert ex._tm(rate, U, tau_D, tau_F, part="x") == pytest.approx(x, rel=1e-12)


# each listed mistake as a learner would write it (not the lesson's own mistake function, which is built on the
# check's references and which the listed-mistake test submits to itself): the diagnosis must still be found
def _tm_learner(rate, U, tau_D, tau_F, T=None, facilitate=True, u_in_x=True):
    T = 1.0 / rate if T is None else T
    e_f = np.exp(-T / tau_F) if tau_F > 0 and facilitate else 0.0
    e_d = np.exp(-T / tau_D)
    u = U / (1.0 - (1.0 - U) * e_f)
    return u, (1.0 - e_d) / (1.0 - (1.0 - (u if u_in_x else U)) * e_d)


def _overlap_learner(delay, A, D, tau_c, tau_d, wait_tau=None, span=None):
    left = A * np.exp(-np.asarray(delay) / (tau_c if wait_tau is None else wait_tau))
    return left * D * (1.0 / (1.0 / tau_c + 1.0 / tau_d) if span is None else span)


LEARNER_MISTAKES = {
    ("mg_block", "volts_in_formula"): lambda v, mg=1.0: 1.0 / (1.0 + mg / 3.57 * np.exp(-0.062 * np.asarray(v))),
    ("mg_block", "blocked_fraction"): lambda v, mg=1.0: 1.0 - 1.0 / (1.0 + mg / 3.57 * np.exp(-62.0 * np.asarray(v))),
    ("mg_block", "mg_not_scaled"): lambda v, mg=1.0: 1.0 / (1.0 + mg * np.exp(-62.0 * np.asarray(v))),
    ("mg_block", "sign"): lambda v, mg=1.0: 1.0 / (1.0 + mg / 3.57 * np.exp(62.0 * np.asarray(v))),
    ("tm_steady_release", "no_facilitation"): lambda r, U, tD, tF: np.prod(_tm_learner(r, U, tD, tF, facilitate=False)),
    ("tm_steady_release", "x_only"): lambda r, U, tD, tF: _tm_learner(r, U, tD, tF)[1],
    ("tm_steady_release", "rate_as_period"): lambda r, U, tD, tF: np.prod(_tm_learner(r, U, tD, tF, T=r)),
    ("tm_steady_release", "x_uses_U"): lambda r, U, tD, tF: np.prod(_tm_learner(r, U, tD, tF, u_in_x=False)),
    ("reward_weight_change", "no_trace_decay"): lambda dl, A, D, tc, td: _overlap_learner(dl, A, D, tc, td, np.inf),
    ("reward_weight_change", "decay_with_tau_d"): lambda dl, A, D, tc, td: _overlap_learner(dl, A, D, tc, td, td),
    ("reward_weight_change", "sum_of_taus"): lambda dl, A, D, tc, td: _overlap_learner(dl, A, D, tc, td, span=tc + td),
    ("reward_weight_change", "only_tau_d"): lambda dl, A, D, tc, td: _overlap_learner(dl, A, D, tc, td, span=td),
}


test_a_mistake_written_by_a_learner_gets_its_diagnosis = diagnosis_test(ex.EXERCISES, LEARNER_MISTAKES)
