"""Exercises for lesson 04 (neurotransmitters): the NMDA Mg2+ block, the Tsodyks-Markram steady state, the weight
change from an eligibility trace and a delayed dopamine pulse, and the modulator level at which a population switches.

Learner API (see :mod:`course.exercise_set`)::

    from course.exercises import lesson04 as ex
    ex.check_mg_block(mg_block); ex.hint("tm_steady_release"); ex.solution("reward_weight_change")

The checks compare against the formulas below, written independently of the reference solutions in
``lesson04_solutions.py``; tests also compare them with snnlib (`NMDASynapse.block`, `TsodyksMarkram.steady_state`
and simulated trains, a numerical overlap integral, and simulations of `SwitchingPopulation` for the measured range
of the last exercise). Units: volts, seconds, hertz.
"""
from __future__ import annotations

import numpy as np

from course.exercise import Exercise, Mistake
from course.exercise_set import ExerciseSet, how_exercises_work


# -- 1. the NMDA magnesium block ---------------------------------------------------------------------------------
def _block(v, mg=1.0, per_volt=False, blocked=False, scale=3.57, sign=1.0):
    v_mV = np.asarray(v, dtype=float) * (1.0 if per_volt else 1e3)
    b = 1.0 / (1.0 + mg / scale * np.exp(-sign * 0.062 * v_mV))
    return 1.0 - b if blocked else b


_V = np.array([-0.090, -0.070, -0.055, -0.040, -0.020, 0.0, 0.020])      # V

MG = Exercise(
    id="mg_block", title="The NMDA receptor's magnesium block",
    prompt=("Jahr & Stevens (1990): the fraction of NMDA channels **not** blocked by Mg$^{2+}$ is "
            "$B(v) = 1 / (1 + \\frac{[Mg]}{3.57\\,\\mathrm{mM}} e^{-0.062\\, v/\\mathrm{mV}})$. Write "
            "`mg_block(v, mg=1.0)`: `v` is an array of membrane voltages **in volts** (snnlib's unit), `mg` the "
            "extracellular concentration in mM; return $B$ at each voltage (an array like `v`)."),
    reference=lambda v, mg=1.0: _block(v, mg),
    cases=[(_V, 1.0), (_V, 2.0), (_V[::-1], 0.5)],
    mistakes=[
        Mistake("volts_in_formula", lambda v, mg=1.0: _block(v, mg, per_volt=True),
                "your block hardly changes with voltage: the 0.062 in the exponent is per *millivolt*, and v is in "
                "volts. Convert v to mV first."),
        Mistake("blocked_fraction", lambda v, mg=1.0: _block(v, mg, blocked=True),
                "that is the blocked fraction, which falls with depolarisation: B(v) is the fraction that is "
                "*not* blocked (the 1 / (1 + ...) itself)."),
        Mistake("mg_not_scaled", lambda v, mg=1.0: _block(v, mg, scale=1.0),
                "the magnesium concentration enters relative to 3.57 mM: divide mg by 3.57 before multiplying "
                "the exponential."),
        Mistake("sign", lambda v, mg=1.0: _block(v, mg, sign=-1.0),
                "your block gets *stronger* with depolarisation: the exponent is -0.062 v, so the exponential "
                "shrinks (and B grows) as v rises towards 0 mV."),
    ],
    hints=["Work in mV inside the function: multiply v by 1000 (or divide by snnlib.units.mV).",
           "Then np.exp of -0.062 times that voltage, times mg / 3.57, plus one, and take the reciprocal."],
    todo="return the unblocked fraction at each voltage",
)


# -- 2. the Tsodyks-Markram steady state ----------------------------------------------------------------------------
def _tm(rate, U, tau_D, tau_F, facilitate=True, part="release", period=None, x_uses_U=False):
    T = 1.0 / rate if period is None else period
    e_f = np.exp(-T / tau_F) if (tau_F > 0 and facilitate) else 0.0
    e_d = np.exp(-T / tau_D)
    u = U / (1.0 - (1.0 - U) * e_f)
    x = (1.0 - e_d) / (1.0 - (1.0 - (U if x_uses_U else u)) * e_d)
    return {"release": u * x, "x": x, "u": u}[part]


_TM_CASES = [(20.0, 0.5, 0.8, 0.0), (20.0, 0.03, 0.13, 0.53), (5.0, 0.2, 0.3, 0.2), (50.0, 0.1, 0.5, 1.0),
             (80.0, 0.05, 0.2, 0.05)]

TM = Exercise(
    id="tm_steady_release", title="The steady state of a dynamic synapse",
    prompt=("For a regular train of `rate` Hz (period $T = 1/f$) the Tsodyks-Markram synapse settles at "
            "$u^* = U / (1 - (1 - U) e^{-T/\\tau_F})$ and $x^* = (1 - e^{-T/\\tau_D}) / (1 - (1 - u^*) e^{-T/\\tau_D})$ "
            "(lesson 04, section 2). Write `tm_steady_release(rate, U, tau_D, tau_F)` returning the release per "
            "spike $u^* x^*$; times in seconds. `tau_F = 0` means no facilitation: then $u^* = U$ (the exponential "
            "is 0; do not divide by zero)."),
    reference=lambda rate, U, tau_D, tau_F: _tm(rate, U, tau_D, tau_F),
    cases=_TM_CASES,
    mistakes=[
        Mistake("no_facilitation", lambda rate, U, tau_D, tau_F: _tm(rate, U, tau_D, tau_F, facilitate=False),
                "right for the depressing synapse, but u never facilitates in yours: with tau_F > 0, u* is above U "
                "(each spike adds U (1 - u) before u has decayed back)."),
        Mistake("x_only", lambda rate, U, tau_D, tau_F: _tm(rate, U, tau_D, tau_F, part="x"),
                "that is x*, the fraction of resources ready at a spike: the release per spike is u* times x*."),
        Mistake("rate_as_period", lambda rate, U, tau_D, tau_F: _tm(rate, U, tau_D, tau_F, period=rate),
                "your synapse recovers fully between spikes at every rate: the period between spikes is "
                "T = 1 / rate, not the rate itself."),
        Mistake("x_uses_U", lambda rate, U, tau_D, tau_F: _tm(rate, U, tau_D, tau_F, x_uses_U=True),
                "close: x* depends on the facilitated u*, not on U (each spike releases the fraction u* of x)."),
    ],
    hints=["T = 1 / rate. Compute u* first (with e_F = 0 when tau_F == 0), then x* from u*.",
           "An if on tau_F > 0 avoids the division by zero; the answer is one number per call."],
    todo="return u* x*, the steady release per spike",
)


# -- 3. an eligibility trace meets a delayed dopamine pulse --------------------------------------------------------
def _reward(delay, A, D, tau_c, tau_d, trace_decay=True, overlap="product", decay_tau=None):
    delay = np.asarray(delay, dtype=float)
    tau_wait = tau_c if decay_tau is None else decay_tau
    factor = np.exp(-delay / tau_wait) if trace_decay else np.ones_like(delay)
    span = {"product": tau_c * tau_d / (tau_c + tau_d), "sum": tau_c + tau_d, "tau_d": tau_d}[overlap]
    return A * D * factor * span


_DELAYS = np.array([0.0, 0.5, 1.0, 2.0, 3.0])

REWARD = Exercise(
    id="reward_weight_change", title="A synapse's reward: eligibility trace times dopamine",
    prompt=("In reward-modulated STDP (Izhikevich 2007) a pre-post pairing at $t = 0$ leaves an eligibility trace "
            "$c(t) = A e^{-t/\\tau_c}$; a reward `delay` seconds later releases dopamine "
            "$d(t) = D e^{-(t - \\mathrm{delay})/\\tau_d}$ for $t \\ge$ delay (0 before); the weight changes as "
            "$\\dot w = c\\,d$. Write `reward_weight_change(delay, A, D, tau_c, tau_d)`: the total weight change "
            "$\\Delta w = \\int_0^\\infty c(t)\\,d(t)\\,dt$ for each delay in the array `delay` (all delays >= 0). "
            "Work the integral out by hand: it has a closed form."),
    reference=lambda delay, A, D, tau_c, tau_d: _reward(delay, A, D, tau_c, tau_d),
    cases=[(_DELAYS, 1.0, 1.0, 1.0, 0.2), (_DELAYS, 0.5, 2.0, 0.5, 0.1), (_DELAYS, -1.0, 1.0, 2.0, 0.5)],
    mistakes=[
        Mistake("no_trace_decay", lambda delay, A, D, tau_c, tau_d: _reward(delay, A, D, tau_c, tau_d,
                                                                              trace_decay=False),
                "your weight change does not depend on the delay: the trace decays while the synapse waits for the "
                "reward, so by the time dopamine arrives only exp(-delay / tau_c) of the mark is left."),
        Mistake("decay_with_tau_d", lambda delay, A, D, tau_c, tau_d: _reward(delay, A, D, tau_c, tau_d,
                                                                                decay_tau=tau_d),
                "the delay is bridged by the eligibility trace, so it decays with tau_c over the delay, not with the "
                "dopamine's tau_d (dopamine is not there yet)."),
        Mistake("sum_of_taus", lambda delay, A, D, tau_c, tau_d: _reward(delay, A, D, tau_c, tau_d, overlap="sum"),
                "the overlap of two decaying exponentials is not tau_c + tau_d: after the reward both decay "
                "together, with the combined rate 1/tau_c + 1/tau_d."),
        Mistake("only_tau_d", lambda delay, A, D, tau_c, tau_d: _reward(delay, A, D, tau_c, tau_d, overlap="tau_d"),
                "you integrated the dopamine pulse alone (giving tau_d): the trace keeps decaying during the pulse, "
                "so the two decay rates add."),
    ],
    hints=["Split the integral: before the delay d = 0. After it, c(t) d(t) is the trace left at the delay times "
           "two exponentials in (t - delay) multiplied together.",
           "A product of exp(-s/tau_c) and exp(-s/tau_d) is one exponential whose rate is the sum of the two rates; "
           "its integral from 0 to infinity is one over that rate."],
    todo="return the weight change for each delay",
)


# -- 4. an experiment: at which modulator level does the population switch? ---------------------------------------
# Measured (tests/test_exercises_lesson04.py re-measures it): SwitchingPopulation(seed=3, sensitive=0.25), the
# modulator scanned 0, 0.05, ..., 1, 41 values of x for 0.5 s each; the lowest level whose decoded output is closer
# (RMS) to x^2 than to x is 0.45 for simulation seeds 1-5 at dt = 1 ms and at 0.5 ms, and from the analytic rates
# (at 0.40 the output is about 0.41 from x and 0.47 from x^2, at 0.45 about 0.45 and 0.43: the margins are far
# larger than the spike noise). Accepted: 0.42 .. 0.48, so the neighbouring grid levels 0.40 and 0.50 fail.
SWITCH_RANGE = (0.45, 0.45)

SWITCH = Exercise(
    id="switch_level", kind="value", title="Experiment: where does the modulator switch the function?",
    prompt=("Build `SwitchingPopulation(seed=3, sensitive=0.25)` (a quarter of its 100 neurons have modulator "
            "receptors; its decoders were fitted for $x$ at $m = 0$ and $x^2$ at $m = 1$). Scan the modulator level "
            "$m$ = 0, 0.05, 0.10, ..., 1: at each, simulate the population on its 41 training inputs `pop.x_train` "
            "(`out, rates = pop.simulate(pop.x_train, m)`, spikes for 0.5 s) and compare the decoded output with "
            "$x$ (`F0`) and $x^2$ (`F1`) by `rms`. Set `switch_level` to the lowest $m$ at which the output is closer "
            "to $x^2$ than to $x$. Any answer in the range measured over simulation seeds and time steps passes."),
    reference=lambda: float(np.mean(SWITCH_RANGE)),
    atol=0.03, rtol=0.0,
    mistakes=[
        Mistake("full", lambda: 1.0,
                "at this level the switch is complete, but it happened earlier: look for the *first* level at which "
                "the output is closer to x^2 than to x."),
        Mistake("reversed", lambda: 0.0,
                "at m = 0 the output follows x (that is what the decoders were fitted for): you may have compared "
                "the wrong way round. Keep m where rms(out, F1(x)) < rms(out, F0(x))."),
        Mistake("halfway", lambda: 0.5,
                "0.5 is where you might guess the switch, halfway between the fitted levels: measure it. The output "
                "is already closer to x^2 a little below that."),
    ],
    hints=["levels = np.round(np.arange(0.0, 1.0001, 0.05), 2); loop over them, simulate, and print "
           "rms(out, F0(pop.x_train)) and rms(out, F1(pop.x_train)) for each.",
           "Stop at the first level where the second distance is the smaller one; each simulation takes a fraction "
           "of a second."],
    stub="switch_level = ...  # TODO: the lowest modulator level at which the output is closer to x^2\n",
)


EXERCISES = ExerciseSet(
    lesson="04_neurotransmitters",
    title="Exercises 04: neurotransmitters",
    intro=("Four exercises on lesson 04: the magnesium block of the NMDA receptor, the steady state of a "
           "Tsodyks-Markram synapse, the weight change that an eligibility trace and a delayed dopamine pulse "
           "produce, and an experiment with snnlib that finds the modulator level at which a population switches the "
           "function it computes.\n\n"
           + how_exercises_work("04", "mg_block")
           + "Units: volts, seconds, hertz (snnlib's SI units); the Mg2+ concentration in mM."),
    setup=("import numpy as np\n\nimport snnlib as snn\nfrom snnlib.experiments.switching import F0, F1, "
           "SwitchingPopulation, rms\nfrom course.exercises import lesson04 as ex"),
    exercises=[MG, TM, REWARD, SWITCH],
    solutions_module="course.exercises.lesson04_solutions",
    outro=("## Summary\n\nRun the cell below to see which exercises passed in this session. "
           "`course list` in a terminal shows your progress over all lessons."),
)

globals().update(EXERCISES.api())
