"""Exercises for lesson 07 (beyond the point neuron): an Izhikevich step, bursts, adaptation, a bursting neuron.

Learner API (see :mod:`course.exercise_set`)::

    from course.exercises import lesson07 as ex
    ex.check_izhikevich_euler(izhikevich_euler); ex.hint("burst_count"); ex.solution("adaptation_after")

The checks compare against the formulas below, written independently of the reference solutions in
``lesson07_solutions.py``; tests also compare them with snnlib (the Izhikevich and adaptive LIF step functions,
`snnlib.analysis.firing_patterns.bursts`, and simulations for the measured range of the last exercise).
Units: the Izhikevich exercise uses the paper's units (mV, ms); elsewhere times are in seconds.
"""
from __future__ import annotations

import numpy as np

from course.exercise import Exercise, Mistake
from course.exercise_set import ExerciseSet, how_exercises_work


# -- 1. one Euler step of the Izhikevich model -------------------------------------------------------------
def _izh(v, u, I, dt, a, b, c, d, u_uses_new_v=False, reset=True, u_reset=None, u_sign=1.0, peak=30.0):
    v, u = np.asarray(v, dtype=float), np.asarray(u, dtype=float)
    v_new = v + dt * (0.04 * v * v + 5.0 * v + 140.0 - u_sign * u + I)
    u_new = u + dt * a * (b * (v_new if u_uses_new_v else v) - u)
    if not reset:
        return v_new, u_new
    spiked = v_new >= peak
    return np.where(spiked, c, v_new), np.where(spiked, u_reset if u_reset is not None else u_new + d, u_new)


_V = np.array([-70.0, -65.0, -55.0, -40.0, 10.0, 29.0])        # mV: rest, below and near threshold, upstroke
_U = np.array([-14.0, -13.0, -11.0, -8.0, -4.0, -2.0])
_IZH_CASES = [(_V, _U, 10.0, 0.25, 0.02, 0.2, -65.0, 8.0),      # RS, dt 0.25 ms
              (_V, _U, 0.0, 0.1, 0.1, 0.2, -65.0, 2.0),         # FS, no input
              (_V, _U, 15.0, 0.5, 0.02, 0.25, -50.0, 2.0),      # dt 0.5 ms: the upstroke crosses 30 mV
              # v = 0 makes every term exact: the first neuron lands on 30 mV exactly (>= 30: reset), the other on 29.75
              (np.array([0.0, 0.0]), np.array([20.0, 21.0]), 0.0, 0.25, 0.02, 0.2, -65.0, 8.0)]

IZH = Exercise(
    id="izhikevich_euler", title="One Euler step of the Izhikevich neuron",
    prompt=("Izhikevich (2003), in the paper's units (v in mV, t in ms): "
            "$\\dot v = 0.04 v^2 + 5 v + 140 - u + I$, $\\dot u = a (b v - u)$, and when $v \\ge 30$ mV: "
            "$v \\leftarrow c$, $u \\leftarrow u + d$. Write `izhikevich_euler(v, u, I, dt, a, b, c, d)`: one "
            "forward-Euler step of `dt` ms from `(v, u)` (both derivatives from the values at the step's start), "
            "then the reset where the new v reached 30 mV. Return `(v_new, u_new)`; it must work on numpy arrays "
            "(use `np.where` for the reset)."),
    reference=lambda v, u, I, dt, a, b, c, d: _izh(v, u, I, dt, a, b, c, d),
    cases=_IZH_CASES,
    mistakes=[
        Mistake("no_reset", lambda v, u, I, dt, a, b, c, d: _izh(v, u, I, dt, a, b, c, d, reset=False),
                "your neurons never reset: where the new v reaches 30 mV (the spike's peak), set v to c and "
                "add d to u. Without it v runs off to infinity."),
        Mistake("u_to_d", lambda v, u, I, dt, a, b, c, d: _izh(v, u, I, dt, a, b, c, d, u_reset=d),
                "the spike's u is wrong: at a spike u *jumps by* d (u + d), it is not set to d. That jump is the "
                "adaptation each spike leaves behind."),
        Mistake("new_v_in_u", lambda v, u, I, dt, a, b, c, d: _izh(v, u, I, dt, a, b, c, d, u_uses_new_v=True),
                "close, but u was updated with the new v. Forward Euler takes both derivatives at the step's "
                "start: compute du from the old v (keep a copy before you overwrite v)."),
        Mistake("u_sign", lambda v, u, I, dt, a, b, c, d: _izh(v, u, I, dt, a, b, c, d, u_sign=-1.0),
                "the sign of u in dv/dt is flipped: the recovery variable u pulls v down "
                "(... + 140 - u + I)."),
        # the next double above 30: v_new >= it is v_new > 30
        Mistake("above_peak", lambda v, u, I, dt, a, b, c, d: _izh(v, u, I, dt, a, b, c, d,
                                                                     peak=np.nextafter(30.0, 31.0)),
                "a neuron whose new v is exactly 30 mV did not reset: the reset happens where v reaches 30 mV, "
                "v_new >= 30 (at or above the peak), not only above it."),
    ],
    hints=["v_new = v + dt * (0.04 * v**2 + 5 * v + 140 - u + I); u_new from the *old* v.",
           "Then spiked = v_new >= 30; v_new = np.where(spiked, c, v_new); u_new = np.where(spiked, u_new + d, u_new).",
           "Return both: return v_new, u_new"],
    todo="return (v_new, u_new) after one Euler step and the reset",
)


# -- 2. counting bursts ---------------------------------------------------------------------------------------
def _bursts(times, burst_isi=0.008, pause=True, runs=True):
    isi = np.diff(np.asarray(times, dtype=float))
    short = isi < burst_isi
    if not runs:
        return float(short.sum())
    count, k = 0, 0
    while k < isi.size:
        if not short[k]:
            k += 1
            continue
        j = k
        while j < isi.size and short[j]:
            j += 1
        if not pause or (j < isi.size and isi[j] >= 3.0 * isi[k:j].max()):
            count += 1
        k = j
    return float(count)


def _train(*pieces):
    return np.cumsum(np.concatenate([np.asarray(p, dtype=float) for p in pieces]))


_REGULAR = _train([0.01], np.full(20, 0.025))                                   # RS-like, 40 Hz
_CHATTER = _train([0.01], np.tile([0.002, 0.003, 0.025], 8))                  # 3-spike bursts, 25 ms apart
_ONSET = _train([0.01, 0.003, 0.004, 0.03], np.full(10, 0.03))                # one burst, then regular (IB)
_FAST = _train([0.005], np.full(40, 0.006))                                    # 167 Hz tonic: short ISIs, no pause
_SLOWING = _train([0.005], 0.003 + 0.001 * np.arange(12))                      # gradual slowing (LTS-like)
_END_RUN = _train([0.01, 0.03, 0.03, 0.002, 0.002])                             # ends in a run: no pause seen
_SHORT_PAUSE = _train([0.01], np.tile([0.004, 0.005, 0.0125], 5))              # pauses only 2.5x the run's ISIs
_DOUBLETS = _train([0.01], np.tile([0.05, 0.003], 6), [0.05])                 # 2-spike bursts, each after a pause
_PAUSE_3_5 = _train([0.01], np.tile([0.004, 0.004, 0.014], 5))                 # pauses 3.5x the run's ISIs: bursts
_BURST_CASES = [(_REGULAR,), (_CHATTER,), (_ONSET,), (_FAST,), (_SLOWING,), (_END_RUN,), (_SHORT_PAUSE,),
                (_DOUBLETS,), (_PAUSE_3_5,)]

BURSTS = Exercise(
    id="burst_count", title="Regular or bursting? Count the bursts",
    prompt=("A **burst** is a run of two or more spikes whose inter-spike intervals (ISIs) are all shorter than "
            "`burst_isi` (8 ms), followed by a **pause**: an ISI at least 3 times the run's longest ISI. Fast "
            "regular firing (all ISIs short, no pause) or a gradual slowing is not bursting, and a run at the very "
            "end of the train (no pause seen) does not count. Write `burst_count(spike_times, burst_isi=0.008)` "
            "returning the number of bursts (times in s). A train with two or more bursts is *chattering*, one at "
            "the onset is *intrinsically bursting*, none is *regular*."),
    reference=lambda spike_times, burst_isi=0.008: _bursts(spike_times, burst_isi),
    cases=_BURST_CASES,
    mistakes=[
        Mistake("no_pause", lambda spike_times, burst_isi=0.008: _bursts(spike_times, burst_isi, pause=False),
                "you counted fast regular firing (or a slowing train) as bursts: a run of short ISIs is a burst only "
                "when a pause at least 3 times its longest ISI follows it."),
        Mistake("short_isis", lambda spike_times, burst_isi=0.008: _bursts(spike_times, burst_isi, runs=False),
                "you counted short intervals, not bursts: a burst of 3 spikes has 2 short ISIs but is one burst. "
                "Group consecutive short ISIs into runs."),
        Mistake("milliseconds", lambda spike_times, burst_isi=0.008: _bursts(spike_times, 8.0),
                "you found no bursts anywhere: every ISI counts as short. The spike times are in seconds, so "
                "compare the ISIs with burst_isi in seconds (0.008 s), not with a number of milliseconds."),
    ],
    hints=["Take the inter-spike intervals with np.diff and mark the ones shorter than burst_isi. Walk through "
           "them: a run is a stretch of consecutive short ones.",
           "At the end of a run (index j, the first ISI that is not short), it is a burst if j < len(isi) and "
           "isi[j] >= 3 * (the run's longest ISI).",
           "snnlib has the same rule: snnlib.analysis.firing_patterns.bursts(times) lists the bursts; use it to "
           "test yours on the trains in the prompt."],
    todo="return the number of bursts",
)


# -- 3. the adaptation current after a spike train -------------------------------------------------------------
def _adapt(spike_times, t, tau_n, inc_n, jump=None, future=False, decay=True, last_only=False, strict=False):
    s = np.asarray(spike_times, dtype=float)[None, :]
    t = np.asarray(t, dtype=float)[:, None]
    j = inc_n / tau_n if jump is None else jump
    past = np.ones_like(t - s, dtype=bool) if future else ((s < t) if strict else (s <= t))
    if last_only:
        past = past & (s == np.where(past, s, -np.inf).max(axis=1, keepdims=True))
    kernel = np.exp(-(t - s) / tau_n) if decay else np.ones_like(t - s)
    return (j * kernel * past).sum(axis=1)


_SPIKES = np.array([0.010, 0.030, 0.055, 0.085, 0.120, 0.160])
_T = np.array([0.0, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0])

ADAPT = Exercise(
    id="adaptation_after", title="The adaptation current after a spike train",
    prompt=("In the adaptive LIF (`snn.AdaptiveLIF`, Nengo's convention) the adaptation $n$ decays as "
            "$\\dot n = -n / \\tau_n$ and jumps by $\\mathrm{inc}_n / \\tau_n$ at every spike; the neuron's drive "
            "is reduced by $n$. Write `adaptation_after(spike_times, t, tau_n, inc_n)`: $n$ at each time in the "
            "array `t` (s) for a neuron that started with $n = 0$ and fired at `spike_times` (s). A spike at "
            "exactly a time in `t` counts as already fired."),
    reference=lambda spike_times, t, tau_n, inc_n: _adapt(spike_times, t, tau_n, inc_n),
    # the last case asks for n at three of the spike times themselves: "a spike at exactly a time in t counts"
    cases=[(_SPIKES, _T, 0.1, 0.01), (_SPIKES, _T, 1.0, 0.01), (_SPIKES[:2], _T, 0.05, 0.002),
           (_SPIKES, np.array([0.01, 0.04, 0.085, 0.1, 0.16]), 0.1, 0.01)],
    mistakes=[
        Mistake("jump_inc", lambda spike_times, t, tau_n, inc_n: _adapt(spike_times, t, tau_n, inc_n, jump=inc_n),
                "each spike adds inc_n / tau_n, not inc_n (Nengo's convention: then n settles near inc_n x rate "
                "during steady firing)."),
        Mistake("future", lambda spike_times, t, tau_n, inc_n: _adapt(spike_times, t, tau_n, inc_n, future=True),
                "spikes that have not happened yet changed your n: at time t only spikes with t_k <= t count "
                "(a later spike gives exp(+...), growing instead of decaying)."),
        Mistake("no_decay", lambda spike_times, t, tau_n, inc_n: _adapt(spike_times, t, tau_n, inc_n, decay=False),
                "your n never decays: each spike's contribution fades as exp(-(t - t_k) / tau_n)."),
        Mistake("last_only", lambda spike_times, t, tau_n, inc_n: _adapt(spike_times, t, tau_n, inc_n, last_only=True),
                "only the most recent spike counts in your n: the contributions of all earlier spikes add up "
                "(that build-up is what slows the neuron down)."),
        Mistake("spike_at_t", lambda spike_times, t, tau_n, inc_n: _adapt(spike_times, t, tau_n, inc_n, strict=True),
                "a spike at exactly a time in t is missing from your n there: it has already fired, so count the "
                "spikes with t_k <= t (a lag of 0 counts), not only t_k < t."),
    ],
    hints=["n(t) is a sum over the spikes with t_k <= t of (inc_n / tau_n) * exp(-(t - t_k) / tau_n).",
           "With broadcasting: dt = t[:, None] - spike_times[None, :]; keep dt >= 0 with np.where(dt >= 0, ..., 0), "
           "then sum over axis 1."],
    todo="return n at each time in t",
)


# -- 4. an experiment: where does the Izhikevich neuron start to chatter? ----------------------------------
# Measured (tests/test_exercises_lesson07.py re-measures it): with a = 0.02, b = 0.2, d = 2, I = 10 for 1 s, the
# lowest reset c (1 mV grid) that snnlib.analysis.firing_patterns.classify names "CH" is -58 mV at dt = 0.1 ms and
# -57 mV at dt = 0.25 ms. Accepted: -58.5 .. -56.5 mV.
CHATTER_RANGE = (-58.0, -57.0)

CHATTER = Exercise(
    id="chatter_reset", kind="value", title="Experiment: make a neuron burst",
    prompt=("The Izhikevich neuron with $a = 0.02$, $b = 0.2$, $d = 2$ is *low-threshold spiking* when it resets "
            "deep ($c = -65$ mV) and *chattering* when it resets high ($c = -50$ mV, the paper's CH). Find where "
            "it changes: build the neuron with snnlib (`snn.Izhikevich(a=0.02, b=0.2, c=c, d=2.0)`, drive 10 from "
            "t = 0, i.e. `bias=10.0`), run it for 1 s at dt = 0.1 ms or 0.25 ms, name its pattern with "
            "`firing_patterns.classify`, and scan c from -65 to -40 mV in steps of 1 mV. Set `chatter_reset` to "
            "the lowest c (mV) at which it chatters (\"CH\"). Any answer in the range measured at those two time "
            "steps passes."),
    reference=lambda: float(np.mean(CHATTER_RANGE)),
    atol=1.0, rtol=0.0,
    mistakes=[
        Mistake("volts", lambda: float(np.mean(CHATTER_RANGE)) * 1e-3,
                "your answer is about 1000 times too small: it looks like volts. Give c in mV, as the model's "
                "parameter c is."),
        Mistake("preset", lambda: -50.0,
                "-50 mV is the paper's chattering preset, not where chattering starts: scan c and find the lowest "
                "value that is still named \"CH\"."),
        Mistake("single_burst", lambda: -60.0,
                "at this reset the neuron bursts once at the onset (\"IB\") or not at all, depending on dt: "
                "chattering needs repeated bursts. Look a little higher."),
        Mistake("positive", lambda: -float(np.mean(CHATTER_RANGE)),
                "a reset potential of a cortical neuron is negative (tens of mV below zero): check the sign."),
    ],
    hints=["Loop: for c in np.arange(-65.0, -39.0, 1.0): build a Network with one Izhikevich neuron, "
           "bias=10.0, probe its spikes, run 1 s, classify.",
           "Print c and the pattern name for each: the answer is the first c whose pattern is \"CH\".",
           "Faster: put all 26 neurons in one network (one population each) and run it once."],
    stub="chatter_reset = ...  # TODO: the lowest reset c (mV) at which the neuron chatters\n",
)


EXERCISES = ExerciseSet(
    lesson="07_beyond_lif",
    title="Exercises 07: beyond the point neuron",
    intro=("Four exercises on lesson 07: one step of the Izhikevich model, counting bursts in a spike train, the "
           "adaptation current a spike train leaves behind, and an experiment with snnlib that finds where a "
           "neuron starts to burst.\n\n"
           + how_exercises_work("07", "izhikevich_euler")
           + "Units: the Izhikevich step uses the paper's units (mV, ms); everything else is in seconds."),
    setup=("import numpy as np\n\nimport snnlib as snn\nfrom snnlib.analysis import firing_patterns\n"
           "from course.exercises import lesson07 as ex"),
    exercises=[IZH, BURSTS, ADAPT, CHATTER],
    solutions_module="course.exercises.lesson07_solutions",
    outro=("## Summary\n\nRun the cell below to see which exercises passed in this session. "
           "`course list` in a terminal shows your progress over all lessons."),
)

globals().update(EXERCISES.api())
