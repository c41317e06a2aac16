"""Result containers returned by probes."""

import numpy as np


class SpikeRecord:
    """Spikes recorded from one population or source.

    Attributes
    ----------
    times : ndarray of float
        Spike times (s), sorted. A spike is stamped at the end of the step in which it happened.
    neurons : ndarray of int
        Index (within the population) of the neuron that fired each spike.
    n_neurons : int
        Size of the population (indices run over [0, n_neurons)).
    probed : ndarray of int
        Indices that were recorded (spikes of other neurons are not in the record).
    t_start, t_stop : float
        The recorded time window (s).
    """

    def __init__(self, times, neurons, n_neurons, probed, t_start, t_stop):
        self.times = np.asarray(times, dtype=float)
        self.neurons = np.asarray(neurons, dtype=np.int64)
        self.n_neurons = int(n_neurons)
        self.probed = np.asarray(probed, dtype=np.int64)
        self.t_start = float(t_start)
        self.t_stop = float(t_stop)

    @property
    def duration(self):
        """Length of the recorded window (s)."""
        return self.t_stop - self.t_start

    def __len__(self):
        return len(self.times)

    def counts(self):
        """Spike count of every neuron in the population (array of n_neurons; unprobed neurons count 0)."""
        return np.bincount(self.neurons, minlength=self.n_neurons)

    def rates(self):
        """Mean firing rate of every neuron (Hz) over the recorded window."""
        if self.duration <= 0:
            raise ValueError("no time has been simulated yet: run the simulator before asking for rates")
        return self.counts() / self.duration

    def trains(self):
        """List of spike-time arrays (s), one per neuron of the population."""
        order = np.argsort(self.neurons, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(self.counts())])
        sorted_times = self.times[order]
        return [sorted_times[bounds[i]:bounds[i + 1]] for i in range(self.n_neurons)]

    def __repr__(self):
        return (f"<SpikeRecord: {len(self)} spikes from {len(self.probed)} of {self.n_neurons} neurons, "
                f"{self.t_start:g}-{self.t_stop:g} s>")
