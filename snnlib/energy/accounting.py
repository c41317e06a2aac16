"""Energy accounting: what one inference costs on a given device.

The model is the one of keras-spiking's `ModelEnergy` (Nengo's Keras add-on), so numbers can be checked
against it: a device spends `energy_per_synop` joules on each synaptic operation and `energy_per_neuron`
joules on each neuron update (J, SI). Devices come in two kinds:

* **dense** (cpu, gpu, arm, tpu): the network runs as an ordinary ANN, every connection is computed once per
  inference (one multiply-accumulate, MAC) and every neuron updated once, whatever the activity;
* **spiking** (loihi, truenorth, spinnaker, spinnaker2, brain): only spikes cost synaptic operations, so a
  synaptic event is a spike times the fan-out of the neuron that fired; every neuron is updated every
  timestep. For a layer of C connections with presynaptic rate r (Hz), dt (s) and T timesteps this gives
  C * r * dt * T synaptic events per inference.

The numbers (`snnlib.energy.devices`) are estimates from the literature, each with its source, and they
are not all alike: some are whole-system figures (cpu, gpu, arm), some chip power at one operating point
(tpu, truenorth, spinnaker), some per-operation core energies (loihi) that leave out data movement on and
off the chip; they come from different process nodes and years (`DeviceProfile.scope`, `.technology`,
`device_table()`). Treat results as orders of magnitude.

Counts come from a simulation (`OpCounts.from_run(sim)`), from the layer sizes of a dense ANN
(`OpCounts.dense(layer_sizes)`), or from assumed rates (`OpCounts.spiking(layer_sizes, rates, ...)`);
`estimate(counts)` prices them on every device, `break_even_rate` says at which mean firing rate a spiking
device stops being cheaper than a dense one.
"""

from dataclasses import dataclass, field, replace
import numbers

import numpy as np

from snnlib import _validate as check
from snnlib.energy.devices import DEVICES, DeviceProfile, device_names, get_device, register_device

__all__ = ["DeviceProfile", "OpCounts", "DeviceEnergy", "EnergyReport", "DEVICES", "get_device",
           "register_device", "device_names", "count_macs", "estimate", "break_even_rate"]


def _layer_sizes(layer_sizes):
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"layer_sizes must be a list of layer widths like [64, 32, 10], got {layer_sizes!r}")
    sizes = [check.count(f"layer_sizes[{i}]", n) for i, n in enumerate(layer_sizes)]
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output layer, got {sizes}")
    return sizes


def count_macs(layer_sizes):
    """Multiply-accumulates of one forward pass of a fully connected ANN.

    `layer_sizes` lists the widths from input to output, e.g. [64, 32, 10]; the count is
    sum(n_in * n_out) over consecutive layers (biases are additions, not MACs, and are not counted).
    """
    sizes = _layer_sizes(layer_sizes)
    return int(sum(a * b for a, b in zip(sizes[:-1], sizes[1:])))


def _nonneg_number(name, value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.number)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    return check.nonnegative(name, float(value))


@dataclass(frozen=True)
class OpCounts:
    """The work of one inference (or one run), in operations.

    Attributes
    ----------
    connections : int
        Synapses (weights) in the network; a dense device computes each once per dense pass.
    neurons : int
        Neurons that are updated (input units excluded).
    synaptic_events : float
        Spikes x fan-out: synaptic operations on a spiking device.
    neuron_updates : float
        Neuron updates on a spiking device (neurons x timesteps).
    plasticity_updates : float
        Weight updates done by a learning rule.
    analog_synops : int
        Synaptic operations done once per inference whatever the spikes: an analog (non-spiking) input
        layer, e.g. pixels entering as currents. Part of `connections`, priced on spiking devices as one
        synaptic op per connection, and never scaled with the firing rate.
    dense_passes : int
        How many times a dense device evaluates the whole network: 1 for an ANN inference (the
        keras-spiking convention, also for a converted SNN); the number of timesteps for a time-stepped
        simulation on dense hardware.
    spikes : float
        Spikes emitted (for reporting; the energy model prices synaptic events, not spikes).
    timesteps, dt : int, float
        Timesteps per inference and their length (s); 1 and 0 for an ANN.
    label : str
        What these counts describe, for tables.
    """

    connections: int
    neurons: int
    synaptic_events: float = 0.0
    neuron_updates: float = 0.0
    plasticity_updates: float = 0.0
    analog_synops: int = 0
    dense_passes: int = 1
    spikes: float = 0.0
    timesteps: int = 1
    dt: float = 0.0
    label: str = ""

    def __post_init__(self):
        for name in ("connections", "neurons", "dense_passes", "timesteps", "analog_synops"):
            value = getattr(self, name)
            value = int(value) if isinstance(value, np.integer) else value
            object.__setattr__(self, name, check.count(name, value, minimum=0))
        for name in ("synaptic_events", "neuron_updates", "plasticity_updates", "spikes", "dt"):
            object.__setattr__(self, name, _nonneg_number(name, getattr(self, name)))
        if self.analog_synops > self.connections:
            raise ValueError(f"analog_synops ({self.analog_synops}) cannot exceed connections ({self.connections})")

    @property
    def duration(self):
        """Simulated time of the inference (s)."""
        return self.timesteps * self.dt

    @property
    def spiking_connections(self):
        """Connections that carry spikes (all but the analog input layer)."""
        return self.connections - self.analog_synops

    @property
    def mean_rate(self):
        """Mean presynaptic firing rate seen by the spiking synapses (Hz):
        events / (spiking connections x duration), i.e. the fan-out-weighted mean rate."""
        if self.spiking_connections == 0 or self.duration == 0:
            return 0.0
        return self.synaptic_events / (self.spiking_connections * self.duration)

    def per_inference(self, n_inferences):
        """Counts of a run over `n_inferences` presentations divided per inference.

        Timesteps and dense passes must divide evenly (each presentation equally long).
        """
        n = check.count("n_inferences", n_inferences)
        for name in ("timesteps", "dense_passes"):
            if getattr(self, name) % n:
                raise ValueError(f"{name} ({getattr(self, name)}) is not a multiple of n_inferences ({n}): "
                                 "every presentation must be equally long")
        return replace(self, synaptic_events=self.synaptic_events / n,
                       neuron_updates=self.neuron_updates / n,
                       plasticity_updates=self.plasticity_updates / n, spikes=self.spikes / n,
                       timesteps=self.timesteps // n, dense_passes=self.dense_passes // n)

    def at_rate(self, rate, label=None):
        """The same network with every presynaptic neuron firing at `rate` (Hz) for the same duration.

        Synaptic events become spiking connections x rate x dt x timesteps (keras-spiking's convention);
        neuron updates stay neurons x timesteps; `spikes` is set to 0 (unknown without the fan-outs).
        Needs a spiking run (dt > 0).
        """
        rate = check.nonnegative("rate", rate, "Hz")
        if self.dt <= 0:
            raise ValueError("at_rate needs counts of a spiking run (dt > 0), not of a dense ANN pass")
        return replace(self, synaptic_events=self.spiking_connections * rate * self.dt * self.timesteps,
                       neuron_updates=float(self.neurons * self.timesteps), spikes=0.0,
                       label=self.label if label is None else label)

    @classmethod
    def dense(cls, layer_sizes, linear_output=False, label="ANN"):
        """Counts of one forward pass of a fully connected ANN with the given layer widths.

        connections = MACs (see `count_macs`); neurons = all non-input units, or only the hidden ones
        with linear_output=True (a linear readout has no non-linearity to evaluate, keras-spiking's rule
        for Dense layers without activation, and what a converted network's readout does). On a spiking
        device it is priced as if every connection carried one event (one pass, one timestep).
        """
        sizes = _layer_sizes(layer_sizes)
        macs = count_macs(sizes)
        neurons = sum(sizes[1:-1]) if linear_output else sum(sizes[1:])
        return cls(connections=macs, neurons=neurons, synaptic_events=macs, neuron_updates=neurons,
                   dense_passes=1, timesteps=1, dt=0.0, label=label)

    @classmethod
    def spiking(cls, layer_sizes, rates, timesteps, dt=0.001, analog_input=False, linear_output=False,
                label="SNN"):
        """Expected counts of the spiking version of a fully connected network (keras-spiking convention).

        Parameters
        ----------
        layer_sizes : list of int
            Widths from input to output.
        rates : float or list of float
            Mean firing rate (Hz) of the *presynaptic* side of each spiking weight layer: one number for
            all, or one per spiking weight layer (the first being the input's rate, or with
            analog_input=True the first hidden layer's).
        timesteps : int
            Timesteps per inference.
        dt : float
            Timestep (s).
        analog_input : bool
            The input enters as currents (as in `snnlib.ml.conversion`): the first weight layer costs one
            synaptic op per connection per inference (`analog_synops`) instead of spikes.
        linear_output : bool
            The output layer is a linear readout: no neuron updates for it.

        Synaptic events = sum over spiking layers of connections x rate x dt x timesteps; neuron updates =
        updated neurons x timesteps.
        """
        sizes = _layer_sizes(layer_sizes)
        conns = np.array([a * b for a, b in zip(sizes[:-1], sizes[1:])], dtype=float)
        pre = np.array(sizes[:-1], dtype=float)
        analog = int(conns[0]) if analog_input else 0
        if analog_input:
            if len(sizes) < 3:
                raise ValueError("analog_input needs a hidden layer: the input layer itself is then not spiking")
            conns, pre = conns[1:], pre[1:]
        rate_arr = check.finite_array("rates", rates)
        if rate_arr.ndim == 0:
            rate_arr = np.full(len(conns), float(rate_arr))
        if rate_arr.shape != (len(conns),):
            raise ValueError(f"rates needs one value or one per spiking weight layer ({len(conns)}), "
                             f"got {rate_arr.size}")
        if np.any(rate_arr < 0):
            raise ValueError(f"rates must be >= 0 Hz, got {rate_arr.tolist()}")
        steps = check.count("timesteps", timesteps)
        dt = check.positive("dt", dt)
        events = float(np.sum(conns * rate_arr) * dt * steps)
        spikes = float(np.sum(pre * rate_arr) * dt * steps)
        neurons = sum(sizes[1:-1]) if linear_output else sum(sizes[1:])
        return cls(connections=count_macs(sizes), neurons=neurons, synaptic_events=events,
                   neuron_updates=neurons * steps, analog_synops=analog, dense_passes=1, spikes=spikes,
                   timesteps=steps, dt=dt, label=label)

    @classmethod
    def from_counts(cls, counts, n_inferences=1, timestepped=False, label="SNN run"):
        """Counts of a finished run from the simulator's `sim.counts` mapping.

        Uses its keys steps, duration_s, neurons, neuron_updates, spikes, synapses, synaptic_events and
        plasticity_updates. Poisson and spike-generator sources are inputs, not neurons of the chip: their
        spikes cost synaptic events but no neuron updates. A dense device computes the network once per
        inference (keras-spiking's convention), or with timestepped=True once per timestep (a clock-driven
        simulation on CPU/GPU). With n_inferences > 1 the run is divided into equal presentations.
        """
        if not hasattr(counts, "keys"):
            raise TypeError(f"counts must be the mapping sim.counts, got {type(counts).__name__}")
        need = ("steps", "duration_s", "neurons", "neuron_updates", "spikes", "synapses", "synaptic_events",
                "plasticity_updates")
        missing = [k for k in need if k not in counts]
        if missing:
            raise ValueError(f"counts lacks {', '.join(missing)}; pass sim.counts of a snnlib Simulator")
        n = check.count("n_inferences", n_inferences)
        steps = int(counts["steps"])
        if steps == 0:
            raise ValueError("the simulation has not run yet (0 steps): call sim.run(T) first")
        ops = cls(connections=int(counts["synapses"]), neurons=int(counts["neurons"]),
                  synaptic_events=counts["synaptic_events"], neuron_updates=counts["neuron_updates"],
                  plasticity_updates=counts["plasticity_updates"], dense_passes=steps if timestepped else n,
                  spikes=counts["spikes"], timesteps=steps, dt=float(counts["duration_s"]) / steps, label=label)
        return ops if n == 1 else ops.per_inference(n)

    @classmethod
    def from_run(cls, sim, n_inferences=1, timestepped=False, label="SNN run"):
        """`from_counts(sim.counts, ...)` for a finished `Simulator`."""
        if not hasattr(sim, "counts"):
            raise TypeError(f"sim must be a snnlib Simulator that has run, got {type(sim).__name__}")
        return cls.from_counts(sim.counts, n_inferences, timestepped, label)


    @classmethod
    def from_conversion(cls, result, layer_sizes, label="converted SNN"):
        """Per-inference counts of a converted network's run (`snnlib.ml.conversion.SpikingClassifier.run`).

        The conversion feeds the pixels in as currents, so its first layer is analog: n_in x n_hidden1
        synaptic ops once per image (`analog_synops`), not spikes. Hidden layers and the readout cost
        spikes x fan-out (`result.synaptic_events_per_inference`). Neurons are the hidden ones (the linear
        readout only accumulates), each updated every timestep.
        """
        sizes = _layer_sizes(layer_sizes)
        for attr in ("counts", "synaptic_events_per_inference", "input_macs_per_inference",
                     "spikes_per_inference"):
            if not hasattr(result, attr):
                raise TypeError(f"result must be a ConversionResult (from SpikingClassifier.run), lacking {attr!r}")
        c = result.counts
        n_hidden = sum(sizes[1:-1])
        if n_hidden == 0 or c["neurons"] % n_hidden:
            raise ValueError(f"layer_sizes {sizes} do not match the run: {c['neurons']} neurons is not a "
                             f"multiple of the {n_hidden} hidden neurons per image")
        images = c["neurons"] // n_hidden
        if result.input_macs_per_inference != sizes[0] * sizes[1]:
            raise ValueError(f"layer_sizes {sizes} do not match the run's input layer "
                             f"({result.input_macs_per_inference} connections)")
        steps = int(c["steps"])
        return cls(connections=count_macs(sizes), neurons=n_hidden,
                   synaptic_events=result.synaptic_events_per_inference, neuron_updates=n_hidden * steps,
                   plasticity_updates=c["plasticity_updates"] / images,
                   analog_synops=result.input_macs_per_inference, dense_passes=1,
                   spikes=result.spikes_per_inference, timesteps=steps, dt=float(c["duration_s"]) / steps,
                   label=label)


@dataclass(frozen=True)
class DeviceEnergy:
    """Energy of one `OpCounts` on one device (J). `plasticity` is None when it cannot be priced."""

    device: DeviceProfile
    synops: float
    neuron_updates: float
    synop_energy: float
    neuron_energy: float
    plasticity_energy: float | None
    note: str = ""

    @property
    def total(self):
        """Synaptic + neuron + plasticity energy (J); a plasticity cost that cannot be priced counts 0."""
        return self.synop_energy + self.neuron_energy + (self.plasticity_energy or 0.0)

    @property
    def feasible(self):
        """False when the counts need on-chip learning that the device lacks."""
        return not self.note.startswith("not possible")


def _price(ops, device):
    if device.spiking:
        synops, updates = ops.synaptic_events + ops.analog_synops, ops.neuron_updates
    else:
        synops = float(ops.connections) * ops.dense_passes
        updates = float(ops.neurons) * ops.dense_passes
    note = ""
    plast = 0.0
    if ops.plasticity_updates > 0:
        if not device.on_chip_learning:
            plast, note = None, f"not possible: {device.name} has no on-chip learning"
        elif device.energy_per_plasticity is None:
            plast, note = None, f"plasticity not priced: no published figure for {device.name}"
        else:
            plast = ops.plasticity_updates * device.energy_per_plasticity
    return DeviceEnergy(device, synops, updates, synops * device.energy_per_synop,
                        updates * device.energy_per_neuron, plast, note)


@dataclass
class EnergyReport:
    """Energies of one `OpCounts` on several devices; `report["loihi"].total` is in J."""

    counts: OpCounts
    rows: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.rows[get_device(name).name]

    def totals(self):
        """{device name: total J}."""
        return {name: row.total for name, row in self.rows.items()}

    def table(self, unit="J"):
        """A plain-text table, one device per line (energy shown with 3 significant digits)."""
        scale = {"J": 1.0, "mJ": 1e-3, "uJ": 1e-6, "nJ": 1e-9, "pJ": 1e-12}
        if not isinstance(unit, str):
            raise TypeError(f"unit must be one of {', '.join(scale)} (a string), got {check._show(unit)} of type "
                            f"{type(unit).__name__}")
        if unit not in scale:
            raise ValueError(f"unit must be one of {', '.join(scale)}, got {unit!r}")
        lines = [f"{'device':<11} {'kind':<8} {'synops':>11} {'neuron upd':>11} {'energy (' + unit + ')':>14}"]
        for name, row in self.rows.items():
            note = f"  [{row.note}]" if row.note else ""
            lines.append(f"{name:<11} {row.device.kind:<8} {row.synops:>11.4g} {row.neuron_updates:>11.4g} "
                         f"{row.total / scale[unit]:>14.3g}{note}")
        return "\n".join(lines)


def estimate(counts, devices=None):
    """Price `counts` on devices: an `OpCounts`, a finished Simulator or its `sim.counts` (the whole run),
    or a list of layer sizes (one pass of a dense ANN).

    Returns an `EnergyReport` in joules per inference (per whatever `counts` describes). `devices` is a
    list of names or profiles; None means every known device.
    """
    if isinstance(counts, OpCounts):
        pass
    elif hasattr(counts, "keys"):
        counts = OpCounts.from_counts(counts)
    elif hasattr(counts, "counts") and hasattr(counts, "run"):
        counts = OpCounts.from_run(counts)
    elif isinstance(counts, (list, tuple)):
        try:
            counts = OpCounts.dense(counts)
        except (TypeError, ValueError) as err:
            raise type(err)(f"counts as a list of layer sizes: {err}") from None
    else:
        raise TypeError("counts must be an OpCounts, sim.counts, a finished Simulator or a list of layer sizes "
                        f"like [64, 32, 10], got {check._show(counts)}")
    if devices is None:
        devices = list(DEVICES.values())
    elif isinstance(devices, (str, DeviceProfile)):
        devices = [devices]
    elif not isinstance(devices, (list, tuple)):
        raise TypeError(f"devices must be None (all), a device name or profile, or a list of them, got "
                        f"{check._show(devices)}")
    report = EnergyReport(counts)
    for dev in devices:
        profile = get_device(dev, "devices")
        report.rows[profile.name] = _price(counts, profile)
    return report


def break_even_rate(counts, spiking_device="loihi", dense_device="cpu"):
    """Mean presynaptic firing rate (Hz) at which the spiking device costs as much as the dense one.

    For C connections (A of them an analog input layer, see `OpCounts.analog_synops`), N neurons and
    T timesteps of dt on the spiking device S, against the dense device D computing the network once:
        e_syn_S * (A + (C - A) * r * dt * T) + e_neu_S * N * T = e_syn_D * C + e_neu_D * N
        r* = (e_syn_D * C + e_neu_D * N - e_neu_S * N * T - e_syn_S * A) / (e_syn_S * (C - A) * dt * T).
    The rate is the fan-out-weighted mean over presynaptic neurons (`OpCounts.mean_rate`). Below r* the
    spiking device is cheaper. A result <= 0 means it never is: its fixed costs (neuron updates every
    step, the analog layer) alone exceed the whole dense pass. `counts` must describe a spiking run.
    """
    if not isinstance(counts, OpCounts):
        raise TypeError("counts must be an OpCounts of the spiking network (e.g. OpCounts.from_run(sim) or "
                        f"OpCounts.spiking(...)), got {type(counts).__name__}")
    s, d = get_device(spiking_device, "spiking_device"), get_device(dense_device, "dense_device")
    if not s.spiking:
        raise ValueError(f"spiking_device must be event-driven; {s.name} is dense")
    if d.spiking:
        raise ValueError(f"dense_device must be dense; {d.name} is spiking")
    if counts.dt <= 0 or counts.spiking_connections == 0:
        raise ValueError("counts need spiking connections > 0 and a timestep dt > 0 (a spiking run), got "
                         f"spiking connections={counts.spiking_connections}, dt={counts.dt}")
    if s.energy_per_synop == 0:
        raise ValueError(f"{s.name} has zero energy per synaptic op, so no break-even rate exists")
    n, c, a, steps = counts.neurons, counts.connections, counts.analog_synops, counts.timesteps
    dense_cost = (d.energy_per_synop * c + d.energy_per_neuron * n) * counts.dense_passes
    fixed = s.energy_per_neuron * n * steps + s.energy_per_synop * a
    result = (dense_cost - fixed) / (s.energy_per_synop * (c - a) * counts.dt * steps)
    return float(result)
