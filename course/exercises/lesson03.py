"""Exercises for lesson 03 (backprop): the FA hidden delta, the alignment angle, the PES update, the SuperSpike
surrogate, the angle of an snnlib network, and an open question about FA's learning rate.

Learner API (see :mod:`course.exercise_set`)::

    from course.exercises import lesson03 as ex
    ex.check_fa_hidden_delta(fa_hidden_delta); ex.hint("pes_delta"); ex.solution("alignment_angle")

The checks compare against the formulas below, written independently of the reference solutions in
``lesson03_solutions.py``; tests also compare them with snnlib (``snnlib.ml.credit``, ``snnlib.ml.surrogate``)
and with Nengo's PES operator as documented (``nengo.builder.learning_rules.SimPES``: ``delta =
outer(-kappa * dt / n_neurons * error, activities)``, error = actual - target).
"""
from __future__ import annotations

import numpy as np

from course.exercise import Exercise, Mistake
from course.exercise_set import ExerciseSet, how_exercises_work

# -- fixed inputs of the checks (seeded, so every learner sees the same cases) -----------------------------
_rng = np.random.default_rng(303)


def _fa_case(n_hidden, n_out):
    return (_rng.normal(size=n_out), _rng.normal(size=(n_out, n_hidden)), _rng.normal(size=(n_hidden, n_out)),
            _rng.uniform(0.1, 1.0, size=n_hidden))


_FA_CASES = [_fa_case(5, 3), _fa_case(8, 10), _fa_case(4, 2)]
# update pairs: vectors and matrices, with norms well above 1 so that a missing normalisation shows
_ANGLE_CASES = [(np.array([3.0, 0.0]), np.array([2.0, 2.0])),
                (5 * _rng.normal(size=(6, 4)), 5 * _rng.normal(size=(6, 4))),
                (np.array([[4.0, 1.0], [0.0, 2.0]]), np.array([[-3.0, 1.0], [2.0, 5.0]])),
                (np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.1]))]
_PES_CASES = [(np.array([10.0, 0.0, 55.0, 120.0, 3.0]), np.array([0.2, -0.5]), 1e-4, 1e-3),
              (_rng.uniform(0, 200, size=50), np.array([-0.3]), 1e-4, 1e-3),
              (_rng.uniform(0, 100, size=8), np.array([0.1, 0.0, -1.0]), 3e-4, 5e-4)]
_U = np.array([-1.0, 0.0, 0.5, 0.95, 1.0, 1.02, 1.3, 2.5])
_SUPERSPIKE_CASES = [(_U, 1.0, 10.0), (_U, 1.0, 5.0), (np.array([-60.0, -52.0, -50.0, -45.0]), -50.0, 0.5)]


def _layer_angle_cases():
    """Small snnlib networks (FA and DFA), trained a few steps on random data so the angle is not ~90."""
    from snnlib.ml.credit import CreditMLP

    cases = []
    for rule, sizes, seed in (("feedback_alignment", [12, 9, 7, 4], 1), ("direct_feedback_alignment", [12, 6, 8, 4], 2),
                              ("feedback_alignment", [12, 10, 10, 4], 3)):
        rng = np.random.default_rng(seed)
        X, y = rng.normal(size=(40, 12)), rng.integers(0, 4, size=40)
        net = CreditMLP(sizes, rule=rule, seed=seed)
        for _ in range(30):
            net.sgd_step(X, y, 0.2)
        cases.append((net, X, y))
    return cases


# -- analytic references ------------------------------------------------------------------------------------
def _fa_delta(delta_out, W, B, slope):
    return np.einsum("ho,o->h", B, delta_out) * slope


def _angle(u, v):
    u, v = np.asarray(u, dtype=float).ravel(), np.asarray(v, dtype=float).ravel()
    return np.degrees(np.arctan2(np.linalg.norm(np.outer(u, v) - np.outer(v, u)) / np.sqrt(2), u @ v))


def _pes(activities, error, kappa, dt):
    return -(kappa * dt / len(activities)) * np.asarray(error)[:, None] * np.asarray(activities)[None, :]


def _superspike(u, threshold, beta):
    return (1.0 + beta * np.abs(np.asarray(u, dtype=float) - threshold)) ** -2.0


def _true_layer_angle(net, X, y, layer=0):
    """The angle (degrees) between `net`'s own rule's update of weight layer `layer` and backprop's gradient."""
    mine, _ = net.gradients(X, y)
    true, _ = net.gradients(X, y, rule="backprop")
    return _angle(mine[layer], true[layer])


# -- exercises ----------------------------------------------------------------------------------------------
FA_DELTA = Exercise(
    id="fa_hidden_delta", title="Feedback alignment: the hidden layer's error without weight transport",
    prompt=("Backprop sends the error of the layer above back through the transposed forward weights: "
            "$\\delta_h = (W^T \\delta_{out}) \\odot f'(a_h)$. Feedback alignment (Lillicrap et al. 2016) keeps "
            "everything but replaces $W^T$ by a fixed random matrix $B$ of the same shape: "
            "$\\delta_h = (B\\, \\delta_{out}) \\odot f'(a_h)$. Write `fa_hidden_delta(delta_out, W, B, slope)` for "
            "one sample (1-D arrays). `W` is passed so that you can see what you must *not* use."),
    reference=_fa_delta,
    cases=_FA_CASES,
    mistakes=[
        Mistake("weight_transport", lambda d, W, B, s: (W.T @ d) * s,
                "that is backprop's delta: you sent the error back through W.T, the forward weights, which is "
                "exactly the weight transport a synapse cannot do. Use the fixed random feedback B instead."),
        Mistake("no_slope", lambda d, W, B, s: B @ d,
                "the feedback is right but the hidden units' slope is missing: multiply element-wise by "
                "slope = f'(a), as backprop does (an inactive unit should get no error)."),
        Mistake("sign", lambda d, W, B, s: -(B @ d) * s,
                "your delta has the wrong sign. The delta is the error itself; the minus sign belongs to the "
                "weight update (W -= lr * ...), not here."),
    ],
    hints=["Backprop would compute (W.T @ delta_out) * slope. Which matrix replaces W.T?",
           "B has shape (n_hidden, n_out), the shape of W.T, so B @ delta_out has one entry per hidden unit.",
           "Multiply B by delta_out (a matrix-vector product), then scale each hidden unit by its slope, element by element, as backprop does."],
    todo="return the hidden delta under feedback alignment",
)

ANGLE = Exercise(
    id="alignment_angle", title="The angle between two weight updates",
    prompt=("How well does a rule's update follow the true gradient? Treat both updates as long flat vectors and "
            "measure the angle between them: $\\theta = \\arccos\\frac{u \\cdot v}{\\|u\\|\\,\\|v\\|}$, in "
            "**degrees**. 0 means the same direction, 90 no relation (what two random directions in many "
            "dimensions give), 180 the opposite direction. Write `alignment_angle(u, v)` for two arrays of the "
            "same shape (vectors or matrices)."),
    reference=_angle,
    cases=_ANGLE_CASES,
    rtol=1e-6, atol=1e-6,
    mistakes=[
        Mistake("radians", lambda u, v: np.radians(_angle(u, v)),
                "your angle is in radians; the lesson and the check use degrees (np.degrees converts)."),
        Mistake("cosine", lambda u, v: np.cos(np.radians(_angle(u, v))),
                "you returned the cosine of the angle (the normalised dot product). Take np.arccos of it, then "
                "convert to degrees."),
        Mistake("not_normalised", lambda u, v: np.degrees(np.arccos(np.ravel(u) @ np.ravel(v))),
                "you took arccos of the raw dot product, which is outside [-1, 1] for these updates (hence NaN): "
                "divide by the product of the two norms first."),
    ],
    hints=["Flatten both arrays (np.ravel) so that matrices become vectors.",
           "The cosine of the angle is the dot product of the two vectors divided by the product of their lengths (np.linalg.norm); clip it to [-1, 1] against rounding.",
           "The angle is the arc cosine of that cosine; numpy gives radians, and the check wants degrees."],
    todo="return the angle between u and v in degrees",
)

PES = Exercise(
    id="pes_delta", title="The PES update: presynaptic activity times a local error",
    prompt=("PES (prescribed error sensitivity; MacNeil & Eliasmith 2011), the NEF's online learning rule, changes "
            "the decoders $D$ (shape `(n_dims, n_neurons)`) of a connection in every time step by\n\n"
            "$$\\Delta D = -\\frac{\\kappa\\,\\Delta t}{n}\\; e\\, a^T ,$$\n\n"
            "with $a$ the filtered activities (Hz) of the $n$ presynaptic neurons and $e$ = actual - target (Nengo's "
            "sign convention: the error is what the output has *too much*, so the change is minus it). Everything "
            "a synapse needs is its own presynaptic activity and the error: no transport of other weights. Write "
            "`pes_delta(activities, error, kappa, dt)`. (snnlib's `Network.pes`, used in lesson 03's section 4, "
            "stores the same decoders transposed, as (n_neurons, n_dims).)"),
    reference=_pes,
    cases=_PES_CASES,
    rtol=1e-9, atol=0.0,
    mistakes=[
        Mistake("sign", lambda a, e, k, dt: -_pes(a, e, k, dt),
                "your change has the wrong sign: with e = actual - target, the decoders must move against the "
                "error (Nengo's PES uses -kappa). As written, the output would run away from the target."),
        Mistake("no_n", lambda a, e, k, dt: _pes(a, e, k, dt) * len(a),
                "your change is n_neurons times too large: Nengo divides the learning rate by the number of "
                "presynaptic neurons, so a larger population does not learn faster."),
        Mistake("no_dt", lambda a, e, k, dt: _pes(a, e, k, dt) / dt,
                "you left out dt: the rule gives a rate of change, and one step of length dt changes the decoders "
                "by that rate times dt."),
    ],
    hints=["np.outer(error, activities) has shape (n_dims, n_neurons): one entry per decoder.",
           "Scale that outer product by minus kappa times dt, divided by the number of neurons.",
           "Mind the sign: PES moves the decoders against the error (Nengo's convention), so the factor is negative."],
    todo="return the decoder change of one time step",
)

SUPERSPIKE = Exercise(
    id="superspike", title="The surrogate gradient of a spike",
    prompt=("A spike is a step function of the membrane voltage: its derivative is zero everywhere except at the "
            "threshold, so gradient descent cannot use it. SuperSpike (Zenke & Ganguli 2018) keeps the step in the "
            "forward pass and uses a smooth bump in the backward pass: "
            "$\\sigma'(u) = 1 / (1 + \\beta |u - \\vartheta|)^2$. Write `superspike(u, threshold, beta)` "
            "(element-wise on arrays)."),
    reference=_superspike,
    cases=_SUPERSPIKE_CASES,
    mistakes=[
        Mistake("no_square", lambda u, th, b: 1.0 / (1.0 + b * np.abs(u - th)),
                "the square is missing: SuperSpike's surrogate is 1 / (1 + beta |u - threshold|)^2, which falls off "
                "faster away from the threshold."),
        Mistake("no_threshold", lambda u, th, b: _superspike(u, 0.0, b),
                "your bump is centred at u = 0: it must peak (value 1) at the threshold, so use |u - threshold|."),
        Mistake("no_abs", lambda u, th, b: 1.0 / (1.0 + b * (u - th)) ** 2,
                "without the absolute value the bump is not symmetric (and blows up below the threshold): use "
                "np.abs(u - threshold)."),
    ],
    hints=["It equals 1 at u = threshold and falls off on both sides.",
           "SuperSpike's surrogate is one over the square of (1 + beta times the distance of u from threshold)."],
    todo="return the surrogate derivative, element-wise",
)

_LAYER_CASES = _layer_angle_cases()

LAYER_ANGLE = Exercise(
    id="layer_angle", title="Measure the alignment of a network built with snnlib",
    prompt=("`snnlib.ml.credit.CreditMLP` computes the update of each layer for its own rule with "
            "`net.gradients(X, y)`, and the exact gradients (backprop's) with `net.gradients(X, y, "
            "rule=\"backprop\")`; each returns `(weight_updates, bias_updates)`, lists with one entry per layer. "
            "Write `layer_angle(net, X, y)`: the angle in degrees between the rule's update of the **first hidden "
            "layer's** incoming weights (`net.weights[0]`) and the true gradient of the same weights. "
            "`snnlib.ml.credit.angle_between(u, v)` measures an angle (or use your own from above)."),
    reference=lambda net, X, y: _true_layer_angle(net, X, y, 0),
    cases=_LAYER_CASES,
    rtol=1e-6, atol=1e-6,
    mistakes=[
        Mistake("output_layer", lambda net, X, y: _true_layer_angle(net, X, y, -1),
                "you measured the output layer. Its update is the same for every rule (the error is right there), "
                "so its angle is 0; the rules differ in the hidden layers: take index 0."),
        Mistake("second_layer", lambda net, X, y: _true_layer_angle(net, X, y, 1),
                "you measured the second hidden layer (index 1); the question asks for the first one (index 0, the "
                "weights from the input)."),
        Mistake("radians", lambda net, X, y: np.radians(_true_layer_angle(net, X, y, 0)),
                "your angle is in radians; give it in degrees."),
        Mistake("weights", lambda net, X, y: _angle(net.weights[0], net.gradients(X, y, rule="backprop")[0][0]),
                "you compared the weights themselves with the gradient. Compare two updates: the rule's "
                "(net.gradients(X, y)) and the true one (rule=\"backprop\")."),
    ],
    hints=["updates, _ = net.gradients(X, y) gives the rule's weight updates; updates[0] is the first hidden layer's.",
           "Do the same with rule=\"backprop\" and measure the angle between the two [0] entries.",
           "Pass both first-layer updates to angle_between; it flattens them for you."],
    todo="return the angle (degrees) for the first hidden layer",
)

# -- the open question: FA at a 10x larger learning rate ------------------------------------------------------
# Measured with snnlib.ml.credit.train_credit (hidden 64, 12 epochs, digits split seed 0); tests re-measure them.
FA_LR_SEEDS = (0, 1, 2, 3, 4)
FA_LR_DROP = 0.1701559              # mean final accuracy at lr 0.1 minus at lr 1.0, seeds 0-4
FA_LR_DROP_SEED0 = -0.0200445       # the same for seed 0 alone
FA_LR_TOLERANCE = 0.03              # accepted range: measured value +- this (other BLAS builds round differently)

FA_LR = Exercise(
    id="fa_lr_drop", title="Open question: feedback alignment with a 10x larger learning rate",
    prompt=("What happens to feedback alignment when the learning rate is 10 times larger? Answer with an "
            "experiment. Write `fa_lr_drop(seeds)`: for each seed, train FA with "
            "`snnlib.ml.credit.train_credit(\"feedback_alignment\", hidden=64, lr=..., epochs=12, seed=seed)` at "
            "lr = 0.1 and at lr = 1.0, and return the mean final test accuracy (`run.test_accuracy[-1]`) at 0.1 "
            "minus the mean at 1.0. The check runs it for seeds 0-4 (20 trainings, about 5-10 s) and accepts the "
            f"measured value within +-{FA_LR_TOLERANCE}. Then look at the single runs: is the drop the same for "
            "every seed? Does backprop do better at lr = 1.0? (Lesson 03's Think! box discusses it.)"),
    reference=lambda seeds: FA_LR_DROP,
    cases=[(FA_LR_SEEDS,)],
    rtol=0.0, atol=FA_LR_TOLERANCE, timeout=120.0,
    mistakes=[
        Mistake("reversed", lambda seeds: -FA_LR_DROP,
                "you subtracted the other way round (accuracy at 1.0 minus at 0.1): the question asks for the drop, "
                "accuracy at 0.1 minus accuracy at 1.0."),
        Mistake("percent", lambda seeds: 100 * FA_LR_DROP,
                "your answer looks like percentage points: give the drop as a fraction (accuracies are 0..1)."),
        Mistake("one_seed", lambda seeds: FA_LR_DROP_SEED0,
                "that is what seed 0 alone gives. At lr = 1.0 the outcome depends strongly on the seed (some runs "
                "are fine, some collapse): average over all the seeds you are given."),
    ],
    hints=["Write a helper final_accuracy(lr, seed) that trains and returns run.test_accuracy[-1].",
           "np.mean over the seeds at lr=0.1, the same at lr=1.0, then subtract.",
           "Print the accuracy of every single run too: the mean hides what happens."],
    todo="train FA at both learning rates for every seed and return the mean accuracy drop",
)

EXERCISES = ExerciseSet(
    lesson="03_backprop",
    title="Exercises 03: learning without backprop",
    intro=("Six exercises on lesson 03: the feedback-alignment delta, the alignment angle, the PES update, the "
           "surrogate gradient of a spike, the angle of a network built with snnlib, and an open question answered "
           "by an experiment.\n\n"
           + how_exercises_work("03", "fa_hidden_delta")
           + "Conventions: weights of shape (n_out, n_in), as in snnlib; angles in degrees; time in seconds."),
    setup="import numpy as np\n\nfrom course.exercises import lesson03 as ex\nfrom snnlib.ml.credit import angle_between, train_credit",
    exercises=[FA_DELTA, ANGLE, PES, SUPERSPIKE, LAYER_ANGLE, FA_LR],
    solutions_module="course.exercises.lesson03_solutions",
    outro=("## Summary\n\nRun the cell below to see which exercises passed in this session. To go further, run "
           "`fa_lr_drop` for direct feedback alignment and for backprop (change the rule name): which rule "
           "tolerates the large learning rate best?"),
)

globals().update(EXERCISES.api())
