"""The energy model's contract as a learner meets it: each constructor's counts follow its documented formula,
defaults and labels are the documented ones, every price is the profile's figure times the count in the table
a learner reads, and bad input is refused with a message that names the parameter, its unit and what is allowed.

The formulas are those of `snnlib.energy.accounting`'s docstrings (keras-spiking's ModelEnergy convention:
a spiking layer of C connections with presynaptic rate r costs C * r * dt * T synaptic events; a dense
device computes every connection once per dense pass). Found by mutation testing (`make mutate`, energy
scope): each test below fails on mutants that every older test let through.
"""

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from snnlib import energy
from snnlib.energy import OpCounts, break_even_rate, count_macs, estimate, get_device

RUN_COUNTS = {"steps": 200, "duration_s": 0.2, "neurons": 6, "neuron_updates": 1200.0, "spikes": 30.0,
              "synapses": 40, "synaptic_events": 90.0, "plasticity_updates": 0.0}


# -- counts: formulas, defaults, labels ----------------------------------------------------------------------------

def test_dense_counts_are_one_pass_priced_on_spiking_devices_as_one_event_per_connection():
    ops = OpCounts.dense([4, 3, 2])
    assert (ops.label, ops.timesteps, ops.dt, ops.dense_passes, ops.duration) == ("ANN", 1, 0.0, 1, 0.0)
    assert (ops.synaptic_events, ops.neuron_updates) == (18, 5)
    row = estimate(ops, "loihi")["loihi"]
    assert (row.synops, row.neuron_updates) == (18, 5)
    assert OpCounts.dense([4, 3, 2], label="my net").label == "my net"


def test_spiking_counts_formula_defaults_and_label():
    ops = OpCounts.spiking([784, 128, 10], [20.0, 5.0], timesteps=50)
    assert ops.dt == 1e-3 and ops.label == "SNN" and ops.dense_passes == 1
    # spikes of the presynaptic layers: neurons x rate x dt x T
    assert ops.spikes == pytest.approx((784 * 20.0 + 128 * 5.0) * 1e-3 * 50, rel=1e-12)
    assert OpCounts.spiking([4, 3], 1.0, 10, label="mine").label == "mine"


def test_at_rate_recounts_events_and_updates_and_keeps_the_label():
    ops = OpCounts(connections=50, neurons=5, synaptic_events=7.0, neuron_updates=123.0, spikes=9.0,
                   timesteps=40, dt=2e-3, label="run")
    again = ops.at_rate(7.5)
    assert again.synaptic_events == pytest.approx(50 * 7.5 * 2e-3 * 40)
    assert again.neuron_updates == 5 * 40 and again.spikes == 0.0 and again.label == "run"
    assert ops.at_rate(7.5, label="at 7.5 Hz").label == "at 7.5 Hz"


def test_per_inference_divides_spikes_and_plasticity_too():
    ops = OpCounts(connections=10, neurons=2, synaptic_events=90, neuron_updates=600, spikes=9,
                   plasticity_updates=12, timesteps=300, dt=1e-3, dense_passes=3)
    one = ops.per_inference(3)
    assert (one.spikes, one.plasticity_updates) == (3, 4)


def test_from_counts_defaults_labels_and_split():
    ops = OpCounts.from_counts(RUN_COUNTS)
    assert ops.label == "SNN run" and ops.dense_passes == 1 and ops.spikes == 30.0
    assert OpCounts.from_counts(RUN_COUNTS, label="x").label == "x"
    two = OpCounts.from_counts(RUN_COUNTS, n_inferences=2)
    assert (two.timesteps, two.synaptic_events, two.neuron_updates, two.spikes) == (100, 45.0, 600.0, 15.0)
    assert two.dt == pytest.approx(1e-3)


def test_from_run_reads_sim_counts_and_passes_the_label():
    sim = SimpleNamespace(counts=RUN_COUNTS)
    assert OpCounts.from_run(sim).label == "SNN run"
    assert OpCounts.from_run(sim, label="mine").label == "mine"
    assert OpCounts.from_run(sim, 2).timesteps == 100


def _conversion_result(neurons, plasticity=0.0):
    """A stand-in ConversionResult of a [8, 4, 2, 3] network over `neurons // 6` images, 50 steps of 1 ms."""
    return SimpleNamespace(counts={"neurons": neurons, "steps": 50, "duration_s": 0.05,
                                   "plasticity_updates": plasticity},
                           synaptic_events_per_inference=70.0, input_macs_per_inference=32,
                           spikes_per_inference=11.0)


def test_from_conversion_counts_per_image():
    ops = OpCounts.from_conversion(_conversion_result(neurons=6 * 4, plasticity=80.0), [8, 4, 2, 3])
    assert ops.label == "converted SNN" and ops.dense_passes == 1
    assert (ops.neurons, ops.neuron_updates, ops.analog_synops, ops.connections) == (6, 300, 32, 32 + 8 + 6)
    assert (ops.synaptic_events, ops.spikes, ops.plasticity_updates) == (70.0, 11.0, 80.0 / 4)
    assert OpCounts.from_conversion(_conversion_result(6), [8, 4, 2, 3], label="x").label == "x"
    # one hidden neuron is a network too
    one = OpCounts.from_conversion(SimpleNamespace(**{**vars(_conversion_result(3)), "input_macs_per_inference": 8}),
                                   [8, 1, 3])
    assert one.neurons == 1


# -- pricing --------------------------------------------------------------------------------------------------------

def test_a_run_without_learning_is_feasible_everywhere_and_costs_no_plasticity():
    report = estimate(OpCounts.spiking([4, 3], 5.0, 10))
    assert report.counts.label == "SNN"
    for row in report.rows.values():
        assert row.feasible and row.note == "" and row.plasticity_energy == 0.0


def test_fractional_plasticity_per_inference_is_priced():
    ops = OpCounts(connections=10, neurons=2, plasticity_updates=0.5, timesteps=10, dt=1e-3)
    assert estimate(ops, "loihi")["loihi"].plasticity_energy == pytest.approx(0.5 * 120e-12)


def test_estimate_keeps_the_counts_it_priced():
    ops = OpCounts.spiking([4, 3], 5.0, 10)
    assert estimate(ops, "loihi").counts is ops


def test_estimate_does_not_price_a_conversion_result_as_a_plain_run():
    """A ConversionResult has counts but no run(): its analog first layer needs OpCounts.from_conversion."""
    with pytest.raises(TypeError, match="^counts must be an OpCounts, sim.counts, a finished Simulator or a list of"):
        estimate(SimpleNamespace(counts=RUN_COUNTS))


@pytest.mark.parametrize("unit, scale", [("J", 1.0), ("mJ", 1e-3), ("uJ", 1e-6), ("nJ", 1e-9), ("pJ", 1e-12)])
def test_report_table_shows_each_total_in_the_unit_asked_for(unit, scale):
    report = estimate(OpCounts.spiking([64, 32, 10], 20.0, 100))
    lines = report.table(unit=unit).splitlines()
    assert lines[0].split() == ["device", "kind", "synops", "neuron", "upd", "energy", f"({unit})"]
    for line in lines[1:]:
        name = line.split()[0]
        assert float(line.split()[4]) == pytest.approx(report[name].total / scale, rel=5e-3), name


# -- break-even -----------------------------------------------------------------------------------------------------

def test_break_even_with_a_single_spiking_connection():
    ops = OpCounts.spiking([1, 1], 5.0, 10)
    r = break_even_rate(ops)
    assert estimate(ops.at_rate(r), "loihi")["loihi"].total == pytest.approx(estimate(ops, "cpu")["cpu"].total)


def test_break_even_refuses_a_device_whose_spikes_cost_nothing(scratch_device):
    scratch_device("free-spikes", 0.0, 1e-12, True)
    with pytest.raises(ValueError, match="free-spikes has zero energy per synaptic op, so no break-even rate"):
        break_even_rate(OpCounts.spiking([4, 3], 1.0, 10), "free-spikes", "cpu")


# -- bad input: the message names the parameter, the unit and what is allowed -------------------------------------

def _spiking(**kw):
    return OpCounts.spiking(**{"layer_sizes": [4, 3], "rates": 1.0, "timesteps": 10, **kw})


@pytest.mark.parametrize("call, err, match", [
    (lambda: count_macs([4, "3"]), TypeError, r"layer_sizes\[1\] must be an integer"),
    (lambda: OpCounts(connections=1.5, neurons=1), TypeError, "connections must be an integer"),
    (lambda: OpCounts(connections=1, neurons=-1), ValueError, "neurons must be >= 0"),
    (lambda: OpCounts(connections=1, neurons=1, spikes="3"), TypeError, "spikes must be a number, got '3'"),
    (lambda: OpCounts(connections=1, neurons=1, dt=-1e-3), ValueError, "dt must be >= 0"),
    (lambda: OpCounts(connections=10, neurons=1, analog_synops=11), ValueError,
     r"analog_synops \(11\) cannot exceed connections \(10\)"),
    (lambda: OpCounts(connections=1, neurons=1, timesteps=10).per_inference(0), ValueError,
     "n_inferences must be >= 1"),
    (lambda: OpCounts(connections=1, neurons=1, timesteps=10, dense_passes=1).per_inference(3), ValueError,
     "not a multiple of n_inferences .3.: every presentation must be equally long"),
    (lambda: _spiking().at_rate(-1.0), ValueError, "rate must be >= 0 Hz"),
    (lambda: OpCounts.dense([4, 3]).at_rate(1.0), ValueError,
     r"^at_rate needs counts of a spiking run \(dt > 0\), not of a dense ANN pass$"),
    (lambda: _spiking(layer_sizes=[4, 3], analog_input=True), ValueError,
     "^analog_input needs a hidden layer: the input layer itself is then not spiking$"),
    (lambda: _spiking(rates=[1.0, "x"]), TypeError, "^rates must be a number or an array of numbers"),
    (lambda: estimate([4, "x"]), TypeError, r"^counts as a list of layer sizes: layer_sizes\[1\] must be an integer"),
    (lambda: estimate([4]), ValueError, "^counts as a list of layer sizes: layer_sizes needs at least an input"),
    (lambda: estimate(3), TypeError, "^counts must be an OpCounts, sim.counts, .* got 3$"),
    (lambda: estimate([4, 3], devices=5), TypeError,
     r"^devices must be None \(all\), a device name or profile, or a list of them, got 5$"),
    (lambda: estimate([4, 3], ["abacus"]), ValueError, "^devices: unknown device 'abacus'"),
    (lambda: energy.device_table(3), TypeError, "^devices must be None .all. or a list of device names, got 3$"),
    (lambda: energy.device_table(["cpu", "abacus"]), ValueError, "^devices: unknown device 'abacus'"),
    (lambda: break_even_rate(_spiking(), "abacus"), ValueError, "^spiking_device: unknown device 'abacus'"),
    (lambda: break_even_rate(_spiking(), "loihi", "abacus"), ValueError, "^dense_device: unknown device 'abacus'"),
    (lambda: get_device(3), TypeError, "^device must be a device name .str. or a DeviceProfile, got 3$"),
    (lambda: get_device("abacus"), ValueError, r"^device: unknown device 'abacus'; known devices: cpu, gpu, arm, tpu, loihi, "
                                               r".*\(add your own with snnlib.energy.register_device\)$"),
    (lambda: _spiking(timesteps=0), ValueError, "timesteps must be >= 1"),
    (lambda: _spiking(dt=0.0), ValueError, "dt must be > 0"),
    (lambda: OpCounts.from_counts([1, 2]), TypeError, "counts must be the mapping sim.counts, got list"),
    (lambda: OpCounts.from_counts({"steps": 1}), ValueError,
     "^counts lacks duration_s, neurons, neuron_updates, spikes, synapses, synaptic_events, plasticity_updates; "),
    (lambda: OpCounts.from_counts(RUN_COUNTS, n_inferences=0), ValueError, "n_inferences must be >= 1"),
    (lambda: OpCounts.from_counts({**RUN_COUNTS, "steps": 0}), ValueError,
     r"^the simulation has not run yet \(0 steps\): call sim.run\(T\) first$"),
    (lambda: OpCounts.from_run(3), TypeError, "sim must be a snnlib Simulator that has run, got int"),
    (lambda: OpCounts.from_conversion(SimpleNamespace(counts={}), [8, 4, 3]), TypeError,
     "result must be a ConversionResult .* lacking 'synaptic_events_per_inference'"),
    (lambda: OpCounts.from_conversion(_conversion_result(6), [8, 3]), ValueError, "do not match the run"),
    (lambda: OpCounts.from_conversion(_conversion_result(6), [9, 4, 2, 3]), ValueError,
     r"do not match the run's input layer \(32 connections\)"),
    (lambda: estimate([4, 3]).table(unit="kWh"), ValueError, "^unit must be one of J, mJ, uJ, nJ, pJ, got 'kWh'$"),
    (lambda: estimate([4, 3]).table(unit=["J"]), TypeError,
     r"^unit must be one of J, mJ, uJ, nJ, pJ \(a string\), got \['J'\] of type list$"),
    (lambda: break_even_rate([4, 3]), TypeError,
     r"^counts must be an OpCounts of the spiking network \(e.g. OpCounts.from_run\(sim\) or .*got list$"),
    (lambda: break_even_rate(_spiking(), "cpu", "gpu"), ValueError, "^spiking_device must be event-driven; cpu is dense$"),
    (lambda: break_even_rate(OpCounts.dense([4, 3])), ValueError,
     r"^counts need spiking connections > 0 and a timestep dt > 0 \(a spiking run\), got spiking connections=12"),
])
def test_bad_input_is_refused_with_a_message_naming_it(call, err, match):
    with pytest.raises(err, match=match):
        call()


def test_counts_accept_numpy_integers_and_all_analog_connections():
    ops = OpCounts(connections=np.int64(10), neurons=np.int32(2), analog_synops=10, timesteps=5, dt=1e-3)
    assert type(ops.connections) is int and ops.connections == 10 and ops.spiking_connections == 0
    assert ops.mean_rate == 0.0
    assert replace(ops, analog_synops=0).spiking_connections == 10
