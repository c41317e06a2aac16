"""The plug-in protocol: models added from a file outside snnlib (tests/toy_models.py) run in the generated
kernel, agree with their closed forms, and mistakes in a model are reported plainly."""

import math

import numpy as np
import pytest

from nojit import run_without_jit
import snnlib as snn
from snnlib.model.plugin import NeuronModel, SynapseModel, register
from snnlib.sim.codegen import CodegenError
from snnlib.sim.groups import Layout
from snnlib.sim.builder import build
from snnlib.units import ms
from toy_models import ToyAlpha, ToyPIF


def test_toy_neuron_from_outside_snnlib_fires_at_the_exact_discrete_rate():
    """v grows by d = J dt / tau per step and fires when it exceeds 1: every floor(1/d) + 1 steps."""
    net = snn.Network(seed=0)
    pop = net.population(2, ToyPIF(tau=0.01), bias=[3.0, 2.5])       # d = 0.3 and 0.25
    sp = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=1e-3)
    sim.run(1.0)
    assert sim.data[sp].counts().tolist() == [250, 200]         # 4 and 5 steps per spike (1.0 is not > 1)


def test_toy_alpha_synapse_current_is_the_alpha_function():
    w, tau, dt = 0.7, 4 * ms, 0.1 * ms
    net = snn.Network(seed=0)
    kick = net.spike_times(1, [0.01])
    pop = net.population(1, ToyPIF(tau=1e3))           # integrates slowly: never fires
    net.connect(kick, pop, weights=w, synapse=ToyAlpha(tau))
    cp = net.probe(pop, "current")
    sim = snn.Simulator(net, dt=dt)
    sim.run(0.05)
    t = sim.trange(cp) - dt - 0.01                     # the spike arrives at the end of the step ending at 10 ms
    expected = np.where(t >= 0, w * np.maximum(t, 0) / tau * np.exp(-np.maximum(t, 0) / tau), 0.0)
    got = sim.data[cp][:, 0]
    assert got.max() == pytest.approx(w / math.e, rel=1e-3)      # peak w/e at t = tau
    assert np.allclose(got, expected, rtol=1e-9, atol=1e-12)


def mixed_plugins(t=0.2):
    """LIF and the toy neuron, exponential and toy alpha synapses, onto both kinds."""
    net = snn.Network(seed=4)
    a = net.population(20, snn.LIF(), bias=1.2, v_init=snn.Uniform(0, 1), label="a")
    b = net.population(15, ToyPIF(tau=20 * ms), bias=0.5, label="b")
    c = net.population(10, ToyPIF(tau=10 * ms, v_th=2.0), bias=0.8, label="c")
    src = net.poisson(10, rate=50.0)
    net.connect_random(src, a, p=0.5, weight=0.3, synapse=ToyAlpha(3 * ms))
    net.connect_random(a, b, p=0.3, weight=0.4, synapse=snn.ExpSynapse(5 * ms))
    net.connect_random(a, c, p=0.3, weight=0.4, synapse=snn.ExpSynapse(5 * ms))
    net.connect_random(b, a, p=0.3, weight=-0.2, synapse=ToyAlpha(6 * ms))
    probes = [net.probe(x, "spikes") for x in (a, b, c)] + [net.probe(b, "voltage"), net.probe(a, "current")]
    sim = snn.Simulator(net, dt=0.5 * ms, chunk_steps=77)
    sim.run(t)
    out = {p.label: ([sim.data[p].times.tolist(), sim.data[p].neurons.tolist()] if p.target == "spikes"
                     else sim.data[p].ravel().tolist()) for p in probes}
    out["groups"] = len(sim._layout.neuron_groups)
    return out


def test_toy_models_mixed_with_builtin_ones_same_with_and_without_jit():
    jitted = mixed_plugins()
    assert all(len(jitted[f"probe{k}"][0]) > 10 for k in range(3))
    assert jitted["groups"] == 2            # b and c (same kind, same receptors) merged into one pass
    assert run_without_jit("test_plugin_protocol", "mixed_plugins()") == jitted


def test_structure_key_ignores_sizes_parameters_and_weights():
    def layout(n, tau, w, bias):
        net = snn.Network(seed=1)
        a = net.population(n, snn.LIF(tau_rc=tau), bias=bias)
        net.connect_random(a, a, p=0.1, weight=w)
        return Layout(build(net, 1e-3), "float64")

    assert layout(10, 0.02, 0.1, 1.0).key == layout(500, 0.05, -0.3, np.linspace(0, 2, 500)).key
    assert layout(10, 0.02, 0.1, 1.0).key != Layout(build(_two_synapse_net(), 1e-3), "float64").key


def _two_synapse_net():
    net = snn.Network(seed=1)
    a = net.population(10)
    net.connect_random(a, a, p=0.1, weight=0.1, synapse=snn.ExpSynapse(5 * ms))
    net.connect_random(a, a, p=0.1, weight=0.1, synapse=snn.ExpSynapse(10 * ms))
    return net


def test_unregistered_model_is_refused_with_the_fix():
    class Unregistered(ToyPIF):
        kind = "toy_unregistered"

    with pytest.raises(TypeError, match="not registered.*@snnlib.register"):
        snn.Network().population(3, Unregistered())
    with pytest.raises(TypeError, match="neuron must be a neuron model such as snnlib.LIF()"):
        snn.Network().population(3, ToyAlpha())


def test_registration_checks_the_declaration():
    def step(v, J, dt):
        return v, False

    with pytest.raises(ValueError, match="required role 'step'"):
        register(type("NoStep", (NeuronModel,), {"kind": "toy_nostep", "state": ("v",), "functions": {}}))
    with pytest.raises(ValueError, match="must start with 'v'"):
        register(type("NoV", (NeuronModel,), {"kind": "toy_nov", "state": ("u",), "functions": {"step": step}}))
    with pytest.raises(ValueError, match="already registered"):
        register(type("Clash", (NeuronModel,), {"kind": "lif", "state": ("v",), "functions": {"step": step}}))
    with pytest.raises(ValueError, match="unknown role 'advance'"):
        register(type("Wrong", (NeuronModel,), {"kind": "toy_wrong", "state": ("v",),
                                                "functions": {"step": step, "advance": step}}))
    with pytest.raises(TypeError, match="plain Python function"):
        register(type("Lam", (SynapseModel,), {"kind": "toy_lam", "state": ("I",),
                                               "functions": {"advance": len, "current": len}}))


def test_unknown_argument_name_is_reported_by_name():
    def step(v, J, dt, tau_typo):
        return v, False

    bad = register(type("Typo", (NeuronModel,), {"kind": "toy_typo", "params": ("tau",), "state": ("v",),
                                                 "functions": {"step": step}, "tau": 0.01}))
    net = snn.Network(seed=0)
    net.population(2, bad())
    sim = snn.Simulator(net, dt=1e-3)
    with pytest.raises(CodegenError, match="argument 'tau_typo'.*'tau'"):
        sim.run(0.01)
