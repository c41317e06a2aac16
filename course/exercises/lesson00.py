"""Exercises for lesson 00 (welcome): the LIF neuron, step by step.

Learner API (see :mod:`course.exercise_set`)::

    from course.exercises import lesson00 as ex
    ex.check_euler_step(euler_step); ex.hint("euler_step"); ex.solution("euler_step")

The checks compare against the analytic formulas below, written independently of the reference
solutions in ``lesson00_solutions.py`` (tests require both to agree, and to agree with the
literature values in shared/reference/science.md: J = 1.5, 2, 5 -> 41.7149, 63.0400, 154.7300 Hz).
Units: normalised LIF (v_rest = v_reset = 0, threshold 1, J dimensionless), times in seconds;
the rheobase exercise is in SI volts.
"""
from __future__ import annotations

import numpy as np

from course.exercise import Exercise, Mistake
from course.exercise_set import ExerciseSet, how_exercises_work

TAU_RC, TAU_REF = 0.020, 0.002  # s; Nengo's defaults


# -- analytic references ------------------------------------------------------------------------
def _euler(v, J, dt, tau_rc):
    return v + dt * (J - v) / tau_rc


def _exact(v, J, dt, tau_rc):
    # Solution of dv/dt = (J - v)/tau_rc with J constant: v(t) = J + (v0 - J) exp(-t/tau_rc).
    return J + (v - J) * np.exp(-dt / tau_rc)


def _rheobase(v_th, v_rest, v_reset):
    return v_th - v_rest


def _time_to_threshold(J, tau_rc):
    """Time (s) for v to go from 0 to 1 under drive J > 1: solve 1 = J (1 - exp(-t/tau_rc))."""
    return tau_rc * np.log(J / (J - 1.0))


def _rate(J, tau_rc=TAU_RC, tau_ref=TAU_REF):
    J = np.asarray(J, dtype=float)
    safe = np.where(J > 1, J, 2.0)  # placeholder drive where the neuron is silent, masked below
    return np.where(J > 1, 1.0 / (tau_ref + _time_to_threshold(safe, tau_rc)), 0.0)


def _drive_for_rate(rate, tau_rc=TAU_RC, tau_ref=TAU_REF):
    """Inverse of _rate: J with _rate(J) = rate (Hz), from exp((1/rate - tau_ref)/tau_rc) = J/(J-1)."""
    x = np.exp((1.0 / rate - tau_ref) / tau_rc)
    return x / (x - 1.0)


# -- typical mistakes -----------------------------------------------------------------------------
def _raw_rate(J, tau_rc=TAU_RC, tau_ref=TAU_REF):
    """The rate formula applied everywhere, without the zero below threshold (NaN / negative)."""
    J = np.asarray(J, dtype=float)
    return 1.0 / (tau_ref + tau_rc * np.log(1.0 + 1.0 / (J - 1.0)))


def _period(J, tau_rc=TAU_RC, tau_ref=TAU_REF):
    """The inter-spike interval (s) where J > 1, 0 elsewhere: what you get returning 1/rate's inverse."""
    J = np.asarray(J, dtype=float)
    return np.where(J > 1, tau_ref + _time_to_threshold(np.where(J > 1, J, 2.0), tau_rc), 0.0)


_J = np.array([-1.0, 0.0, 0.5, 1.0, 1.2, 1.5, 2.0, 5.0, 20.0])

EULER = Exercise(
    id="euler_step", title="A forward-Euler step of the membrane",
    prompt=("The LIF membrane obeys $\\tau_{rc}\\, dv/dt = J - v$ (normalised units: rest 0, threshold 1). "
            "Write `euler_step(v, J, dt, tau_rc)`: one forward-Euler step, $v + \\Delta t \\cdot dv/dt$. "
            "It must work for floats and for numpy arrays."),
    reference=_euler,
    cases=[(0.0, 1.5, 0.001, 0.02), (0.5, 2.0, 0.0001, 0.02), (0.8, 0.0, 0.005, 0.02),
           (np.array([0.0, 0.3, 0.9]), np.array([0.5, 1.5, 3.0]), 0.001, 0.01)],
    mistakes=[
        Mistake("forgot_tau", lambda v, J, dt, tau_rc: v + dt * (J - v),
                "your step is tau_rc times too small: dv/dt = (J - v) / tau_rc; did you forget to divide by tau_rc?"),
        Mistake("sign", lambda v, J, dt, tau_rc: v + dt * (v - J) / tau_rc,
                "your voltage moves away from J instead of towards it: sign error. "
                "The leak pulls v towards J, so dv/dt = (J - v) / tau_rc."),
        Mistake("returned_change", lambda v, J, dt, tau_rc: dt * (J - v) / tau_rc,
                "you returned the change dv = dt * dv/dt, not the new voltage: add it to v."),
    ],
    hints=["The derivative is dv/dt = (J - v) / tau_rc.",
           "Forward Euler: new value = old value + dt * derivative at the old value.",
           "One line: return v + dt * (J - v) / tau_rc"],
    todo="return the voltage after one forward-Euler step",
)

EXACT = Exercise(
    id="exact_step", title="The exact step",
    prompt=("With $J$ held constant over the step, the membrane equation has an exact solution: $v$ relaxes "
            "towards $J$ exponentially with time constant $\\tau_{rc}$. Write `exact_step(v, J, dt, tau_rc)`. "
            "Unlike Euler, it stays right however large `dt` is: the check tries `dt` up to $3\\tau_{rc}$."),
    reference=_exact,
    cases=[(0.0, 1.5, 0.001, 0.02), (0.2, 2.0, 0.02, 0.02), (0.9, 0.0, 0.06, 0.02),
           (np.array([0.0, 0.5, 0.99]), np.array([3.0, 1.0, -1.0]), 0.01, 0.02)],
    mistakes=[
        Mistake("exp_plus", lambda v, J, dt, tau_rc: v + (J - v) * (1 - np.exp(dt / tau_rc)),
                "your voltage overshoots in the wrong direction: exp(+dt/tau_rc) grows with time. "
                "The distance to J decays, by a factor exp(-dt/tau_rc)."),
        Mistake("no_one_minus", lambda v, J, dt, tau_rc: v + (J - v) * np.exp(-dt / tau_rc),
                "for a small dt your voltage jumps almost all the way to J. In one step v covers the "
                "fraction 1 - exp(-dt/tau_rc) of the distance to J, not exp(-dt/tau_rc)."),
        Mistake("euler", _euler,
                "that is the forward-Euler step again. It agrees with the exact step for dt << tau_rc "
                "but not at dt = tau_rc. Solve dv/dt = (J - v)/tau_rc: v(t) = J + (v0 - J) exp(-t/tau_rc)."),
    ],
    hints=["Write the distance to the target, v - J; it decays exponentially.",
           "After dt the distance is (v - J) * exp(-dt / tau_rc).",
           "return J + (v - J) * np.exp(-dt / tau_rc)   (use np.exp so arrays work)"],
    todo="return the exact voltage after dt",
)

RHEOBASE = Exercise(
    id="rheobase", title="The rheobase: the smallest drive that makes a spike",
    prompt=("In SI units the membrane obeys $\\tau_{rc}\\, dv/dt = v_{rest} + J - v$, with $J = RI$ in volts. "
            "Write `rheobase(v_th, v_rest, v_reset)`, returning (in volts) the smallest constant $J$ that brings "
            "the neuron to threshold. Example: the CUBA benchmark's neuron has $v_{th}$ = -50 mV, "
            "$v_{rest}$ = -49 mV, $v_{reset}$ = -60 mV. What does its rheobase tell you?"),
    reference=_rheobase,
    cases=[(-0.050, -0.065, -0.070), (-0.050, -0.049, -0.060), (-0.055, -0.070, -0.075), (1.0, 0.0, 0.0)],
    mistakes=[
        Mistake("threshold", lambda v_th, v_rest, v_reset: v_th,
                "you returned the threshold voltage itself. J is a drive relative to rest: with constant J "
                "the membrane settles at v_rest + J."),
        Mistake("from_reset", lambda v_th, v_rest, v_reset: v_th - v_reset,
                "you measured from v_reset. The reset matters after a spike, but whether the neuron reaches "
                "threshold at all depends on where it settles: v_rest + J."),
        Mistake("sign", lambda v_th, v_rest, v_reset: v_rest - v_th,
                "sign error: you need J with v_rest + J = v_th."),
        Mistake("millivolts", lambda v_th, v_rest, v_reset: 1000 * (v_th - v_rest),
                "your answer is 1000 times too large: the inputs are in volts, so answer in volts, not mV."),
    ],
    hints=["Set dv/dt = 0: where does the membrane settle for a constant J?",
           "It settles at v = v_rest + J. The neuron spikes if that is at least v_th.",
           "return v_th - v_rest   (the reset voltage plays no part)"],
    todo="return the rheobase drive in volts",
)

RATE = Exercise(
    id="lif_rate", title="The LIF rate formula",
    prompt=("A LIF neuron with constant drive $J > 1$ takes $t = \\tau_{rc} \\ln(1 + 1/(J - 1))$ to climb from "
            "reset (0) to threshold (1), then stays silent for $\\tau_{ref}$. Write `lif_rate(J, tau_rc, tau_ref)` "
            "returning the rate in Hz for an array `J`, with 0 where $J \\le 1$. Check values from the "
            "literature (Nengo defaults 20 ms, 2 ms): J = 1.5, 2, 5 give 41.71, 63.04, 154.73 Hz."),
    reference=_rate,
    cases=[(_J,), (_J, 0.05, 0.001), (np.array([[1.1, 3.0], [0.9, 10.0]]), 0.01, 0.005)],
    mistakes=[
        Mistake("no_tau_ref", lambda J, tau_rc=TAU_RC, tau_ref=TAU_REF: _rate(J, tau_rc, 0.0),
                "rates too high at large J: is the refractory period in? The period is tau_ref plus the "
                "time to threshold, so the rate can never exceed 1/tau_ref."),
        Mistake("per_ms", lambda J, tau_rc=TAU_RC, tau_ref=TAU_REF: _rate(J, tau_rc, tau_ref) / 1000.0,
                "your rates are 1000 times too small: give them in Hz (spikes per second); "
                "tau_rc and tau_ref are already in seconds."),
        Mistake("no_zero", _raw_rate,
                "NaN or nonsense rates below threshold: a neuron with J <= 1 never reaches threshold, "
                "so its rate is 0. Compute the formula only where J > 1 (a boolean mask or np.where)."),
        Mistake("period", _period,
                "you returned the period (seconds between spikes), not the rate: rate = 1 / period."),
        Mistake("log10", lambda J, tau_rc=TAU_RC, tau_ref=TAU_REF: np.where(
                    J > 1, 1.0 / (tau_ref + tau_rc * np.log10(1.0 + 1.0 / np.where(J > 1, J - 1.0, 1.0))), 0.0),
                "your rates are too high by a constant factor in the log: the formula uses the natural "
                "logarithm, np.log, not np.log10."),
    ],
    hints=["Period = tau_ref + time to threshold; rate = 1 / period.",
           "Start from rates = np.zeros_like(J) and fill only the entries where J > 1.",
           "above = J > 1;  rates[above] = 1 / (tau_ref + tau_rc * np.log1p(1 / (J[above] - 1)))"],
    todo="return the rates in Hz, 0 where J <= 1",
)

def _naive_simulation(J, dt, t_end, tau_rc, tau_ref, reset=True):
    """Spike count / t_end of a LIF neuron stepped exactly, spikes detected at step ends; the
    basis of the simulation mistakes (``reset=False``: v is never reset after a spike)."""
    v, n, hold = 0.0, 0, 0
    decay = np.exp(-dt / tau_rc)
    for _ in range(round(t_end / dt)):
        if hold > 0:
            hold -= 1
            continue
        v = J + (v - J) * decay
        if v >= 1.0:
            n += 1
            hold = round(tau_ref / dt)
            v = 0.0 if reset else v
    return n / t_end


SIMULATE = Exercise(
    id="simulate_rate", title="Simulate it: spikes, reset, refractory period",
    points=2,  # graded (nbgrader export): it puts the three earlier pieces together
    prompt=("Put the pieces together. Write `simulate_rate(J, dt, t_end, tau_rc, tau_ref)`: start at $v = 0$, "
            "advance with your `exact_step` for `t_end` seconds; whenever $v \\ge 1$, count a spike, reset $v$ to 0 "
            "and hold it there for `tau_ref` seconds. Return the number of spikes divided by `t_end` (Hz). "
            "The check compares with the rate formula at `dt` = 0.1 ms, within 5 %: a simulation that detects "
            "threshold crossings at the end of a step is slightly slow, and the error shrinks with `dt`."),
    reference=lambda J, dt=1e-4, t_end=1.0, tau_rc=TAU_RC, tau_ref=TAU_REF: _rate(J, tau_rc, tau_ref),
    cases=[(1.5, 1e-4, 1.0), (2.0, 1e-4, 0.5), (5.0, 1e-4, 0.5), (0.5, 1e-4, 0.5), (3.0, 1e-4, 0.5, 0.05, 0.001)],
    mistakes=[
        Mistake("no_refractory", lambda J, dt=1e-4, t_end=1.0, tau_rc=TAU_RC, tau_ref=TAU_REF:
                _naive_simulation(J, dt, t_end, tau_rc, 0.0),
                "rates too high at large J: is the refractory period in? After each spike, hold v at 0 for "
                "tau_ref seconds (round(tau_ref / dt) steps) before integrating again."),
        Mistake("no_reset", lambda J, dt=1e-4, t_end=1.0, tau_rc=TAU_RC, tau_ref=TAU_REF:
                _naive_simulation(J, dt, t_end, tau_rc, tau_ref, reset=False),
                "every drive above threshold fires at about 1/tau_ref: v stays above 1 after the first spike. "
                "Reset v to 0 when you count a spike."),
        Mistake("count", lambda J, dt=1e-4, t_end=1.0, tau_rc=TAU_RC, tau_ref=TAU_REF:
                _naive_simulation(J, dt, t_end, tau_rc, tau_ref) * t_end,
                "you returned the number of spikes; the rate is that number divided by t_end (in seconds)."),
    ],
    hints=["Keep three variables: v, the spike count, and how many steps of refractory hold are left.",
           "Loop round(t_end / dt) times: if holding, count the hold down and skip; else v = exact_step(...); "
           "if v >= 1: count, reset, start the hold.",
           "The hold lasts round(tau_ref / dt) steps. Return n_spikes / t_end."],
    todo="simulate and return the rate in Hz",
    rtol=0.05, atol=2.0, timeout=20.0,
)

DRIVE = Exercise(
    id="J_100Hz", kind="value", title="Which drive gives 100 Hz?",
    prompt=("Set `J_100Hz` to the drive $J$ (normalised) at which a LIF neuron with $\\tau_{rc}$ = 20 ms and "
            "$\\tau_{ref}$ = 2 ms fires at 100 Hz. Invert the rate formula by hand, or search with your "
            "`lif_rate` (any answer within 0.1 % passes)."),
    reference=lambda: _drive_for_rate(100.0),
    mistakes=[
        Mistake("no_tau_ref", lambda: _drive_for_rate(100.0, tau_ref=0.0),
                "that drive gives 100 Hz only without the refractory period: of the 10 ms between spikes, "
                "2 ms are refractory, so the membrane has 8 ms to reach threshold."),
        Mistake("milliseconds", lambda: _drive_for_rate(0.1),
                "J is almost exactly 1: you probably used 1/rate = 10 (milliseconds) with time constants "
                "in seconds. The period at 100 Hz is 0.01 s."),
    ],
    hints=["The period is 1/100 s; the time to threshold is the period minus tau_ref.",
           "Solve tau_rc * ln(J / (J - 1)) = 1/rate - tau_ref for J.",
           "x = exp((1/rate - tau_ref) / tau_rc); then J = x / (x - 1)."],
    stub="J_100Hz = ...  # TODO: the drive that gives 100 Hz\n",
    rtol=1e-3,
)

EXERCISES = ExerciseSet(
    lesson="00_welcome",
    title="Exercises 00: a LIF neuron is not a ReLU",
    intro=("Six exercises on the leaky integrate-and-fire (LIF) neuron of `lessons/00_welcome.ipynb`. A ReLU unit "
           "answers its input at once, $\\max(0, J)$; a LIF neuron integrates it over time, fires, resets and "
           "rests. You build that behaviour from one line up, then measure it against the rate formula.\n\n"
           + how_exercises_work("00", "euler_step")
           + "Units: normalised LIF units (rest and reset 0, threshold 1, $J$ dimensionless), times in seconds; "
           "exercise 3 uses SI volts."),
    setup="import numpy as np\n\nfrom course.exercises import lesson00 as ex",
    exercises=[EULER, EXACT, RHEOBASE, RATE, SIMULATE, DRIVE],
    solutions_module="course.exercises.lesson00_solutions",
    outro=("## Summary\n\nRun the cell below to see which exercises passed in this session. "
           "`course list` in a terminal shows your progress over all lessons."),
)

globals().update(EXERCISES.api())
