"""The device profiles after the scientific review (issue 11): the dense int8 accelerator (TPU v1), TrueNorth's
static + marginal split, and what each figure covers (scope, process node and year).

Numbers are checked against the published figures they are derived from (Jouppi et al. 2017; Merolla et al.
2014), not against the profile's own constants.
"""

import numpy as np
import pytest

from snnlib import energy
from snnlib.energy import OpCounts, break_even_rate, device_table, estimate, get_device

SCOPES = {"whole system", "chip", "core operation", "estimate"}


def test_every_builtin_profile_says_what_it_covers_and_where_it_comes_from():
    for name in ("cpu", "gpu", "arm", "tpu", "loihi", "truenorth", "spinnaker", "spinnaker2", "brain"):
        p = get_device(name)
        assert p.scope in SCOPES, name
        assert p.technology, name
    # the figures the review named: whole-system Kepler GPU, per-operation Loihi core energies
    assert get_device("gpu").scope == "whole system" and "2014" in get_device("gpu").technology
    assert get_device("loihi").scope == "core operation" and "14 nm" in get_device("loihi").technology


def test_tpu_profile_lies_in_the_range_measured_for_tpu_v1():
    # Jouppi et al. 2017: 92 TOPS (2 ops per MAC) at about 40 W busy -> 0.87 pJ/MAC at full use; a few pJ
    # at the utilisations of real inference workloads. The profile must sit inside 0.87 .. 10 pJ.
    peak = 40.0 / (92e12 / 2)
    tpu = get_device("tpu")
    assert tpu.energy_per_synop == pytest.approx(peak / 0.15, rel=0.05)
    assert peak <= tpu.energy_per_synop <= 10e-12 and not tpu.spiking
    assert energy.devices.TPU_PEAK_MAC == pytest.approx(peak)


def test_truenorth_reproduces_26_pJ_per_event_at_merollas_operating_point():
    # Operating point of Merolla et al. 2014: 20 Hz mean rate, 128 active synapses per neuron, 1 ms ticks.
    # One neuron for one second there: 1000 ticks and 20 x 128 synaptic events; total / events = 26 pJ.
    ops = OpCounts(connections=128, neurons=1, synaptic_events=20 * 128, neuron_updates=1000, timesteps=1000,
                   dt=1e-3)
    per_event = estimate(ops, ["truenorth"])["truenorth"].total / ops.synaptic_events
    assert per_event == pytest.approx(26e-12, rel=1e-9)
    # the whole chip (1,048,576 neurons) then draws the measured 63-72 mW
    watts = per_event * 20 * 128 * 1_048_576
    assert 0.063 <= watts <= 0.072


def test_truenorth_marginal_cost_is_bounded_by_its_best_efficiency_and_static_power_dominates():
    tn = get_device("truenorth")
    assert tn.energy_per_synop <= 1 / 400e9 + 1e-18          # 400 GSOPS/W includes static power: an upper bound
    static_share = tn.energy_per_neuron / (tn.energy_per_neuron + 2.56 * tn.energy_per_synop)
    assert static_share > 0.8                                 # "static power dominates" at the operating point


def test_truenorth_charges_every_neuron_every_tick_even_without_spikes():
    silent = OpCounts.spiking([10, 20], rates=0.0, timesteps=100, dt=1e-3)
    e = estimate(silent, ["truenorth"])["truenorth"]
    assert e.synop_energy == 0.0
    assert e.neuron_energy == pytest.approx(20 * 100 * get_device("truenorth").energy_per_neuron)
    assert e.total > 0


def test_dense_int8_beats_loihi_on_the_lessons_feedforward_network_by_one_to_two_orders():
    # the lesson's network at its measured rate (about 41 Hz, 100 steps of 1 ms): the review's point 1
    sizes = [64, 64, 32, 10]
    snn_ops = OpCounts.spiking(sizes, 41.0, timesteps=100, dt=1e-3, analog_input=True, linear_output=True)
    ann_ops = OpCounts.dense(sizes, linear_output=True)
    loihi = estimate(snn_ops, ["loihi"])["loihi"].total
    tpu = estimate(ann_ops, ["tpu"])["tpu"].total
    gpu = estimate(ann_ops, ["gpu"])["gpu"].total
    assert gpu > loihi                    # the old verdict: Loihi beats the 2014 GPU figure ...
    assert 10 <= loihi / tpu <= 100       # ... and loses to dense int8 hardware by one to two orders
    assert break_even_rate(snn_ops, "loihi", "tpu") <= 0


def test_device_table_lists_scope_and_technology():
    text = device_table(["gpu", "loihi"])
    lines = text.splitlines()
    assert len(lines) == 3 and "scope" in lines[0] and "technology" in lines[0]
    assert "whole system" in lines[1] and "28 nm, 2014" in lines[1]
    assert "core operation" in lines[2] and "27.1" in lines[2]


def test_profile_text_fields_must_be_strings():
    with pytest.raises(TypeError, match="scope"):
        energy.DeviceProfile("x", 1e-12, 1e-12, True, scope=3)


# -- a learner's own profile (register_device / DeviceProfile) and the printed device table ----------------------

def test_a_user_profile_is_looked_up_by_its_normalised_name_and_prices_its_own_plasticity(scratch_device):
    """A profile registered as ' My-Chip ' is found as 'my-chip' (names are stripped and lower-cased), keeps
    the figures, source, scope and technology it was given, and prices weight updates with its own figure."""
    p = scratch_device("  My-Chip ", 2e-12, 5e-12, True, 7e-12, source="our lab, 2026", scope="chip",
                       technology="7 nm, 2026")
    assert p.name == "my-chip" and get_device("MY-CHIP") is p
    assert (p.energy_per_synop, p.energy_per_neuron, p.energy_per_plasticity) == (2e-12, 5e-12, 7e-12)
    assert (p.source, p.scope, p.technology, p.on_chip_learning) == ("our lab, 2026", "chip", "7 nm, 2026", True)
    ops = OpCounts(connections=10, neurons=2, synaptic_events=30, neuron_updates=200, plasticity_updates=40,
                   timesteps=100, dt=1e-3)
    row = estimate(ops, ["my-chip"])["my-chip"]
    assert row.plasticity_energy == pytest.approx(40 * 7e-12) and row.feasible
    assert row.total == pytest.approx(30 * 2e-12 + 200 * 5e-12 + 40 * 7e-12)


def test_register_device_defaults_say_user_defined_and_allow_learning(scratch_device):
    p = scratch_device("plain", 1e-12, 1e-12, False)
    assert p.source == "user-defined" and p.on_chip_learning and p.energy_per_plasticity is None
    assert p.scope == "" and p.technology == ""
    ops = OpCounts(connections=10, neurons=2, plasticity_updates=5, timesteps=1, dt=0.0)
    row = estimate(ops, ["plain"])["plain"]       # learning is possible, but its cost has no figure
    assert row.feasible and row.plasticity_energy is None and "not priced" in row.note


@pytest.mark.parametrize("kw, match", [
    (dict(energy_per_synop=-1e-12), "energy_per_synop must be >= 0 J, got -1e-12"),
    (dict(energy_per_neuron=-1e-12), "energy_per_neuron must be >= 0 J, got -1e-12"),
    (dict(energy_per_plasticity=-1e-12), "energy_per_plasticity must be >= 0 J, got -1e-12"),
    (dict(energy_per_plasticity="1 pJ"), "energy_per_plasticity must be a real number"),
])
def test_negative_or_textual_energies_are_refused_naming_field_and_unit(kw, match):
    args = {"name": "x", "energy_per_synop": 1e-12, "energy_per_neuron": 1e-12, "spiking": True, **kw}
    with pytest.raises((ValueError, TypeError), match=match):
        energy.DeviceProfile(**args)


def test_a_profile_stores_its_plasticity_energy_as_a_float():
    p = energy.DeviceProfile("x", 1e-12, 1e-12, True, np.float32(0.5))
    assert type(p.energy_per_plasticity) is float and p.energy_per_plasticity == 0.5


def test_on_chip_learning_must_be_a_bool_and_the_message_says_so():
    with pytest.raises(TypeError, match="on_chip_learning must be True or False, got 'no'"):
        energy.DeviceProfile("x", 1e-12, 1e-12, True, on_chip_learning="no")


def test_device_table_shows_every_profile_in_picojoules(scratch_device):
    """device_table() (no argument: every device, built-in first) prints each profile's figures in pJ to three
    significant digits, and '-' where a profile does not say its scope or technology."""
    scratch_device("bare", 3.21e-12, 4.5e-9, True)
    lines = device_table().splitlines()
    assert lines[0].split() == ["device", "kind", "pJ/synop", "pJ/neuron", "scope", "technology"]
    assert [ln.split()[0] for ln in lines[1:]] == energy.device_names()
    for line in lines[1:]:
        name, kind, synop, neuron = line.split()[:4]
        p = get_device(name)
        assert kind == p.kind
        assert float(synop) == pytest.approx(p.energy_per_synop * 1e12, rel=5e-3)
        assert float(neuron) == pytest.approx(p.energy_per_neuron * 1e12, rel=5e-3)
    assert lines[-1].split() == ["bare", "spiking", "3.21", "4.5e+03", "-", "-"]
