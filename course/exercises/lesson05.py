"""Exercises for lesson 05 (noise): CV and Fano factor of a spike train, the error of averaging noisy estimates, the
mean and variance of unreliable synapses, and an experiment with snnlib that finds the noise level that best detects
a sub-threshold signal (stochastic resonance).

Learner API (see :mod:`course.exercise_set`)::

    from course.exercises import lesson05 as ex
    ex.check_cv_and_fano(cv_and_fano); ex.hint("release_stats"); ex.solution("averaging_error")

The references below are written from the definitions, independently of the reference solutions in
``lesson05_solutions.py``; tests also compare them with snnlib (`snnlib.analysis.spiketrains`, a `Release(p)`
connection simulated by `snnlib.experiments.noise.simulate_release`) and re-measure the open question's range.
Times in seconds; normalised LIF units (threshold 1).
"""
from __future__ import annotations

import functools

import numpy as np

from course.exercise import Exercise, Mistake, measured_range
from course.exercise_set import ExerciseSet, how_exercises_work


# -- 1. CV and Fano factor -----------------------------------------------------------------------------------------
def _cv_fano(spike_times, t_stop, window, cv_ddof=0, fano_ddof=0, cv_variance=False, fano_std=False,
             cv_of_times=False, fano_of_isis=False):
    s = np.sort(np.asarray(spike_times, dtype=float))
    x = s if cv_of_times else np.diff(s)
    cv = (np.var(x, ddof=cv_ddof) if cv_variance else np.std(x, ddof=cv_ddof)) / np.mean(x)
    n_bins = int(round(t_stop / window))
    counts = np.histogram(s, bins=n_bins, range=(0.0, n_bins * window))[0].astype(float)
    if fano_of_isis:
        counts = np.diff(s)
    fano = (np.std(counts, ddof=fano_ddof) if fano_std else np.var(counts, ddof=fano_ddof)) / np.mean(counts)
    return np.array([cv, fano])


_rng = np.random.default_rng(505)
_REGULAR = np.arange(0.0105, 2.0, 0.025)                                          # 40 Hz clock, 2 s
_POISSON = np.cumsum(_rng.exponential(0.05, 200))
_POISSON = _POISSON[_POISSON < 8.0]                                               # 20 Hz Poisson, 8 s
_BURSTY = np.sort(np.concatenate([t + np.array([0.0, 0.004, 0.008]) for t in
                                  np.cumsum(_rng.exponential(0.2, 40))]))
_BURSTY = _BURSTY[_BURSTY < 6.0]                                                  # bursts of 3 at random
_JITTERED = np.sort(np.arange(0.01, 4.0, 0.05) + _rng.normal(0.0, 0.008, 80))    # a noisy clock
_CV_CASES = [(_REGULAR, 2.0, 0.1), (_POISSON, 8.0, 0.2), (_BURSTY, 6.0, 0.5), (_JITTERED, 4.0, 0.25)]

CV_FANO = Exercise(
    id="cv_and_fano", title="CV and Fano factor of a spike train",
    prompt=("Two numbers say how irregular a spike train is. The **coefficient of variation** of the inter-spike "
            "intervals, $CV = \\mathrm{std}(ISI) / \\mathrm{mean}(ISI)$, and the **Fano factor** of the spike counts "
            "in consecutive windows, $F = \\mathrm{var}(N) / \\mathrm{mean}(N)$. Both are 1 for a Poisson train "
            "and 0 for a clock. Write `cv_and_fano(spike_times, t_stop, window)` returning `np.array([cv, fano])`: "
            "spike times in s (sorted), the train recorded over `[0, t_stop)`, counted in the "
            "`round(t_stop / window)` windows `[0, window), [window, 2 window), ...`. Either `ddof` (0 or 1) is "
            "accepted for each standard deviation or variance."),
    reference=lambda spike_times, t_stop, window: _cv_fano(spike_times, t_stop, window),
    alternatives=[lambda spike_times, t_stop, window, a=a, b=b: _cv_fano(spike_times, t_stop, window, a, b)
                  for a, b in ((1, 0), (0, 1), (1, 1))],
    cases=_CV_CASES,
    mistakes=[
        Mistake("cv_variance", lambda s, T, w: _cv_fano(s, T, w, cv_variance=True),
                "your CV is the variance of the intervals over their mean: the CV divides the *standard deviation* "
                "by the mean (both in seconds, so the CV has no unit and does not change with the time unit)."),
        Mistake("fano_std", lambda s, T, w: _cv_fano(s, T, w, fano_std=True),
                "your Fano factor divides the standard deviation of the counts by their mean: it divides the "
                "*variance* (for a Poisson process variance = mean, so F = 1)."),
        Mistake("cv_of_times", lambda s, T, w: _cv_fano(s, T, w, cv_of_times=True),
                "your CV is computed from the spike times themselves: take the intervals between consecutive "
                "spikes first (np.diff)."),
        Mistake("fano_of_isis", lambda s, T, w: _cv_fano(s, T, w, fano_of_isis=True),
                "your Fano factor uses the intervals, not the counts: count the spikes in each window (np.histogram "
                "with the window edges), then take var / mean of those counts."),
    ],
    hints=["The intervals are np.diff(spike_times). For the counts, np.histogram with bins=round(t_stop / window) "
           "and range=(0, that number times window) gives one count per window.",
           "CV: standard deviation over mean of the intervals. Fano: variance over mean of the counts."],
    todo="return the CV and the Fano factor, in one array",
)


# -- 2. averaging noisy estimates -------------------------------------------------------------------------------
def _avg(sigma, n, bias, mode="ok"):
    n = np.asarray(n, dtype=float)
    if mode == "linear":
        return np.abs(bias) + sigma / np.sqrt(n)
    if mode == "over_n":
        return np.sqrt(bias**2 + sigma**2 / n**2)
    if mode == "bias_averages":
        return np.sqrt((bias**2 + sigma**2) / n)
    return np.sqrt(bias**2 + sigma**2 / n)


_N = np.array([1, 4, 16, 100, 1000])
AVERAGE = Exercise(
    id="averaging_error", title="The error of averaging N noisy neurons",
    prompt=("N neurons each give an estimate of the same value x: $\\hat x_i = x + b + \\epsilon_i$, where the "
            "noise $\\epsilon_i$ is independent between neurons with mean 0 and standard deviation `sigma`, and $b$ "
            "(`bias`) is an error all of them share (for instance a distortion of their common tuning). The "
            "population reports the average $\\bar x = \\frac{1}{N}\\sum_i \\hat x_i$. Write "
            "`averaging_error(sigma, n, bias)`: the root-mean-square error $\\sqrt{E[(\\bar x - x)^2]}$ for each "
            "N in the array `n`."),
    reference=lambda sigma, n, bias: _avg(sigma, n, bias),
    cases=[(0.5, _N, 0.0), (0.3, _N, 0.02), (2.0, _N, -0.1), (0.1, np.array([2, 3, 50]), 0.05)],
    mistakes=[
        Mistake("linear", lambda sigma, n, bias: _avg(sigma, n, bias, "linear"),
                "you added the two errors: independent error sources add in *squares* (variances add), so the "
                "RMS error is the square root of bias squared plus the noise variance of the mean."),
        Mistake("over_n", lambda sigma, n, bias: _avg(sigma, n, bias, "over_n"),
                "your noise falls as 1/N: the *variance* of a mean of N independent terms is sigma^2 / N, so its "
                "standard deviation falls only as 1/sqrt(N)."),
        Mistake("bias_averages", lambda sigma, n, bias: _avg(sigma, n, bias, "bias_averages"),
                "your shared error b shrinks with N too: every neuron has the same b, so averaging keeps all of "
                "it; only the independent noise averages away."),
    ],
    hints=["Write the mean as x + b + (1/N) sum(eps_i). Its error is b plus a noise term with mean 0.",
           "The variance of (1/N) sum(eps_i) for independent eps_i is N sigma^2 / N^2. The mean-square error is "
           "b^2 plus that variance; take the square root."],
    todo="return the RMS error for each N",
)


# -- 3. unreliable synapses -------------------------------------------------------------------------------------
def _release(p, w, n_synapses, mode="ok"):
    p, w, n = np.asarray(p, dtype=float), float(w), float(n_synapses)
    mean = n * p * w
    var = n * p * (1 - p) * w**2
    if mode == "no_failure_term":
        var = n * p * w**2
    elif mode == "w_not_squared":
        var = n * p * (1 - p) * w
    elif mode == "together":
        var = n**2 * p * (1 - p) * w**2
    elif mode == "mean_no_p":
        mean = n * w + 0 * p
    return np.stack([mean, var], axis=-1)


_P = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
RELEASE = Exercise(
    id="release_stats", title="Mean and variance of unreliable synapses",
    prompt=("A presynaptic spike reaches `n_synapses` synapses. Each releases transmitter independently with "
            "probability `p` (p of about 0.1-0.7 at cortical synapses) and then delivers the weight `w`, otherwise "
            "nothing (`snn.Release(p)` in snnlib). Write `release_stats(p, w, n_synapses)`: the mean and the variance "
            "of the total weight delivered by one spike, as an array of shape `(len(p), 2)` (one row "
            "`[mean, variance]` per value in the array `p`)."),
    reference=lambda p, w, n_synapses: _release(p, w, n_synapses),
    cases=[(_P, 1.0, 1), (_P, 0.5, 10), (_P, 2.0, 137), (np.array([0.25]), 0.1, 30)],
    mistakes=[
        Mistake("no_failure_term", lambda p, w, n: _release(p, w, n, "no_failure_term"),
                "your variance grows with p all the way to p = 1, but a synapse that always releases is not "
                "variable at all: the variance of a release (1 with probability p, else 0) is p (1 - p)."),
        Mistake("w_not_squared", lambda p, w, n: _release(p, w, n, "w_not_squared"),
                "your variance scales with w, not w squared: scaling a random quantity by w scales its variance "
                "by w^2."),
        Mistake("together", lambda p, w, n: _release(p, w, n, "together"),
                "your variance grows with the square of the number of synapses, as if all of them released "
                "together or not at all: independent synapses' variances add, so it grows with n."),
        Mistake("mean_no_p", lambda p, w, n: _release(p, w, n, "mean_no_p"),
                "your mean is the weight of every synapse, as if each always released: on average only a "
                "fraction p of the synapses transmits."),
    ],
    hints=["One synapse delivers w with probability p and 0 otherwise: a Bernoulli variable scaled by w.",
           "Mean and variance of a sum of independent terms are the sums of their means and variances. Stack them "
           "with np.stack([...], axis=-1) to get one row per p."],
    todo="return an array of shape (len(p), 2): [mean, variance] per p",
)


# -- 4. an experiment: the noise level that best detects a sub-threshold signal -------------------------------
# The experiment (tests/test_exercises_lesson05.py re-runs it): snnlib.experiments.noise.simulate_stochastic_
# resonance on the grid below, 20 neurons per level, 10 s. Neighbouring levels near the peak detect almost equally
# well, so the accepted range is every level whose detection, averaged over 24 seeds, is within 5 standard
# deviations (over seeds) of the best level's: a learner's variant (another seed, ddof, excluding silent neurons)
# may pick any of them.
SR_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.8)


def _detection(seed, mean=0.85, amplitude=0.1):
    from snnlib.experiments.noise import simulate_stochastic_resonance

    return simulate_stochastic_resonance(SR_GRID, mean=mean, amplitude=amplitude, n_neurons=20, t_stop=10.0,
                                         seed=seed).detection


@functools.lru_cache(maxsize=None)
def best_noise_range(mean=0.85, amplitude=0.1, seeds=24) -> tuple[float, float]:
    """The noise levels that detect the signal as well as the best one, within 5 sd over `seeds` seeds:
    ``(lowest, highest)`` of them."""
    curves = np.array([_detection(seed, mean, amplitude) for seed in range(seeds)])
    mean_curve, sd = curves.mean(axis=0), curves.std(axis=0, ddof=1)
    k = int(np.argmax(mean_curve))
    close = np.flatnonzero(mean_curve >= mean_curve[k] - 5 * sd[k])
    return float(SR_GRID[close.min()]), float(SR_GRID[close.max()])


BEST_NOISE = Exercise(
    id="best_noise", kind="value", title="Experiment: how much noise detects a signal best?",
    prompt=("A sub-threshold signal: LIF neurons (`snn.LIF()`, normalised units) with `bias=0.85` and the input "
            "`snn.TimeFunction(lambda t: 0.1 * np.sin(2 * np.pi * 5 * t), vectorized=True)` (peak drive 0.95, below "
            "the threshold 1) never fire on their own. Add a noise current "
            "`snnlib.noise.OUNoise(sigma=s, tau=0.01)` with `net.noise(pop, ...)`, for each s in "
            f"`{list(SR_GRID)}` (one population of 20 neurons per level, initial voltages "
            "`v_init=snn.Uniform(0, 1)`), run 10 s at dt = 1 ms and measure the **detection**: for each neuron, the "
            "correlation coefficient (`np.corrcoef`) between its spike counts in 10 ms bins and the signal "
            "$\\sin(2\\pi \\cdot 5\\,t)$ at the bins' centres (0 for a neuron that never fires), averaged over the "
            "neurons. Set `best_noise` to the s with the highest detection. Any answer in the range this "
            "experiment gives over many seeds passes."),
    reference=lambda: float(np.mean(best_noise_range())),
    measured=best_noise_range,
    mistakes=[
        Mistake("no_noise", lambda: 0.0,
                "with s = 0 the neurons never fire: the signal alone stays below threshold, so nothing is "
                "detected. Some noise is needed to carry the voltage over threshold."),
        Mistake("most_noise", lambda: SR_GRID[-1],
                "the strongest noise makes the most spikes, but most of them have nothing to do with the signal: "
                "look at the detection (the correlation with the signal), not at the rate."),
    ],
    hints=["One network with one population of 20 neurons per noise level (the bias and initial voltages of the "
           "task), the same TimeFunction input on each, an OUNoise attached with net.noise when s > 0, and a spike "
           "probe per population.",
           "For each population: sim.data[probe].trains() gives one train per neuron; np.histogram(train, bins=1000, "
           "range=(0, 10)) gives the counts; compare them with np.sin(2 * np.pi * 5 * centres).",
           "Print the detection for every s: it rises, peaks, then falls. The answer is where it peaks."],
    stub="best_noise = ...  # TODO: the noise level s with the highest detection\n",
    timeout=120.0,
)


EXERCISES = ExerciseSet(
    lesson="05_noise",
    title="Exercises 05: noise",
    intro=("Four exercises on lesson 05: the CV and Fano factor of a spike train, the error left after averaging "
           "noisy neurons, the mean and variance of unreliable synapses, and an experiment with snnlib that finds "
           "how much noise best reveals a signal too weak to make a neuron fire.\n\n"
           + how_exercises_work("05", "cv_and_fano")
           + "Units: times in seconds; the neurons use normalised LIF units (threshold 1)."),
    setup=("import numpy as np\n\nimport snnlib as snn\nfrom snnlib.noise import OUNoise\n"
           "from course.exercises import lesson05 as ex"),
    exercises=[CV_FANO, AVERAGE, RELEASE, BEST_NOISE],
    solutions_module="course.exercises.lesson05_solutions",
    outro=("## Summary\n\nRun the cell below to see which exercises passed in this session. "
           "`course list` in a terminal shows your progress over all lessons."),
)

globals().update(EXERCISES.api())
