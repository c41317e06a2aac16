"""Run an NEF model on snnlib's Simulator and read decoded values from its spikes."""

import numpy as np

from snnlib import _validate as check
from snnlib.nef.filters import lowpass
from snnlib.nef.network import Network
from snnlib.nef.realise import REALISATIONS
from snnlib.sim.simulator import UnknownProbeError

__all__ = ["Simulator"]


class Simulator:
    """Builds an `nef.Network` into spiking neurons (`realisation`, see `snnlib.nef.realise`) and runs it.

    Parameters
    ----------
    model : snnlib.nef.Network
    dt : float
        Time step (s), default 1 ms (Nengo's). Rates must stay below 1/dt.
    realisation : str
        "full_weights" (the only one so far).
    **kwargs : passed to `snnlib.Simulator` (e.g. precision="float32").

    After `run(t)`: `data[probe]` is an array (steps, dimensions) for decoded and node probes, a
    SpikeRecord for spike probes; `trange()` the times (s) of the rows; `counts` the operation counts
    (neuron updates, spikes, synaptic events) of `snnlib.Simulator`, for `snnlib.energy`.
    """

    def __init__(self, model, dt=0.001, realisation="full_weights", **kwargs):
        import snnlib as snn

        if not isinstance(model, Network):
            raise TypeError(f"model must be a snnlib.nef.Network, got {model!r}")
        if not isinstance(realisation, str) or realisation not in REALISATIONS:
            raise ValueError(f"realisation must be one of {sorted(REALISATIONS)}, got {realisation!r}")
        self.model = model
        self.dt = check.positive("dt", dt)
        self.realised = REALISATIONS[realisation]().build(model, self.dt)
        self.snn = snn.Simulator(self.realised.network, dt=self.dt, **kwargs)
        self._probes = list(model.probes)       # the probes realised now; one added later is not recorded

    def run(self, t):
        """Advance by t seconds (whole steps)."""
        self.snn.run(t)
        return self

    def reset(self):
        """Back to t = 0 with the same seed (same spikes again)."""
        self.snn.reset()
        return self

    @property
    def t(self):
        return self.snn.t

    @property
    def n_steps(self):
        return self.snn.step

    def trange(self):
        """Times (s) of the rows of `data[probe]`: the end of every step."""
        return self.snn.trange()

    def decoders(self, connection):
        """Current decoders (pre.n_neurons, d_out) of `connection`: learnt so far for a PES connection."""
        if id(connection) in self.realised.learned:
            return self.snn.decoders(self.realised.learned[id(connection)][0])
        if connection.decoders is None:
            raise ValueError(f"{connection!r} comes from a node: it has no decoders")
        return connection.decoders.copy()

    @property
    def counts(self):
        """Operation counts of the run (see `snnlib.Simulator.counts`)."""
        return self.snn.counts

    @property
    def data(self):
        """Mapping probe -> recorded data (the probes the model had when this Simulator was built)."""
        return {p: self._probe_data(p) for p in self._probes}

    def __getitem__(self, probe):
        return self._probe_data(probe)

    def _probe_data(self, probe):
        if not any(probe is p for p in self._probes):
            raise UnknownProbeError(_unknown_probe(probe, self.model))
        if probe.attr == "error":
            err = self.snn.data[self.realised.learned[id(probe.target)][2]]
            return lowpass(err, probe.synapse, self.dt)[0]
        if probe.attr == "output":
            raw = probe.target.values(np.arange(self.n_steps) * self.dt)   # as fed into each step
            return lowpass(raw, probe.synapse, self.dt)[0]
        record = self.snn.data[self.realised.spike_probes[id(probe.target)]]
        if probe.attr == "spikes":
            return record
        return decoded_from_spikes(record, probe.decoders, self.n_steps, self.dt, probe.synapse)


def _unknown_probe(probe, model):
    """Why `probe` has no data in a Simulator of `model` (the message of its UnknownProbeError)."""
    from snnlib.nef.network import Probe

    if not isinstance(probe, Probe):
        return (f"sim.data[...] takes a probe made by model.probe(...) (snnlib.nef), got {probe!r} of type "
                f"{type(probe).__name__}")
    if any(probe is p for p in model.probes):
        return (f"{probe!r} was added to the model after this Simulator was built, so it was not recorded: add "
                "every probe before nef.Simulator(model), or build a new nef.Simulator(model) and run it again")
    return f"{probe!r} is not a probe of this simulator's model (it belongs to another nef.Network)"


def decoded_from_spikes(record, decoders, n_steps, dt, synapse):
    """Decoded value per step: sum over the step's spikes of decoders[neuron] / dt, lowpass-filtered.

    record: SpikeRecord (a spike stamped at the end of step k has time (k + 1) dt); decoders (n, d);
    synapse: tau (s) or None. Returns (n_steps, d)."""
    decoders = np.asarray(decoders, dtype=float)
    u = np.zeros((n_steps, decoders.shape[1]))
    steps = np.rint(record.times / dt).astype(np.int64) - 1
    np.add.at(u, steps, decoders[record.neurons] / dt)
    return lowpass(u, synapse, dt)[0]
