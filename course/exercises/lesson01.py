"""Exercises for lesson 01 (spikes): Poisson spikes, CV, the latency code, STDP, presentation time.

Learner API (see :mod:`course.exercise_set`)::

    from course.exercises import lesson01 as ex
    ex.check_poisson_counts(poisson_counts); ex.hint("poisson_counts"); ex.solution("poisson_counts")

The checks compare against the formulas below, written independently of the reference solutions in
``lesson01_solutions.py``; tests also compare them with snnlib (encoders, spike-train statistics, the
simulator's STDP) so the exercises teach what the library does. Times in seconds, rates in hertz.
"""
from __future__ import annotations

import functools

import numpy as np

from course.exercise import Exercise, Mistake, measured_range
from course.exercise_set import ExerciseSet, how_exercises_work

# -- fixed inputs of the checks (seeded, so every learner sees the same cases) -----------------------
_rng = np.random.default_rng(2024)
_U1 = _rng.random((2000, 5))
_U2 = _rng.random((5000, 3))
_RATES1 = np.array([1.0, 10.0, 50.0, 100.0, 400.0])          # Hz
_POISSON = np.cumsum(_rng.exponential(1 / 20.0, 300))          # 20 Hz Poisson train, s
_REGULAR = 0.01 * np.arange(1, 201) + _rng.normal(0, 0.0005, 200)  # 100 Hz, 0.5 ms jitter
_BURSTY = np.sort(np.concatenate([k * 0.1 + 0.002 * np.arange(4) for k in range(60)]))  # 4-spike bursts
_X = np.array([0.0, 0.1, 0.25, 0.5, 0.9, 1.0])
_DT = np.array([-0.08, -0.03, -0.01, -0.001, 0.001, 0.005, 0.02, 0.06])


class AccuracyTable:
    """Accuracy of a spiking classifier at each presentation time (ms), callable as ``table(t_ms)``."""

    def __init__(self, table: dict):
        self.table = dict(table)

    def __call__(self, t_ms):
        if t_ms not in self.table:
            raise KeyError(f"no accuracy measured for {t_ms} ms; measured times: {sorted(self.table)}")
        return self.table[t_ms]

    def __repr__(self):
        return "AccuracyTable(" + ", ".join(f"{t} ms: {a:g}" for t, a in self.table.items()) + ")"


_TIMES = [5, 10, 20, 50, 100, 200]
# shaped like the lesson's measurements: a fast rise, then a plateau near the ANN's accuracy
_TABLE1 = AccuracyTable({5: 0.36, 10: 0.71, 20: 0.93, 50: 0.95, 100: 0.955, 200: 0.953})
_TABLE2 = AccuracyTable({5: 0.2, 10: 0.44, 20: 0.76, 50: 0.875, 100: 0.96, 200: 0.95})  # exactly 0.875 at 50 ms
_TABLE3 = AccuracyTable({5: 0.5, 10: 0.9, 20: 0.97, 50: 0.99, 100: 0.98, 200: 0.985})


# -- analytic references ---------------------------------------------------------------------------
def _poisson_counts(u, rate, dt):
    return (np.asarray(u) < np.asarray(rate) * dt).sum(axis=0)


def _cv(spike_times):
    isi = np.diff(np.asarray(spike_times, dtype=float))
    return isi.std() / isi.mean()


def _latency(x, t_max):
    return t_max - np.asarray(x, dtype=float) * t_max


def _stdp(dt, a_plus, a_minus, tau_plus, tau_minus):
    dt = np.asarray(dt, dtype=float)
    ltp = a_plus * np.exp(-np.abs(dt) / tau_plus)
    ltd = -a_minus * np.exp(-np.abs(dt) / tau_minus)
    return np.where(dt > 0, ltp, ltd)


def _shortest(accuracy_of, times_ms, target):
    ok = [t for t in times_ms if accuracy_of(t) >= target]
    return min(ok)


# -- exercises -------------------------------------------------------------------------------------
POISSON = Exercise(
    id="poisson_counts", title="A Poisson spike generator",
    prompt=("A discrete-time Poisson generator fires in each step of length $\\Delta t$ with probability "
            "$p = r\\,\\Delta t$ ($r$ in Hz, $\\Delta t$ in seconds; valid while $p \\ll 1$). Given uniform random "
            "numbers `u` of shape (n_steps, n_neurons), a neuron spikes in a step when its number is below $p$. "
            "Write `poisson_counts(u, rate, dt)` returning each neuron's spike count. Then try it: "
            "`poisson_counts(np.random.default_rng(0).random((10000, 3)), np.array([5., 20., 80.]), 1e-3)` should "
            "give about 10 s x rate spikes per neuron."),
    reference=_poisson_counts,
    cases=[(_U1, _RATES1, 1e-3), (_U2, 20.0, 1e-4), (_U1, 5.0, 1e-2)],
    mistakes=[
        Mistake("per_step", lambda u, rate, dt: (u < rate).sum(axis=0),
                "every neuron spikes in every step: you compared with the rate in Hz, not with the probability "
                "per step. Rates in Hz vs per step: p = rate * dt."),
        Mistake("khz", lambda u, rate, dt: (u < rate / 1000 * dt).sum(axis=0),
                "your counts are about 1000 times too low: the rate is in Hz and dt in seconds, so "
                "p = rate * dt needs no conversion (dividing by 1000 gives spikes per ms times seconds)."),
        Mistake("reversed", lambda u, rate, dt: (u > rate * dt).sum(axis=0),
                "your neurons spike almost always: a spike happens when u < p (probability p), "
                "not when u > p (probability 1 - p)."),
        Mistake("rate_out", lambda u, rate, dt: (u < rate * dt).sum(axis=0) / (u.shape[0] * dt),
                "you returned the firing rate (Hz), not the spike count: drop the division by the duration."),
    ],
    hints=["The probability of a spike in one step is p = rate * dt (Hz times seconds: no unit).",
           "u < p gives a boolean array of spikes, one row per step; sum it over the steps (axis 0).",
           "Booleans add up as 0 and 1, so summing the comparison over the right axis counts the spikes."],
    todo="return the spike count of each neuron",
    params={"dt": "the time step dt"},
)

CV = Exercise(
    id="cv_isi", title="Regular or irregular? The CV of the inter-spike intervals",
    prompt=("The coefficient of variation of a spike train is $\\mathrm{CV} = \\sigma_{ISI} / \\mu_{ISI}$, the "
            "standard deviation of the inter-spike intervals over their mean. Write `cv_isi(spike_times)`. "
            "The checks use a Poisson train (CV about 1), a jittered regular train (CV near 0) and a bursting "
            "train (CV above 1). Either `np.std` convention (ddof 0 or 1) passes."),
    reference=_cv,
    cases=[(_POISSON,), (_REGULAR,), (_BURSTY,)],
    alternatives=[lambda spike_times: np.std(np.diff(spike_times), ddof=1) / np.mean(np.diff(spike_times))],
    mistakes=[
        Mistake("times_not_intervals", lambda t: np.std(t) / np.mean(t),
                "you used the spike times themselves. The CV is about the intervals between spikes: "
                "take np.diff(spike_times) first."),
        Mistake("variance", lambda t: np.var(np.diff(t)) / np.mean(np.diff(t)),
                "you divided the variance of the intervals by their mean (that has units of seconds, and is "
                "not the Fano factor either): use the standard deviation, np.std."),
        Mistake("inverted", lambda t: np.mean(np.diff(t)) / np.std(np.diff(t)),
                "upside down: CV = std / mean of the intervals, not mean / std."),
    ],
    hints=["Intervals: np.diff(spike_times).",
           "CV = standard deviation of the intervals divided by their mean.",
           "numpy has both pieces: np.std and np.mean of the intervals (either ddof passes)."],
    todo="return std(ISI) / mean(ISI)",
)

LATENCY = Exercise(
    id="latency_encode", title="A latency (time-to-first-spike) encoder",
    prompt=("In a latency code strong stimuli fire first. Write `latency_encode(x, t_max)` returning the spike "
            "time in seconds of each value $x \\in [0, 1]$: $x = 1$ fires at $t = 0$, $x = 0$ at $t_{max}$, and "
            "the latency falls linearly in between. It must work on numpy arrays."),
    reference=_latency,
    cases=[(_X, 0.05), (_X, 0.1), (np.array([0.3]), 0.02)],
    mistakes=[
        Mistake("reversed", lambda x, t_max: x * t_max,
                "your strongest stimulus fires last: in a latency code x = 1 fires first (t = 0) and x = 0 "
                "fires at t_max. Use (1 - x) * t_max."),
        Mistake("precedence", lambda x, t_max: 1 - x * t_max,
                "operator precedence: 1 - x * t_max computes 1 - (x * t_max). Put brackets around (1 - x)."),
        Mistake("milliseconds", lambda x, t_max: (1 - x) * t_max * 1000,
                "your times are 1000 times too large: t_max is in seconds, so answer in seconds, not ms."),
    ],
    hints=["The latency is a straight line in x: t_max at x = 0, 0 at x = 1.",
           "A line through (0, t_max) and (1, 0) has slope -t_max; 1 - x runs from 1 down to 0.",
           "Mind the brackets: multiplication binds tighter than subtraction."],
    todo="return the first-spike time of each value, in seconds",
    params={"t_max": "the longest latency t_max"},
)

STDP = Exercise(
    id="stdp_dw", title="The STDP weight change for a spike pair",
    prompt=("Pair-based STDP (Song, Miller & Abbott 2000): with $\\Delta t = t_{post} - t_{pre}$, "
            "$\\Delta w = A_+ e^{-\\Delta t/\\tau_+}$ if $\\Delta t > 0$ (pre before post: potentiation) and "
            "$\\Delta w = -A_- e^{\\Delta t/\\tau_-}$ if $\\Delta t < 0$ (depression). Write "
            "`stdp_dw(dt, a_plus, a_minus, tau_plus, tau_minus)` for an array `dt` (never exactly 0 here). "
            "The check uses different $\\tau_+$ and $\\tau_-$, so a swap shows."),
    reference=_stdp,
    cases=[(_DT, 0.01, 0.0105, 0.02, 0.02), (_DT, 0.005, 0.003, 0.017, 0.034), (np.array([0.01, -0.01]), 1.0, 0.5, 0.01, 0.05)],
    mistakes=[
        Mistake("sign_convention", lambda dt, ap, am, tp, tm: _stdp(-np.asarray(dt), ap, am, tp, tm),
                "your window is mirrored: you treated dt as t_pre - t_post. Here dt = t_post - t_pre, and "
                "dt > 0 (pre fires before post, so it helped cause the spike) must potentiate."),
        Mistake("no_minus", lambda dt, ap, am, tp, tm: np.abs(_stdp(dt, ap, am, tp, tm)),
                "all your changes are positive: post-before-pre pairs must weaken the synapse, "
                "dw = -a_minus * exp(dt / tau_minus)."),
        Mistake("taus_swapped", lambda dt, ap, am, tp, tm: _stdp(dt, ap, am, tm, tp),
                "the shape is right but the decay times are swapped: tau_plus belongs to potentiation "
                "(dt > 0), tau_minus to depression (dt < 0)."),
        Mistake("growing", lambda dt, ap, am, tp, tm: np.where(np.asarray(dt) > 0, ap * np.exp(np.asarray(dt) / tp),
                                                              -am * np.exp(-np.asarray(dt) / tm)),
                "your changes grow with the time between spikes: the exponent signs are flipped. Pairs further "
                "apart must change the weight less: exp(-dt/tau_plus) for dt > 0, exp(dt/tau_minus) for dt < 0."),
    ],
    hints=["Two cases: np.where(dt > 0, potentiation, depression).",
           "Potentiation a_plus * np.exp(-dt / tau_plus) decays for dt > 0; depression -a_minus * np.exp(dt / tau_minus) "
           "decays for dt < 0.",
           "One np.where call with the two expressions of the previous hint does it for the whole array."],
    todo="return the weight change of each pair",
    params={"a_plus": "the potentiation amplitude a_plus", "a_minus": "the depression amplitude a_minus"},
)

SHORTEST = Exercise(
    id="shortest_time", title="Choose the presentation time",
    prompt=("A converted spiking network gets more accurate the longer each image is shown, but every extra "
            "millisecond costs time and spikes. Write `shortest_time(accuracy_of, times_ms, target)`: "
            "`accuracy_of(t_ms)` gives the accuracy for a presentation time in ms, `times_ms` are increasing "
            "candidates; return the shortest candidate whose accuracy is at least `target`.\n\n"
            "Then run the real experiment: `shortest_time(ex.spiking_accuracy, ex.PRESENTATION_TIMES_MS, 0.9)` "
            "trains lesson 01's digits network, converts it, and measures each candidate on 200 test images "
            "(a few seconds). Compare with `0.95`: what does the last 5 % cost?"),
    reference=_shortest,
    cases=[(_TABLE1, _TIMES, 0.9), (_TABLE2, _TIMES, 0.875), (_TABLE3, _TIMES, 0.98), (_TABLE1, _TIMES, 0.3)],
    mistakes=[
        Mistake("accuracy", lambda acc, times, target: acc(_shortest(acc, times, target)),
                "you returned the accuracy reached, not the presentation time (in ms) that reaches it."),
        Mistake("strict", lambda acc, times, target: min(t for t in times if acc(t) > target),
                "you required the accuracy to exceed the target; 'at least' means >=. "
                "Check the case where one accuracy equals the target exactly."),
        Mistake("best", lambda acc, times, target: max(times, key=acc),
                "you returned the time with the best accuracy. The question is the shortest time that is good "
                "enough: longer windows cost spikes and latency for little gain."),
        Mistake("seconds", lambda acc, times, target: _shortest(acc, times, target) / 1000,
                "your answer is 1000 times too small: return the time in ms, as given in times_ms."),
    ],
    hints=["Go through times_ms in order and stop at the first time whose accuracy reaches the target.",
           "Return from inside the loop as soon as a candidate is good enough: the first one found is the "
           "shortest, because times_ms is increasing."],
    todo="return the shortest time (ms) with accuracy >= target",
)

# -- the real experiment for exercise 5 ---------------------------------------------------------------
PRESENTATION_TIMES_MS = [5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200]


@functools.lru_cache(maxsize=1)
def _digits_classifier():
    """Lesson 01's network (64-64-32-10, soft LIF, trained with seed 0) converted to spiking LIF neurons."""
    from snnlib.ml.ann import train_digits_net
    from snnlib.ml.conversion import SpikingClassifier

    ann, (_, _, X_test, y_test) = train_digits_net(hidden=(64, 32), epochs=25, batch_size=64, lr=5e-3, noise=0.01,
                                                   seed=0)
    return SpikingClassifier(ann, tau_syn=0.005, dt=0.001), X_test[:200], y_test[:200]


def spiking_accuracy(t_ms, rate_scale: float = 1.0) -> float:
    """Accuracy (fraction correct) of the converted digits network on 200 test images shown for ``t_ms`` ms.

    The first call trains the network (a few seconds); later calls reuse it. Seeded: the same
    arguments always give the same accuracy.
    """
    t_ms = float(t_ms)
    if not np.isfinite(t_ms) or t_ms < 1:
        raise ValueError(f"t_ms must be a presentation time of at least 1 ms, got {t_ms!r}")
    classifier, X, y = _digits_classifier()
    return classifier.run(X, y, t_present=t_ms / 1000, rate_scale=rate_scale, seed=0).accuracy


# -- with snnlib: how irregular are a LIF population's spikes? ---------------------------------------------
N_NEURONS = 20  # neurons in the population of the snnlib exercises


def _population_cv(input_rate, n_inputs, weight, t_end, seed, probe="neurons", pooled=False, ddof=0):
    """Mean over N_NEURONS LIF neurons (snnlib defaults) of each neuron's CV of inter-spike intervals, the
    neurons driven by n_inputs Poisson sources (connection probability 0.5) at input_rate (Hz) through area-normalised 5 ms
    synapses of weight ``weight``, t_end s at dt = 1 ms, Network(seed=seed). Neurons with fewer than 3
    spikes are left out. ``probe``/``pooled`` implement the mistakes (the inputs' CV; all trains merged)."""
    import snnlib as snn

    net = snn.Network(seed=seed)
    inputs = net.poisson(n_inputs, rate=input_rate)
    neurons = net.population(N_NEURONS)
    net.connect_random(inputs, neurons, p=0.5, weight=weight,
                       synapse=snn.ExpSynapse(tau=0.005, normalize="area"))
    p = net.probe(neurons if probe == "neurons" else inputs, "spikes")
    sim = snn.Simulator(net, dt=0.001)
    sim.run(t_end)
    record = sim.data[p]
    trains = [np.sort(record.times)] if pooled else record.trains()
    cvs = [_cv_ddof(t, ddof) for t in trains if len(t) >= 3]
    return float(np.mean(cvs)) if cvs else float("nan")


def _cv_ddof(times, ddof):
    isi = np.diff(times)
    return isi.std(ddof=ddof) / isi.mean()


_NET_CASES = [(20.0, 200, 0.001, 1.0, 0), (30.0, 100, 0.002, 1.0, 4), (12.0, 200, 0.001, 2.0, 9),
              (20.0, 200, 0.001, 1.0, 0)]  # the first case again: a result that changes is not seeded

NETWORK = Exercise(
    id="population_cv", title="With snnlib: how regular are a LIF population's spikes?",
    prompt=("Drive 20 LIF neurons with Poisson spikes and measure how irregular *their* spikes are. Write "
            "`population_cv(input_rate, n_inputs, weight, t_end, seed)`: create `snn.Network(seed=seed)`; add "
            "`n_inputs` Poisson sources at `input_rate` Hz and a population of `ex.N_NEURONS` (20) LIF neurons "
            "(snnlib's defaults); connect each source to each neuron with "
            "probability 0.5 and weight `weight` (`net.connect_random(inputs, neurons, p=0.5, weight=weight, "
            "synapse=...)`) through `snn.ExpSynapse(tau=0.005, normalize=\"area\")` (mean drive "
            "$J = w\\,p\\,N_{in}\\,r_{in}$); probe the "
            "population's spikes (`net.probe(neurons, \"spikes\")`), run `snn.Simulator(net, dt=0.001)` for "
            "`t_end` s, and return the mean over the neurons of each neuron's CV of inter-spike intervals "
            "(`sim.data[probe].trains()` gives one spike-time array per neuron; leave out neurons with fewer "
            "than 3 spikes). Either `np.std` convention passes."),
    reference=_population_cv,
    alternatives=[lambda *a: _population_cv(*a, ddof=1)],
    cases=_NET_CASES,
    mistakes=[
        Mistake("inputs", lambda *a: _population_cv(*a, probe="inputs"),
                "a CV near 1: that is the irregularity of the Poisson inputs. Probe the LIF population, not the "
                "sources."),
        Mistake("pooled", lambda *a: _population_cv(*a, pooled=True),
                "you merged the spikes of all neurons into one train: intervals between spikes of different "
                "neurons say nothing about one neuron's regularity. Take the CV of each neuron's train, then "
                "average."),
    ],
    hints=["Same network as a Poisson-driven population (see lesson 00's exercises), plus a probe before the "
           "Simulator is built: probes added afterwards record nothing.",
           "sim.data[probe] is a SpikeRecord; its trains() method splits the spikes by neuron.",
           "For each train with at least 3 spikes: intervals with np.diff, then std / mean; average those CVs."],
    todo="build and run the network; return the mean CV of the neurons' intervals",
    timeout=120.0,  # the first snnlib run of a session compiles the simulator (several seconds)
)


@functools.lru_cache(maxsize=None)
def fluctuation_cv_range(input_rate: float = 9.0, probe: str = "neurons") -> tuple[float, float]:
    """Range of :func:`_population_cv` at mean drive 0.5 x 200 x 0.001 x input_rate over 24 seeds (10 s runs)."""
    return measured_range(lambda seed: _population_cv(input_rate, 200, 0.001, 10.0, seed, probe=probe))


FLUCTUATION_CV = Exercise(
    id="cv_below_rheobase", kind="value", title="Open question: regular or irregular below rheobase?",
    prompt=("With mean drive 2 (200 inputs, half per neuron, at 20 Hz, weight 0.001) your `population_cv` gives a CV near 0.2: the "
            "neurons fire almost like clocks although their input is Poisson. Now lower the input rate to 9 Hz "
            "(mean drive 0.9, below the rheobase): the neurons fire only when fluctuations carry them over "
            "threshold. Measure the mean CV with a 10 s run (any seed) and set `cv_below_rheobase` to it. The "
            "check accepts the range this experiment gives over many seeds. Which regime resembles cortex, "
            "where CVs near 1 are common (Softky & Koch 1993; Shadlen & Newsome 1998)?"),
    reference=lambda: float(np.mean(fluctuation_cv_range())),
    measured=fluctuation_cv_range,
    mistakes=[
        Mistake("suprathreshold", lambda: fluctuation_cv_range(20.0),
                "that is the CV at 20 Hz input (mean drive 2, above rheobase). Use 9 Hz input: mean drive 0.9."),
        Mistake("inputs", lambda: fluctuation_cv_range(9.0, "inputs"),
                "a CV near 1 is the Poisson inputs' own: measure the LIF neurons' spikes."),
    ],
    hints=["Call your population_cv(9.0, 200, 0.001, 10.0, seed) with any seed.",
           "The answer is the number the experiment gives: compare it with the value at 20 Hz input."],
    stub="cv_below_rheobase = ...  # TODO: run the experiment and assign the CV you measure\n",
)

EXERCISES = ExerciseSet(
    lesson="01_spikes",
    title="Exercises 01: spikes, codes and STDP",
    intro=("Seven exercises on lesson 01: generating Poisson spikes, measuring their irregularity, encoding a "
           "value in spike latency, the STDP window, and choosing how long a spiking network must look at an "
           "image; then, with snnlib, how irregular a LIF population's own spikes are, above and below "
           "its rheobase.\n\n"
           + how_exercises_work("01", "poisson_counts")
           + "Units: times in seconds (except where a name ends in `_ms`), rates in hertz."),
    setup="import numpy as np\nimport snnlib as snn\n\nfrom course.exercises import lesson01 as ex",
    exercises=[POISSON, CV, LATENCY, STDP, SHORTEST, NETWORK, FLUCTUATION_CV],
    solutions_module="course.exercises.lesson01_solutions",
    outro=("## Summary\n\nRun the cell below to see which exercises passed in this session. "
           "`course list` in a terminal shows your progress over all lessons."),
)

globals().update(EXERCISES.api())
