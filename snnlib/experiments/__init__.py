"""Ready-made experiments in the neurodynex style (named defaults and a `simulate_*()` / `measure_*()` entry
point): a single LIF neuron (`single_neuron`) and STDP (`stdp`)."""
