"""Lesson 00 exercises: the learner API in use, and the checks' analytic references agree with the
literature, with snnlib and with simulation.  (Reference solutions and diagnosed mistakes of every
lesson are tested in test_exercises_all.py.)"""
from __future__ import annotations

import math

import numpy as np
import pytest

from course import progress
from course.exercise import NOT_YET, PASSED
from course.exercises import lesson00 as ex
from course.exercises import lesson00_solutions as sol
from tests.learner_mistakes import diagnosis_test



def test_learner_api_prints_verdict_hints_and_solution_only_on_request(capsys):
    ex.check_rheobase(sol.rheobase)
    assert capsys.readouterr().out == "\u2714 rheobase: passed.\n"
    ex.check_rheobase(lambda v_th, v_rest, v_reset: v_th)
    assert "you returned the threshold voltage itself" in capsys.readouterr().out
    ex.check_J_100Hz(3.0)
    out = capsys.readouterr().out
    assert "truncated to a whole number" in out and "3.03" not in out  # diagnosed, not answered
    n = len(ex.EXERCISES.get("rheobase").hints)
    ex.EXERCISES._hints_shown.pop("rheobase", None)
    for k in range(1, n + 1):
        ex.hint("rheobase")
        out = capsys.readouterr().out
        assert out.startswith(f"Hint {k} of {n} for rheobase:")
        assert "return v_th - v_rest" not in out or k == n  # only the last hint comes close
    ex.hint("rheobase")
    assert "No more hints for rheobase" in capsys.readouterr().out
    ex.solution("rheobase")
    assert "return v_th - v_rest" in capsys.readouterr().out
    ex.hint("no_such_exercise")
    assert "the exercises are: euler_step" in capsys.readouterr().out
    ex.hint()  # no name: the list of exercises, not a TypeError
    out = capsys.readouterr().out
    assert out.startswith('Which exercise? Give its name, e.g. ex.hint("euler_step")')
    assert all(f"  {e.id} " in out for e in ex.EXERCISES.exercises)
    ex.solution()
    assert capsys.readouterr().out.startswith('Which exercise? Give its name, e.g. ex.solution("euler_step")')


def test_progress_records_each_check():
    ex.check_euler_step(sol.euler_step)
    ex.check_exact_step(sol.euler_step)
    assert progress.load()["00_welcome"]["euler_step"]["status"] == PASSED
    assert progress.load()["00_welcome"]["exact_step"]["status"] == NOT_YET


# -- the references behind the checks ----------------------------------------------------------
def test_rate_reference_matches_literature_values():
    """shared/reference/science.md: J = 1.5, 2, 5 -> 41.7149, 63.0400, 154.7300 Hz (Nengo defaults)."""
    np.testing.assert_allclose(ex._rate(np.array([1.5, 2.0, 5.0])), [41.7149, 63.0400, 154.7300], atol=1e-4)
    assert ex._rate(np.array([0.5, 1.0]))[0] == 0 and ex._rate(np.array([1.0]))[0] == 0


def test_rate_reference_matches_snnlib():
    import snnlib as snn  # the project's own package: a broken import must fail, not skip
    J = np.linspace(-1, 20, 200)
    for tau_rc, tau_ref in [(0.02, 0.002), (0.05, 0.001), (0.01, 0.005)]:
        np.testing.assert_allclose(ex._rate(J, tau_rc, tau_ref), snn.LIF(tau_rc=tau_rc, tau_ref=tau_ref).rates(J),
                                   rtol=1e-9, atol=1e-9)


def _simulated_rate(J, tau_rc=0.02, tau_ref=0.002, dt=1e-5, t_end=1.0):
    """Count spikes of a LIF neuron stepped with the exact update; the refractory period starts at
    the threshold crossing, found inside the step (as in Nengo)."""
    v, t, spikes, refractory = 0.0, 0.0, 0, 0.0
    while t < t_end:
        t += dt
        active = dt - min(refractory, dt)  # part of this step after the refractory period
        refractory = max(refractory - dt, 0.0)
        v = J + (v - J) * math.exp(-active / tau_rc)
        if v > 1:
            since = tau_rc * math.log((J - 1) / (J - v))  # J + (1 - J) exp(-s/tau_rc) = v, solved for s
            spikes += 1
            v, refractory = 0.0, tau_ref - since
    return spikes / t_end


@pytest.mark.parametrize("J", [1.5, 2.0, 5.0])
def test_rate_reference_matches_simulation(J):
    assert _simulated_rate(J) == pytest.approx(float(ex._rate(np.array(J))), abs=1.0)


def test_exact_step_is_the_limit_of_euler_steps():
    v, J, dt, tau = 0.2, 1.7, 0.02, 0.02
    errors = []
    for n in (100, 1000):
        x = v
        for _ in range(n):
            x = ex._euler(x, J, dt / n, tau)
        errors.append(abs(x - ex._exact(v, J, dt, tau)))
    assert errors[1] < 1e-3
    assert errors[0] / errors[1] == pytest.approx(10, rel=0.05)  # forward Euler is first order


def test_rheobase_separates_silence_from_firing_in_si_units():
    v_th, v_rest, tau = -0.050, -0.065, 0.020
    J_th = ex._rheobase(v_th, v_rest, -0.070)

    def reaches_threshold(J):
        v = v_rest
        for _ in range(2000):  # 2 s of 1 ms exact steps, 100 time constants
            v = (v_rest + J) + (v - v_rest - J) * np.exp(-0.001 / tau)
            if v >= v_th:
                return True
        return False
    assert reaches_threshold(J_th + 0.0005) and not reaches_threshold(J_th - 0.0005)


def test_drive_for_rate_inverts_the_rate():
    for r in (5.0, 100.0, 400.0):
        assert float(ex._rate(np.array(ex._drive_for_rate(r)))) == pytest.approx(r, rel=1e-12)
    assert float(sol.lif_rate(np.array(sol.J_100Hz))) == pytest.approx(100.0, rel=1e-12)


def test_simulate_rate_reference_counts_what_the_discrete_simulation_gives():
    """The check's reference counts spikes without simulating; it must equal a step-by-step simulation, and no
    case may put a threshold crossing within rounding distance of a step's end (then float order would decide)."""
    e = ex.EXERCISES.get("simulate_rate")
    for case in e.cases:
        J, dt, t_end, tau_rc, tau_ref = (list(case) + [ex.TAU_RC, ex.TAU_REF])[:5]
        assert ex._discrete_rate(*case) == ex._naive_simulation(J, dt, t_end, tau_rc, tau_ref)
        if J > 1:
            k = tau_rc / dt * np.log(J / (J - 1))
            assert abs(k - round(k)) > 1e-6, case
    # the discrete rate converges to the formula as dt shrinks (crossings detected at step ends are late)
    errors = [abs(ex._discrete_rate(5.0, dt, 2.0) - float(ex._rate(np.array(5.0)))) for dt in (1e-4, 1e-5)]
    assert errors[1] < errors[0] < 0.03 * float(ex._rate(np.array(5.0)))


# -- the learner API's bookkeeping (course/exercise_set.py) ----------------------------------------------------

def test_a_check_records_its_message_and_an_untouched_stub_only_as_a_result(tmp_path, monkeypatch):
    import json

    results = tmp_path / "results.jsonl"
    monkeypatch.setenv(progress.RESULTS_ENV, str(results))
    stub = {}
    exec(ex.EXERCISES.get("rheobase").stub, {"np": np, "math": math}, stub)  # the notebook's untouched cell
    before = progress.load().get("00_welcome", {}).get("rheobase")
    untouched = ex.EXERCISES.check("rheobase", stub["rheobase"])
    assert untouched.unsolved and progress.load().get("00_welcome", {}).get("rheobase") == before
    wrong = ex.EXERCISES.check("rheobase", lambda v_th, v_rest, v_reset: v_th)
    lines = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    assert [(r["exercise"], r["status"], r["message"]) for r in lines] == [
        ("rheobase", untouched.status, untouched.message), ("rheobase", NOT_YET, wrong.message)]
    assert "threshold voltage itself" in wrong.message


def test_summary_lists_this_sessions_verdicts(capsys, monkeypatch):
    monkeypatch.setattr(ex.EXERCISES, "_session", {})
    ex.check_euler_step(sol.euler_step)
    ex.check_exact_step(sol.euler_step)
    ex.check_rheobase(lambda v_th, v_rest, v_reset: v_th)
    capsys.readouterr()
    ex.summary()
    lines = capsys.readouterr().out.splitlines()
    n = len(ex.EXERCISES.exercises)
    assert lines[0] == f"{ex.EXERCISES.title}: 1 of {n} exercises passed in this session."
    verdicts = {"euler_step": "passed", "exact_step": "not yet", "rheobase": "not yet"}
    assert lines[1:] == [f"  {e.id:<14} {verdicts.get(e.id, 'not checked')}" for e in ex.EXERCISES.exercises]


def test_a_function_stands_for_its_exercise_when_asking_for_help(capsys, monkeypatch):
    import functools

    monkeypatch.setattr(ex.EXERCISES, "_hints_shown", {})
    ex.hint(sol.rheobase)
    assert capsys.readouterr().out.startswith("Hint 1 of ")
    ex.solution(sol.rheobase)
    e = ex.EXERCISES.get("rheobase")
    assert capsys.readouterr().out == (
        "Reference solution for rheobase (compare it with yours; to move on, copy it into the cell above and "
        "run that cell):\n\n" + e.solution.rstrip("\n") + "\n")
    nameless = functools.partial(sol.rheobase, 1.0)  # callable, without a __name__: named by its repr
    ex.hint(nameless)
    assert capsys.readouterr().out.startswith(f"no exercise {nameless!r} in lesson 00_welcome; the exercises are: ")


@pytest.mark.parametrize("code", ["x = 1  \n", "AXIS_X\n\n"])
def test_a_solution_is_printed_as_written_without_its_final_newlines(capsys, monkeypatch, code):
    monkeypatch.setattr(ex.EXERCISES.get("rheobase"), "solution", code)
    ex.solution("rheobase")
    assert capsys.readouterr().out.endswith("run that cell):\n\n" + code.rstrip("\n") + "\n")


# -- reading a solutions module (course/exercise_set.py; run at import, so tested directly) -----------------------

def test_split_solutions_cuts_at_each_marker_line():
    from course.exercise_set import split_solutions

    src = ("import numpy as np\n\n\n# %% first\ndef f(x):\n    \"\"\"Doc.\"\"\"\n    return x\n\n"
           "# %% second \t\nY = 2\n\n\n#%% not_a_marker\nZ = 3\n")
    header, cells = split_solutions(src)
    assert header == "import numpy as np\n"
    assert cells == {"first": 'def f(x):\n    """Doc."""\n    return x\n',
                     "second": "Y = 2\n\n\n#%% not_a_marker\nZ = 3\n"}
    assert split_solutions("x = 1\n") == ("x = 1\n", {})
    # only blank lines are trimmed around a cell: spaces and what the code starts or ends with stay
    assert split_solutions("X = 0  \n\n# %% c\n\nX = 2  \n\n") == ("X = 0  \n", {"c": "X = 2  \n"})


def test_stub_from_solution_keeps_decorators_signature_and_docstring():
    from course.exercise_set import stub_from_solution

    assert stub_from_solution('@dec\ndef f(x):\n    """Doc."""\n    return x\n', "compute it") == \
        '@dec\ndef f(x):\n    """Doc."""\n    # TODO: compute it\n    ...\n'
    assert stub_from_solution("import math\n\n\ndef f(x,\n      y):\n        return x\n", "add") == \
        "def f(x,\n      y):\n        # TODO: add\n        ...\n"
    # a string assigned first is code, not a docstring
    assert stub_from_solution('def f(x):\n    y = "text"\n    return y\n', "t") == "def f(x):\n    # TODO: t\n    ...\n"


def test_how_exercises_work_names_the_lesson_and_the_example_everywhere():
    from course.exercise_set import how_exercises_work

    assert how_exercises_work("03", "softlif") == (
        "**How exercises work.** Edit the code cell of each exercise (replace the `...`), run it, then run the "
        "check cell below it. The check prints **\u2714 passed**, **\u2718 not yet** with a diagnosis of the "
        "mistake, or **\u26a0 error** if your code raised or ran too long.\n\n"
        '* `ex.hint("softlif")` shows the next hint (run it again for more).\n'
        '* `ex.solution("softlif")` shows the reference solution: try the hints first.\n'
        "* From a terminal, `course check 03` runs all checks of this notebook; `course reset 03` restores the "
        "original notebook after saving your copy in `exercises/.backup/`.\n\n")


def _exercise(id_, stub=None):
    from course.exercise import Exercise

    return Exercise(id=id_, title=id_, prompt="", reference=lambda x: x, stub=stub)


def test_an_exercise_set_reads_its_solutions_and_refuses_what_does_not_fit():
    from course.exercise_set import ExerciseSet

    def make(exercises, module="course.exercises.lesson00_solutions"):
        return ExerciseSet(lesson="99_test", title="T", intro="", setup="", exercises=exercises,
                           solutions_module=module)

    s = make([_exercise("rheobase"), _exercise("euler_step", stub="# hand-written\n")])
    # the header: the module's text before its first marker line (the lesson's own set read it at import)
    assert s.solutions_header == ex.EXERCISES.solutions_header and s.solutions_header.startswith('"""Reference')
    assert "\n# %% " not in s.solutions_header
    assert s.get("rheobase").solution == ex.EXERCISES.get("rheobase").solution
    assert s.get("rheobase").stub.endswith("    # TODO: your code here\n    ...\n")
    assert s.get("euler_step").stub == "# hand-written\n"  # a given stub is kept
    assert s.ids == ["rheobase", "euler_step"]
    with pytest.raises(ValueError) as err:
        make([_exercise("rheobase"), _exercise("rheobase")])
    assert str(err.value) == "duplicate exercise ids in 99_test: ['rheobase', 'rheobase']"
    with pytest.raises(ValueError) as err:
        make([_exercise("rheobase")], module="course.exercises.no_such_solutions")
    assert str(err.value) == "solutions module 'course.exercises.no_such_solutions' not found"
    with pytest.raises(ValueError) as err:
        make([_exercise("rheobase"), _exercise("zeta"), _exercise("alpha")])
    assert str(err.value) == ("course.exercises.lesson00_solutions has no '# %% id' section for "
                              "['alpha', 'zeta']")
    with pytest.raises(ValueError) as err:
        s.get("nope")
    assert str(err.value) == "no exercise 'nope' in lesson 99_test; the exercises are: rheobase, euler_step"


def test_the_module_api_has_a_named_checker_per_exercise(capsys):
    api = ex.EXERCISES.api()
    assert set(api) == {f"check_{i}" for i in ex.EXERCISES.ids} | {"hint", "solution", "summary"}
    assert (api["hint"], api["solution"], api["summary"]) == (ex.EXERCISES.hint, ex.EXERCISES.solution,
                                                              ex.EXERCISES.summary)
    check = api["check_rheobase"]
    assert check.__name__ == "check_rheobase" and "'rheobase'" in check.__doc__
    assert check(sol.rheobase) is None and capsys.readouterr().out == "\u2714 rheobase: passed.\n"
    with pytest.raises(ValueError, match="^no exercise 'nope'"):
        ex.EXERCISES.checker("nope")


def _stepped_rate(J, dt, t_end, tau_rc=0.02, tau_ref=0.002, reset=True, per_second=True):
    """simulate_rate as the task describes it, step by step (and with a learner's slips: no reset, the count)."""
    v, n, hold = 0.0, 0, 0
    for _ in range(round(t_end / dt)):
        if hold > 0:
            hold -= 1
            continue
        v = J + (v - J) * math.exp(-dt / tau_rc)
        if v >= 1:
            n += 1
            v = 0.0 if reset else v
            hold = round(tau_ref / dt)
    return n / t_end if per_second else n


@pytest.mark.parametrize("case", [(1.0, 1e-4, 0.5), (0.99, 1e-4, 0.5), (1.01, 1e-4, 0.01), (2.0, 1e-4, 0.0138),
                                  (2.0, 1e-4, 0.0139), (2.0, 1e-4, 0.0298), (3.0, 1e-4, 0.5, 0.05, 0.001)])
def test_the_counted_rate_equals_the_step_by_step_simulation_at_its_edges(case):
    """simulate_rate's reference counts spikes without stepping: it must equal the stepped simulation at threshold
    (J = 1: never fires), in a run too short for a first spike, and when the spike falls on the very last step
    (J = 2 crosses at step 139: t_end = 13.8 ms gives none, 13.9 ms one)."""
    assert ex.EXERCISES.get("simulate_rate").reference(*case) == _stepped_rate(*case)


def _network(input_rate, n_inputs, weight, t_end, seed):
    import snnlib as snn

    net = snn.Network(seed=seed)
    pop = net.population(ex.N_NEURONS)
    net.connect_random(net.poisson(n_inputs, rate=input_rate), pop, p=0.5, weight=weight,
                       synapse=snn.ExpSynapse(tau=0.005, normalize="area"))
    sim = snn.Simulator(net, dt=0.001)
    sim.run(t_end)
    return sim.counts


# each listed mistake as a learner would write it (not the lesson's own mistake function): the diagnosis must
# still be found, so a wrong mistake function in the lesson (which the listed-mistake test would submit to itself)
# fails here
LEARNER_MISTAKES = {
    ("lif_rate", "no_zero"): lambda J, tau_rc=0.02, tau_ref=0.002: 1 / (tau_ref + tau_rc * np.log1p(1 / (J - 1))),
    ("lif_rate", "period"): lambda J, tau_rc=0.02, tau_ref=0.002: np.where(
        J > 1, tau_ref + tau_rc * np.log1p(1 / np.where(J > 1, J - 1, 1.0)), 0.0),
    ("simulate_rate", "no_refractory"): lambda J, dt, t_end, tau_rc=0.02, tau_ref=0.002: _stepped_rate(
        J, dt, t_end, tau_rc, 0.0),
    ("simulate_rate", "no_reset"): lambda J, dt, t_end, tau_rc=0.02, tau_ref=0.002: _stepped_rate(
        J, dt, t_end, tau_rc, tau_ref, reset=False),
    ("simulate_rate", "count"): lambda J, dt, t_end, tau_rc=0.02, tau_ref=0.002: _stepped_rate(
        J, dt, t_end, tau_rc, tau_ref, per_second=False),
    ("poisson_population_rate", "inputs_rate"): lambda r, n, w, t, seed: (
        _network(r, n, w, t, seed)["source_spikes"] / n / t),
    ("poisson_population_rate", "total"): lambda r, n, w, t, seed: _network(r, n, w, t, seed)["spikes"] / t,
}


# the rate formula below threshold: NaN on purpose
test_a_mistake_written_by_a_learner_gets_its_diagnosis = pytest.mark.filterwarnings(
    "ignore::RuntimeWarning")(diagnosis_test(ex.EXERCISES, LEARNER_MISTAKES))
