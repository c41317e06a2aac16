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

import functools

import numpy as np

from course.exercise import Exercise, Mistake, measured_range
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
           "So the new voltage is the old one plus the change over one step; the change is dt times the "
           "first hint's derivative. Your function works on arrays as it is if you use only + - * /."],
    todo="return the voltage after one forward-Euler step",
    params={"tau_rc": "the membrane time constant tau_rc", "dt": "the time step dt"},
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
           "The new voltage is the target J plus that shrunken distance. Use np.exp (not math.exp) so "
           "arrays work."],
    todo="return the exact voltage after dt",
    params={"tau_rc": "the membrane time constant tau_rc", "dt": "the time step dt"},
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
           "So the drive must bridge the gap from rest up to threshold; the reset voltage plays no part."],
    todo="return the rheobase drive in volts",
    params={"v_rest": "the resting voltage v_rest", "v_reset": "the reset voltage v_reset"},
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
           "Start from an array of zeros shaped like J (np.zeros_like) and fill only the entries where J > 1.",
           "Compute the period from the task's formula only for the entries of the mask J > 1, then take its "
           "inverse; np.log1p(x) computes ln(1 + x) accurately for small x."],
    todo="return the rates in Hz, 0 where J <= 1",
    params={"tau_ref": "the refractory period tau_ref", "tau_rc": "the membrane time constant tau_rc"},
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


def _discrete_rate(J, dt=1e-4, t_end=1.0, tau_rc=TAU_RC, tau_ref=TAU_REF):
    """The rate (Hz) the task's simulation gives, counted without simulating: from v = 0 the exact step
    reaches v_k = J (1 - exp(-k dt/tau_rc)), so threshold is crossed at the end of step
    k = ceil(tau_rc/dt * ln(J/(J-1))); then round(tau_ref/dt) steps of hold, and again k steps. In
    N = round(t_end/dt) steps there are floor((N - k)/(k + hold)) + 1 spikes (none if N < k or J <= 1)."""
    if J <= 1:
        return 0.0
    k = int(np.ceil(tau_rc / dt * np.log(J / (J - 1.0))))
    hold, n_steps = round(tau_ref / dt), round(t_end / dt)
    return 0.0 if n_steps < k else ((n_steps - k) // (k + hold) + 1) / t_end


SIMULATE = Exercise(
    id="simulate_rate", title="Simulate it: spikes, reset, refractory period",
    points=2,  # graded (nbgrader export): it puts the three earlier pieces together
    prompt=("Put the pieces together. Write `simulate_rate(J, dt, t_end, tau_rc, tau_ref)`: start at $v = 0$ and "
            "make `round(t_end / dt)` steps. In each step, if the neuron is refractory, count one step of its hold "
            "down and leave $v$ at 0; otherwise advance $v$ with your `exact_step`, and if now $v \\ge 1$, count a "
            "spike, reset $v$ to 0 and hold it for the next `round(tau_ref / dt)` steps. Return the number of "
            "spikes divided by `t_end` (Hz). The check counts exactly, so a hold one step too long shows. Compare "
            "your rates with `lif_rate`: detecting threshold crossings only at the end of a step makes the "
            "simulation slightly slow, and the difference shrinks with `dt`."),
    reference=_discrete_rate,
    cases=[(1.5, 1e-4, 1.0), (2.0, 1e-4, 0.5), (5.0, 1e-4, 0.5), (0.5, 1e-4, 0.5), (3.0, 1e-4, 0.5, 0.05, 0.001),
           (10.0, 1e-4, 1.0)],
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
        Mistake("formula", lambda J, dt=1e-4, t_end=1.0, tau_rc=TAU_RC, tau_ref=TAU_REF: _rate(J, tau_rc, tau_ref),
                "that is the rate formula, not a simulation: step the membrane and count the spikes."),
    ],
    hints=["Keep three variables: v, the spike count, and how many steps of refractory hold are left.",
           "Loop round(t_end / dt) times: if holding, count the hold down and skip; else v = exact_step(...); "
           "if v >= 1: count, reset, start the hold.",
           "The hold lasts round(tau_ref / dt) steps, counted from the step after the spike. Return n_spikes / t_end."],
    todo="simulate and return the rate in Hz",
    timeout=20.0, dt="dt", steps=("tau_ref",),
    params={"tau_ref": "the refractory period tau_ref", "tau_rc": "the membrane time constant tau_rc"},
)

DRIVE = Exercise(
    id="J_100Hz", kind="value", title="Which drive gives 100 Hz?",
    prompt=("Set `J_100Hz` to the drive $J$ (normalised) at which a LIF neuron with $\\tau_{rc}$ = 20 ms and "
            "$\\tau_{ref}$ = 2 ms fires at 100 Hz. Invert the rate formula by hand, or search with your "
            "`lif_rate` (any answer within 0.1 % passes)."),
    reference=lambda rate=100.0, tau_rc=TAU_RC, tau_ref=TAU_REF: _drive_for_rate(rate, tau_rc, tau_ref),
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
           "Call the known right-hand side T / tau_rc = L; then J / (J - 1) = e^L, a linear equation in J."],
    stub="J_100Hz = ...  # TODO: the drive that gives 100 Hz\n",
    rtol=1e-3,
    params={"tau_ref": "the refractory period (2 ms)", "tau_rc": "the membrane time constant (20 ms)"},
)

# -- with snnlib: a population driven by Poisson spikes ---------------------------------------------------
N_NEURONS = 20  # neurons in the population of the snnlib exercises


def _network_rate(input_rate, n_inputs, weight, t_end, seed, normalize="area", measure="neurons"):
    """Mean rate (Hz) of N_NEURONS LIF neurons (snnlib defaults: 20 ms, 2 ms, normalised units) driven
    by n_inputs Poisson sources (connection probability 0.5) at input_rate (Hz) through 5 ms exponential synapses of weight
    ``weight``, simulated for t_end s at dt = 1 ms with Network(seed=seed). ``normalize``/``measure``
    implement the typical mistakes (peak-normalised synapses; the inputs' rate; the population's total)."""
    import snnlib as snn

    net = snn.Network(seed=seed)
    inputs = net.poisson(n_inputs, rate=input_rate)
    neurons = net.population(N_NEURONS)
    net.connect_random(inputs, neurons, p=0.5, weight=weight,
                       synapse=snn.ExpSynapse(tau=0.005, normalize=normalize))
    sim = snn.Simulator(net, dt=0.001)
    sim.run(t_end)
    counts = sim.counts
    if measure == "inputs":
        return counts["source_spikes"] / (n_inputs * t_end)
    if measure == "total":
        return counts["spikes"] / t_end
    return counts["spikes"] / (N_NEURONS * t_end)


_NET_CASES = [(20.0, 200, 0.001, 1.0, 0), (50.0, 80, 0.002, 0.5, 3), (10.0, 400, 0.0006, 1.0, 7),
              (20.0, 200, 0.001, 1.0, 0)]  # the first case again: a result that changes is not seeded

NETWORK = Exercise(
    id="poisson_population_rate", title="With snnlib: a population driven by Poisson spikes",
    prompt=("Now let snnlib do the stepping, for a whole population. Write `poisson_population_rate(input_rate, "
            "n_inputs, weight, t_end, seed)`: create `snn.Network(seed=seed)`; add `n_inputs` Poisson sources "
            "firing at `input_rate` Hz (`net.poisson`) and a population of `ex.N_NEURONS` (20) LIF neurons with "
            "snnlib's default parameters (`net.population`); connect each source to each neuron with "
            "probability 0.5 and weight `weight` (`net.connect_random(inputs, neurons, p=0.5, weight=weight, "
            "synapse=...)`: every neuron sees its own half of the inputs) through "
            "`snn.ExpSynapse(tau=0.005, normalize=\"area\")`; run `snn.Simulator(net, dt=0.001)` for "
            "`t_end` seconds and return the population's mean firing rate in Hz (`sim.counts` counts the spikes).\n\n"
            "With `normalize=\"area\"` every spike delivers `weight` of charge, so the mean drive is "
            "$J = w\\,p\\,N_{in}\\,r_{in}$: half of 200 inputs at 20 Hz with $w$ = 0.001 give $J$ = 2. Compare your rate "
            "with `lif_rate(np.array([2.0]))`: why is it higher?"),
    reference=_network_rate,
    cases=_NET_CASES,
    mistakes=[
        Mistake("peak_synapse", lambda *a: _network_rate(*a, normalize="peak"),
                "your neurons get far too little drive: with normalize=\"peak\" (the default) a spike adds `weight` "
                "to the synaptic current, which then decays over tau = 5 ms, so each spike delivers only "
                "weight x tau of charge. normalize=\"area\" divides by tau, so the mean drive is weight x 0.5 x "
                "n_inputs x input_rate."),
        Mistake("inputs_rate", lambda *a: _network_rate(*a, measure="inputs"),
                "that is the rate of the Poisson inputs (sim.counts[\"source_spikes\"]), not of the LIF neurons "
                "(sim.counts[\"spikes\"])."),
        Mistake("total", lambda *a: _network_rate(*a, measure="total"),
                "your rate is N_NEURONS (20) times too high: that is the population's total spike rate. Divide by "
                "the number of neurons as well as by t_end."),
    ],
    hints=["Four objects: the network, the Poisson sources, the population, the connection; then a Simulator.",
           "net.connect_random(pre, post, p=..., weight=..., synapse=...) draws the synapses (seeded by the network); "
           "sim.run(t_end) runs the network.",
           "sim.counts is a dict: its \"spikes\" entry counts the population's spikes over the whole run."],
    todo="build the network, run it, return the mean rate in Hz",
    timeout=120.0,  # the first snnlib run of a session compiles the simulator (several seconds)
    params={"weight": "the synaptic weight"},
)


@functools.lru_cache(maxsize=None)
def below_rheobase_range(input_rate: float = 9.0) -> tuple[float, float]:
    """Range (Hz) of the population rate of :func:`_network_rate` at mean drive 0.9 over 24 seeds (2 s runs)."""
    return measured_range(lambda seed: _network_rate(input_rate, 200, 0.001, 2.0, seed))


BELOW_RHEOBASE = Exercise(
    id="rate_below_rheobase", kind="value", title="Open question: does a neuron fire below its rheobase?",
    prompt=("Exercise 3's rheobase says a LIF neuron with constant drive below 1 never fires. Real input is not "
            "constant. Run an experiment with your `poisson_population_rate`: 200 inputs (half of them per neuron) "
            "with weight 0.001 at 9 Hz give a mean drive of 0.9, below the rheobase. Simulate 2 s (any seed) and set "
            "`rate_below_rheobase` to the rate you measure, in Hz. The check accepts the range this experiment "
            "gives over many seeds. What makes the neurons fire? What would happen with more inputs of "
            "proportionally smaller weight (same mean drive)?"),
    reference=lambda: float(np.mean(below_rheobase_range())),
    measured=below_rheobase_range,
    mistakes=[
        Mistake("deterministic", lambda: (0.0, 0.0),
                "0 Hz is what the deterministic LIF neuron does below rheobase. Run the experiment: the Poisson "
                "input fluctuates around its mean, and the fluctuations carry the membrane over threshold."),
        Mistake("above_rheobase", lambda: below_rheobase_range(20.0),
                "that is the rate at 20 Hz input (mean drive 2, above rheobase). Use input_rate = 9 Hz: "
                "mean drive 0.5 x 200 x 0.001 x 9 = 0.9."),
    ],
    hints=["Call your poisson_population_rate(9.0, 200, 0.001, 2.0, seed) with any seed.",
           "The answer is the number you measure, not a formula: the deterministic formula says 0 Hz."],
    stub="rate_below_rheobase = ...  # TODO: run the experiment and assign the rate you measure (Hz)\n",
)

EXERCISES = ExerciseSet(
    lesson="00_welcome",
    title="Exercises 00: a LIF neuron is not a ReLU",
    intro=("Eight exercises on the leaky integrate-and-fire (LIF) neuron of `lessons/00_welcome.ipynb`. A ReLU unit "
           "answers its input at once, $\\max(0, J)$; a LIF neuron integrates it over time, fires, resets and "
           "rests. You build that behaviour from one line up and measure it against the rate formula; then you "
           "simulate a population with snnlib and answer an open question by experiment.\n\n"
           + how_exercises_work("00", "euler_step")
           + "Units: normalised LIF units (rest and reset 0, threshold 1, $J$ dimensionless), times in seconds; "
           "exercise 3 uses SI volts."),
    setup="import numpy as np\nimport snnlib as snn\n\nfrom course.exercises import lesson00 as ex",
    exercises=[EULER, EXACT, RHEOBASE, RATE, SIMULATE, DRIVE, NETWORK, BELOW_RHEOBASE],
    solutions_module="course.exercises.lesson00_solutions",
    outro=("## Summary\n\nRun the cell below to see which exercises passed in this session. "
           "`course list` in a terminal shows your progress over all lessons."),
)

globals().update(EXERCISES.api())
