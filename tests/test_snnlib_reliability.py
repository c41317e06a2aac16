"""snnlib's side of issue 18: no silent NaN from finite inputs, no probe memory kept by a failed run, and a
clear error (naming the parameter and what was expected) for each input the issue found unclear.

The broad hypothesis sweep over every public constructor is tests/test_snnlib_fuzz.py; these are the
issue's cases, one test each, so that a regression names the case.
"""
import numpy as np
import pytest

import snnlib as snn
from snnlib.units import MiB


# ---- non-finite state -----------------------------------------------------------------------------------------
def _driven(weight=0.5, bias=0.0, neuron=None, synapse=None, label="cells"):
    net = snn.Network(seed=0)
    src = net.poisson(10, rate=200.0, label="drive")
    pop = net.population(3, neuron or snn.LIF(), bias=bias, label=label)
    net.connect(src, pop, weights=weight, synapse=synapse or snn.ExpSynapse(0.005), label="feed")
    return net, pop


def test_weights_near_the_float64_limit_stop_the_run_naming_population_time_and_cause():
    net, pop = _driven(weight=1e308)
    vp = net.probe(pop, "voltage")
    sim = snn.Simulator(net, dt=1e-3, chunk_steps=20)
    with pytest.raises(snn.NonFiniteError) as info:
        sim.run(0.2)
    msg = str(info.value)
    assert "population 'cells'" in msg and "NaN" in msg
    assert "between t = 0 s and t = 0.02 s" in msg          # the first chunk: two spikes of 1e308 overflow
    assert "incoming weights up to 1e+308" in msg and "'feed'" in msg
    assert isinstance(info.value, ValueError)
    assert sim.t == pytest.approx(0.02)                    # stopped at the chunk where it happened
    assert not np.all(np.isfinite(sim.data[vp]))           # the probe shows it too (recorded rows kept)


@pytest.mark.parametrize("make, where", [
    (lambda: _driven(bias=1e39)[0], "its bias plus constant inputs reach 1e+39"),
    (lambda: _driven(neuron=snn.LIF(v_th=1e39))[0], "LIF v_th = 1e+39"),
    (lambda: _driven(weight=1e38, synapse=snn.ExpSynapse(0.005, normalize="area"))[0], "connection 'feed'"),
])
def test_parameters_beyond_float32_are_refused_before_the_run(make, where):
    net = make()
    with pytest.raises(snn.NonFiniteError, match="beyond the range of float32") as info:
        snn.Simulator(net, dt=1e-3, precision="float32")
    assert where in str(info.value) and "precision='float64'" in str(info.value)
    snn.Simulator(net, dt=1e-3).run(0.01)                  # the same values are representable in float64


def test_float32_overflow_during_the_run_is_caught_with_its_cause():
    net, _ = _driven(bias=3.3e38, neuron=snn.LIF(v_th=3e38, v_reset=-3e38), weight=3e38)
    sim = snn.Simulator(net, dt=1e-3, precision="float32", chunk_steps=10)
    with pytest.raises(snn.NonFiniteError, match="population 'cells'.*float32") as info:
        sim.run(0.1)
    assert "close to the largest float32 number" in str(info.value)


def test_a_diverging_learning_rule_is_named_with_its_cause():
    """PES with a learning rate far too large for dt: the decoders oscillate and grow to NaN (no value near
    the float limit), so the cause named is the learning rate, not an overflow."""
    net = snn.Network(seed=0)
    pop = net.population(20, bias=np.linspace(1.2, 3, 20), label="ens")
    d = net.decoded(pop, np.zeros((20, 1)), tau=0.01, label="xhat")
    net.pes(d, net.error(d, lambda t: 1.0, label="err"), learning_rate=1e6)
    sim = snn.Simulator(net, dt=1e-3, chunk_steps=100)
    with pytest.raises(snn.NonFiniteError, match="decoded value 'xhat'.*became NaN between t = 0 s and t = 0.1 s"):
        sim.run(2.0)
    with pytest.raises(snn.NonFiniteError, match="learning rate too large for dt"):
        snn.Simulator(net, dt=1e-3).run(1.0)


def test_ordinary_runs_are_untouched_by_the_check():
    net, pop = _driven(weight=0.3, bias=0.8)
    sp = net.probe(pop, "spikes")
    a = snn.Simulator(net, dt=1e-4, chunk_steps=7)
    a.run(0.1)
    b = snn.Simulator(net, dt=1e-4)
    b.run(0.1)
    assert len(a.data[sp]) > 0 and np.array_equal(a.data[sp].times, b.data[sp].times)


@pytest.mark.parametrize("n", [50, 9000])
def test_a_nan_in_the_state_is_caught_in_small_and_large_arrays(n):
    """check_state tests small arrays with a dot product and large ones (beyond finite.DOT_MAX, where OpenBLAS
    would use threads) with min and max: a NaN in either stops the run."""
    from snnlib.sim import finite

    assert (n > finite.DOT_MAX) == (n == 9000)
    net = snn.Network(seed=0)
    pop = net.population(n, snn.LIF(), label="cells")
    sim = snn.Simulator(net, dt=1e-3)
    sim._state.ns[0][n // 2] = np.nan           # a voltage gone bad (NaN stays NaN through the update)
    with pytest.raises(snn.NonFiniteError, match="cells"):
        sim.run(0.01)
    assert pop.n == n


# ---- a failed run keeps no probe memory --------------------------------------------------------------------
def test_a_failed_run_releases_its_probe_memory():
    """Each failed run used to keep its reserved rows: 13 failures exhausted a 100 MiB budget (issue 18)."""
    state = {"fail": True}

    def drive(t):
        if state["fail"] and t > 0.05:
            raise RuntimeError("the learner's function failed")
        return 1.5

    net = snn.Network(seed=0)
    pop = net.population(200, label="p")
    net.input(pop, drive)
    vp = net.probe(pop, "voltage")
    sim = snn.Simulator(net, dt=1e-3, probe_memory_limit=100 * MiB, chunk_steps=20)
    one_run = 20_000 * 200 * 8                          # a 20 s run of 200 voltages: 30.5 MiB reserved
    for _ in range(20):
        with pytest.raises(RuntimeError, match="learner's function"):
            sim.run(20.0)
    kept = sum(a.nbytes for a in sim._pr_out)
    assert kept == len(sim.data[vp]) * 200 * 8 < one_run / 100   # only the rows recorded before the failure
    state["fail"] = False
    sim.run(20.0)                                       # the budget is whole again
    assert sim.data[vp].shape == (sim.step, 200) and np.all(np.isfinite(sim.data[vp]))


# ---- unclear errors, now clear ---------------------------------------------------------------------------------
def _pop_net(n=3):
    net = snn.Network(seed=0)
    return net, net.population(n, label="p")


def _run(net, t=0.01):
    snn.Simulator(net, dt=1e-3).run(t)


def test_length_mismatches_name_the_parameter_and_the_sizes():
    net, pop = _pop_net()
    with pytest.raises(ValueError, match=r"signal value has 2 values, but target 'p' has 3 neurons"):
        net.input(pop, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"signal after has 2 values, but target 'p' has 3 neurons"):
        net.input(pop, snn.Step(0.0, [1.0, 2.0]))
    with pytest.raises(ValueError, match=r"Step after has 2 values but before has 3"):
        snn.Step(0.0, [1.0, 2.0], before=[0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"drive must be one number \(simulate_lif simulates one neuron\), got 2"):
        snn.simulate_lif(drive=[1.5, 2.0])
    net.input(pop, [1.0, 2.0, 3.0])                     # one value per neuron still works
    net.input(pop, snn.Step(0.0, [1.0, 2.0, 3.0], before=0.0))
    _run(net)


@pytest.mark.parametrize("returned, said", [("fast", "the text 'fast'"), (None, "None"), (True, "the boolean True"),
                                            ([1.0, "x"], "containing 'x'")])
def test_a_rate_or_input_function_returning_a_non_number_is_named(returned, said):
    net, pop = _pop_net()
    net.poisson(3, rate=lambda t: returned, label="src")
    with pytest.raises(TypeError, match="the rate function of 'src' must return a number") as info:
        _run(net)
    assert said in str(info.value) and "t = 0 s" in str(info.value)
    net, pop = _pop_net()
    net.input(pop, lambda t: returned)
    with pytest.raises(TypeError, match=f"the input function of 'p' must return a number.*{said[:8]}"):
        _run(net)


@pytest.mark.parametrize("value, said", [(None, "got None"), ("1.5", "the text '1.5'"), (True, "the boolean True"),
                                         ([1.0, True, 2.0], "containing True"), (np.array([1, 0], bool), "booleans"),
                                         ([1.0, None, 2.0], "containing None"), (1 + 2j, "complex")])
def test_non_numbers_are_refused_not_converted(value, said):
    net, pop = _pop_net()
    for make, name in [(lambda v: net.population(3, bias=v), "bias"), (lambda v: snn.Constant(v), "value"),
                       (lambda v: net.connect(pop, pop, weights=v), "weights"), (lambda v: net.input(pop, 1.0, gain=v), "gain"),
                       (lambda v: snn.Step(0.1, v), "after"), (lambda v: net.poisson(3, rate=v), "rate")]:
        with pytest.raises(TypeError, match=f"^{name} must be a number or an array of numbers") as info:
            make(value)
        assert said in str(info.value)
    for make, name in [(lambda v: snn.LIF(tau_rc=v), "tau_rc"), (lambda v: net.connect_random(pop, pop, p=v, weight=0.1), "p")]:
        if not isinstance(value, (list, np.ndarray)):
            with pytest.raises(TypeError, match=f"^{name} must be a real number"):
                make(value)


def test_empty_probe_indices_say_so():
    net, pop = _pop_net()
    with pytest.raises(ValueError, match=r"indices is empty: name at least one neuron, or leave indices out"):
        net.probe(pop, "voltage", indices=[])
    with pytest.raises(ValueError, match="selects no neuron"):
        net.probe(pop, "voltage", indices=[False, False, False])
    with pytest.raises(TypeError, match=r"single number 2: write \[2\]"):
        net.probe(pop, "voltage", indices=2)
    assert list(net.probe(pop, "voltage", indices=[2, 0]).indices) == [0, 2]


def test_a_probe_added_after_building_gets_a_clear_key_error():
    net, pop = _pop_net()
    early = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=1e-3)
    late = net.probe(pop, "voltage")
    sim.run(0.01)
    assert len(sim.data[early]) == 0
    with pytest.raises(KeyError) as info:
        sim.data[late]
    assert isinstance(info.value, snn.UnknownProbeError)
    assert str(info.value).startswith(f"{late!r} was added to the network after this Simulator was built")
    other_net, other_pop = _pop_net()
    with pytest.raises(KeyError, match="belongs to another network"):
        sim.data[other_net.probe(other_pop)]
    with pytest.raises(KeyError, match="takes a probe made by net.probe"):
        sim.data["voltage"]


def test_nef_simulator_unknown_probe_is_the_same_readable_key_error():
    """snnlib.nef.Simulator: a probe added to the model after building, another model's probe, or something
    that is not a probe get snnlib's UnknownProbeError (a KeyError whose message says why), not a bare
    KeyError or one from deep inside the realised network; `data` keeps to the probes it recorded."""
    from snnlib import nef

    def model():
        m = nef.Network(seed=1)
        a = m.ensemble(10, label="a")
        b = m.ensemble(10, label="b")
        m.connect(m.node(0.5), a)
        m.connect(a, b)
        return m, a, b

    m, a, b = model()
    early = m.probe(a)
    sim = nef.Simulator(m)
    late = m.probe(b, "spikes")                 # b has no spike probe in the realised network
    sim.run(0.01)
    assert sim[early].shape == (10, 1) and list(sim.data) == [early]
    for lookup in (lambda p: sim[p], lambda p: sim.data[p] if p in sim.data else sim[p]):
        with pytest.raises(snn.UnknownProbeError) as info:
            lookup(late)
        assert isinstance(info.value, KeyError)
        assert str(info.value).startswith(f"{late!r} was added to the model after this Simulator was built")
    other, other_a, _ = model()
    with pytest.raises(snn.UnknownProbeError, match="belongs to another nef.Network"):
        sim[other.probe(other_a)]
    with pytest.raises(snn.UnknownProbeError, match=r"takes a probe made by model.probe\(\.\.\.\) \(snnlib.nef\), "
                                                   "got 'decoded' of type str"):
        sim["decoded"]


def test_simulator_of_a_non_network_is_a_type_error():
    with pytest.raises(TypeError, match="network must be a snnlib.Network, got 'x'"):
        snn.Simulator("x")


def test_probe_target_and_presets_of_the_wrong_type():
    net, pop = _pop_net()
    with pytest.raises(ValueError, match=r"unknown probe target \['voltage'\]"):
        net.probe(pop, ["voltage"])
    with pytest.raises(ValueError, match="preset must be one of"):
        snn.Izhikevich(preset=["RS"])
    with pytest.raises(ValueError, match="preset must be one of"):
        snn.AdEx(preset=["tonic"])


def test_huge_integers_and_strings_in_analysis_functions():
    from snnlib.analysis import spiketrains
    from snnlib.nef import lif_rates

    with pytest.raises(ValueError, match="tau_rc must be finite"):
        snn.LIF(tau_rc=10**400)
    with pytest.raises(TypeError, match="^times must be a number or an array of numbers, got .* containing '0.1' of type str"):
        spiketrains.firing_rate(["0.1", "0.2"], 1.0)
    with pytest.raises(TypeError, match="^duration must be a real number"):
        spiketrains.firing_rate([0.1, 0.2], "1")
    with pytest.raises(TypeError, match="^J must be a number"):
        lif_rates("2")
