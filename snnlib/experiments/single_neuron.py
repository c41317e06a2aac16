"""One LIF neuron, neurodynex style: named defaults and a `simulate_lif()` entry point.

A thin convenience over Network/Simulator for lessons and exercises that study a single neuron.
"""

from dataclasses import dataclass

import numpy as np

from snnlib import _validate as check
from snnlib.model.inputs import Constant, Signal, TimeFunction
from snnlib.model.network import Network
from snnlib.neurons.lif import LIF
from snnlib.sim.simulator import Simulator

TAU_RC = 0.02      # s, membrane time constant (Nengo default)
TAU_REF = 0.002    # s, refractory period (Nengo default)
DT = 0.001         # s


@dataclass
class LIFResult:
    """Output of simulate_lif: times t (s), voltage v (samples,), spike_times (s), rate (Hz), the model."""

    t: np.ndarray
    v: np.ndarray
    spike_times: np.ndarray
    rate: float
    neuron: LIF


def simulate_lif(drive, t_stop=0.5, dt=DT, tau_rc=TAU_RC, tau_ref=TAU_REF, v_th=1.0, v_reset=0.0, v_rest=0.0,
                 v_init=None):
    """Simulate one LIF neuron for `t_stop` seconds with a drive J: a number, a function of t, or a Signal.

    Returns an LIFResult; `rate` is the spike count divided by t_stop (Hz).
    """
    neuron = LIF(tau_rc=tau_rc, tau_ref=tau_ref, v_th=v_th, v_reset=v_reset, v_rest=v_rest)
    t_stop = check.nonnegative("t_stop", t_stop, "s")
    net = Network(seed=0)
    pop = net.population(1, neuron, v_init=v_init)
    if isinstance(drive, Signal):
        signal = drive
    elif callable(drive):
        signal = TimeFunction(drive)
        signal.role = "the drive function"
    else:
        value = check.finite_array("drive", drive)
        if value.size != 1:
            raise ValueError(f"drive must be one number (simulate_lif simulates one neuron), got {value.size} "
                             "values: call simulate_lif once per drive, or use a Network for many neurons")
        signal = Constant(value.reshape(()))
    net.input(pop, signal)
    sp, vp = net.probe(pop, "spikes"), net.probe(pop, "voltage")
    sim = Simulator(net, dt=dt)
    sim.run(t_stop)
    spikes = sim.data[sp]
    return LIFResult(t=sim.trange(vp), v=sim.data[vp][:, 0], spike_times=spikes.times,
                     rate=len(spikes) / t_stop if t_stop > 0 else 0.0, neuron=neuron)
