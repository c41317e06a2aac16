"""Operations per neuron update (snnlib.energy.model_ops): counted by running each model's own step function."""

import math

import pytest

import snnlib as snn
from snnlib.energy.model_ops import FLOPS_PER_TRANSCENDENTAL, count_update_ops
from snnlib.model.plugin import NeuronModel


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


def test_adaptive_lif_counts_every_operation_of_lif_step_it_calls():
    """adaptive_lif_step calls lif_step (a helper: its arithmetic and its expm1 are counted too) with J - n,
    then n * n_decay: below threshold exactly lif_step's (5, 1, 1, 4, 1) plus one add and one multiply."""
    alif = count_update_ops(snn.AdaptiveLIF(), 0.5, steps=100)
    assert (alif.add, alif.mul, alif.div, alif.cmp, alif.special) == (6, 2, 1, 4, 1)
    assert (alif.model, alif.state) == ("AdaptiveLIF", 3)


@pytest.mark.parametrize("J", [1.5, 2.0, 4.0])
def test_the_counted_lif_fires_like_the_simulator_over_the_default_half_second(J):
    """The counted run is the model's own step from its initial state: over the default 5000 steps of 0.1 ms
    (0.5 s) it fires exactly as often as the simulator's LIF with the same drive, near the analytic rate
    1 / (tau_ref + tau_rc ln(J / (J - 1)))."""
    ops = count_update_ops(snn.LIF(), J)
    net = snn.Network(seed=0)
    pop = net.population(1, snn.LIF(), bias=J)
    sp = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=1e-4)
    sim.run(0.5)
    n = len(sim.data[sp].times)
    assert ops.rate * 0.5 == pytest.approx(n, abs=1e-9) and n > 0
    assert ops.rate == pytest.approx(1 / (0.002 + 0.02 * math.log(J / (J - 1))), abs=2 / 0.5)
    assert ops.model == "LIF"


def test_one_step_is_enough_and_dt_must_be_positive():
    ops = count_update_ops(snn.LIF(), 0.5, steps=1)
    assert (ops.add, ops.mul, ops.div, ops.cmp, ops.special) == (5, 1, 1, 4, 1)
    with pytest.raises(ValueError, match="dt must be > 0 s"):
        count_update_ops(snn.LIF(), 0.5, dt=0.0)


def test_energy_prices_several_transcendentals():
    from snnlib.energy.model_ops import OpsPerUpdate

    ops = OpsPerUpdate("x", 1, add=2, mul=3, div=1, cmp=4, special=2, rate=0.0)
    assert ops.energy_pj() == pytest.approx(0.9 * (2 + 4) + 3.7 * (3 + 1 + 2 * FLOPS_PER_TRANSCENDENTAL))
    assert ops.flops == 2 + 3 + 1 + 4 + 2 * FLOPS_PER_TRANSCENDENTAL


# A model written by a learner (the NeuronModel protocol's parts that count_update_ops reads: functions["step"],
# state, params, optional initial): its step reaches helpers in several ways, each counted once per call.
def _scaled(gain):
    def scale(x):                       # a closure: the counted copy keeps its cell
        return x * gain
    return scale


_triple = _scaled(3.0)


def _leak(x, k=0.5):                    # a default argument the counted copy keeps
    return x * k


def _halvings(x, n):                    # recursive: n multiplies
    return x if n == 0 else _halvings(x * 0.5, n - 1)


def _left(x):
    return _leak(x) + 1.0


def _right(x):
    return _leak(x) - 1.0               # _leak is reached through two helpers


def _toy_step(v, J, dt, zero, gain):
    v = _left(v) + _right(v) + _triple(J) + _halvings(gain, 2) + math.exp(zero) + zero
    return v, v == 10.0                 # fires exactly when the step starts from v = 4 with zero = 0


class _Toy(NeuronModel):
    params = ("gain",)
    state = ("v",)
    initial = {"v": 4.0}
    functions = {"step": _toy_step}
    gain = 8.0


def test_a_learners_step_function_is_counted_through_its_helpers():
    """One update: _left and _right (each a _leak multiply and one add), _triple (a multiply in a closure),
    _halvings (2 multiplies, recursively), exp (a transcendental), 5 adds in the step itself. The state starts
    from the model's `initial`, and `zero` is the constant 0.0."""
    ops = count_update_ops(_Toy(), 1.0, steps=1)
    assert (ops.add, ops.mul, ops.div, ops.cmp, ops.special) == (2 + 5, 2 + 1 + 2, 0, 0, 1)
    assert ops.model == "_Toy" and ops.state == 1
    # from v = 4: (2 + 1) + (2 - 1) + 3 + 2 + exp(0) + 0 = 10, a spike in the one step of 0.1 ms
    assert ops.rate == pytest.approx(1 / 1e-4)
    assert count_update_ops(_Toy(), 1.0, steps=2).rate == pytest.approx(1 / 2e-4)   # from 10 it does not fire


class _NoInitial(NeuronModel):         # a model that does not say its initial state: every variable starts at 0
    params = ("gain",)
    state = ("v",)
    functions = {"step": _toy_step}
    gain = 8.0


def test_a_model_without_initial_state_starts_from_zero():
    # from v = 0: (0 + 1) + (0 - 1) + 3 + 2 + exp(0) + 0 = 6, no spike (the toy fires only on reaching 10)
    ops = count_update_ops(_NoInitial(), 1.0, steps=1)
    assert ops.rate == 0 and (ops.add, ops.mul) == (7, 5)


def test_a_model_that_is_not_a_neuron_model_is_refused_by_name():
    with pytest.raises(TypeError, match=r"^model must be a neuron model such as snnlib.LIF\(\), got 'lif'$"):
        count_update_ops("lif", 1.0)


@pytest.mark.parametrize("kw, match", [(dict(steps=0), "^steps must be >= 1"), (dict(J="1"), "^J must be a real number")])
def test_bad_steps_and_drive_are_named_at_the_start_of_the_message(kw, match):
    with pytest.raises((ValueError, TypeError), match=match):
        count_update_ops(snn.LIF(), **{"J": 1.5, **kw})
