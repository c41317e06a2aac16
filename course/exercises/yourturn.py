"""The "Your turn" cells inside the lessons (00-02, 05-08): a few lines of code that use snnlib, checked in place.

They use the same machinery as the exercise notebooks (:class:`course.exercise.Exercise`, one
:class:`course.exercise_set.ExerciseSet` per lesson, progress recorded under the lesson's key), but they live
in the lesson notebooks, so they are kept apart from the exercise sets ``lessonNN.py``. In a lesson::

    from course.exercises import yourturn
    yourturn.check_slow_membrane_rate(slow_membrane_rate)    # ✔ passed / ✘ not yet: diagnosis / ⚠ error
    yourturn.hint("slow_membrane_rate"); yourturn.solution("slow_membrane_rate")

The references are analytic (the LIF rate formula, CV = 1 of a Poisson process, the energy model's
formula), computed independently of the solutions in ``yourturn_solutions.py``; answers measured from a
simulation are accepted within a range measured for that simulation (see tests/test_yourturn.py).
"""
from __future__ import annotations

import numpy as np

from course.exercise import Exercise, Mistake
from course.exercise_set import ExerciseSet

__all__ = ["SETS", "check", "hint", "solution"]

_SOLUTIONS = "course.exercises.yourturn_solutions"


def _lif_rate(J, tau_rc, tau_ref=0.002):
    return 0.0 if J <= 1 else 1.0 / (tau_ref + tau_rc * np.log(J / (J - 1.0)))


# -- lesson 00: one LIF neuron with a slower membrane ---------------------------------------------------------
SLOW = Exercise(
    id="slow_membrane_rate", kind="value", title="A slower membrane",
    prompt=("Simulate one LIF neuron with $\\tau_{rc}$ = 50 ms and $\\tau_{ref}$ = 2 ms at drive J = 2 for 2 s "
            "with `snn.simulate_lif` and store its firing rate (Hz) in `slow_membrane_rate`."),
    # The simulated rate counts whole spikes in 2 s, so it is within 0.5 Hz of the analytic rate; 0.6 Hz
    # accepts any dt while the 20 ms answer (63 Hz) and a count (55) are far outside.
    reference=lambda: _lif_rate(2.0, 0.050),
    mistakes=[
        Mistake("default_tau_rc", lambda: _lif_rate(2.0, 0.020),
                "that is the rate with the default tau_rc = 20 ms: pass tau_rc=50 * ms to simulate_lif."),
        Mistake("tau_in_ms_as_seconds", lambda: 0.0,
                "no spikes at all: a tau_rc of 50 *seconds* never reaches threshold in 2 s. Times are in seconds "
                "in snnlib; write 50 * ms (from snnlib.units)."),
        Mistake("count_not_rate", lambda: 2.0 * _lif_rate(2.0, 0.050),
                "that looks like the number of spikes in the 2 s run, not spikes per second: use result.rate, or "
                "divide the count by the duration."),
    ],
    hints=["`result = snn.simulate_lif(J, t_stop=..., tau_rc=..., tau_ref=...)`; times in seconds (`50 * ms`).",
           "The result has `.rate` (Hz) and `.spike_times` (s)."],
    stub="slow_membrane_rate = ...  # TODO: simulate, then store the rate in Hz\n",
    rtol=0.0, atol=0.6,
)

# -- lesson 01: the irregularity of a Poisson train -----------------------------------------------------------
CV = Exercise(
    id="poisson_cv", kind="value", title="How irregular is a Poisson train?",
    prompt=("Make 20 Poisson trains at 5 Hz lasting 20 s with `enc.poisson_spikes` (seed 3), split them with "
            "`st.split_trains` and store the mean coefficient of variation of their inter-spike intervals in "
            "`poisson_cv`."),
    # A Poisson process has CV = 1. Measured: the mean CV of 20 trains of ~100 intervals has a standard
    # deviation of about 0.02 over seeds (tests/test_yourturn.py), so +-0.1 accepts every seed and rejects a
    # regular train (0) or the interval spread in seconds (0.2).
    reference=lambda: 1.0,
    mistakes=[
        Mistake("regular_train", lambda: 0.0,
                "a CV near 0 describes a regular train (like a LIF neuron at constant drive), not a Poisson one: "
                "check that you measured the Poisson trains, and the intervals between their spikes."),
        Mistake("std_in_seconds", lambda: 0.2,
                "about 0.2 is the standard deviation of the intervals in seconds (1/5 Hz): the CV divides it by "
                "the mean interval, which makes it unitless."),
    ],
    hints=["`times, neurons = enc.poisson_spikes([5 * Hz] * 20, 20.0, seed=3)`, then "
           "`trains = st.split_trains(times, neurons, 20)`.",
           "`st.cv_isi(train)` gives one train's CV; average the 20 values."],
    stub="poisson_cv = ...  # TODO: the mean CV of the 20 trains\n",
    rtol=0.0, atol=0.1,
)

# -- lesson 02: price a network of your own -------------------------------------------------------------------
_E_SYN, _E_NEU = 27.1e-12, 81e-12       # Loihi's profile (Davies et al. 2018, as in snnlib.energy.devices)
_CONNECTIONS = 100 * 200 + 200 * 10


def _loihi_energy(rate=20.0, dt=0.001, steps=50, neurons=200, neuron_cost=True):
    events = _CONNECTIONS * rate * dt * steps
    return events * _E_SYN + (neurons * steps * _E_NEU if neuron_cost else 0.0)


ENERGY = Exercise(
    id="loihi_energy", kind="value", title="Price a network of your own",
    prompt=("A spiking network 100 -> 200 -> 10 (spiking input, linear readout) with every presynaptic neuron "
            "at 20 Hz for 50 steps of 1 ms. Build its counts with `OpCounts.spiking(...)` and store the energy "
            "per inference on Loihi (J) in `loihi_energy`."),
    reference=lambda: _loihi_energy(),
    mistakes=[
        Mistake("readout_updated", lambda: _loihi_energy(neurons=210),
                "close, but the 10 readout units are charged a neuron update every step: the readout is linear "
                "(pass linear_output=True)."),
        Mistake("no_neuron_updates", lambda: _loihi_energy(neuron_cost=False),
                "that is only the synaptic events: a spiking chip also updates every neuron every timestep "
                "(81 pJ each on Loihi). Use estimate(...) on the counts, or add the neuron updates."),
        Mistake("dt_in_ms", lambda: _loihi_energy(dt=1.0),
                "about 1000 times too much: dt is in seconds in snnlib (1 * ms = 0.001)."),
        Mistake("dense_counts", lambda: _CONNECTIONS * _E_SYN + 210 * _E_NEU,
                "these are the counts of one dense pass (OpCounts.dense), one event per connection: the spiking "
                "network's events follow its rate and duration (OpCounts.spiking)."),
    ],
    hints=["`counts = OpCounts.spiking([100, 200, 10], rates=20 * Hz, timesteps=50, dt=1 * ms, linear_output=True)`",
           "`estimate(counts, [\"loihi\"])[\"loihi\"].total` is in joules."],
    stub="loihi_energy = ...  # TODO: joules per inference on Loihi\n",
    rtol=1e-3,
)


# -- lesson 06: the feedback of a leaky integrator ------------------------------------------------------------
_TAU_SYN, _TAU_LEAK = 0.1, 0.5          # s: the recurrent synapse, the leak the learner asks for


LEAKY = Exercise(
    id="leaky_feedback", kind="value", title="The feedback of a leaky integrator",
    prompt=("A leaky integrator forgets with its own time constant: $\\dot x = -x/\\tau_{leak} + u$, with "
            "$\\tau_{leak}$ = 0.5 s. Built with a recurrent synapse of $\\tau$ = 0.1 s, which feedback transform "
            "$A' = \\tau A + I$ does it need? Store the number in `leaky_feedback`; the next cell builds the "
            "integrator with it in `snnlib.nef` and measures how fast it forgets."),
    reference=lambda: _TAU_SYN * (-1.0 / _TAU_LEAK) + 1.0,
    mistakes=[
        Mistake("sign", lambda: 1.0 + _TAU_SYN / _TAU_LEAK,
                "a feedback above 1 makes x grow instead of decay: the leak term A = -1/tau_leak is negative."),
        Mistake("no_identity", lambda: -_TAU_SYN / _TAU_LEAK,
                "without the identity the synapse's own leak (-x/tau) is left in: A' = tau A + I, and I is 1 here."),
        Mistake("no_tau", lambda: 1.0 - 1.0 / _TAU_LEAK,
                "the leak is scaled by the synaptic time constant: A' = tau * A + 1, with tau = 0.1 s."),
    ],
    hints=["Here A = -1/tau_leak (a 1 x 1 matrix) and the identity is 1.",
           "A' = tau * A + 1 with tau = 0.1 s."],
    stub="leaky_feedback = ...  # TODO: the feedback transform (a number)\n",
    rtol=1e-6,
)


# -- lesson 07: measure an adaptation index ------------------------------------------------------------------
# Measured (tests/test_yourturn.py re-measures it): 1 - f_inf / f0 of this neuron is 0.588-0.592 at dt = 0.1 and
# 0.25 ms and 0.580-0.590 at dt = 1 ms, whether f_inf is (spikes - 1) / span or the spike count over the last
# second. Accepted: 0.59 +- 0.02; the steady/onset ratio (0.41) and f0/f_inf - 1 (1.43) are far outside.
ADAPT_INDEX = Exercise(
    id="adaptation_index", kind="value", title="Measure an adaptation index",
    prompt=("Simulate one `snn.AdaptiveLIF(tau_n=100 * ms, inc_n=0.05)` neuron with drive J = 3 (`bias=3.0`) for "
            "2 s, and store its adaptation index $1 - f_\\infty / f_0$ in `adaptation_index`: $f_0$ = 1 / the "
            "first interspike interval, $f_\\infty$ = the rate over the last second."),
    reference=lambda: 0.59,
    mistakes=[
        Mistake("ratio", lambda: 1.0 - 0.59,
                "that is the steady rate divided by the onset rate, f_inf / f0: the index is the fraction "
                "adaptation takes away, 1 - f_inf / f0."),
        Mistake("no_adaptation", lambda: 0.0,
                "an index of 0 means no adaptation: did you simulate snn.LIF, or AdaptiveLIF with inc_n = 0? "
                "Use snn.AdaptiveLIF(tau_n=100 * ms, inc_n=0.05)."),
        Mistake("inverted", lambda: 1.0 / (1.0 - 0.59) - 1.0,
                "you divided the other way round (f0 / f_inf - 1): the index divides the steady rate by the onset "
                "rate, so it stays between 0 and 1."),
    ],
    hints=["`net = snn.Network(seed=0)`; `pop = net.population(1, snn.AdaptiveLIF(...), bias=3.0)`; probe its "
           "spikes, `snn.Simulator(net, dt=0.1 * ms).run(2.0)`, then `sim.data[probe].times`.",
           "f0 = 1 / (times[1] - times[0]); f_inf = number of spikes after 1 s divided by 1 s."],
    stub="adaptation_index = ...  # TODO: 1 - f_inf / f0 of the simulated neuron\n",
    rtol=0.0, atol=0.02,
)


# -- lesson 05: irregular firing from balanced, fluctuating drive -------------------------------------------------
# Measured (tests/test_yourturn.py re-measures it over seeds and at dt 0.1 and 0.5 ms): the mean CV of 50 LIF neurons
# with mean drive 0.6 and OU noise (sigma 0.7, tau 10 ms) over 10 s is 0.95-1.0. Accepted: 0.97 +- 0.08; a clock
# (constant supra-threshold drive, CV 0) and the variance-over-mean slip (about 0.13 s) are far outside.
BALANCED_CV = Exercise(
    id="balanced_cv", kind="value", title="Measure the CV under balanced, fluctuating drive",
    prompt=("Simulate 50 `snn.LIF()` neurons with `bias=0.6` (below threshold) and a noise current "
            "`OUNoise(sigma=0.7, tau=10 * ms)` (`net.noise(pop, ...)`), initial voltages `snn.Uniform(0, 1)`, for "
            "10 s at dt = 0.1 ms, and store the mean CV of their inter-spike intervals in `balanced_cv`."),
    reference=lambda: 0.97,
    mistakes=[
        Mistake("clock", lambda: 0.0,
                "a CV of 0 is a clock: a constant drive above threshold. Keep the mean drive at 0.6 and add the "
                "noise current, so that only the fluctuations make spikes."),
        Mistake("variance", lambda: 0.13,
                "that looks like the variance of the intervals divided by their mean (in seconds): the CV divides "
                "the standard deviation by the mean, so it has no unit."),
    ],
    hints=["One population of 50 LIF neurons in a seeded Network, with the bias and initial voltages of the task; "
           "attach the noise with net.noise and a spike probe before you build the Simulator.",
           "`sim.data[probe].trains()` gives one train per neuron; `spiketrains.cv_isi(train)` its CV. Average "
           "over the neurons."],
    stub="balanced_cv = ...  # TODO: the mean CV of the neurons' inter-spike intervals\n",
    rtol=0.0, atol=0.08,
)


# -- lesson 08: how long may a spiking inference last? -------------------------------------------------------
# The ANN's inference on a GPU: (2*32 + 32*1 MACs + 32 hidden units) x 0.3 nJ (keras-spiking's gpu profile);
# Loihi updates each of the 200 neurons every 1 ms step at 81 pJ (Davies et al. 2018).
_ANN_GPU = (2 * 32 + 32 * 1 + 32) * 0.3e-9
_LOIHI_STEP = 200 * 81e-12


def _longest(ann=_ANN_GPU, step=_LOIHI_STEP, dt=1e-3):
    return ann / step * dt


LONGEST = Exercise(
    id="longest_presentation", kind="value", title="How long may a spiking inference last?",
    prompt=("Loihi updates every neuron on every step, spiking or not. How long (s) may one presentation of the "
            "200-neuron spiking learner last (steps of 1 ms) before its neuron updates **alone** cost as much as the "
            "ANN's whole inference on a GPU? Price the ANN with `estimate(capstone.ann_energy_counts(), [\"gpu\"])` "
            "and one Loihi step of 200 neuron updates with `get_device(\"loihi\").energy_per_neuron`; store the "
            "time in `longest_presentation`."),
    reference=lambda: _longest(),
    mistakes=[
        Mistake("cpu", lambda: _longest(ann=(2 * 32 + 32 + 32) * 8.6e-9),
                "that is the time against the ANN on a CPU (8.6 nJ per operation): the task asks for the GPU."),
        Mistake("steps", lambda: _longest(dt=1.0),
                "that is a number of steps, not a time: multiply by the step, dt = 1 ms = 0.001 s."),
        Mistake("synop_price", lambda: _longest(step=200 * 27.1e-12),
                "you priced the neuron updates at Loihi's synaptic-op energy (27.1 pJ): a neuron update costs "
                "energy_per_neuron (81 pJ)."),
    ],
    hints=["The ANN's energy: `estimate(capstone.ann_energy_counts(), [\"gpu\"])[\"gpu\"].total` (J).",
           "One Loihi step costs 200 x energy_per_neuron; the number of steps the ANN's energy pays for, times "
           "dt, is the time."],
    stub="longest_presentation = ...  # TODO: seconds of spiking inference that cost as much as the ANN on a GPU\n",
    rtol=1e-3,
)


def _set(lesson, title, exercise):
    return ExerciseSet(lesson=lesson, title=title, intro="", setup="from course.exercises import yourturn",
                       exercises=[exercise], solutions_module=_SOLUTIONS)


SETS = {
    "00": _set("00_welcome", "Your turn, lesson 00", SLOW),
    "01": _set("01_spikes", "Your turn, lesson 01", CV),
    "02": _set("02_power", "Your turn, lesson 02", ENERGY),
    "05": _set("05_noise", "Your turn, lesson 05", BALANCED_CV),
    "06": _set("06_nef", "Your turn, lesson 06", LEAKY),
    "07": _set("07_beyond_lif", "Your turn, lesson 07", ADAPT_INDEX),
    "08": _set("08_capstone", "Your turn, lesson 08", LONGEST),
}
_BY_ID = {e.id: s for s in SETS.values() for e in s.exercises}


def _owner(exercise_id):
    if exercise_id not in _BY_ID:
        print(f"no Your-turn cell {exercise_id!r}; they are: {', '.join(_BY_ID)}")
        return None
    return _BY_ID[exercise_id]


def check(exercise_id, answer):
    """Check ``answer`` for the Your-turn cell ``exercise_id``; prints the verdict and returns it."""
    owner = _owner(exercise_id)
    return None if owner is None else owner.check(exercise_id, answer)


def hint(exercise_id=None):
    """Print the next hint for ``exercise_id`` (without an id: the list of Your-turn cells)."""
    if exercise_id is None:
        print(f"Your-turn cells: {', '.join(_BY_ID)}; ask for a hint with yourturn.hint(\"name\").")
        return
    owner = _owner(exercise_id)
    if owner is not None:
        owner.hint(exercise_id)


def solution(exercise_id):
    """Print the reference solution of a Your-turn cell (only on request)."""
    owner = _owner(exercise_id)
    if owner is not None:
        owner.solution(exercise_id)


for _s in SETS.values():
    globals().update({k: v for k, v in _s.api().items() if k.startswith("check_")})
__all__ += [f"check_{i}" for i in _BY_ID]
