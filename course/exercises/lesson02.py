"""Exercises for lesson 02 (power): energy per event, MACs, joules per inference, break-even rate, STDP cost.

Learner API (see :mod:`course.exercise_set`)::

    from course.exercises import lesson02 as ex
    ex.check_energy_per_event(energy_per_event); ex.hint("break_even"); ex.solution("mlp_macs")

The checks compare against the formulas below, written independently of the reference solutions in
``lesson02_solutions.py``; tests also check them against ``snnlib.energy`` and a simulated STDP run.
SI units: W, J, s, Hz. Energies are compared with a relative tolerance only (atol = 0), since the
answers are of the order of 1e-12 J.
"""
from __future__ import annotations

import functools

import numpy as np

from course.exercise import Exercise, Mistake, measured_range
from course.exercise_set import ExerciseSet, how_exercises_work

PJ = 1e-12
LOIHI = (27.1 * PJ, 81 * PJ)          # J per synaptic op, per neuron update (keras-spiking / Davies 2018)
LOIHI_PLASTICITY = 120 * PJ           # J per STDP weight update (Davies et al. 2018)
GPU, CPU = (0.3e-9, 0.3e-9), (8.6e-9, 8.6e-9)
SPINNAKER2 = (450 * PJ, 2.19e-9)


# -- 1. energy per synaptic event -----------------------------------------------------------------
def _per_event(power, n_synapses, rate):
    return np.asarray(power, dtype=float) / (np.asarray(n_synapses, dtype=float) * rate)


PER_EVENT = Exercise(
    id="energy_per_event", title="The brain's energy per synaptic event",
    prompt=("The brain runs on about 20 W. If all of it went into synaptic events, each event would cost "
            "$P / (N_{syn}\\,\\bar r)$: the power divided by the number of events per second. Write "
            "`energy_per_event(power, n_synapses, rate)` returning joules per event (power in W, rate in Hz; it "
            "must work element-wise on numpy arrays). With $10^{14}$ synapses at 0.16 Hz (Lennie 2003) you "
            "should get 1.25e-12 J, i.e. 1.25 pJ."),
    reference=_per_event,
    cases=[(20.0, 1e14, 0.16), (20.0, 1e15, 1.0), (0.07, 256e6, 20.0),
           (np.array([10.0, 20.0, 20.0]), 1e14, np.array([0.5, 1.0, 0.16]))],
    mistakes=[
        Mistake("no_rate", lambda power, n_synapses, rate: _per_event(power, n_synapses, 1.0),
                "you divided the power by the number of synapses only: that is watts per synapse (J per second), "
                "not joules per event. A synapse carries `rate` events per second: divide by n_synapses x rate."),
        Mistake("times_rate", lambda power, n_synapses, rate: _per_event(power, n_synapses, 1.0) * rate,
                "you multiplied by the rate: the number of events per second is n_synapses x rate, and the "
                "energy per event is the power divided by that, so the rate goes in the denominator."),
        Mistake("picojoules", lambda power, n_synapses, rate: _per_event(power, n_synapses, rate) / PJ,
                "your answer is 1e12 times too large: it looks like picojoules. Return joules (SI); the lesson "
                "prints pJ only for reading."),
        Mistake("inverted", lambda power, n_synapses, rate: 1.0 / _per_event(power, n_synapses, rate),
                "you computed events per joule (n_synapses x rate / power): invert it."),
    ],
    hints=["Events per second = number of synapses x mean presynaptic rate.",
           "Power (W = J/s) divided by events per second gives J per event.",
           "Brackets matter: a / b * c is (a / b) * c, not a / (b * c)."],
    todo="return the energy per synaptic event in J",
    params={"rate": "the mean rate", "n_synapses": "the number of synapses"},
    atol=0.0,
)


# -- 2. MACs of an MLP ---------------------------------------------------------------------------------
def _macs(layer_sizes):
    sizes = np.asarray(layer_sizes, dtype=float)
    return float(np.dot(sizes[:-1], sizes[1:]))


MACS = Exercise(
    id="mlp_macs", title="Multiply-accumulates of an MLP",
    prompt=("A fully connected layer from $n_{in}$ to $n_{out}$ units multiplies every input by a weight and adds "
            "it to every output: $n_{in} n_{out}$ multiply-accumulates (MACs). Write `mlp_macs(layer_sizes)` for a "
            "list of widths from input to output. The lesson's digits network [64, 64, 32, 10] has 6464 MACs; "
            "keras-spiking's example [784, 128] has 100352."),
    reference=_macs,
    cases=[([64, 64, 32, 10],), ([784, 128],), ([2, 3, 4, 5],), ([100, 1],)],
    mistakes=[
        Mistake("with_biases", lambda layer_sizes: _macs(layer_sizes) + float(sum(layer_sizes[1:])),
                "you counted the biases: a bias is one addition per output unit, not a multiply-accumulate."),
        Mistake("neurons", lambda layer_sizes: float(sum(layer_sizes[1:])),
                "that is the number of units (neurons), not MACs: each unit does one MAC per input it receives."),
        Mistake("product", lambda layer_sizes: float(np.prod(layer_sizes)),
                "you multiplied all the widths together: a layer connects only to the next one, so add up "
                "n_in x n_out over consecutive pairs."),
        Mistake("first_layer", lambda layer_sizes: float(layer_sizes[0] * layer_sizes[1]),
                "you counted only the first layer: add the MACs of every weight layer."),
    ],
    hints=["Go through consecutive pairs of widths: (64, 64), (64, 32), (32, 10).",
           "zip(layer_sizes[:-1], layer_sizes[1:]) gives those pairs.",
           "Multiply the two widths of each pair and add the products up (sum over a generator works)."],
    todo="return the number of MACs of one forward pass",
)


# -- 3. joules per inference from watts ----------------------------------------------------------------
GPU_J = Exercise(
    id="gpu_j_per_image", kind="value", title="Per second or per inference?",
    prompt=("Power is energy *per second*; a comparison between devices needs energy *per inference*. A GPU board "
            "draws 250 W while classifying 10,000 images per second (large batches). Set `gpu_j_per_image` to its "
            "energy per image in joules."),
    reference=lambda: 250.0 / 10_000.0,
    mistakes=[
        Mistake("per_second", lambda: 250.0,
                "250 is the power, joules per second. Per image, share it among the 10,000 images of each second."),
        Mistake("inverted", lambda: 10_000.0 / 250.0,
                "that is images per joule (40): invert it to get joules per image."),
        Mistake("times", lambda: 250.0 * 10_000.0,
                "you multiplied power by throughput: (J/s) x (images/s) has no meaning here. Divide: "
                "(J/s) / (images/s) = J per image."),
        Mistake("millijoules", lambda: 250.0 / 10_000.0 * 1e3,
                "your answer is 1000 times too large: it looks like millijoules. Give it in joules."),
    ],
    hints=["Units: W = J/s, throughput = images/s.",
           "Combine the two so that the seconds cancel and joules per image remain."],
    stub="gpu_j_per_image = ...  # TODO: joules per image\n",
)


# -- 4. break-even firing rate --------------------------------------------------------------------------
def _break_even(connections, neurons, t_present, dt, spiking, dense, neuron_steps=None, window=None):
    steps = t_present / dt if neuron_steps is None else neuron_steps
    window = t_present if window is None else window
    dense_cost = dense[0] * connections + dense[1] * neurons
    return (dense_cost - spiking[1] * neurons * steps) / (spiking[0] * connections * window)


def _break_even_reference(connections, neurons, t_present, dt, spiking, dense):
    return _break_even(connections, neurons, t_present, dt, spiking, dense)


_BE_CASES = [(6464, 96, 0.1, 0.001, LOIHI, GPU),       # the lesson's network, 100 ms, Loihi vs GPU
             (6464, 96, 0.1, 0.001, LOIHI, CPU),
             (100_000, 500, 0.05, 0.001, SPINNAKER2, CPU),
             (2000, 20, 0.2, 0.0005, LOIHI, GPU)]

BREAK_EVEN = Exercise(
    id="break_even", title="The break-even firing rate",
    prompt=("A dense device computes the network once per inference: $E_d = e^d_{syn} C + e^d_{neu} N$. A spiking "
            "device pays per synaptic event and updates every neuron every timestep: over a presentation time "
            "$t$ with timestep $\\Delta t$, at mean presynaptic rate $r$, "
            "$E_s = e^s_{syn} C\\, r\\, t + e^s_{neu} N\\, t/\\Delta t$. Write `break_even(connections, neurons, "
            "t_present, dt, spiking, dense)` returning the rate $r^*$ (Hz) where $E_s = E_d$; `spiking` and "
            "`dense` are tuples (energy per synaptic op, energy per neuron update) in J. For the lesson's network "
            "(6464 connections, 96 neurons, 100 ms, 1 ms steps) on Loihi (27.1 pJ, 81 pJ) against a GPU "
            "(0.3 nJ, 0.3 nJ) the answer is about 68 Hz (the lesson's 168 Hz also counts the analog input layer). "
            "A negative answer is allowed: it means the spiking chip never wins."),
    reference=_break_even_reference,
    cases=_BE_CASES,
    mistakes=[
        Mistake("no_window",
                lambda c, n, t, dt, s, d: _break_even(c, n, t, dt, s, d, window=1.0),
                "your rate is spikes per inference, not per second: at r Hz a neuron sends r x t_present spikes "
                "in the window. Multiply the events by the presentation time (divide by it at the end)."),
        Mistake("steps_not_seconds",
                lambda c, n, t, dt, s, d: _break_even(c, n, t, dt, s, d, window=t / dt),
                "you used the number of timesteps where the time in seconds belongs: a rate in Hz times "
                "t_present (s) gives spikes. The timesteps count only the neuron updates."),
        Mistake("no_neuron_cost",
                lambda c, n, t, dt, s, d: _break_even(c, n, t, dt, s, d, neuron_steps=0.0),
                "your break-even rate is too high: the spiking chip also updates every neuron at every timestep, "
                "spiking or not (e_neuron x neurons x t_present/dt). Subtract that from the dense cost."),
        Mistake("neuron_once",
                lambda c, n, t, dt, s, d: _break_even(c, n, t, dt, s, d, neuron_steps=1.0),
                "you charged the spiking chip's neuron updates once per inference: it updates every neuron "
                "every timestep, t_present / dt times."),
    ],
    hints=["Write both energies per inference and set them equal; only the synaptic term of E_s depends on r.",
           "r* = (E_dense - e_neu_s x neurons x t_present/dt) / (e_syn_s x connections x t_present).",
           "Unpack each device tuple into its two energies first (per synaptic op, per neuron update)."],
    todo="return the break-even rate in Hz",
    rtol=1e-6,
    atol=0.0,
    dt="dt", params={"t_present": "the presentation time t_present", "dt": "the time step dt"},
)


# -- 5. energy of an STDP run on Loihi ------------------------------------------------------------------
def _stdp_energy(n_pre, n_post, rate_pre, rate_post, duration, dt, post_updates=True, plastic=True,
                 input_neurons=False, scale=1.0):
    pre, post = n_pre * rate_pre * duration, n_post * rate_post * duration
    updates = pre * n_post + (post * n_pre if post_updates else 0.0)
    neuron_updates = (n_post + (n_pre if input_neurons else 0)) * duration / dt
    energy = LOIHI[0] * pre * n_post + LOIHI[1] * neuron_updates + (LOIHI_PLASTICITY * updates if plastic else 0.0)
    return energy * scale


def _stdp_reference(n_pre, n_post, rate_pre, rate_post, duration, dt):
    return _stdp_energy(n_pre, n_post, rate_pre, rate_post, duration, dt)


STDP_ENERGY = Exercise(
    id="stdp_run_energy", title="The energy of an STDP learning run on Loihi",
    prompt=("`n_pre` Poisson inputs connect all-to-all to `n_post` LIF neurons through STDP synapses. Inputs fire at "
            "`rate_pre`, neurons at `rate_post` (Hz), for `duration` seconds with timestep `dt`. On Loihi a synaptic "
            "event costs 27.1 pJ, a neuron update 81 pJ and a weight update 120 pJ (Davies et al. 2018). In the "
            "trace form of STDP each presynaptic spike updates all its outgoing weights (depression) and each "
            "postsynaptic spike all its incoming weights (potentiation). The inputs are spike sources, not neurons "
            "of the chip. Write `stdp_run_energy(n_pre, n_post, rate_pre, rate_post, duration, dt)` returning the "
            "run's energy in J."),
    reference=_stdp_reference,
    cases=[(100, 10, 10.0, 27.0, 10.0, 0.001), (200, 1, 10.0, 15.0, 60.0, 0.001), (50, 50, 5.0, 2.0, 1.0, 0.0001)],
    mistakes=[
        Mistake("pre_only", lambda *a: _stdp_energy(*a, post_updates=False),
                "too few weight updates: you counted only the presynaptic spikes. Each postsynaptic spike also "
                "updates all n_pre weights onto that neuron (the potentiation half of STDP)."),
        Mistake("no_plasticity", lambda *a: _stdp_energy(*a, plastic=False),
                "you priced the spikes and neuron updates but not the learning: add 120 pJ per weight update."),
        Mistake("per_second", lambda *a: _stdp_energy(*a) / a[4],
                "that is the run's power (J per second), not its energy: multiply the rates by the duration."),
        Mistake("picojoules", lambda *a: _stdp_energy(*a, scale=1e12),
                "your answer is 1e12 times too large: it looks like picojoules. Return joules."),
        Mistake("input_neurons", lambda *a: _stdp_energy(*a, input_neurons=True),
                "you updated the inputs as if they were neurons on the chip: they are spike sources, so only "
                "the n_post neurons are updated every timestep."),
    ],
    hints=["Count four things: input spikes, output spikes, synaptic events, weight updates; and neuron updates.",
           "Synaptic events = input spikes x n_post; weight updates = input spikes x n_post + output spikes x n_pre; "
           "neuron updates = n_post x duration / dt.",
           "Multiply each count by its energy (27.1e-12, 81e-12, 120e-12 J) and add."],
    todo="return the energy of the run in J",
    atol=0.0,
    terms={"the energy of the neuron updates (81 pJ per neuron per step)":
           lambda n_pre, n_post, rate_pre, rate_post, duration, dt: LOIHI[1] * n_post * duration / dt},
    params={"duration": "the duration", "dt": "the time step dt"},
)

# -- with snnlib: price a simulated run ---------------------------------------------------------------------
N_NEURONS = 20  # neurons in the population of the snnlib exercises


def _run_counts(input_rate, n_inputs, weight, t_end, seed):
    """snnlib's operation counts of N_NEURONS LIF neurons driven by n_inputs Poisson sources (connection
    probability 0.5, area-normalised 5 ms synapses, dt = 1 ms, Network(seed=seed)) after t_end s."""
    import snnlib as snn

    net = snn.Network(seed=seed)
    inputs = net.poisson(n_inputs, rate=input_rate)
    neurons = net.population(N_NEURONS)
    net.connect_random(inputs, neurons, p=0.5, weight=weight,
                       synapse=snn.ExpSynapse(tau=0.005, normalize="area"))
    sim = snn.Simulator(net, dt=0.001)
    sim.run(t_end)
    return sim.counts


def _loihi_energy(input_rate, n_inputs, weight, t_end, seed, events="synaptic_events", sources_updated=False):
    """Energy (J) of that run on Loihi: 27.1 pJ per synaptic event, 81 pJ per neuron update. ``events`` and
    ``sources_updated`` implement the mistakes (pricing synapses instead of events; updating the inputs)."""
    c = _run_counts(input_rate, n_inputs, weight, t_end, seed)
    updates = c["neuron_updates"] + (n_inputs * c["steps"] if sources_updated else 0)
    return LOIHI[0] * c[events] + LOIHI[1] * updates


_NET_CASES = [(20.0, 200, 0.001, 1.0, 0), (50.0, 80, 0.002, 0.5, 3), (5.0, 600, 0.001, 2.0, 8),
              (20.0, 200, 0.001, 1.0, 0)]  # the first case again: a result that changes is not seeded

NETWORK = Exercise(
    id="loihi_run_energy", title="With snnlib: what would this run cost on Loihi?",
    prompt=("Simulate a network and price what it did. Write `loihi_run_energy(input_rate, n_inputs, weight, t_end, "
            "seed)`: create `snn.Network(seed=seed)` with `n_inputs` Poisson sources at `input_rate` Hz and a "
            "population of `ex.N_NEURONS` (20) LIF neurons (snnlib's defaults), each source connected to each neuron with "
            "probability 0.5 and weight `weight` (`net.connect_random(inputs, neurons, p=0.5, weight=weight, "
            "synapse=...)`) through `snn.ExpSynapse(tau=0.005, normalize=\"area\")`; run `snn.Simulator(net, dt=0.001)` for "
            "`t_end` s. `sim.counts` then holds what the run did: `synaptic_events` (spikes delivered through a "
            "synapse), `neuron_updates` (neurons x steps) and more. Return the energy in J on Loihi, at 27.1 pJ "
            "per synaptic event and 81 pJ per neuron update (Davies et al. 2018); the Poisson sources are spike "
            "sources, not neurons of the chip."),
    reference=_loihi_energy,
    cases=_NET_CASES,
    mistakes=[
        Mistake("synapses", lambda *a: _loihi_energy(*a, events="synapses"),
                "you priced each synapse once (sim.counts[\"synapses\"]): a synapse costs energy every time a "
                "spike crosses it, sim.counts[\"synaptic_events\"]."),
        Mistake("sources_updated", lambda *a: _loihi_energy(*a, sources_updated=True),
                "you also charged neuron updates for the Poisson inputs: they are spike sources, not neurons on "
                "the chip; sim.counts[\"neuron_updates\"] already counts the population's updates."),
    ],
    hints=["Build and run the network as in the earlier snnlib exercises; then read sim.counts.",
           "The energy has two parts: one per synaptic event, one per neuron update.",
           "27.1 pJ is 27.1e-12 J: keep everything in joules."],
    todo="build and run the network; return the energy on Loihi in J",
    timeout=120.0,  # the first snnlib run of a session compiles the simulator (several seconds)
    atol=0.0,
    terms={"the energy of the neuron updates (81 pJ per neuron per step)":
           lambda input_rate, n_inputs, weight, t_end, seed: LOIHI[1] * N_NEURONS * round(t_end / 0.001),
           "the energy of the synaptic events (27.1 pJ each)":
           lambda *a: LOIHI[0] * _run_counts(*a)["synaptic_events"]},
)


def _nj_per_spike(input_rate, seed):
    c = _run_counts(input_rate, 200, 0.001, 1.0, seed)
    energy = LOIHI[0] * c["synaptic_events"] + LOIHI[1] * c["neuron_updates"]
    return energy / c["spikes"] * 1e9


@functools.lru_cache(maxsize=None)
def _per_input_spike_range() -> tuple[float, float]:
    """The same energy divided by the input spikes instead (a mistake), nJ, over 24 seeds."""
    def per_input(seed):
        c = _run_counts(20.0, 200, 0.001, 1.0, seed)
        return (LOIHI[0] * c["synaptic_events"] + LOIHI[1] * c["neuron_updates"]) / c["source_spikes"] * 1e9
    return measured_range(per_input)


@functools.lru_cache(maxsize=None)
def nj_per_spike_range(input_rate: float = 20.0) -> tuple[float, float]:
    """Range (nJ) of the Loihi energy per output spike over 24 seeds (1 s runs, 200 inputs, weight 0.001)."""
    return measured_range(lambda seed: _nj_per_spike(input_rate, seed))


NJ_PER_SPIKE = Exercise(
    id="nj_per_output_spike", kind="value", title="Open question: what does one output spike cost?",
    prompt=("Run your `loihi_run_energy` network with 200 inputs at 20 Hz, weight 0.001, for 1 s (any seed), and "
            "divide the energy by the number of spikes the 20 LIF neurons fired (`sim.counts[\"spikes\"]`; you may "
            "rebuild the network to read it). Set `nj_per_output_spike` to that, in **nanojoules**. The check "
            "accepts the range this experiment gives over many seeds. Compare with the bottom-up cost of an "
            "action potential in cortex, about 10-40 pJ (an estimate: Attwell & Laughlin 2001; Howarth et al. 2012). Which part of the chip's energy does "
            "not depend on spikes at all?"),
    reference=lambda: float(np.mean(nj_per_spike_range())),
    measured=nj_per_spike_range,
    mistakes=[
        Mistake("below_rheobase", lambda: nj_per_spike_range(9.0),
                "that is the cost per spike at 9 Hz input: use 20 Hz."),
        Mistake("per_input_spike", lambda: _per_input_spike_range(),
                "you divided by the input spikes (sim.counts[\"source_spikes\"]): the question is about the "
                "spikes of the 20 LIF neurons."),
    ],
    hints=["The energy comes from your loihi_run_energy; the spike count from sim.counts[\"spikes\"] of the same "
           "network and seed.",
           "1 nJ = 1e-9 J: divide joules per spike by 1e-9."],
    stub="nj_per_output_spike = ...  # TODO: run the experiment; energy per output spike in nJ\n",
)

EXERCISES = ExerciseSet(
    lesson="02_power",
    title="Exercises 02: where the energy goes",
    intro=("Seven exercises on energy accounting from lesson 02, from one line to a small model and a simulated run priced on Loihi. All quantities are "
           "SI: watts, joules, seconds, hertz.\n\n"
           + how_exercises_work("02", "break_even")
           + "The three classic slips in energy estimates are units (pJ against J), rates (per second against per "
           "inference) and forgetting the time window; the checks watch for all three."),
    setup="import numpy as np\nimport snnlib as snn\n\nfrom course.exercises import lesson02 as ex",
    exercises=[PER_EVENT, MACS, GPU_J, BREAK_EVEN, STDP_ENERGY, NETWORK, NJ_PER_SPIKE],
    solutions_module="course.exercises.lesson02_solutions",
    outro=("## Summary\n\nRun the cell below to see which exercises passed in this session. To go further, change "
           "the break-even inputs to a larger network (connections grow as the square of the width) and see which "
           "chip wins; `snnlib.energy.break_even_rate` does the same sum for a simulated run."),
)

globals().update(EXERCISES.api())
