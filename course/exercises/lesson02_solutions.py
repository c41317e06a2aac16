"""Reference solutions for exercises/02_power.ipynb (shown only by ``ex.solution(...)``).

Each ``# %% <id>`` section is one notebook answer cell; the stubs are derived from these (signature and
docstring kept, body replaced). SI units throughout: watts, joules, seconds, hertz.
"""
import numpy as np
import snnlib as snn

# %% energy_per_event
def energy_per_event(power, n_synapses, rate):
    """Energy (J) per synaptic event if all of `power` (W) went into synaptic events.

    n_synapses: number of synapses; rate: mean presynaptic firing rate (Hz). Works element-wise on arrays.
    """
    events_per_second = n_synapses * rate        # each synapse carries its presynaptic neuron's spikes
    return power / events_per_second             # W / (events/s) = J per event

# %% mlp_macs
def mlp_macs(layer_sizes):
    """Multiply-accumulates of one forward pass of a fully connected network.

    layer_sizes: widths from input to output, e.g. [64, 64, 32, 10]. Biases are additions, not MACs.
    """
    return sum(n_in * n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))

# %% gpu_j_per_image
power_w = 250.0                # W, the GPU board
images_per_second = 10_000.0   # throughput with large batches
gpu_j_per_image = power_w / images_per_second   # (J/s) / (images/s) = J per image

# %% break_even
def break_even(connections, neurons, t_present, dt, spiking, dense):
    """Mean presynaptic firing rate (Hz) at which a spiking chip costs as much as a dense one per inference.

    connections, neurons: of the network; t_present: presentation time (s); dt: the spiking chip's
    timestep (s); spiking, dense: (energy per synaptic op, energy per neuron update) of each device (J).
    The spiking chip pays e_syn * connections * rate * t_present + e_neuron * neurons * (t_present / dt);
    the dense one e_syn * connections + e_neuron * neurons, once.
    """
    e_syn_s, e_neu_s = spiking
    e_syn_d, e_neu_d = dense
    steps = t_present / dt
    dense_cost = e_syn_d * connections + e_neu_d * neurons
    fixed_spiking_cost = e_neu_s * neurons * steps        # every neuron, every timestep
    return (dense_cost - fixed_spiking_cost) / (e_syn_s * connections * t_present)

# %% stdp_run_energy
def stdp_run_energy(n_pre, n_post, rate_pre, rate_post, duration, dt):
    """Energy (J) on Loihi of an STDP run: n_pre Poisson inputs all-to-all onto n_post LIF neurons.

    rate_pre, rate_post: mean rates (Hz); duration: run time (s); dt: timestep (s).
    Loihi (Davies et al. 2018): 27.1 pJ per synaptic event, 81 pJ per neuron update, 120 pJ per weight update.
    """
    e_syn, e_neu, e_plast = 27.1e-12, 81e-12, 120e-12
    pre_spikes = n_pre * rate_pre * duration
    post_spikes = n_post * rate_post * duration
    synaptic_events = pre_spikes * n_post               # each input spike reaches every neuron
    neuron_updates = n_post * duration / dt             # the inputs are spike sources, not chip neurons
    weight_updates = pre_spikes * n_post + post_spikes * n_pre   # depression at pre, potentiation at post
    return e_syn * synaptic_events + e_neu * neuron_updates + e_plast * weight_updates

# %% loihi_run_energy
def loihi_run_energy(input_rate, n_inputs, weight, t_end, seed):
    """Energy (J) on Loihi of a simulated run: 20 LIF neurons driven by n_inputs Poisson sources.

    Each source reaches each neuron with probability 0.5.

    input_rate: rate of each source (Hz); weight: synaptic weight (area-normalised 5 ms synapses);
    t_end: run time (s); seed: the network's seed. Loihi: 27.1 pJ per synaptic event, 81 pJ per neuron update.
    """
    net = snn.Network(seed=seed)
    inputs = net.poisson(n_inputs, rate=input_rate)
    neurons = net.population(20)
    net.connect_random(inputs, neurons, p=0.5, weight=weight,
                       synapse=snn.ExpSynapse(tau=0.005, normalize="area"))
    sim = snn.Simulator(net, dt=0.001)
    sim.run(t_end)
    counts = sim.counts
    return 27.1e-12 * counts["synaptic_events"] + 81e-12 * counts["neuron_updates"]  # sources are not updated

# %% nj_per_output_spike
def output_spikes(input_rate, n_inputs, weight, t_end, seed):
    """Spikes fired by the 20 LIF neurons of loihi_run_energy's network (same arguments, same seed)."""
    net = snn.Network(seed=seed)
    inputs = net.poisson(n_inputs, rate=input_rate)
    neurons = net.population(20)
    net.connect_random(inputs, neurons, p=0.5, weight=weight,
                       synapse=snn.ExpSynapse(tau=0.005, normalize="area"))
    sim = snn.Simulator(net, dt=0.001)
    sim.run(t_end)
    return sim.counts["spikes"]


run = (20.0, 200, 0.001, 1.0, 5)     # input rate (Hz), inputs, weight, duration (s), seed
nj_per_output_spike = loihi_run_energy(*run) / output_spikes(*run) / 1e-9
