"""Capstone (lesson 08): a spiking, noisy network learning online with PES against an ANN trained with backprop,
on the same samples of the same task, measured on four criteria.

The task: learn y = f(x) for x uniform in the square [-1, 1]^2 (a nonlinear function of a 2-D input), one sample
at a time. Both learners see the same sequence of samples; half-way (after `N_TRAIN` samples) the target
changes to another function (`switch_to`, by default the negated target: a "reversed reward").

* **Spiking learner**: `N_NEURONS` LIF neurons (normalised units, threshold 1) with random 2-D encoders,
  intercepts and maximum rates drawn as in Nengo, a white noise current of `NOISE_SIGMA` on every neuron
  (`Network.noise`), each sample held for `SAMPLE_TIME` s as a constant drive; the decoded output starts from
  zero decoders and PES (`Network.pes`, a local rule modulated by one error signal) learns them online from
  e = x_hat - f(x).
* **ANN**: 2 -> `HIDDEN` tanh -> 1 linear, trained with backprop by online SGD (one step per sample,
  learning rate `ANN_LEARNING_RATE`), the squared error as loss.

The four measurements (`measure_capstone`):
1. RMS test error after `N_TRAIN` samples, learning frozen, on `N_TEST` fresh samples (the spiking learner's
   output: its decoded value averaged over the last `READOUT_FRACTION` of each presentation);
2. robustness: the same test error after silencing `ABLATION` of the neurons / hidden units (a seeded random
   choice), and with Gaussian input noise of standard deviation `INPUT_NOISE` on each input coordinate;
3. energy per inference (one sample) on every device profile of `snnlib.energy` (lesson 02) and the
   break-even rate of the spiking network on Loihi against the same network on a CPU;
4. adaptation: samples after the switch until the learner's windowed training error (RMS over the last
   `RECOVER_WINDOW` samples, each sample's error measured before or while it is learnt) is back below
   `RECOVER_LEVEL`.

Entry points: `simulate_pes`, `simulate_ann` (one learner's run), `measure_capstone` (both, all four
measurements) and `verdict_table` (the text table). Everything is seeded: the same seed gives the same table.
"""

from dataclasses import dataclass, field

import numpy as np

from snnlib import _validate as check

__all__ = ["TASKS", "task_function", "make_samples", "simulate_pes", "simulate_ann", "measure_capstone",
           "samples_to_recover", "error_after_loss", "loss_curve", "ann_output", "ann_gradients", "pes_energy_counts", "ann_energy_counts", "LearnerResult", "CapstoneResult",
           "verdict_table", "N_NEURONS", "HIDDEN", "N_TRAIN", "N_TEST", "SAMPLE_TIME", "DT"]

# -- named defaults -------------------------------------------------------------------------------------------
N_NEURONS = 200             # spiking neurons in the learning ensemble
HIDDEN = 32                 # hidden tanh units of the ANN
N_TRAIN = 2000              # samples before the switch (and after it)
N_TEST = 200                # held-out samples for the test errors
SAMPLE_TIME = 0.05          # s each sample is presented to the spiking network
DT = 0.001                  # s, simulation step
READOUT_FRACTION = 0.5      # the spiking output is read over the last half of each presentation
PES_LEARNING_RATE = 1e-3    # kappa (1/s) of PES
PES_TAU = 0.01              # s, the decoded output's synapse (also the readout filter)
PRE_TAU = 0.005             # s, PES's filter on the presynaptic activities
NOISE_SIGMA = 0.5           # white noise current on every spiking neuron (units of the drive J, threshold 1)
MAX_RATES = (100.0, 200.0)  # Hz, range of the neurons' maximum rates (at the edge of the input range)
RADIUS = np.sqrt(2.0)       # the ensemble represents |x| <= sqrt(2): the whole square
ANN_LEARNING_RATE = 0.05    # online SGD step of the ANN
ABLATION = 0.2              # fraction of neurons / hidden units lost after training
INPUT_NOISE = 0.1           # standard deviation of the Gaussian noise added to each input coordinate
RECOVER_WINDOW = 100        # samples in the moving window of the adaptation measurement
RECOVER_LEVEL = 0.15        # windowed RMS error below which a learner counts as recovered
SPIKING_DEVICE, DENSE_DEVICE = "loihi", "cpu"    # the pair of the break-even rate


# -- the tasks ----------------------------------------------------------------------------------------------
def _product(X):
    return X[:, 0] * X[:, 1]


def _saddle(X):
    return X[:, 0] ** 2 - X[:, 1] ** 2


def _bump(X):
    return 2.0 * np.exp(-2.0 * np.sum(X ** 2, axis=1)) - 1.0


TASKS = {"product": _product, "saddle": _saddle, "bump": _bump}


def task_function(task, param="task"):
    """The target function of a task: a name in TASKS, "-name" (the negated target), or a callable
    f(X) -> y taking an (n, 2) array and returning n values (`param`: the parameter named in errors)."""
    if callable(task):
        return task
    if isinstance(task, str):
        name = task[1:] if task.startswith("-") else task
        if name in TASKS:
            f = TASKS[name]
            return (lambda X: -f(X)) if task.startswith("-") else f
    raise ValueError(f"{param} must be a function f(X) or one of {sorted(TASKS)} (a leading '-' negates it), "
                     f"got {check._show(task)}")


def _targets(f, X):
    y = np.asarray(f(X), dtype=float).reshape(-1)
    if y.shape != (len(X),) or not np.all(np.isfinite(y)):
        raise ValueError(f"the task function must return one finite number per sample ({len(X)}), got shape "
                         f"{np.shape(f(X))}")
    return y


def make_samples(n, seed):
    """n samples x uniform in [-1, 1]^2 (array (n, 2)), from the generator seeded by `seed`."""
    n, seed = check.count("n", n), check.count("seed", seed, minimum=0)
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, 2))


def _schedule(task, switch_to, n_train, seed):
    """The training sequence: 2 n_train samples, targets from `task` for the first half, `switch_to` after;
    the test set (N_TEST samples of the first task) and its noisy copy."""
    n_train, seed = check.count("n_train", n_train), check.count("seed", seed, minimum=0)
    X = make_samples(2 * n_train, seed)
    f = task_function(task)
    g = task_function(switch_to, "switch_to") if switch_to is not None else (lambda X: -f(X))   # default: the reversed target
    y = np.concatenate([_targets(f, X[:n_train]), _targets(g, X[n_train:])])
    X_test = make_samples(N_TEST, seed + 10_000)
    noise = np.random.default_rng(seed + 20_000).normal(0.0, INPUT_NOISE, size=X_test.shape)
    return X, y, X_test, _targets(f, X_test), X_test + noise


# -- results ------------------------------------------------------------------------------------------------
@dataclass
class LearnerResult:
    """One learner's measurements.

    errors: per-sample training error (n,) over the whole sequence (the switch at `switch_at`);
    test_error, ablated_error, noisy_error: RMS test errors (units of y) intact, after losing `ABLATION` of the
    units, with input noise; counts: `OpCounts` of one inference; energy: {device: J per inference};
    recover: samples to recover after the switch (None: not within the run)."""

    name: str
    errors: np.ndarray
    switch_at: int
    test_error: float
    ablated_error: float
    noisy_error: float
    counts: object
    energy: dict
    recover: int | None
    extra: dict = field(default_factory=dict)


@dataclass
class CapstoneResult:
    """Both learners on one task: `pes` and `ann` (`LearnerResult`), the task names and the break-even rate
    (Hz) of the spiking network on SPIKING_DEVICE against the same network on DENSE_DEVICE."""

    task: str
    switch_to: str
    pes: LearnerResult
    ann: LearnerResult
    break_even: float
    mean_rate: float


def samples_to_recover(errors, switch_at, level=RECOVER_LEVEL, window=RECOVER_WINDOW):
    """Samples after `switch_at` until the RMS of the per-sample errors over the last `window` samples (all
    after the switch) is at or below `level`; None if that never happens in `errors`."""
    errors = check.finite_array("errors", errors)
    if errors.ndim != 1:
        raise ValueError(f"errors must be a 1-D array of per-sample errors, got shape {errors.shape}")
    switch_at = check.count("switch_at", switch_at, minimum=0)
    if switch_at > errors.size:
        raise ValueError(f"switch_at ({switch_at}) must be within the {errors.size} samples of errors")
    level, window = check.nonnegative("level", level), check.count("window", window)
    e2 = errors[switch_at:] ** 2
    if e2.size < window:
        return None
    rms = np.sqrt(np.convolve(e2, np.ones(window) / window, mode="valid"))   # rms[k]: samples k .. k+window-1
    below = np.flatnonzero(rms <= level)
    return int(below[0] + window) if below.size else None


# -- the spiking learner ------------------------------------------------------------------------------------
def _ensemble(n, seed):
    """Encoders (n, 2) on the unit circle, gain and bias (normalised LIF), drawn from `seed`."""
    from snnlib.nef.tuning import gain_bias

    rng = np.random.default_rng(seed)
    angle = rng.uniform(0.0, 2 * np.pi, n)
    encoders = np.column_stack([np.cos(angle), np.sin(angle)])
    intercepts, max_rates = rng.uniform(-0.9, 0.9, n), rng.uniform(*MAX_RATES, n)
    gain, bias = gain_bias(max_rates, intercepts)
    return encoders, gain, bias


def _held(values, sample_time):
    """A vectorised function of t returning values[k] during sample k (held constant)."""
    values = np.asarray(values, dtype=float)
    values = values[:, None] if values.ndim == 1 else values

    def f(t):
        k = np.minimum((np.asarray(t) / sample_time + 1e-9).astype(int), len(values) - 1)
        return values[k]
    return f


def _network(X, encoders, gain, bias, noise_sigma, seed, sample_time):
    import snnlib as snn
    from snnlib.noise import WhiteNoise

    net = snn.Network(seed=seed)
    pop = net.population(len(gain), snn.LIF(), bias=bias, label="learner")
    net.input(pop, snn.TimeFunction(_held(X @ encoders.T / RADIUS, sample_time), vectorized=True), gain=gain)
    if noise_sigma > 0:
        net.noise(pop, WhiteNoise(noise_sigma))
    return net, pop


def _window_rates(spikes, n_samples, n, sample_time, dt):
    """Each neuron's rate (Hz) over the readout window (last READOUT_FRACTION) of each presentation."""
    steps = int(round(sample_time / dt))
    start = steps - int(round(READOUT_FRACTION * steps))
    step = np.ceil(spikes.times / dt - 1e-9).astype(int) - 1
    k, within = step // steps, step % steps
    keep = (within >= start) & (k < n_samples)
    rates = np.zeros((n_samples, n))
    np.add.at(rates, (k[keep], spikes.neurons[keep]), 1.0)
    return rates / ((steps - start) * dt)


def pes_energy_counts(spikes_per_inference, n_neurons, sample_time=SAMPLE_TIME, dt=DT, label="spiking (PES)"):
    """`OpCounts` of one inference of the spiking learner: the 2-D input enters as currents (2 n analog
    synaptic ops per sample, as in lesson 01's conversion), each spike costs one synaptic event (its decoder,
    a 1-D output), every neuron is updated every step; the readout is linear."""
    from snnlib.energy import OpCounts, count_macs

    spikes_per_inference = check.nonnegative("spikes_per_inference", spikes_per_inference)
    n_neurons = check.count("n_neurons", n_neurons)
    sample_time, dt = check.positive("sample_time", sample_time), check.positive("dt", dt)
    steps = int(round(sample_time / dt))
    if steps < 1:
        raise ValueError(f"sample_time ({sample_time:g} s) must be at least one step dt ({dt:g} s)")
    return OpCounts(connections=count_macs([2, n_neurons, 1]), neurons=n_neurons,
                    synaptic_events=float(spikes_per_inference), neuron_updates=float(n_neurons * steps),
                    analog_synops=2 * n_neurons, dense_passes=1, spikes=float(spikes_per_inference),
                    timesteps=steps, dt=dt, label=label)


def ann_energy_counts(hidden=HIDDEN):
    """`OpCounts` of one inference of the ANN: one dense pass 2 -> hidden -> 1 (linear output)."""
    from snnlib.energy import OpCounts

    return OpCounts.dense([2, check.count("hidden", hidden), 1], linear_output=True, label="ANN (backprop)")


def _devices_energy(counts):
    from snnlib.energy import estimate

    return {name: float(row.total) for name, row in estimate(counts).rows.items()}


def simulate_pes(task="product", switch_to=None, n_neurons=N_NEURONS, n_train=N_TRAIN,
                 learning_rate=PES_LEARNING_RATE, noise_sigma=NOISE_SIGMA, sample_time=SAMPLE_TIME, dt=DT,
                 ablation=ABLATION, seed=0):
    """Run the spiking learner on the schedule of `task` (switching to `switch_to` after n_train samples;
    None: the negated task) and measure it. Returns a `LearnerResult`; `extra` holds the decoders after
    n_train samples ("decoders"), the test-window rates ("rates") and the break-even rate ("break_even")."""
    import snnlib as snn
    from snnlib.energy import break_even_rate

    n_neurons, learning_rate = check.count("n_neurons", n_neurons), check.nonnegative("learning_rate", learning_rate)
    noise_sigma, ablation = check.nonnegative("noise_sigma", noise_sigma), check.probability("ablation", ablation)
    sample_time, dt = check.positive("sample_time", sample_time), check.positive("dt", dt)
    if sample_time < dt:
        raise ValueError(f"sample_time ({sample_time:g} s) must be at least one step dt ({dt:g} s)")
    X, y, X_test, y_test, X_noisy = _schedule(task, switch_to, n_train, seed)
    encoders, gain, bias = _ensemble(n_neurons, seed + 1)
    steps = int(round(sample_time / dt))
    # training: PES from zero decoders, through the whole sequence (the switch is in the targets)
    net, pop = _network(X, encoders, gain, bias, noise_sigma, seed, sample_time)
    x_hat = net.decoded(pop, np.zeros((n_neurons, 1)), tau=PES_TAU)
    error = net.error(x_hat, snn.TimeFunction(_held(y, sample_time), vectorized=True))
    net.pes(x_hat, error, learning_rate=learning_rate, pre_tau=PRE_TAU)
    p_err = net.probe(error)
    sim = snn.Simulator(net, dt=dt)
    sim.run(n_train * sample_time)
    decoders = sim.decoders(x_hat).copy()             # frozen here for the test measurements
    sim.run(n_train * sample_time)
    e = sim.data[p_err][:, 0].reshape(2 * n_train, steps)[:, steps - int(round(READOUT_FRACTION * steps)):]
    errors = np.sqrt(np.mean(e ** 2, axis=1))
    # test: the trained network without learning, on clean and on noisy inputs
    test = {}
    for name, inputs in (("clean", X_test), ("noisy", X_noisy)):
        tnet, tpop = _network(inputs, encoders, gain, bias, noise_sigma, seed + 2, sample_time)
        probe = tnet.probe(tpop, "spikes")
        tsim = snn.Simulator(tnet, dt=dt)
        tsim.run(len(inputs) * sample_time)
        test[name] = (_window_rates(tsim.data[probe], len(inputs), n_neurons, sample_time, dt),
                      float(tsim.counts["spikes"]))
    rates, spikes = test["clean"]

    def predict(mask):                                # a silent neuron contributes nothing to the output
        return rates @ (decoders[:, 0] * mask)

    counts = pes_energy_counts(spikes / len(X_test), n_neurons, sample_time, dt)
    return LearnerResult("spiking (PES)", errors, n_train, _rms(predict(1.0), y_test),
                         _rms(predict(_survivors(n_neurons, ablation, seed + 3)), y_test),
                         _rms(test["noisy"][0] @ decoders[:, 0], y_test), counts, _devices_energy(counts),
                         samples_to_recover(errors, n_train),
                         extra={"decoders": decoders, "rates": rates, "mean_rate": counts.mean_rate,
                                "break_even": break_even_rate(counts, SPIKING_DEVICE, DENSE_DEVICE),
                                "predict": predict, "y_test": y_test, "units": n_neurons})


# -- the ANN ------------------------------------------------------------------------------------------------
def simulate_ann(task="product", switch_to=None, hidden=HIDDEN, n_train=N_TRAIN, learning_rate=ANN_LEARNING_RATE,
                 ablation=ABLATION, dropout=0.0, seed=0):
    """Train a 2 -> hidden (tanh) -> 1 MLP with backprop, one SGD step per sample, on the same schedule as
    `simulate_pes` and measure it. Each sample's error is taken before its update (what the net predicted
    when the sample arrived). `dropout` (0 <= p < 1): during training each hidden unit is silenced with
    probability p and the others scaled by 1/(1 - p) (inverted dropout, Srivastava et al. 2014); testing uses
    all units unscaled. Returns a `LearnerResult`; `extra` holds the weights after n_train samples."""
    dropout = check.nonnegative("dropout", dropout)
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be a probability in [0, 1), got {dropout!r}")
    hidden, learning_rate = check.count("hidden", hidden), check.positive("learning_rate", learning_rate, "")
    ablation = check.probability("ablation", ablation)
    X, y, X_test, y_test, X_noisy = _schedule(task, switch_to, n_train, seed)
    rng = np.random.default_rng(seed + 4)
    drop_rng = np.random.default_rng(seed + 5)
    W1, b1 = rng.normal(0.0, 1.0, (hidden, 2)), rng.uniform(-1.0, 1.0, hidden)
    w2, b2 = rng.normal(0.0, 1.0 / np.sqrt(hidden), hidden), 0.0
    params = (W1, b1, w2, np.array(b2))
    errors = np.empty(len(X))
    frozen = None
    for k, (x, target) in enumerate(zip(X, y)):
        errors[k] = abs(_ann_output(params, x) - target)   # the whole net's error when the sample arrived
        keep = (drop_rng.random(hidden) >= dropout) / (1.0 - dropout) if dropout > 0 else 1.0
        for p, g in zip(params, _ann_gradients(params, x, target, keep)):
            p -= learning_rate * g                        # in place: one SGD step
        if k == n_train - 1:
            frozen = tuple(p.copy() for p in params)
    def predict(mask, inputs=X_test):                 # a lost hidden unit sends nothing to the output
        return _ann_output(frozen, inputs, mask)

    counts = ann_energy_counts(hidden)
    name = "ANN (backprop)" if dropout == 0 else f"ANN (backprop, dropout {dropout:g})"
    return LearnerResult(name, errors, n_train, _rms(predict(1.0), y_test),
                         _rms(predict(_survivors(hidden, ablation, seed + 3)), y_test),
                         _rms(predict(1.0, X_noisy), y_test), counts, _devices_energy(counts),
                         samples_to_recover(errors, n_train),
                         extra={"weights": frozen, "predict": predict, "y_test": y_test, "units": hidden})


def ann_output(params, x, keep=1.0):
    """The MLP's output for one input x (2,) or a batch (n, 2): w2 . (tanh(W1 x + b1) * keep) + b2, with
    params = (W1, b1, w2, b2) and keep a per-hidden-unit factor (1: all units; 0 for a lost unit)."""
    params, x, keep = _checked_ann(params, x, keep, batch=True)
    return _ann_output(params, x, keep)


def _ann_output(params, x, keep=1.0):
    W1, b1, w2, b2 = params
    return (np.tanh(x @ W1.T + b1) * keep) @ w2 + b2


def _checked_ann(params, x, keep, batch):
    """ann_output's / ann_gradients' arguments, checked: params (W1 (h, 2), b1 (h,), w2 (h,), b2), x (2,) or
    with `batch` (n, 2), keep a number or (h,)."""
    if isinstance(params, (str, bytes)) or not hasattr(params, "__len__") or len(params) != 4:
        raise TypeError(f"params must be the tuple (W1, b1, w2, b2) of the MLP's weights, got {check._show(params)}")
    W1 = check.finite_array("params[0] (W1)", params[0])
    if W1.ndim != 2 or W1.shape[1] != 2:
        raise ValueError(f"params[0] (W1) must have shape (hidden, 2), got {W1.shape}")
    h = W1.shape[0]
    b1 = check.finite_array("params[1] (b1)", params[1], shape=(h,))
    w2 = check.finite_array("params[2] (w2)", params[2], shape=(h,))
    b2 = check.finite_array("params[3] (b2)", params[3])
    if b2.ndim:
        raise ValueError(f"params[3] (b2) must be one number, got shape {b2.shape}")
    x = check.finite_array("x", x)
    if x.shape != (2,) and not (batch and x.ndim == 2 and x.shape[1] == 2):
        raise ValueError(f"x must be one input of shape (2,){' or a batch (n, 2)' if batch else ''}, got shape {x.shape}")
    keep = check.finite_array("keep", keep)
    if keep.ndim and keep.shape != (h,):
        raise ValueError(f"keep must be a number or one factor per hidden unit ({h},), got shape {keep.shape}")
    return (W1, b1, w2, b2), x, keep


def ann_gradients(params, x, target, keep=1.0):
    """Backprop: the gradients (dW1, db1, dw2, db2) of the loss (y_hat - target)^2 / 2 for one sample x (2,),
    with the hidden units scaled by keep (dropout's mask, or 1)."""
    params, x, keep = _checked_ann(params, x, keep, batch=False)
    return _ann_gradients(params, x, check.real("target", target), keep)


def _ann_gradients(params, x, target, keep=1.0):
    W1, b1, w2, b2 = params
    h = np.tanh(W1 @ x + b1)
    err = (h * keep) @ w2 + b2 - target              # d(loss)/d(output)
    dh = err * w2 * keep * (1.0 - h * h)             # back through the output weights and tanh
    return np.outer(dh, x), dh, err * h * keep, np.array(err)


def _rms(pred, y):
    return float(np.sqrt(np.mean((np.asarray(pred) - y) ** 2)))


def _survivors(n, fraction, seed):
    """A 0/1 mask over n units with round(fraction n) of them, chosen at random from `seed`, set to 0."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"the fraction of units lost must lie in [0, 1], got {fraction!r}")
    mask = np.ones(n)
    mask[np.random.default_rng(seed).permutation(n)[:int(round(fraction * n))]] = 0.0
    return mask


def error_after_loss(learner, fraction, seed=0):
    """RMS test error of a trained learner (`LearnerResult`) after losing `fraction` of its neurons / hidden
    units, chosen at random from `seed` (no simulation: the test activities are kept)."""
    _check_learner(learner)
    fraction, seed = check.probability("fraction", fraction), check.count("seed", seed, minimum=0)
    mask = _survivors(learner.extra["units"], fraction, seed)
    return _rms(learner.extra["predict"](mask), learner.extra["y_test"])


def loss_curve(learner, fractions, repeats=10, seed=0):
    """Mean RMS test error over `repeats` random choices of the lost units, at each fraction (array)."""
    _check_learner(learner)
    fractions = np.atleast_1d(check.finite_array("fractions", fractions))
    if fractions.ndim != 1 or np.any((fractions < 0) | (fractions > 1)):
        raise ValueError(f"fractions must lie in [0, 1] (a number or a 1-D array), got {fractions.tolist()}")
    repeats, seed = check.count("repeats", repeats), check.count("seed", seed, minimum=0)
    return np.array([np.mean([error_after_loss(learner, f, seed + r) for r in range(repeats)]) for f in fractions])


def _check_learner(learner):
    if not isinstance(learner, LearnerResult):
        raise TypeError(f"learner must be a LearnerResult (from simulate_pes or simulate_ann), got "
                        f"{check._show(learner)}")


def measure_capstone(task="product", switch_to=None, seed=0, **pes_options):
    """Both learners on `task` (same samples, same seed): a `CapstoneResult`. `pes_options` go to
    `simulate_pes` (n_neurons, learning_rate, noise_sigma, ...)."""
    n_train = pes_options.get("n_train", N_TRAIN)
    pes = simulate_pes(task, switch_to, seed=seed, **pes_options)
    ann = simulate_ann(task, switch_to, n_train=n_train, seed=seed)
    name = task if isinstance(task, str) else getattr(task, "__name__", "task")
    other = switch_to if switch_to is not None else "-" + name
    return CapstoneResult(name, other if isinstance(other, str) else getattr(other, "__name__", "switched"), pes,
                          ann, pes.extra["break_even"], pes.extra["mean_rate"])


# -- the verdict table --------------------------------------------------------------------------------------
def _better(a, b, lower=True):
    if a is None and b is None:
        return "neither"
    if a is None or b is None:
        return "ANN" if a is None else "spiking"
    if np.isclose(a, b, rtol=0.05, atol=0.0):
        return "tie (within 5 %)"
    return ("spiking" if a < b else "ANN") if lower else ("spiking" if a > b else "ANN")


def verdict_table(result):
    """The four measurements for both learners as a plain-text table (lower is better in every row)."""
    if not isinstance(result, CapstoneResult):
        raise TypeError(f"result must be the CapstoneResult of measure_capstone(...), got {check._show(result)} "
                        f"of type {type(result).__name__}")
    p, a = result.pes, result.ann
    n = p.switch_at

    def rec(v):
        return f"{v:d}" if v is not None else f"> {n:d}"

    rows = [(f"1. test error after {n} samples (RMS)", f"{p.test_error:.3f}", f"{a.test_error:.3f}",
             _better(p.test_error, a.test_error)),
            (f"2a. error after losing {ABLATION:.0%} of units", f"{p.ablated_error:.3f}", f"{a.ablated_error:.3f}",
             _better(p.ablated_error, a.ablated_error)),
            ("    (relative to intact)", f"x{p.ablated_error / p.test_error:.2f}",
             f"x{a.ablated_error / a.test_error:.2f}",
             _better(p.ablated_error / p.test_error, a.ablated_error / a.test_error)),
            (f"2b. error with input noise sd {INPUT_NOISE:g}", f"{p.noisy_error:.3f}", f"{a.noisy_error:.3f}",
             _better(p.noisy_error, a.noisy_error))]
    for device in p.energy:
        rows.append((f"3. energy per inference, {device}", f"{p.energy[device]:.3g} J", f"{a.energy[device]:.3g} J",
                     _better(p.energy[device], a.energy[device])))
    rows.append((f"   mean rate {result.mean_rate:.1f} Hz; break-even on {SPIKING_DEVICE} vs {DENSE_DEVICE}",
                 f"{result.break_even:.0f} Hz", "", ""))
    rows.append((f"4. samples to recover (RMS <= {RECOVER_LEVEL:g})", rec(p.recover), rec(a.recover),
                 _better(p.recover, a.recover)))
    width = max(len(r[0]) for r in rows)
    head = f"{'measurement':<{width}}  {'spiking (PES)':>13}  {'ANN (backprop)':>14}  better"
    lines = [f"Task: {result.task}, then {result.switch_to} after {n} samples", head, "-" * len(head)]
    lines += [f"{r[0]:<{width}}  {r[1]:>13}  {r[2]:>14}  {r[3]}" for r in rows]
    return "\n".join(lines)
