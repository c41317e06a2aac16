"""The non-finite check after each chunk (snnlib/sim/finite.py, issue 18) covers every array the simulation
loop writes: modulators and what they modulate, drive, noise, presynaptic state, learning traces,
eligibility traces, plastic weights, PES and decoded values, besides neuron and synaptic state.

Three kinds of test: the generated kernel's own source says which arrays the loop writes, and each must be
among those checked; each kind of state is driven to inf/NaN by finite but huge inputs (a modulator, a
modulated gain, inputs, noise, eligibility, decoded inputs) and the error must name it; and each array is
poisoned with inf in a running simulation: the next chunk's error must name that array (or, for an array
the loop recomputes every step, the state must be finite again: never a silent NaN).
"""
import re

import numpy as np
import pytest

import snnlib as snn
from snnlib.noise import WhiteNoise
from snnlib.sim import codegen, finite


def kitchen_sink(seed=0):
    """A network with every kind of state the loop writes: noise, inputs, time and activity modulators
    acting on gain, bias and threshold, STDP, three-factor STDP, a presynaptic model, PES and a decoded input."""
    net = snn.Network(seed=seed)
    src = net.poisson(6, rate=100.0, label="src")
    e = net.population(8, bias=1.2, label="exc")
    i = net.population(4, snn.AdaptiveLIF(), bias=0.9, label="inh")
    net.noise(e, WhiteNoise(0.1))
    net.input(i, lambda t: 0.1 + 0.0 * np.sin(t))
    da = net.modulator(lambda t: 0.5 + 0.0 * t, tau=0.05, label="da")
    act = net.modulator(e, tau=0.05, label="act")
    net.modulate(e, "gain", da, 0.1)
    net.modulate(i, "bias", act, 0.001)
    net.modulate(i, "threshold", da, 0.01)
    net.connect(src, e, 0.3, plasticity=snn.STDP(), label="stdp")
    net.connect(src, i, 0.3, plasticity=snn.ThreeFactorSTDP(da), label="3f")
    net.connect(e, i, 0.2, presynaptic=snn.TsodyksMarkram(), label="tm")
    d = net.decoded(e, np.zeros((8, 1)), tau=0.01, label="xhat")
    err = net.error(d, lambda t: np.sin(t), label="err")
    net.pes(d, err, learning_rate=1e-4)
    net.decoded_input(i, d, np.ones((4, 1)))
    return net


def _written_arrays(sim):
    """Every float array the generated kernel of `sim` assigns into, found from the kernel's source: each
    written name is followed back through its alias lines (`x_ = st_ns_0[a:b]`, `st_ns_0 = st_ns[0]`,
    `st_ns = st.ns`, `L0 = rules[0]`) to an expression over the kernel's arguments, then evaluated."""
    source = codegen.generate(sim._layout)
    alias = {}
    for name, rhs in re.findall(r"^\s*(\w+) = ([\w.]+(?:\[[^\]]*\])?)\s*$", source, re.M):
        alias.setdefault(name, set()).add(rhs)
    written = set(re.findall(r"\b(\w+(?:\.\w+)?(?:\[[^\]=]*\])+) *[-+*/]?= ", source))
    args = {"st": sim._state, "rules": sim._rules, "pres": sim._pres, "sig": sim._sig, "mods": sim._mods,
            "groups": sim._groups}

    def resolve(expr, depth=0):
        expr = re.sub(r"\[[^\]]*[^\]\d][^\]]*\]", "", expr)     # an index by loop variables: the whole array
        head = re.match(r"(\w+)", expr).group(1)
        rest = expr[len(head):]
        if head in args:
            return [eval(head + rest, {}, args)]                 # noqa: S307 - our own generated source
        if head not in alias or depth > 10:
            return []
        return [x for rhs in alias[head] for x in resolve(rhs + rest, depth + 1)]

    out = {}
    for name in written:
        for arr in resolve(name):
            if isinstance(arr, np.ndarray) and arr.dtype.kind == "f":
                out[id(arr)] = (name, arr)
    return list(out.values())


def test_every_float_array_the_loop_writes_is_checked():
    sim = snn.Simulator(kitchen_sink(), dt=1e-3)
    sim.run(0.01)
    written = _written_arrays(sim)
    checked = [a for _, a, _ in finite._state_arrays(sim)]
    assert len(written) >= 20          # the resolver found the state (not only a few names)
    missing = [name for name, arr in written if not any(np.shares_memory(arr, c) for c in checked)]
    assert not missing, f"arrays the kernel writes but check_state never looks at: {missing}"


# ---- finite inputs that overflow, named by what went non-finite ---------------------------------------------
def _cells(net, n=3, **kw):
    return net.population(n, bias=kw.pop("bias", 0.5), label="cells", **kw)


def _activity_modulator():
    net = snn.Network(seed=0)
    src = net.poisson(5, rate=200.0, label="drive")
    net.modulator(src, tau=0.05, weights=np.full(5, 1e306), label="act")
    _cells(net)
    return net


def _modulated_gain():
    net = snn.Network(seed=0)
    pop = _cells(net)
    net.modulate(pop, "gain", net.modulator(1e200, label="da"), 1e200)
    return net


def _two_huge_inputs():
    net = snn.Network(seed=0)
    pop = _cells(net)
    net.input(pop, lambda t: 1e308 + 0.0 * t)
    net.input(pop, lambda t: 1e308 + 0.0 * t)
    return net


def _huge_noise():
    net = snn.Network(seed=0)
    net.noise(_cells(net), WhiteNoise(1e308))
    return net


def _eligibility():
    net = snn.Network(seed=0)
    src = net.poisson(10, rate=200.0, label="drive")
    pop = _cells(net, bias=1.5)
    rule = snn.ThreeFactorSTDP(net.modulator(0.0, label="da"), a_plus=1e308, a_minus=1e308)
    net.connect(src, pop, 0.5, plasticity=rule, label="plastic")
    return net


def _huge_decoded_input():
    net = snn.Network(seed=0)
    pre = net.population(5, bias=np.linspace(1.5, 3, 5), label="pre")
    d = net.decoded(pre, np.full((5, 1), 1e300), tau=0.01, label="xhat")
    net.decoded_input(_cells(net), d, np.full((3, 1), 1e300))
    return net


@pytest.mark.parametrize("make, head, cause", [
    (_activity_modulator, "modulator 'act': its value became inf", "its weights (up to 1e+306)"),
    (_modulated_gain, "population 'cells': its modulated gain became inf",
     "modulator 'da' acting on its gain with scale up to 1e+200"),
    (_two_huge_inputs, "population 'cells': its drive (bias, inputs and decoded inputs) became inf",
     "the values of its 2 input(s)"),
    (_huge_noise, "population 'cells': its noise", "its noise model WhiteNoise sigma = 1e+308"),
    (_eligibility, "connection 'plastic': its ThreeFactorSTDP eligibility trace c became",
     "largest parameter is a_plus = 1e+308"),
    (_huge_decoded_input, "population 'cells': its drive (bias, inputs and decoded inputs) became inf",
     "decoded input from 'xhat' with encoders up to 1e+300"),
], ids=["activity modulator", "modulated gain", "inputs", "noise", "eligibility", "decoded input"])
def test_overflow_is_named_where_it_happens(make, head, cause):
    sim = snn.Simulator(make(), dt=1e-3, chunk_steps=20)
    with pytest.raises(snn.NonFiniteError) as info:
        with np.errstate(over="ignore", invalid="ignore"):
            sim.run(0.2)
    msg = str(info.value)
    assert msg.startswith(head), msg
    assert cause in msg.split("Likely cause:")[1], msg
    assert sim.t <= 0.2 and "between t = " in msg


def test_a_modulator_function_returning_inf_is_named_with_the_time():
    net = snn.Network(seed=0)
    net.population(3, label="cells")
    net.modulator(lambda t: np.where(t > 0.01, np.inf, 0.0), label="da")
    with pytest.raises(ValueError, match=r"^modulator 'da': its source function returned a non-finite value "
                                         r"\(NaN or inf\) at t = 0.011 s$"):
        snn.Simulator(net, dt=1e-3).run(0.05)


def test_huge_weights_with_eligibility_stay_finite_or_stop():
    """Weights near the float64 limit, a rule whose w_max allows them and a modulator of 1e305 (each step changes
    a weight by about 1e303, above the spacing of floats near 1e300): the weights are clipped at w_max, so the run either goes on with every learning array finite or stops with a NonFiniteError;
    never a silent NaN in weights, eligibility or the neurons."""
    net = snn.Network(seed=0)
    src = net.poisson(10, rate=200.0, label="drive")
    pop = net.population(3, bias=1.5, label="cells")
    rule = snn.ThreeFactorSTDP(net.modulator(1e305, label="da"), a_plus=1.0, a_minus=1.0, w_max=1.7e308)
    conn = net.connect(src, pop, 1e300, plasticity=rule, label="plastic")
    sim = snn.Simulator(net, dt=1e-3, chunk_steps=20)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            sim.run(0.5)
    except snn.NonFiniteError as err:
        assert str(err).startswith(("connection 'plastic'", "population 'cells'")), str(err)
        return
    arrays = {what: arr for what, arr, _ in finite._state_arrays(sim)}
    assert all(np.all(np.isfinite(a)) for a in arrays.values())
    W = sim.weights(conn)
    assert np.any(W != 1e300) and np.all((W >= 0) & (W <= 1.7e308))      # the rule acted, within its bounds


def test_activity_modulator_weights_beyond_the_float_range_are_refused_before_the_run():
    net = snn.Network(seed=0)
    src = net.poisson(5, rate=200.0, label="drive")
    net.modulator(src, tau=0.05, weights=np.full(5, 1e308), label="act")
    with pytest.raises(snn.NonFiniteError, match=r"modulator 'act': weight 1e\+308 times its filter's \(1 - a\) / dt "
                                                 r"= 19.8 \(the jump of the modulator per spike\) is beyond the range "
                                                 "of float64"):
        snn.Simulator(net, dt=1e-3)


# ---- every checked array, poisoned in a running simulation ---------------------------------------------------
_SINK = kitchen_sink()


def _used_index(sim, what, where):
    """An element of a state array that the loop uses: for a rule's per-edge state, an edge of a connection
    with that rule (the array spans every edge); for a modulated parameter, a neuron it is linked to."""
    m = sim.model
    if where == "edge":
        rule = "ThreeFactorSTDP" if what.startswith("ThreeFactorSTDP") else None
        c = next(r["conn"] for r in m.rules if rule is None or type(r["rule"]).__name__ == rule)
        return int(np.flatnonzero(m.edge_conn == c)[0])
    if what.startswith("modulated"):
        link = next(q for q in sim._modl.links if q.parameter == what.split()[1])
        return int(m.pop_offset[id(link.pop)])
    return 0


@pytest.mark.parametrize("k", range(len(finite._state_arrays(snn.Simulator(_SINK, dt=1e-3)))))
def test_a_poisoned_state_array_is_named_or_recomputed(k):
    sim = snn.Simulator(_SINK, dt=1e-3, chunk_steps=5)
    sim.run(0.005)
    what, arr, where = finite._state_arrays(sim)[k]
    i = _used_index(sim, what, where)
    arr[i] = np.inf
    owner = finite._owner(sim, what, arr, i)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            sim.run(0.01)
    except snn.NonFiniteError as err:
        msg = str(err)
        # named first, or (a cycle within one step: decoders <-> decoded value) among the others listed
        assert msg.startswith(f"{owner} its {what} became") or f"{owner} {what} (inf)" in msg, (what, msg)
        return
    assert np.all(np.isfinite(arr)), f"{owner} {what}: inf stayed in the state and no error was raised"
    assert where == "neuron" or what.endswith("release scale"), f"{what} ({where}) is not recomputed each step"
