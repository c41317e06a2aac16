"""Ready-made experiments in the neurodynex style (named defaults and a `simulate_*()` / `measure_*()` entry
point): a single LIF neuron (`single_neuron`), STDP (`stdp`) and the regular rate code next to the Poisson
and latency codes (`codes`), and noise (`noise`: irregular firing, population decoding against N, release,
stochastic resonance, ablation)."""
