"""Energy plots draw the numbers the estimate computes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from snnlib.energy import OpCounts, break_even_rate, estimate  # noqa: E402
from snnlib.plots.energy import energy_bars, energy_vs_rate  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_energy_bars_lengths_are_the_totals():
    ann = estimate([64, 32, 10], ["cpu", "gpu"])
    snn_ops = OpCounts.spiking([64, 32, 10], 15.0, timesteps=100, dt=1e-3)
    snn = estimate(snn_ops, ["loihi", "truenorth"])
    ax = energy_bars({"ANN": ann, "SNN": snn})
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == pytest.approx(sorted(list(ann.totals().values()) + list(snn.totals().values())))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["cpu", "gpu", "loihi", "truenorth"]
    assert ax.get_xscale() == "log" and "J" in ax.get_xlabel()


def test_energy_bars_marks_impossible_learning():
    ops = OpCounts(connections=10, neurons=2, synaptic_events=5, neuron_updates=20, plasticity_updates=9,
                   timesteps=10, dt=1e-3)
    ax = energy_bars({"STDP run": estimate(ops, ["loihi", "truenorth"])})
    assert len(ax.patches) == 1  # truenorth gets a note, not a bar
    assert any("no on-chip learning" in t.get_text() for t in ax.texts)


def test_energy_vs_rate_lines_and_break_even_dots():
    ops = OpCounts.spiking([64, 64, 10], 20.0, timesteps=100, dt=1e-3)
    rates = np.logspace(0, 3, 7)
    ax = energy_vs_rate(ops, rates=rates, devices=("gpu", "loihi"), reference="gpu", marker_rate=20.0)
    lines = {line.get_label(): line for line in ax.get_lines()}
    loihi = lines["loihi (spiking)"].get_ydata()
    expected = [estimate(ops.at_rate(r), "loihi")["loihi"].total for r in rates]
    assert loihi == pytest.approx(expected)
    assert np.ptp(lines["gpu (dense)"].get_ydata()) == 0  # dense: flat
    dot = lines["break-even with gpu"]
    assert dot.get_xdata()[0] == pytest.approx(break_even_rate(ops, "loihi", "gpu"))
    assert dot.get_ydata()[0] == pytest.approx(estimate(ops, "gpu")["gpu"].total)


def test_plot_input_errors():
    with pytest.raises(TypeError, match="EnergyReport"):
        energy_bars({"x": 1.0})
    with pytest.raises(TypeError, match="non-empty dict"):
        energy_bars([])
    ops = OpCounts.spiking([4, 2], 5.0, timesteps=10)
    with pytest.raises(ValueError, match="rates"):
        energy_vs_rate(ops, rates=[0.0, 1.0])
    with pytest.raises(ValueError, match="dense ANN"):
        energy_vs_rate(OpCounts.dense([4, 2]))


def test_log_tick_labels_are_powers_of_ten():
    from snnlib.plots.energy import _power_of_ten

    assert _power_of_ten(1e-6) == "10\u207b\u2076"
    assert _power_of_ten(100.0) == "10\u00b2"
    assert _power_of_ten(1.0) == "10\u2070"
    assert _power_of_ten(3e-6) == "" and _power_of_ten(0.0) == ""
