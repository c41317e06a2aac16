"""Lesson 07 exercises (solutions passing, each mistake diagnosed, no diagnosis giving the expected
value away, bad answers: tests/test_exercises_all.py): the checks' references agree with snnlib (the Izhikevich and adaptive LIF step functions, firing_patterns.bursts) and with
simulations (the measured range of the chatter experiment)."""
from __future__ import annotations

import numpy as np
import pytest

import snnlib as snn
from course.exercise import NOT_YET, PASSED
from course.exercises import lesson07 as ex
from snnlib.analysis import firing_patterns as fp
from snnlib.neurons.adaptive_lif import adaptive_lif_step
from snnlib.neurons.izhikevich import izhikevich_step
from tests.learner_mistakes import diagnosis_test

EXERCISES = ex.EXERCISES.exercises


def test_there_are_at_least_four_exercises_and_one_runs_snnlib():
    assert len(EXERCISES) >= 4
    assert any(e.kind == "value" for e in EXERCISES)          # the experiment, accepted within a range


# -- the references agree with snnlib and with simulations ------------------------------------------------------
def test_izhikevich_euler_agrees_with_snnlib_step_at_small_dt():
    """snnlib integrates v in two half steps (the paper's code); at dt = 0.001 ms both are the same ODE step to
    O(dt^2), so they agree far below the size of one Euler step's change."""
    v, u = -60.0, -12.0
    v_e, u_e = ex._izh(np.array([v]), np.array([u]), 10.0, 0.001, 0.02, 0.2, -65.0, 8.0)
    v_s, u_s, spiked = izhikevich_step(v * 1e-3, u, 10.0, 1e-6, 0.02, 0.2, -65.0, 8.0, 30.0)
    assert not spiked
    dv = abs(v_e[0] - v)
    assert abs(v_s * 1e3 - v_e[0]) < 1e-4 * dv and abs(u_s - u_e[0]) < 1e-6


def test_burst_reference_matches_snnlib_on_every_case_and_on_simulated_trains():
    for (train,) in ex._BURST_CASES:
        assert ex._bursts(train) == len(fp.bursts(train))
    net = snn.Network(seed=0)
    names = ["RS", "IB", "CH", "FS", "LTS"]
    probes = [net.probe(net.population(1, snn.Izhikevich(preset=n), bias=10.0), "spikes") for n in names]
    sim = snn.Simulator(net, dt=1e-4)
    sim.run(1.0)
    counts = {n: ex._bursts(sim.data[p].times) for n, p in zip(names, probes)}
    assert all(counts[n] == len(fp.bursts(sim.data[p].times)) for n, p in zip(names, probes))
    assert counts["CH"] >= 2 and counts["IB"] == 1 and counts["RS"] == counts["FS"] == 0


def test_adaptation_reference_matches_the_adaptive_lif_step():
    """Run snnlib's adaptive LIF step function for one neuron; n after the run equals the reference's sum over
    the spikes it fired (n decays exactly and jumps by inc_n / tau_n)."""
    m = snn.AdaptiveLIF(tau_n=0.1, inc_n=0.02)
    dt, d = 1e-4, m.derived(1e-4)
    v, ref, n, spikes = 0.0, 0.0, 0.0, []
    for k in range(3000):
        J = 2.0 if k < 2000 else 0.0
        v, ref, n, s = adaptive_lif_step(v, ref, n, J, dt, m.tau_rc, m.tau_ref, m.v_th, m.v_reset, m.v_rest,
                                         d["n_decay"], d["n_jump"])
        if s:
            spikes.append((k + 1) * dt)          # n has jumped at the end of step k
    assert len(spikes) > 5
    t_end = 3000 * dt
    assert ex._adapt(np.array(spikes), np.array([t_end]), m.tau_n, m.inc_n)[0] == pytest.approx(n, rel=1e-9)


@pytest.mark.parametrize("dt", [1e-4, 2.5e-4])
def test_the_chatter_range_is_what_snnlib_measures(dt):
    """Lowest reset c (1 mV grid) named "CH" at a = 0.02, b = 0.2, d = 2, I = 10, 1 s: inside CHATTER_RANGE,
    and the neuron 1 mV below it does not chatter."""
    resets = np.arange(-65.0, -39.0, 1.0)
    net = snn.Network(seed=0)
    probes = [net.probe(net.population(1, snn.Izhikevich(a=0.02, b=0.2, c=c, d=2.0), bias=10.0), "spikes")
              for c in resets]
    sim = snn.Simulator(net, dt=dt)
    sim.run(1.0)
    patterns = [fp.classify(sim.data[p].times) for p in probes]
    lowest = resets[patterns.index("CH")]
    assert ex.CHATTER_RANGE[0] <= lowest <= ex.CHATTER_RANGE[1]
    assert all(p != "CH" for p in patterns[:patterns.index("CH")])
    passed = ex.CHATTER.evaluate(float(lowest))
    assert passed.status == PASSED
    assert ex.CHATTER.evaluate(float(lowest) - 2.0).status == NOT_YET


# -- each listed mistake as a learner would write it ------------------------------------------------------------
# (not the lesson's own mistake functions, which are built on the check's references: the listed-mistake test of
# tests/test_exercises_all.py submits each of them to itself, so a reference or mistake function that drifted from
# the prompt's formula would pass there; written from the prompts and diagnoses)
def _euler(v, u, I, dt, a, b, u_sign=1.0, v_for_u=None):
    v_new = v + dt * (0.04 * v ** 2 + 5 * v + 140 - u_sign * u + I)
    return v_new, u + dt * a * (b * (v if v_for_u is None else v_for_u(v_new)) - u)


def _izh_no_reset(v, u, I, dt, a, b, c, d):
    return _euler(v, u, I, dt, a, b)


def _izh_u_to_d(v, u, I, dt, a, b, c, d):
    v_new, u_new = _euler(v, u, I, dt, a, b)
    return np.where(v_new >= 30, c, v_new), np.where(v_new >= 30, d, u_new)


def _izh_new_v(v, u, I, dt, a, b, c, d):
    v_new, u_new = _euler(v, u, I, dt, a, b, v_for_u=lambda v_new: v_new)
    return np.where(v_new >= 30, c, v_new), np.where(v_new >= 30, u_new + d, u_new)


def _izh_plus_u(v, u, I, dt, a, b, c, d):
    v_new, u_new = _euler(v, u, I, dt, a, b, u_sign=-1.0)
    return np.where(v_new >= 30, c, v_new), np.where(v_new >= 30, u_new + d, u_new)


def _izh_above_peak(v, u, I, dt, a, b, c, d):
    v_new, u_new = _euler(v, u, I, dt, a, b)
    return np.where(v_new > 30, c, v_new), np.where(v_new > 30, u_new + d, u_new)


def _runs(times, burst_isi):
    """(first, end) index pairs of the runs of consecutive ISIs shorter than burst_isi, and the ISIs."""
    isi = np.diff(times)
    short = np.concatenate([[False], isi < burst_isi, [False]]).astype(int)
    edges = np.diff(short)
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1))), isi


def _learner_bursts(times, burst_isi=0.008):
    runs, isi = _runs(times, burst_isi)
    return sum(1 for i, j in runs if j < isi.size and isi[j] >= 3 * isi[i:j].max())


def _adaptation(spike_times, t, tau_n, inc_n, jump=None, kept=lambda dt: dt >= 0, decay=True):
    out = []
    for ti in t:
        dt = ti - np.asarray(spike_times)
        dt = dt[kept(dt)]
        out.append(np.sum((inc_n / tau_n if jump is None else jump) * (np.exp(-dt / tau_n) if decay else 1.0 + 0 * dt)))
    return np.array(out)


def _last_spike_only(spike_times, t, tau_n, inc_n):
    out = []
    for ti in t:
        before = [s for s in spike_times if s <= ti]
        out.append(inc_n / tau_n * np.exp(-(ti - max(before)) / tau_n) if before else 0.0)
    return np.array(out)


LEARNER_MISTAKES = {
    ("izhikevich_euler", "no_reset"): _izh_no_reset,
    ("izhikevich_euler", "u_to_d"): _izh_u_to_d,
    ("izhikevich_euler", "new_v_in_u"): _izh_new_v,
    ("izhikevich_euler", "u_sign"): _izh_plus_u,
    ("izhikevich_euler", "above_peak"): _izh_above_peak,
    ("burst_count", "no_pause"): lambda spike_times, burst_isi=0.008: len(_runs(spike_times, burst_isi)[0]),
    ("burst_count", "short_isis"): lambda spike_times, burst_isi=0.008: int(np.sum(np.diff(spike_times) < burst_isi)),
    ("burst_count", "milliseconds"): lambda spike_times, burst_isi=0.008: _learner_bursts(spike_times, 8.0),
    ("adaptation_after", "jump_inc"): lambda s, t, tau_n, inc_n: _adaptation(s, t, tau_n, inc_n, jump=inc_n),
    ("adaptation_after", "future"): lambda s, t, tau_n, inc_n: _adaptation(s, t, tau_n, inc_n, kept=np.isfinite),
    ("adaptation_after", "no_decay"): lambda s, t, tau_n, inc_n: _adaptation(s, t, tau_n, inc_n, decay=False),
    ("adaptation_after", "last_only"): _last_spike_only,
    ("adaptation_after", "spike_at_t"): lambda s, t, tau_n, inc_n: _adaptation(s, t, tau_n, inc_n,
                                                                                kept=lambda dt: dt > 0),
}


test_a_mistake_written_by_a_learner_gets_its_diagnosis = diagnosis_test(ex.EXERCISES, LEARNER_MISTAKES)


def test_the_learners_own_formulas_pass():
    """The same formulas without the mistakes pass, so the learner's versions above differ only by the mistake."""
    def izh(v, u, I, dt, a, b, c, d):
        v_new, u_new = _euler(v, u, I, dt, a, b)
        return np.where(v_new >= 30, c, v_new), np.where(v_new >= 30, u_new + d, u_new)

    assert ex.EXERCISES.get("izhikevich_euler").evaluate(izh).status == PASSED
    assert ex.EXERCISES.get("burst_count").evaluate(_learner_bursts).status == PASSED
    adaptation = ex.EXERCISES.get("adaptation_after")
    assert adaptation.evaluate(lambda s, t, tau_n, inc_n: _adaptation(s, t, tau_n, inc_n)).status == PASSED


def test_trains_are_built_from_their_intervals():
    """The burst cases are built when the module is imported (before a mutant could be active): `_train` is the
    running sum of the intervals given, first spike at the first interval."""
    np.testing.assert_allclose(ex._train([0.01], [0.002, 0.003], np.full(2, 0.025)), [0.01, 0.012, 0.015, 0.04, 0.065],
                               rtol=1e-12)


def test_an_interval_of_exactly_burst_isi_is_not_short_and_a_spike_at_t_has_fired():
    """The prompts' edges, where the cases' floats never land: an ISI is short only when *shorter* than burst_isi (as
    in snnlib's firing_patterns.bursts), and n at a spike's own time already holds its jump inc_n / tau_n."""
    train = np.array([0.0, 0.25, 0.5, 2.0])                    # exact binary fractions: two ISIs of exactly 0.25
    for burst_isi in (0.25, 0.2500001):
        assert ex._bursts(train, burst_isi) == len(fp.bursts(train, burst_isi)) == (burst_isi > 0.25)
    tau, inc = 0.1, 0.01
    np.testing.assert_allclose(ex._adapt(np.array([0.1, 0.3]), np.array([0.1, 0.3]), tau, inc),
                               [inc / tau, inc / tau * (np.exp(-0.2 / tau) + 1.0)], rtol=1e-12)


def test_a_pause_of_exactly_three_times_the_run_ends_a_burst():
    """The prompt's "at least 3 times the run's longest ISI", on exact binary fractions, like snnlib's bursts."""
    train = np.array([0.0, 0.25, 0.5, 1.25])                   # ISIs 0.25, 0.25, then a pause of exactly 3 x 0.25
    assert ex._bursts(train, 0.5) == len(fp.bursts(train, 0.5)) == 1
    assert ex._bursts(train[:-1].tolist() + [1.2499], 0.5) == len(fp.bursts(train[:-1].tolist() + [1.2499], 0.5)) == 0
