"""Energy accounting: device table arithmetic, MAC counts, keras-spiking convention, break-even rate."""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from snnlib import energy
from snnlib.energy import OpCounts, count_macs, estimate, break_even_rate, get_device

# The science reference's table (J): energy per synaptic op, per neuron update, event-driven?
SCIENCE_TABLE = {
    "cpu": (8.6e-9, 8.6e-9, False),
    "gpu": (0.3e-9, 0.3e-9, False),
    "arm": (0.9e-9, 0.9e-9, False),
    "loihi": (27.1e-12, 81e-12, True),
    "spinnaker": (13.3e-9, 26e-9, True),
    "spinnaker2": (450e-12, 2.19e-9, True),
}


def test_profiles_match_the_science_table():
    for name, (syn, neu, spiking) in SCIENCE_TABLE.items():
        p = get_device(name)
        assert (p.energy_per_synop, p.energy_per_neuron, p.spiking) == (syn, neu, spiking), name
        assert p.source
    tn = get_device("truenorth")
    assert tn.spiking and not tn.on_chip_learning   # its static + marginal split: tests/test_energy_profiles.py
    assert get_device("loihi").energy_per_plasticity == 120e-12  # Davies et al. 2018
    # brain: 20 W spread over 1e14 synapses firing at 0.16 Hz, inside the science file's 20 fJ..1.25 pJ range
    brain = get_device("brain")
    assert brain.energy_per_synop == pytest.approx(1.25e-12)
    assert 20 / (1e15 * 1.0) <= brain.energy_per_synop <= 20 / (1e14 * 0.16)
    assert set(energy.device_names()) >= {"cpu", "gpu", "arm", "tpu", "loihi", "truenorth", "spinnaker",
                                          "spinnaker2", "brain"}


def test_count_macs_hand_counted():
    assert count_macs([2, 3]) == 6
    assert count_macs([64, 32, 10]) == 64 * 32 + 32 * 10 == 2368
    assert count_macs([784, 128]) == 100352
    ops = OpCounts.dense([4, 3, 2])
    assert (ops.connections, ops.neurons) == (12 + 6, 5)
    assert OpCounts.dense([4, 3, 2], linear_output=True).neurons == 3


def test_keras_spiking_dense_example():
    # keras-spiking's ModelEnergy docstring: Dense(784 -> 128, relu) on cpu is 8.64e-4 J per inference,
    # and a user device (1e-10 J/synop, 2e-9 J/neuron) gives 1.03e-5 J.
    report = estimate([784, 128], devices=["cpu"])
    assert f"{report['cpu'].total:0.2e}" == "8.64e-04"
    assert report["cpu"].total == pytest.approx(8.6e-9 * (100352 + 128))


def test_user_device(scratch_device):
    scratch_device("my-cpu", 1e-10, 2e-9, spiking=False)
    assert f"{estimate([784, 128], devices=['my-cpu'])['my-cpu'].total:0.2e}" == "1.03e-05"
    with pytest.raises(ValueError, match="already exists"):
        energy.register_device("my-cpu", 1e-10, 2e-9, spiking=False)
    energy.register_device("my-cpu", 2e-10, 2e-9, spiking=False, overwrite=True)
    assert get_device("MY-CPU").energy_per_synop == 2e-10


def test_energies_equal_table_arithmetic_on_every_device():
    ops = OpCounts(connections=1000, neurons=50, synaptic_events=321.0, neuron_updates=50 * 200,
                   timesteps=200, dt=1e-3)
    report = estimate(ops)
    for name, row in report.rows.items():
        p = get_device(name)
        if p.spiking:
            expected = 321.0 * p.energy_per_synop + 50 * 200 * p.energy_per_neuron
        else:  # one dense pass: every connection once, every neuron once
            expected = 1000 * p.energy_per_synop + 50 * p.energy_per_neuron
        assert row.total == pytest.approx(expected, rel=1e-12), name


def test_keras_spiking_spiking_convention():
    # spiking devices: connections x input rate x dt per timestep, over all timesteps; neurons every step
    sizes, rates, steps, dt = [784, 128, 10], [20.0, 5.0], 50, 1e-3
    ops = OpCounts.spiking(sizes, rates, timesteps=steps, dt=dt)
    events = (784 * 128 * 20.0 + 128 * 10 * 5.0) * dt * steps
    assert ops.synaptic_events == pytest.approx(events)
    assert ops.neuron_updates == (128 + 10) * steps
    loihi = estimate(ops, devices="loihi")["loihi"]
    assert loihi.total == pytest.approx(27.1e-12 * events + 81e-12 * 138 * steps)
    # dense devices ignore rates and timesteps: the ANN's energy
    assert estimate(ops, "gpu")["gpu"].total == pytest.approx(estimate(sizes, "gpu")["gpu"].total)
    # a time-stepped simulation on dense hardware pays every connection every step
    stepped = OpCounts(**{**ops.__dict__, "dense_passes": steps})
    assert estimate(stepped, "cpu")["cpu"].total == pytest.approx(
        steps * 8.6e-9 * (count_macs(sizes) + 138))


def test_break_even_rate_is_the_root_of_the_energy_difference():
    sizes, steps, dt = [64, 32, 10], 100, 1e-3
    ann = estimate(sizes, "cpu")["cpu"].total

    def diff(rate):
        return estimate(OpCounts.spiking(sizes, rate, steps, dt), "loihi")["loihi"].total - ann

    numeric = brentq(diff, 0.0, 1e7)
    analytic = break_even_rate(OpCounts.spiking(sizes, 1.0, steps, dt), "loihi", "cpu")
    assert analytic == pytest.approx(numeric, rel=1e-9)
    # by hand: (8.6e-9 * (2368 + 42) - 81e-12 * 42 * 100) / (27.1e-12 * 2368 * 1e-3 * 100)
    by_hand = (8.6e-9 * 2410 - 81e-12 * 4200) / (27.1e-12 * 2368 * 0.1)
    assert analytic == pytest.approx(by_hand, rel=1e-12)
    # the break-even does not depend on the rate the counts were taken at
    assert break_even_rate(OpCounts.spiking(sizes, 37.0, steps, dt)) == pytest.approx(analytic)


def test_break_even_rate_counts_every_dense_pass():
    """A dense device that simulates T timesteps pays every connection T times (issue 21: a
    break_even_rate ignoring dense_passes survived every test, which all used one pass)."""
    from dataclasses import replace

    sizes, steps, dt = [64, 32, 10], 100, 1e-3
    one = OpCounts.spiking(sizes, 1.0, steps, dt)
    for passes in (2, 5, steps):
        ops = replace(one, dense_passes=passes)
        r_star = break_even_rate(ops, "loihi", "cpu")
        dense_j = estimate(ops, "cpu")["cpu"].total
        assert dense_j == pytest.approx(passes * estimate(one, "cpu")["cpu"].total)
        assert estimate(ops.at_rate(r_star), "loihi")["loihi"].total == pytest.approx(dense_j, rel=1e-9)
        # by hand: (passes * 8.6e-9 * 2410 - 81e-12 * 4200) / (27.1e-12 * 2368 * 0.1)
        assert r_star == pytest.approx((passes * 8.6e-9 * 2410 - 81e-12 * 4200) / (27.1e-12 * 2368 * 0.1), rel=1e-12)


def test_break_even_never_when_neuron_updates_dominate():
    # SpiNNaker: 26 nJ per neuron update every step costs more than a GPU's whole dense pass
    ops = OpCounts.spiking([64, 32, 10], 10.0, timesteps=100, dt=1e-3)
    assert break_even_rate(ops, "spinnaker", "gpu") < 0
    assert estimate(ops, "spinnaker")["spinnaker"].total > estimate(ops, "gpu")["gpu"].total


def test_learning_on_truenorth_is_reported_not_possible():
    ops = OpCounts(connections=100, neurons=10, synaptic_events=500, neuron_updates=1000,
                   plasticity_updates=700, timesteps=100, dt=1e-3)
    report = estimate(ops, ["loihi", "truenorth", "brain", "cpu"])
    assert report["loihi"].plasticity_energy == pytest.approx(700 * 120e-12)
    assert not report["truenorth"].feasible and report["truenorth"].plasticity_energy is None
    assert "no on-chip learning" in report["truenorth"].note
    assert report["brain"].feasible and report["brain"].plasticity_energy is None
    assert report["cpu"].plasticity_energy == pytest.approx(700 * 8.6e-9)
    assert "not possible" in report.table()


def test_per_inference_divides_a_multi_presentation_run():
    ops = OpCounts(connections=10, neurons=2, synaptic_events=90, neuron_updates=600, spikes=9,
                   timesteps=300, dt=1e-3, dense_passes=3)
    one = ops.per_inference(3)
    assert (one.synaptic_events, one.neuron_updates, one.timesteps, one.dense_passes) == (30, 200, 100, 1)
    assert one.mean_rate == pytest.approx(30 / (10 * 0.1))
    with pytest.raises(ValueError, match="multiple"):
        ops.per_inference(7)


@pytest.mark.parametrize("bad, err, msg", [
    (("cpu", -1.0, 1e-9, False), ValueError, "energy_per_synop"),
    (("cpu", float("nan"), 1e-9, False), ValueError, "finite"),
    (("cpu", "1pJ", 1e-9, False), TypeError, "energy_per_synop"),
    (("", 1e-9, 1e-9, False), TypeError, "name"),
    (("x", 1e-9, 1e-9, "yes"), TypeError, "spiking"),
])
def test_bad_profiles_are_refused(bad, err, msg):
    with pytest.raises(err, match=msg):
        energy.DeviceProfile(*bad)


def test_bad_inputs_give_clear_errors():
    with pytest.raises(ValueError, match="unknown device 'abacus'"):
        get_device("abacus")
    with pytest.raises(TypeError, match="layer_sizes"):
        count_macs(784)
    with pytest.raises(ValueError, match="at least an input and an output"):
        count_macs([10])
    with pytest.raises(ValueError, match=">= 1"):
        count_macs([10, 0])
    with pytest.raises(ValueError, match="one per spiking weight layer"):
        OpCounts.spiking([4, 3, 2], [1.0, 2.0, 3.0], timesteps=10)
    with pytest.raises(ValueError, match=">= 0 Hz"):
        OpCounts.spiking([4, 3], -1.0, timesteps=10)
    with pytest.raises(ValueError, match="finite"):
        OpCounts.spiking([4, 3], float("nan"), timesteps=10)
    with pytest.raises(ValueError, match="dense"):
        break_even_rate(OpCounts.spiking([4, 3], 1.0, 10), "loihi", "truenorth")
    with pytest.raises(ValueError, match="dt > 0"):
        break_even_rate(OpCounts.dense([4, 3]))
    with pytest.raises(ValueError, match="unit"):
        estimate([4, 3]).table(unit="kWh")


def test_table_lists_every_device_once():
    text = estimate([64, 32, 10]).table(unit="nJ")
    lines = text.splitlines()
    assert len(lines) == 1 + len(energy.DEVICES)
    cpu_line = next(line for line in lines if line.startswith("cpu"))
    assert math.isclose(float(cpu_line.split()[-1]), 8.6e-9 * 2410 / 1e-9, rel_tol=1e-2)
    assert np.isfinite(list(estimate([64, 32, 10]).totals().values())).all()


def test_at_rate_follows_the_rate_formula():
    ops = OpCounts.spiking([10, 5], 3.0, timesteps=40, dt=2e-3)
    again = ops.at_rate(7.5)
    assert again.synaptic_events == pytest.approx(50 * 7.5 * 2e-3 * 40)
    assert again.neuron_updates == 5 * 40 and again.mean_rate == pytest.approx(7.5)
    with pytest.raises(ValueError, match="dense ANN"):
        OpCounts.dense([10, 5]).at_rate(1.0)
    with pytest.raises(ValueError, match="rate"):
        ops.at_rate(-1.0)


def test_spiking_counts_with_an_analog_input_layer_and_linear_readout():
    ops = OpCounts.spiking([64, 32, 16, 10], [40.0, 20.0], timesteps=100, dt=1e-3, analog_input=True,
                           linear_output=True)
    assert ops.analog_synops == 64 * 32 and ops.connections == 64 * 32 + 32 * 16 + 16 * 10
    assert ops.synaptic_events == pytest.approx((32 * 16 * 40.0 + 16 * 10 * 20.0) * 0.1)
    assert ops.neurons == 48 and ops.neuron_updates == 4800
    # spiking device: analog layer once + events; the break-even solves the same balance
    loihi = estimate(ops, "loihi")["loihi"].total
    assert loihi == pytest.approx(27.1e-12 * (64 * 32 + ops.synaptic_events) + 81e-12 * 4800)
    r_star = break_even_rate(ops.at_rate(1.0), "loihi", "gpu")
    gpu = estimate(OpCounts.dense([64, 32, 16, 10], linear_output=True), "gpu")["gpu"].total
    assert estimate(ops.at_rate(r_star), "loihi")["loihi"].total == pytest.approx(gpu)
    assert ops.at_rate(5.0).mean_rate == pytest.approx(5.0)
    with pytest.raises(ValueError, match="hidden layer"):
        OpCounts.spiking([4, 2], 1.0, 10, analog_input=True)


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 300), min_size=3, max_size=5), steps=st.integers(1, 1000),
       dt=st.sampled_from([1e-4, 5e-4, 1e-3, 2e-3]), analog=st.booleans(),
       spiking=st.sampled_from(["loihi", "truenorth", "spinnaker", "spinnaker2", "brain"]),
       dense=st.sampled_from(["cpu", "gpu", "arm"]), passes=st.integers(1, 10))
def test_break_even_balances_the_two_devices_for_any_network(sizes, steps, dt, analog, spiking, dense, passes):
    from dataclasses import replace

    ops = replace(OpCounts.spiking(sizes, 1.0, timesteps=steps, dt=dt, analog_input=analog, linear_output=True),
                  dense_passes=passes)
    r_star = break_even_rate(ops, spiking, dense)
    dense_j = estimate(ops, dense)[dense].total
    if r_star > 0:
        assert estimate(ops.at_rate(r_star), spiking)[spiking].total == pytest.approx(dense_j, rel=1e-9)
    else:  # never cheaper: even a silent network costs more on the spiking device
        assert estimate(ops.at_rate(0.0), spiking)[spiking].total >= dense_j * (1 - 1e-12)
