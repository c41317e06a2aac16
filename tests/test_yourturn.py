"""The "Your turn" cells inside the lessons (course/exercises/yourturn.py): each lesson has one, checked in
place; the reference solution (which runs snnlib) passes; every listed mistake gets its own diagnosis; answers
measured from a simulation are accepted over the spread that simulation actually has."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course.exercise import NOT_YET, PASSED
from course.exercises import yourturn

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
CELLS = {"00": "slow_membrane_rate", "01": "poisson_cv", "02": "loihi_energy", "04": "last_release",
         "05": "balanced_cv", "06": "leaky_feedback", "07": "adaptation_index", "08": "longest_presentation"}
ALL = [(key, e) for key, s in yourturn.SETS.items() for e in s.exercises]


@pytest.fixture(scope="module")
def solutions():
    return importlib.import_module("course.exercises.yourturn_solutions")


@pytest.mark.parametrize("key, exercise_id", CELLS.items())
def test_each_lesson_has_its_your_turn_cell_with_a_stub_and_a_check(key, exercise_id):
    path = next(LESSONS.glob(f"{key}_*.ipynb"))
    code = [c for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "code"]
    stub = [c for c in code if c.source.startswith(f"{exercise_id} = ...")]
    check = [c for c in code if c.source.strip() == f"yourturn.check_{exercise_id}({exercise_id})"]
    assert len(stub) == 1 and len(check) == 1
    # stored executed: the unsolved stub gets the "not yet solved" message, never an error
    text = "".join(o.get("text", "") for o in check[0].outputs)
    assert "not yet solved" in text and "Traceback" not in text
    assert yourturn.SETS[key].lesson == path.stem


@pytest.mark.parametrize("key, e", ALL, ids=[e.id for _, e in ALL])
def test_reference_solution_computed_with_snnlib_passes(key, e, solutions):
    r = e.evaluate(getattr(solutions, e.id))
    assert r.status == PASSED, r.message


@pytest.mark.parametrize("key, e, m", [(k, e, m) for k, e in ALL for m in e.mistakes],
                         ids=[f"{e.id}-{m.name}" for _, e in ALL for m in e.mistakes])
def test_each_mistake_gets_its_diagnosis_without_the_expected_value(key, e, m):
    r = e.evaluate(m.impl())
    assert (r.status, r.message) == (NOT_YET, m.diagnosis)
    shown = re.escape(f"{float(e.reference()):.3g}")
    assert not re.search(rf"(?<![\d./]){shown}(?![\d./])", m.diagnosis)     # the answer is never given away


def test_slow_membrane_rate_accepts_any_dt_and_rejects_the_default_membrane():
    import snnlib as snn

    e = yourturn.SETS["00"].exercises[0]
    for dt in (1e-3, 1e-4):
        rate = snn.simulate_lif(2.0, t_stop=2.0, dt=dt, tau_rc=0.05, tau_ref=0.002).rate
        assert e.evaluate(rate).passed, dt
    assert not e.evaluate(snn.simulate_lif(2.0, t_stop=2.0, dt=1e-4).rate).passed


def test_poisson_cv_range_covers_the_measured_spread_of_the_experiment():
    # The acceptance range (1 +- 0.1) against the experiment's own spread over seeds: every seed passes, with
    # room to spare (measured mean CV of 20 trains x 20 s at 5 Hz: sd about 0.02).
    from snnlib.analysis import spikecode as enc
    from snnlib.analysis import spiketrains as st

    e = yourturn.SETS["01"].exercises[0]
    cvs = []
    for seed in range(30):
        times, neurons = enc.poisson_spikes([5.0] * 20, 20.0, seed=seed)
        cvs.append(np.mean([st.cv_isi(t) for t in st.split_trains(times, neurons, 20)]))
    cvs = np.array(cvs)
    assert abs(cvs.mean() - 1.0) < 0.02 and cvs.std() < 0.03
    assert all(e.evaluate(cv).passed for cv in cvs)
    assert e.atol >= 3 * cvs.std()


def test_loihi_energy_reference_is_the_energy_model_written_out():
    from snnlib.energy import OpCounts, estimate

    e = yourturn.SETS["02"].exercises[0]
    counts = OpCounts.spiking([100, 200, 10], rates=20.0, timesteps=50, dt=1e-3, linear_output=True)
    assert float(e.reference()) == pytest.approx(estimate(counts, ["loihi"])["loihi"].total, rel=1e-12)
    # hand count: 22000 connections x 20 Hz x 50 ms = 22000 events; 200 neurons x 50 steps
    assert float(e.reference()) == pytest.approx(22000 * 27.1e-12 + 10000 * 81e-12)


def test_learner_api_lists_and_dispatches(capsys):
    yourturn.hint()
    out = capsys.readouterr().out
    assert all(i in out for i in CELLS.values())
    yourturn.hint("nope")
    assert "no Your-turn cell 'nope'" in capsys.readouterr().out
    for s in yourturn.SETS.values():  # hints count per process: start from the first whatever ran before
        s._hints_shown.pop("poisson_cv", None)
    yourturn.hint("poisson_cv")
    assert re.search(r"Hint 1 of \d+ for poisson_cv", capsys.readouterr().out)
    yourturn.solution("loihi_energy")
    assert "OpCounts.spiking" in capsys.readouterr().out
    assert yourturn.check("poisson_cv", 1.0).passed


def test_an_unknown_cell_is_named_with_the_list_of_cells_and_nothing_is_checked(capsys):
    listing = "they are: " + ", ".join(CELLS[k] for k in sorted(CELLS))
    assert yourturn.check("nope", 1.0) is None
    assert capsys.readouterr().out == f"no Your-turn cell 'nope'; {listing}\n"
    yourturn.solution("nope")
    assert capsys.readouterr().out == f"no Your-turn cell 'nope'; {listing}\n"
    yourturn.hint()
    assert capsys.readouterr().out == (f"Your-turn cells: {', '.join(CELLS[k] for k in sorted(CELLS))}; ask for a hint "
                                       'with yourturn.hint("name").\n')


def test_the_lif_rate_of_the_slow_membrane_cell_is_snnlibs_analytic_rate():
    """The reference of the lesson 00 cell, at and around the threshold J = 1 (no spikes at or below it) and at the
    default refractory period."""
    from snnlib.nef.tuning import lif_rates

    for J in (0.5, 1.0, 1.0 + 1e-9, 1.5, 2.0, 10.0):
        for tau_rc in (0.02, 0.05):
            assert yourturn._lif_rate(J, tau_rc) == pytest.approx(lif_rates(np.array([J]), tau_rc, 0.002)[0], rel=1e-6)


def test_a_set_of_one_cell_records_under_its_lesson_and_its_setup_imports_yourturn(capsys):
    """`_set` (called when the module is imported, so called again here): the set records progress under the lesson's
    key, prints its title in the summary, reads the solutions module of the Your-turn cells, and its setup gives the
    `yourturn` name the check cells use."""
    e = yourturn.SETS["07"].exercises[0]
    s = yourturn._set("07_beyond_lif", "Your turn, lesson 07", e)
    assert (s.lesson, s.exercises, s.solutions_module) == ("07_beyond_lif", [e], "course.exercises.yourturn_solutions")
    s.summary()
    assert capsys.readouterr().out.startswith("Your turn, lesson 07: 0 of 1 exercises passed in this session.")
    names = {}
    exec(s.setup, names)
    assert names["yourturn"] is yourturn
    for key, s in yourturn.SETS.items():
        assert s.lesson.startswith(key + "_") and [e.id for e in s.exercises] == [CELLS[key]]
        assert callable(getattr(yourturn, f"check_{CELLS[key]}"))


def test_the_energy_cells_mistakes_computed_with_snnlib_get_their_diagnoses():
    """Each listed mistake of the lesson 02 cell as snnlib computes it (not the module's own mistake values)."""
    from snnlib.energy import OpCounts, estimate

    e = yourturn.SETS["02"].exercises[0]
    diagnosis = {m.name: m.diagnosis for m in e.mistakes}

    def loihi(counts):
        return estimate(counts, ["loihi"])["loihi"]

    spiking = dict(rates=20.0, timesteps=50, dt=1e-3, linear_output=True)
    answers = {"readout_updated": loihi(OpCounts.spiking([100, 200, 10], **{**spiking, "linear_output": False})).total,
               "no_neuron_updates": loihi(OpCounts.spiking([100, 200, 10], **spiking)).synop_energy,
               "dt_in_ms": loihi(OpCounts.spiking([100, 200, 10], **{**spiking, "dt": 1.0})).total,
               "dense_counts": loihi(OpCounts.dense([100, 200, 10])).total}
    assert set(answers) == set(diagnosis)
    for name, answer in answers.items():
        r = e.evaluate(answer)
        assert (r.status, r.message) == (NOT_YET, diagnosis[name]), name



def test_leaky_feedback_makes_the_nef_integrator_forget_with_tau_leak():
    from snnlib import nef

    model = nef.Network(seed=0)
    a = model.ensemble(100)
    start = model.node(lambda t: 5.0 if t < 0.1 else 0.0)            # 0.5 after 0.1 s
    model.connect(start, a, transform=0.1, synapse=0.1)
    model.connect(a, a, transform=float(yourturn.SETS["06"].exercises[0].reference()), synapse=0.1)
    p = model.probe(a, synapse=0.05)
    sim = nef.Simulator(model)
    sim.run(0.8)
    x = sim.data[p][:, 0]
    # from its peak, x decays with tau_leak = 0.5 s: after 0.5 s about 1/e of it (spiking noise: +-0.1)
    k = int(np.argmax(x))
    assert x[k + 500] / x[k] == pytest.approx(np.exp(-1), abs=0.1)


@pytest.mark.parametrize("dt", [1e-4, 2.5e-4, 1e-3])
def test_adaptation_index_range_covers_the_measurement_at_each_dt_and_either_rate_estimate(dt):
    """The accepted range (0.59 +- 0.02) against the experiment: 1 - f_inf/f0 of AdaptiveLIF(0.1 s, 0.05) at J = 3,
    f_inf as spikes over the last second or as (spikes - 1) / their span; the plain LIF's index (0) fails."""
    import snnlib as snn

    e = yourturn.SETS["07"].exercises[0]
    for model, passes in ((snn.AdaptiveLIF(tau_n=0.1, inc_n=0.05), True), (snn.LIF(), False)):
        net = snn.Network(seed=0)
        probe = net.probe(net.population(1, model, bias=3.0), "spikes")
        sim = snn.Simulator(net, dt=dt)
        sim.run(2.0)
        t = sim.data[probe].times
        late = t[t > 1.0]
        for f_inf in (late.size / 1.0, (late.size - 1) / (late[-1] - late[0])):
            assert e.evaluate(1.0 - f_inf * (t[1] - t[0])).passed is passes, (dt, model, f_inf)


@pytest.mark.parametrize("dt", [1e-4, 5e-4])
def test_balanced_cv_range_covers_the_measurement_over_seeds_and_rejects_a_clock(dt):
    """The accepted range (0.97 +- 0.08) against the experiment: the mean CV of 50 LIF neurons (bias 0.6, OU noise
    sigma 0.7, tau 10 ms, 10 s) at several seeds and two time steps passes; the constant-drive clock fails."""
    import snnlib as snn
    from snnlib.analysis import spiketrains as st
    from snnlib.noise import OUNoise

    e = yourturn.SETS["05"].exercises[0]
    for seed in (0, 1, 2):
        net = snn.Network(seed=seed)
        pop = net.population(50, snn.LIF(), bias=0.6, v_init=snn.Uniform(0, 1))
        net.noise(pop, OUNoise(sigma=0.7, tau=0.01))
        probe = net.probe(pop, "spikes")
        sim = snn.Simulator(net, dt=dt)
        sim.run(10.0)
        cv = np.mean([st.cv_isi(t) for t in sim.data[probe].trains()])
        assert e.evaluate(cv).passed, (seed, dt, cv)
        assert abs(cv - float(e.reference())) < e.atol / 2, (seed, dt, cv)   # room to spare
    from snnlib.experiments.noise import simulate_irregular_firing

    assert not e.evaluate(simulate_irregular_firing(mean=1.5, sigma=0.0, t_stop=2.0).cv).passed


def test_longest_presentation_is_the_energy_model_written_out():
    """The ANN's GPU inference (128 operations at 0.3 nJ) over one Loihi step of 200 neuron updates (81 pJ each),
    in steps of 1 ms: a spiking inference longer than about 2.4 ms costs more than the ANN on a GPU."""
    from snnlib.energy import estimate, get_device
    from snnlib.experiments import capstone

    e = yourturn.SETS["08"].exercises[0]
    ann = estimate(capstone.ann_energy_counts(), ["gpu"])["gpu"].total
    assert ann == pytest.approx(128 * 0.3e-9)
    assert float(e.reference()) == pytest.approx(ann / (200 * get_device("loihi").energy_per_neuron) * 1e-3)
    assert 2e-3 < float(e.reference()) < 3e-3
