"""Exercises for lesson 06 (the NEF): gain and bias, LstsqL2 decoders, the recurrent transform, decoding by
hand, a simulated ensemble's error, and how many neurons a target error needs (an experiment with snnlib.nef).

Learner API (see :mod:`course.exercise_set`)::

    from course.exercises import lesson06 as ex
    ex.check_gain_bias(gain_bias); ex.hint("lstsq_decoders"); ex.solution("recurrent_transform")

The references below are written from the formulas (Nengo's LIFRate.gain_bias, LstsqL2 and the NEF's
principle 3), independently of the reference solutions in ``lesson06_solutions.py`` and of snnlib.nef;
tests require all three to agree. Normalised LIF units (threshold 1), rates in Hz, times in s.
"""
from __future__ import annotations

import functools

import numpy as np

from course.exercise import Exercise, Mistake
from course.exercise_set import ExerciseSet, how_exercises_work

TAU_RC, TAU_REF = 0.020, 0.002          # s (Nengo's LIF defaults)


def _rate(J, tau_rc=TAU_RC, tau_ref=TAU_REF):
    J = np.asarray(J, dtype=float)
    out = np.zeros(J.shape)
    on = J > 1
    out[on] = 1.0 / (tau_ref + tau_rc * np.log1p(1.0 / (J[on] - 1.0)))
    return out


# -- 1. gain and bias ----------------------------------------------------------------------------------
def _gain_bias(max_rate, intercept, tau_rc, tau_ref, drop_ref=False, gain_sign=1.0, threshold=1.0):
    max_rate, intercept = np.asarray(max_rate, dtype=float), np.asarray(intercept, dtype=float)
    ref = 0.0 if drop_ref else tau_ref
    z = 1.0 / (1.0 - np.exp((ref - 1.0 / max_rate) / tau_rc))      # drive that gives max_rate
    gain = gain_sign * (z - 1.0) / (1.0 - intercept)                # J goes from 1 at the intercept to z at 1
    bias = threshold - gain * intercept
    return np.array([gain, bias])


GAIN_BIAS = Exercise(
    id="gain_bias", title="Gain and bias from an intercept and a max rate",
    prompt=("A neuron of an ensemble gets the drive $J(x) = g\\,(e\\cdot x) + b$ (radius 1). Choose the gain $g$ and "
            "bias $b$ so that it starts firing exactly at its intercept ($J = 1$, the threshold, at $e\\cdot x = c$) "
            "and fires at `max_rate` at the edge ($e\\cdot x = 1$). The LIF rate is "
            "$a(J) = 1/(\\tau_{ref} + \\tau_{rc}\\ln(1 + 1/(J-1)))$. Write `gain_bias(max_rate, intercept, tau_rc, "
            "tau_ref)` returning `(gain, bias)`; it must work element-wise on arrays. For 100 Hz at intercept 0 "
            "(20 ms, 2 ms) the gain is about 2.03 and the bias 1."),
    reference=lambda max_rate, intercept, tau_rc, tau_ref: _gain_bias(max_rate, intercept, tau_rc, tau_ref),
    cases=[(100.0, 0.0, TAU_RC, TAU_REF),
           (np.array([200.0, 300.0, 400.0]), np.array([-0.5, 0.2, 0.8]), TAU_RC, TAU_REF),
           (np.array([50.0, 250.0]), np.array([0.9, -1.5]), 0.05, 0.001)],
    mistakes=[
        Mistake("no_tau_ref", lambda r, c, trc, tref: _gain_bias(r, c, trc, tref, drop_ref=True),
                "your drive at the edge reaches max_rate only if the neuron had no refractory period: of each "
                "inter-spike interval 1/max_rate, tau_ref is spent refractory, so the membrane has 1/max_rate - "
                "tau_ref to reach the threshold."),
        Mistake("negative_gain", lambda r, c, trc, tref: _gain_bias(r, c, trc, tref, gain_sign=-1.0),
                "your gain is negative: the neuron would fire *less* as e.x grows. The drive must rise from 1 at "
                "the intercept to the max-rate drive at e.x = 1, so gain = (z - 1) / (1 - intercept) > 0."),
        Mistake("threshold_zero", lambda r, c, trc, tref: _gain_bias(r, c, trc, tref, threshold=0.0),
                "your bias puts J = 0 at the intercept, but the neuron starts firing at the threshold J = 1 "
                "(normalised units): bias = 1 - gain x intercept."),
        Mistake("swapped", lambda r, c, trc, tref: _gain_bias(r, c, trc, tref)[::-1],
                "gain and bias are swapped: return (gain, bias) in that order."),
    ],
    hints=["First find the drive z that gives max_rate: invert a(J) for J.",
           "z = 1 / (1 - exp((tau_ref - 1/max_rate) / tau_rc)). Then two conditions: g c + b = 1 and g + b = z.",
           "gain = (z - 1) / (1 - intercept); bias = 1 - gain * intercept."],
    todo="return (gain, bias)",
)


# -- 2. regularised least-squares decoders ----------------------------------------------------------------
def _lstsq(A, Y, reg, scale_by_max=True, times_m=True, squared=True):
    A, Y = np.asarray(A, dtype=float), np.asarray(Y, dtype=float)
    m, n = A.shape
    sigma = reg * (A.max() if scale_by_max else 1.0)
    lam = (m if times_m else 1) * (sigma ** 2 if squared else sigma)
    return np.linalg.solve(A.T @ A + lam * np.eye(n), A.T @ Y)


def _activities(seed, n, m):
    """Tuning curves of n LIF neurons (Nengo's default distributions) at m points in [-1, 1]."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-1, 1, m)
    enc = rng.choice([-1.0, 1.0], n)
    rates, icpt = rng.uniform(200, 400, n), rng.uniform(-1, 0.9, n)
    g, b = _gain_bias(rates, icpt, TAU_RC, TAU_REF)
    return _rate(g * np.outer(x, enc) + b), x


_A1, _X1 = _activities(1, 20, 100)
_A2, _X2 = _activities(2, 40, 200)

LSTSQ = Exercise(
    id="lstsq_decoders", title="Decoders by regularised least squares (Nengo's LstsqL2)",
    prompt=("Given activities `A` (m sample points x n neurons, Hz) and targets `Y` (m x d), the decoders $D$ "
            "(n x d) minimise $\\|AD - Y\\|^2 + m\\sigma^2\\|D\\|^2$, where $\\sigma$ = `reg` x the largest rate in A "
            "(the spike noise the decoders must not amplify). Write `lstsq_decoders(A, Y, reg)` solving the normal "
            "equations $(A^TA + m\\sigma^2 I)\\,D = A^TY$ (`np.linalg.solve`)."),
    reference=lambda A, Y, reg: _lstsq(A, Y, reg),
    cases=[(_A1, _X1[:, None], 0.1), (_A2, np.column_stack([_X2, _X2 ** 2]), 0.1), (_A2, _X2[:, None], 0.02)],
    mistakes=[
        Mistake("no_reg", lambda A, Y, reg: _lstsq(A, Y, 0.0),
                "your decoders ignore the regularisation: plain least squares fits the rates exactly and "
                "amplifies their noise. Add m sigma^2 to the diagonal of A^T A."),
        Mistake("unscaled", lambda A, Y, reg: _lstsq(A, Y, reg, scale_by_max=False),
                "your sigma is reg itself, but reg is a fraction of the largest rate (rates are hundreds of Hz): "
                "sigma = reg * A.max()."),
        Mistake("no_m", lambda A, Y, reg: _lstsq(A, Y, reg, times_m=False),
                "the regularisation is too weak by the number of sample points: the squared error sums over m "
                "points, so the penalty is m sigma^2, not sigma^2."),
        Mistake("not_squared", lambda A, Y, reg: _lstsq(A, Y, reg, squared=False),
                "sigma is a noise standard deviation; its variance sigma**2 goes on the diagonal."),
    ],
    hints=["The regularisation sigma is reg times the largest rate in A; m counts the sample points (the rows of A).",
           "G is A^T A plus m sigma^2 times the identity, one row and column per neuron.",
           "Solve the regularised normal equations G D = A^T Y for D (np.linalg.solve, not an explicit inverse)."],
    todo="return the decoders (n_neurons, d)",
    rtol=1e-6, atol=1e-9,
)


# -- 3. the recurrent transform -----------------------------------------------------------------------
def _recurrent(A, tau, with_tau=True, identity=True, divide=False):
    A = np.atleast_2d(np.asarray(A, dtype=float))
    part = A / tau if divide else (tau * A if with_tau else A)
    return part + (np.eye(len(A)) if identity else 0.0)


RECURRENT = Exercise(
    id="recurrent_transform", title="The recurrent transform for dx/dt = A x",
    prompt=("Principle 3: an ensemble that feeds its own decoded value back through a synapse $h$ of time "
            "constant $\\tau$ has $x = h * (A' x)$, i.e. $\\tau\\,\\dot x = -x + A'x$. To get the dynamics "
            "$\\dot x = A x$, choose the feedback transform $A'$. Write `recurrent_transform(A, tau)` returning "
            "$A'$ (a d x d array) for a d x d matrix `A` and tau in seconds. An integrator has A = [[0]]; an "
            "oscillator at $\\omega$ rad/s has A = [[0, -w], [w, 0]]."),
    reference=lambda A, tau: _recurrent(A, tau),
    cases=[(np.array([[0.0]]), 0.1), (np.array([[0.0, -2 * np.pi], [2 * np.pi, 0.0]]), 0.1),
           (np.array([[-5.0]]), 0.05), (np.array([[-1.0, 3.0], [-3.0, -1.0]]), 0.02)],
    mistakes=[
        Mistake("no_identity", lambda A, tau: _recurrent(A, tau, identity=False),
                "your feedback lacks the identity: the synapse leaks (the -x in tau dx/dt = -x + A'x); feeding "
                "x back with gain 1 cancels that leak. Add np.eye(d)."),
        Mistake("no_tau", lambda A, tau: _recurrent(A, tau, with_tau=False),
                "the dynamics come out tau times too fast or slow: from tau dx/dt = -x + A'x, the A part of A' "
                "must be multiplied by tau."),
        Mistake("divide", lambda A, tau: _recurrent(A, tau, divide=True),
                "you divided A by tau: solve tau dx/dt = (A' - I) x = tau A x for A'."),
        Mistake("just_A", lambda A, tau: _recurrent(A, tau, with_tau=False, identity=False),
                "feeding back A itself gives tau dx/dt = (A - I) x: both the tau and the identity are missing."),
    ],
    hints=["Set tau dx/dt = -x + A'x equal to tau A x and solve for A'.",
           "A' = tau * A + I.",
           "The identity matrix has the size of A: np.eye(len(A))."],
    todo="return the feedback transform A'",
)


# -- 4. decoding by hand ---------------------------------------------------------------------------------
def _decode(x, encoders, gain, bias, radius, decoders, use_radius=True, use_bias=True, tau_ref=TAU_REF):
    x, enc = np.atleast_2d(np.asarray(x, dtype=float)), np.asarray(encoders, dtype=float)
    proj = x @ enc.T / (radius if use_radius else 1.0)
    J = np.asarray(gain) * proj + (np.asarray(bias) if use_bias else 0.0)
    return _rate(J, tau_ref=tau_ref) @ np.asarray(decoders, dtype=float)


def _decode_case(seed, n, d, radius, m):
    rng = np.random.default_rng(seed)
    enc = rng.normal(size=(n, d))
    enc /= np.linalg.norm(enc, axis=1, keepdims=True)
    g, b = _gain_bias(rng.uniform(100, 300, n), rng.uniform(-0.8, 0.8, n), TAU_RC, TAU_REF)
    x = rng.uniform(-radius, radius, (m, d)) / np.sqrt(d)
    return (x, enc, g, b, radius, rng.normal(0, 1e-3, (n, 2)))


DECODE = Exercise(
    id="decode_by_hand", title="The decoded value, by hand",
    prompt=("An ensemble is its encoders $e_i$ (n x d, unit vectors), gains, biases and radius $r$; its decoded "
            "estimate at $x$ is $\\hat x = \\sum_i a_i(x)\\,D_i$ with "
            "$a_i(x) = a(g_i\\,e_i\\cdot x / r + b_i)$, $a$ the "
            "LIF rate (tau_rc 20 ms, tau_ref 2 ms). Write `decode_by_hand(x, encoders, gain, bias, radius, decoders)` "
            "for points `x` (m x d) returning the estimate (m x d_out) with numpy alone (no snnlib): this is what "
            "`ens.decode(x, D)` computes."),
    reference=lambda *a: _decode(*a),
    cases=[_decode_case(0, 30, 1, 1.0, 20), _decode_case(1, 50, 2, 2.0, 15), _decode_case(2, 40, 3, 0.5, 10)],
    mistakes=[
        Mistake("no_radius", lambda *a: _decode(*a, use_radius=False),
                "you left out the radius: the neurons see x in units of the radius, e.x / r (the cases with "
                "radius 1 pass, the others not)."),
        Mistake("no_bias", lambda *a: _decode(*a, use_bias=False),
                "the bias is missing from the drive: J = gain * e.x / r + bias."),
        Mistake("no_tau_ref", lambda *a: _decode(*a, tau_ref=0.0),
                "your rates have no refractory period: a(J) = 1 / (tau_ref + tau_rc ln(1 + 1/(J - 1)))."),
    ],
    hints=["The input current is gain times the projection of x on each encoder, divided by the radius, plus the bias: one row per sample point, one column per neuron.",
           "Use the LIF rate formula with tau_ref = 2 ms and tau_rc = 20 ms, and 0 where J <= 1 (np.where or a mask).",
           "The estimate is the rates weighted by the decoders: a matrix product of shape (m, n) with (n, d)."],
    todo="return the decoded estimate (m, d_out)",
)


# -- 5. build and run: the decoding error of a simulated ensemble -------------------------------------
def channel_error(n_neurons, seed, probe_tau=0.01, ramp_tau=0.01, input_synapse=None, skip=50, t_stop=2.0):
    """RMS error of a 1-D ensemble of n_neurons representing a ramp from -1 to 1 over t_stop (s), with
    snnlib.nef: the ramp drives the ensemble directly (synapse None), the decoded value and the ramp are
    filtered by 10 ms lowpass probes, the first 50 steps (ms) are skipped. The keyword arguments build the
    mistakes."""
    from snnlib import nef

    model = nef.Network(seed=seed)
    ramp = model.node(lambda t: -1.0 + 2.0 * t / t_stop)
    ens = model.ensemble(n_neurons)
    model.connect(ramp, ens, synapse=input_synapse)
    p, p_ramp = model.probe(ens, synapse=probe_tau), model.probe(ramp, synapse=ramp_tau)
    sim = nef.Simulator(model)
    sim.run(t_stop)
    err = sim.data[p][skip:, 0] - sim.data[p_ramp][skip:, 0]
    return float(np.sqrt(np.mean(err ** 2)))


CHANNEL = Exercise(
    id="channel_error", title="Build and run: the decoding error of an ensemble",
    prompt=("With `snnlib.nef`, write `channel_error(n_neurons, seed)`: make a `nef.Network(seed=seed)` with a node "
            "ramping from -1 to 1 over 2 s (`lambda t: -1 + t`), connect it to a 1-D ensemble of `n_neurons` with "
            "`synapse=None`, probe the ensemble and the node, both with `synapse=0.01`, run 2 s, and return the RMS "
            "difference of the two probes after the first 50 steps (50 ms). The lesson's representation section "
            "does the same with a sine."),
    reference=lambda n_neurons, seed: channel_error(n_neurons, seed),
    cases=[(50, 0), (200, 1)],
    mistakes=[
        Mistake("ramp_unfiltered", lambda n, s: channel_error(n, s, ramp_tau=None),
                "your error contains a lag: the decoded value is filtered by the 10 ms probe synapse, so compare "
                "it with the ramp filtered the same way (probe the node with synapse=0.01 too)."),
        Mistake("input_synapse", lambda n, s: channel_error(n, s, input_synapse=0.005),
                "the ensemble lags the ramp by an extra synapse: connect the node with synapse=None, as asked "
                "(the default is Nengo's 5 ms)."),
        Mistake("no_skip", lambda n, s: channel_error(n, s, skip=0),
                "you kept the first 50 ms, where the filters are still starting from zero: skip them ([50:])."),
    ],
    hints=["Build a nef.Network with the seed, a node that ramps from -1 to 1 over 2 s, and an ensemble of n_neurons.",
           "Connect the ramp to the ensemble without a synapse, probe both with a 10 ms synapse, and run a "
           "nef.Simulator for 2 s.",
           "Skip the first 50 ms while the filters settle, then take the root mean square of decoded minus input."],
    todo="build the network, run it 2 s and return the RMS error",
    rtol=0.02, atol=0.0, timeout=60.0,
)


# -- 6. an experiment: how many neurons for a decoding error under a target ------------------------------
CANDIDATES = (25, 50, 100, 200, 400)
SEEDS = (0, 1)        # two seeds keep the check under the notebook's 60 s cell limit on a busy machine


@functools.lru_cache(maxsize=1)
def measured_errors():
    """{n: mean simulated error over SEEDS} for every candidate (a few seconds; cached)."""
    return {n: float(np.mean([channel_error(n, s) for s in SEEDS])) for n in CANDIDATES}


def _fewest(target):
    errors = measured_errors()
    return min((n for n, e in errors.items() if e < target), default=max(CANDIDATES))


NEURONS = Exercise(
    id="neurons_needed", title="Design an experiment: how many neurons for an error under a target?",
    prompt=("Write `neurons_needed(target)`: using your `channel_error`, average the error over seeds 0 and 1 for "
            f"each N in `ex.CANDIDATES` {CANDIDATES} and return the smallest N whose mean error is below `target` "
            "(the largest candidate if none is). The check runs your experiment for the target 0.012 (a few "
            "seconds). Before you run it: from the lesson's 1/sqrt(N) law, what do you expect?"),
    reference=lambda target: _fewest(target),
    cases=[(0.012,)],
    mistakes=[
        Mistake("the_error", lambda target: measured_errors()[_fewest(target)],
                "that looks like an error, not a number of neurons: return N itself."),
        Mistake("largest", lambda target: max(CANDIDATES),
                "the largest candidate is certainly accurate enough; the question is the smallest N that is."),
        Mistake("first_above", lambda target: min((n for n, e in measured_errors().items() if e >= target),
                                                   default=min(CANDIDATES)),
                "you returned an N whose error is still above the target: keep the N with mean error < target."),
    ],
    hints=["For each candidate size, average channel_error over seeds 0 and 1.",
           "Go through the candidates in increasing order and stop at the first with errors[n] < target.",
           "If no candidate reaches the target, answer the largest candidate."],
    todo="return the smallest candidate N with mean error below target",
    timeout=120.0,
)

EXERCISES = ExerciseSet(
    lesson="06_nef",
    title="Exercises 06: the Neural Engineering Framework",
    intro=("Six exercises on lesson 06: the gain and bias that place a tuning curve, the decoders of LstsqL2, the "
           "recurrent transform of principle 3, the decoded value written out by hand, a network built and run "
           "with `snnlib.nef`, and an experiment designed with it.\n\n"
           + how_exercises_work("06", "gain_bias")
           + "Units: normalised LIF (threshold 1), rates in Hz, times in seconds."),
    setup="import numpy as np\n\nfrom snnlib import nef\nfrom course.exercises import lesson06 as ex",
    exercises=[GAIN_BIAS, LSTSQ, RECURRENT, DECODE, CHANNEL, NEURONS],
    solutions_module="course.exercises.lesson06_solutions",
    outro=("## Summary\n\nRun the cell below to see which exercises passed in this session. To go further, build the "
           "oscillator of the lesson with your `recurrent_transform` and change tau: the frequency should not move."),
)

globals().update(EXERCISES.api())
