"""Reference solutions of the "Your turn" cells inside the lessons (shown only by ``yourturn.solution(...)``).

Each ``# %% <id>`` section is one lesson cell, run top to bottom. SI units (seconds, hertz, joules).
"""
import numpy as np

import snnlib as snn
from snnlib.analysis import spikecode as enc
from snnlib.analysis import spiketrains as st
from snnlib.energy import OpCounts, estimate, get_device
from snnlib.experiments import capstone
from snnlib.units import Hz, ms

# %% slow_membrane_rate
result = snn.simulate_lif(2.0, t_stop=2.0, dt=0.1 * ms, tau_rc=50 * ms, tau_ref=2 * ms)
slow_membrane_rate = result.rate

# %% poisson_cv
times, neurons = enc.poisson_spikes([5 * Hz] * 20, 20.0, seed=3)
trains = st.split_trains(times, neurons, 20)
poisson_cv = sum(st.cv_isi(train) for train in trains) / len(trains)

# %% loihi_energy
counts = OpCounts.spiking([100, 200, 10], rates=20 * Hz, timesteps=50, dt=1 * ms, linear_output=True)
loihi_energy = estimate(counts, ["loihi"])["loihi"].total

# %% balanced_cv
from snnlib.noise import OUNoise

net = snn.Network(seed=0)
pop = net.population(50, snn.LIF(), bias=0.6, v_init=snn.Uniform(0, 1))
net.noise(pop, OUNoise(sigma=0.7, tau=10 * ms))
probe = net.probe(pop, "spikes")
sim = snn.Simulator(net, dt=0.1 * ms)
sim.run(10.0)
balanced_cv = np.mean([st.cv_isi(train) for train in sim.data[probe].trains()])

# %% leaky_feedback
tau = 0.1                          # s, the recurrent synapse
A = -1.0 / 0.5                     # dx/dt = A x: a leak with tau_leak = 0.5 s
leaky_feedback = tau * A + 1.0     # A' = tau A + I

# %% adaptation_index
net = snn.Network(seed=0)
pop = net.population(1, snn.AdaptiveLIF(tau_n=100 * ms, inc_n=0.05), bias=3.0)
probe = net.probe(pop, "spikes")
sim = snn.Simulator(net, dt=0.1 * ms)
sim.run(2.0)
times = sim.data[probe].times
f0 = 1.0 / (times[1] - times[0])
f_inf = (times > 1.0).sum() / 1.0
adaptation_index = 1.0 - f_inf / f0

# %% longest_presentation
ann_gpu = estimate(capstone.ann_energy_counts(), ["gpu"])["gpu"].total        # J per ANN inference
loihi_step = 200 * get_device("loihi").energy_per_neuron                       # J per step of 200 updates
longest_presentation = ann_gpu / loihi_step * 1 * ms
