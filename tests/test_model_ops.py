"""Operations per neuron update (snnlib.energy.model_ops): counted by running each model's own step function."""

import math

import pytest

import snnlib as snn
from snnlib.energy.model_ops import FLOPS_PER_TRANSCENDENTAL, count_update_ops


def test_lif_below_threshold_counts_exactly_the_lines_of_lif_step():
    """J = 0.5 never fires: each update runs lif_step's common path, counted by hand from its source:
    active = dt - ref (1 add), 2 comparisons, ref - dt (1 add), 1 comparison, v_rest + J (1 add),
    v - (v_inf - v) * expm1(-active / tau_rc) (2 adds, 1 multiply, 1 division, 1 expm1), v > v_th (1 comparison)."""
    ops = count_update_ops(snn.LIF(), 0.5, steps=100)
    assert (ops.add, ops.mul, ops.div, ops.cmp, ops.special) == (5, 1, 1, 4, 1)
    assert ops.state == 2 and ops.rate == 0
    assert ops.flops == 5 + 1 + 1 + 4 + FLOPS_PER_TRANSCENDENTAL


def test_izhikevich_counts_the_papers_equations_and_rate_matches_the_simulator():
    """Izhikevich (2003)'s update as written: two half steps of v (each 0.04 v^2 + 5 v + 140 - u + J and the
    step) and one of u; no transcendental. The counted run fires like the compiled kernel."""
    model = snn.Izhikevich(preset="RS")
    ops = count_update_ops(model, 10.0, dt=1e-4, steps=10000)     # 1 s
    assert ops.special == 0 and ops.div == 0
    net = snn.Network(seed=0)
    pop = net.population(1, model, bias=10.0)
    sp = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=1e-4)
    sim.run(1.0)
    assert ops.rate == pytest.approx(len(sim.data[sp].times), abs=1)


def test_adaptation_adds_its_own_update_to_the_lif():
    """The adaptive LIF is the LIF plus n * n_decay and a jump at spikes: one multiply per update more,
    one add per spike more, one subtraction (J - n) more."""
    lif = count_update_ops(snn.LIF(), 0.5, steps=100)
    alif = count_update_ops(snn.AdaptiveLIF(), 0.5, steps=100)
    assert alif.mul - lif.mul == 1 and alif.add - lif.add == 1 and alif.state == lif.state + 1


def test_energy_prices_each_kind():
    ops = count_update_ops(snn.LIF(), 0.5, steps=10)
    assert ops.energy_pj() == pytest.approx(0.9 * (5 + 4) + 3.7 * (1 + 1 + FLOPS_PER_TRANSCENDENTAL))
    assert math.isfinite(count_update_ops(snn.TwoCompartmentLIF(), 1.2, steps=50).energy_pj())


@pytest.mark.parametrize("kw, name", [(dict(steps=0), "steps"), (dict(dt=-1.0), "dt")])
def test_bad_arguments_are_named(kw, name):
    with pytest.raises(ValueError, match=name):
        count_update_ops(snn.LIF(), 1.5, **kw)
