"""Fuzzing snnlib's public constructors and functions with hypothesis (issue 18).

Every public name of snnlib (`snnlib.__all__` and the public names of every module, `__all__` where a
module has one) is either fuzzed here (`SPECS`) or listed in `NOT_FUZZED` with the reason; a new public name
in neither fails `test_every_public_name_is_fuzzed_or_listed`. For each parameter of each spec, one bad value
at a time from every category below (the other arguments valid) must raise a ValueError or TypeError whose
message names the parameter: never an AttributeError, a numba typing error, an IndexError or a silent NaN.
Extreme but finite values of model parameters, bias and weights are simulated: the run either refuses them
with a clear ValueError (snnlib.NonFiniteError) or its state stays finite.

The number of cases tried per category is recorded in each test's user properties and printed at the end of
the run (root conftest.py: "fuzzing: cases tried").  Profile: `HYPOTHESIS_PROFILE=snnlib-thorough` for a
longer run; the default keeps the whole file to about 20 s on the 2-core machine (noisy).
"""
from __future__ import annotations

import importlib
import inspect
import math
import os
import pkgutil
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import snnlib as snn
from snnlib import energy, nef
from snnlib.analysis import spikecode, spiketrains
from snnlib.experiments import codes
from snnlib.experiments import stdp as stdp_exp
from snnlib.ml import softlif
from snnlib.noise import OUNoise, WhiteNoise

settings.register_profile("snnlib-fuzz", max_examples=12, deadline=None, database=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("snnlib-thorough", max_examples=200, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "snnlib-fuzz")
                               if os.environ.get("HYPOTHESIS_PROFILE", "").startswith("snnlib") else "snnlib-fuzz")

NAN, INF = math.nan, math.inf


class Hostile:
    """An object whose every conversion fails in its own way."""

    def __float__(self):
        raise ZeroDivisionError("hostile __float__")

    def __index__(self):
        raise ZeroDivisionError("hostile __index__")

    def __len__(self):
        raise ZeroDivisionError("hostile __len__")

    def __repr__(self):
        return "<Hostile>"


# ---- bad values per parameter kind and category ----------------------------------------------------------
_TEXT = st.sampled_from(["1.5", "0.02", "nan", "", "x", "20ms"]) | st.text(max_size=5)
_BOOL = st.sampled_from([True, False, np.bool_(True)])
_NONFINITE = st.sampled_from([NAN, INF, -INF, np.float32("nan"), np.float64("inf")])
_OTHER = st.sampled_from([1 + 2j, object(), Hostile(), {}, print, ["a", "b"], [None], (1, "2"), b"1"])

_SCALAR_BAD = {"text": _TEXT, "booleans": _BOOL, "None": st.none(), "NaN and inf": _NONFINITE,
               "other types": _OTHER}
_ARRAY_BAD = {"text": _TEXT | st.lists(st.sampled_from(["1", "2.5", "a"]), min_size=1, max_size=3),
              "booleans": _BOOL | st.lists(st.booleans(), min_size=1, max_size=3),
              "None": st.none() | st.just([1.0, None]),
              "NaN and inf": _NONFINITE | st.lists(_NONFINITE, min_size=1, max_size=3).map(lambda x: [0.5] + x),
              "other types": _OTHER | st.just([[1.0], [1.0, 2.0]]) | st.just(np.array([1j, 2j]))}
_OUT_OF_RANGE = {
    "positive": st.floats(max_value=0.0, allow_nan=False, allow_infinity=False) | st.integers(max_value=0),
    "nonneg": st.floats(max_value=-1e-300, allow_nan=False, allow_infinity=False) | st.integers(max_value=-1),
    "prob": st.floats(min_value=1.0 + 1e-12, allow_nan=False, allow_infinity=False)
    | st.floats(max_value=-1e-12, allow_nan=False, allow_infinity=False),
    "count": st.integers(max_value=0) | st.floats(0.1, 1e3).filter(lambda x: x != int(x)),
    "seed": st.integers(max_value=-1) | st.floats(0.1, 1e3).filter(lambda x: x != int(x)),
    "index": st.integers(max_value=-1) | st.floats(0.1, 10).filter(lambda x: x != int(x)),
}


@dataclass
class Spec:
    """How to call one public function: `call(**kwargs)` with `valid` arguments; `params` maps each fuzzed
    parameter to its kind (real, positive, nonneg, prob, count, index, array; "?" suffix: None allowed)."""

    call: object
    valid: dict
    params: dict
    extra: dict = field(default_factory=dict)   # parameter -> (category, strategy) of further bad values


def _net():
    net = snn.Network(seed=0)
    return net, net.population(3), net.poisson(2, rate=10.0)


def _network_call(method, run=False):
    """Network.<method>(**kw) on a fresh network ("POP"/"SRC" stand for its population/source); with run, the
    network is then simulated for 5 ms (a function accepted as a rate or signal is judged by what it returns)."""
    def call(**kw):
        net, pop, src = _net()
        kw = {k: ({"POP": pop, "SRC": src}[v] if isinstance(v, str) and v in ("POP", "SRC") else v)
              for k, v in kw.items()}
        out = getattr(net, method)(**kw)
        if run:
            snn.Simulator(net).run(0.005)
        return out
    call.__name__ = f"Network.{method}"
    return call


def _simulator(**kw):
    net, pop, _ = _net()
    net.probe(pop, "voltage")
    return snn.Simulator(net, **kw)


def _run(t):
    net, pop, _ = _net()
    sim = snn.Simulator(net)
    return sim.run(t)


def _nef_ensemble(**kw):
    return nef.Ensemble(**kw)


SPECS = {
    "LIF": Spec(snn.LIF, {}, {"tau_rc": "positive", "tau_ref": "nonneg", "v_th": "real", "v_reset": "real",
                               "v_rest": "real"}),
    "AdaptiveLIF": Spec(snn.AdaptiveLIF, {}, {"tau_n": "positive", "inc_n": "nonneg", "tau_rc": "positive",
                                               "tau_ref": "nonneg", "v_th": "real"}),
    "Izhikevich": Spec(snn.Izhikevich, {"preset": None, "a": 0.02, "b": 0.2, "c": -65.0, "d": 8.0},
                       {"a": "positive", "b": "real", "c": "real", "d": "nonneg", "v_peak": "real"},
                       extra={"preset": ("other types", st.sampled_from([["RS"], "rs", 3, Hostile()]))}),
    "AdEx": Spec(snn.AdEx, {"preset": "tonic"}, {"C": "positive?", "g_L": "positive?", "E_L": "real?",
                                                 "tau_w": "positive?", "b": "real?", "v_peak": "real"},
                 extra={"preset": ("other types", st.sampled_from([["tonic"], 3, Hostile()]))}),
    "TwoCompartmentLIF": Spec(snn.TwoCompartmentLIF, {}, {"tau_d": "positive", "theta_d": "real",
                                                          "width_d": "positive", "g_c": "nonneg",
                                                          "soma_bias": "real", "tau_rc": "positive"},
                              extra={"nonlinearity": ("other types", st.sampled_from(["relu", 3, None, ["dcaap"]]))}),
    "ExpSynapse": Spec(snn.ExpSynapse, {}, {"tau": "positive", "scale": "nonneg"},
                       extra={"normalize": ("other types", st.sampled_from(["height", 1.0, None, True]))}),
    "AlphaSynapse": Spec(snn.AlphaSynapse, {}, {"tau": "positive"}),
    "DoubleExpSynapse": Spec(snn.DoubleExpSynapse, {}, {"tau_rise": "positive", "tau_decay": "positive"}),
    "ConductanceSynapse": Spec(snn.ConductanceSynapse, {}, {"tau": "positive", "E_rev": "real"}),
    "NMDASynapse": Spec(snn.NMDASynapse, {}, {"tau_rise": "positive", "tau_decay": "positive", "E_rev": "real",
                                              "mg": "nonneg"}),
    "STDP": Spec(snn.STDP, {}, {"a_plus": "nonneg", "a_minus": "nonneg", "tau_plus": "positive",
                                "tau_minus": "positive", "w_min": "real", "w_max": "real"}),
    "ThreeFactorSTDP": Spec(snn.ThreeFactorSTDP, {"modulator": snn.Network().modulator(0.0)},
                            {"a_plus": "nonneg", "a_minus": "nonneg", "tau_plus": "positive", "tau_minus": "positive",
                             "tau_c": "positive", "w_min": "real", "w_max": "real"}),
    "TsodyksMarkram": Spec(snn.TsodyksMarkram, {}, {"U": "prob", "tau_D": "positive", "tau_F": "nonneg"}),
    "Release": Spec(snn.Release, {}, {"p": "prob"}),
    "WhiteNoise": Spec(WhiteNoise, {}, {"sigma": "nonneg"}),
    "OUNoise": Spec(OUNoise, {}, {"sigma": "nonneg", "tau": "positive"}),
    "Constant": Spec(snn.Constant, {"value": 1.0}, {"value": "array"}),
    "Step": Spec(snn.Step, {"t_on": 0.1, "after": 1.0}, {"t_on": "nonneg", "after": "array", "before": "array",
                                                          "t_off": "nonneg?"}),
    "TimeFunction": Spec(snn.TimeFunction, {"function": np.sin}, {},
                         extra={"function": ("other types", st.sampled_from([1.0, "sin", None, [np.sin]]))}),
    "Uniform": Spec(snn.Uniform, {"low": 0.0, "high": 1.0}, {"low": "real", "high": "real"}),
    "Network": Spec(snn.Network, {}, {"seed": "seed?"}),
    "Network.population": Spec(_network_call("population"), {"n": 3}, {"n": "count", "bias": "array",
                                                                       "v_init": "array?"},
                               extra={"neuron": ("other types", st.sampled_from([1.0, "LIF", snn.LIF, snn.ExpSynapse()]))}),
    "Network.poisson": Spec(_network_call("poisson", run=True), {"n": 2, "rate": 5.0}, {"n": "count", "rate": "array"}),
    "Network.spike_times": Spec(_network_call("spike_times"), {"n": 1, "times": [0.01, 0.02]},
                                {"n": "count", "times": "array"}),
    "Network.input": Spec(_network_call("input", run=True), {"target": "POP", "signal": 1.0}, {"gain": "array"},
                          extra={"signal": ("other types", st.sampled_from(["loud", None, True, [1.0, 2.0],
                                                                            snn.Step(0.0, [1.0, 2.0]), Hostile()])),
                                 "target": ("other types", st.sampled_from([None, "POP2", 3, "SRC"]))}),
    "Network.connect": Spec(_network_call("connect"), {"pre": "SRC", "post": "POP", "weights": 0.1},
                            {"weights": "array"},
                            extra={"synapse": ("other types", st.sampled_from([5.0, "exp", snn.LIF(), snn.ExpSynapse]))}),
    "Network.connect_random": Spec(_network_call("connect_random"), {"pre": "POP", "post": "POP", "p": 0.5,
                                                                     "weight": 0.1},
                                   {"p": "prob", "weight": "real"}),
    "Network.probe": Spec(_network_call("probe"), {"obj": "POP", "target": "voltage"},
                          {"indices": "index?", "every": "count"},
                          extra={"target": ("other types", st.sampled_from(["potential", None, 3, ["spikes"]])),
                                 "obj": ("other types", st.sampled_from([None, "POP1", 3]))}),
    "Network.noise": Spec(_network_call("noise"), {"pop": "POP", "model": WhiteNoise(0.1)}, {},
                          extra={"model": ("other types", st.sampled_from([0.1, None, "white", WhiteNoise]))}),
    "Simulator": Spec(_simulator, {}, {"dt": "positive", "probe_memory_limit": "count", "chunk_steps": "count",
                                       "threads": "count?"},
                      extra={"precision": ("other types", st.sampled_from(["float16", None, np.float32, 32])),
                             "kernel": ("other types", st.sampled_from(["numba", None, 1]))}),
    "Simulator.run": Spec(_run, {"t": 0.01}, {"t": "nonneg"}),
    "simulate_lif": Spec(snn.simulate_lif, {"drive": 1.5, "t_stop": 0.02}, {"drive": "array", "t_stop": "nonneg",
                                                                            "dt": "positive", "tau_rc": "positive"},
                         extra={"drive": ("wrong shape", st.sampled_from([[1.5, 2.0], [[1.5]] * 2]))}),
    # -- snnlib.nef
    "nef.Ensemble": Spec(_nef_ensemble, {"n_neurons": 5}, {"n_neurons": "count", "dimensions": "count",
                                                           "radius": "positive", "seed": "seed?",
                                                           "n_eval_points": "count?"}),
    "nef.LstsqL2": Spec(nef.LstsqL2, {}, {"reg": "nonneg"}),
    "nef.PES": Spec(nef.PES, {"target": np.sin}, {"learning_rate": "nonneg", "pre_tau": "positive"}),
    "nef.Uniform": Spec(nef.Uniform, {"low": 0.0, "high": 1.0}, {"low": "real", "high": "real"}),
    "nef.UniformHypersphere": Spec(nef.UniformHypersphere, {}, {"min_magnitude": "nonneg"}),
    "nef.gain_bias": Spec(nef.gain_bias, {"max_rates": 200.0, "intercepts": 0.0},
                          {"max_rates": "array", "intercepts": "array", "tau_rc": "positive", "tau_ref": "nonneg"}),
    "nef.max_rates_intercepts": Spec(nef.max_rates_intercepts, {"gain": 2.0, "bias": 1.5},
                                     {"gain": "array", "bias": "array", "tau_rc": "positive", "tau_ref": "nonneg"}),
    "nef.lif_rates": Spec(nef.lif_rates, {"J": 2.0}, {"J": "array+inf", "tau_rc": "positive", "tau_ref": "nonneg"}),
    "nef.Network": Spec(nef.Network, {}, {"seed": "seed?"}),
    # -- snnlib.energy
    "energy.register_device": Spec(energy.register_device, {"name": "fuzz-device", "energy_per_synop": 1e-12,
                                                            "energy_per_neuron": 1e-12, "spiking": True,
                                                            "overwrite": True},
                                   {"energy_per_synop": "nonneg", "energy_per_neuron": "nonneg",
                                    "energy_per_plasticity": "nonneg?"}),
    "energy.count_macs": Spec(energy.count_macs, {"layer_sizes": [4, 3]}, {},
                              extra={"layer_sizes": ("other types", st.sampled_from([[4], "43", [4, 2.5], [4, -1],
                                                                                     None, [True, 3]]))}),
    "energy.get_device": Spec(energy.get_device, {"device": "cpu"}, {},
                              extra={"device": ("other types", st.sampled_from(["no-such-chip", None, 3, ["cpu"]]))}),
    # -- snnlib.analysis
    "spiketrains.firing_rate": Spec(spiketrains.firing_rate, {"times": [0.1, 0.2], "duration": 1.0},
                                    {"times": "array", "duration": "positive"}),
    "spiketrains.cv_isi": Spec(spiketrains.cv_isi, {"times": [0.1, 0.2, 0.4]}, {"times": "array"}),
    "spiketrains.isi": Spec(spiketrains.isi, {"times": [0.1, 0.2, 0.4]}, {"times": "array"}),
    "spiketrains.bin_spikes": Spec(spiketrains.bin_spikes, {"times": [0.1], "t_stop": 1.0, "bin_width": 0.1},
                                   {"times": "array", "t_stop": "positive", "bin_width": "positive"}),
    "spiketrains.fano_factor": Spec(spiketrains.fano_factor, {"counts": [1, 2, 3]}, {"counts": "array"}),
    "spikecode.poisson_spikes": Spec(spikecode.poisson_spikes, {"rates": 10.0, "duration": 1.0, "seed": 0},
                                     {"rates": "array", "duration": "positive"}),
    "spikecode.rate_encode": Spec(spikecode.rate_encode, {"values": [0.5], "max_rate": 100.0, "duration": 0.1,
                                                          "seed": 0},
                                  {"values": "array", "max_rate": "positive", "duration": "positive"}),
    "spikecode.latency_encode": Spec(spikecode.latency_encode, {"values": [0.5], "t_max": 0.05, "seed": 0},
                                     {"values": "array", "t_max": "positive", "jitter": "nonneg"}),
    "spikecode.decode_rate": Spec(spikecode.decode_rate, {"counts": 5, "window": 0.1, "max_rate": 100.0},
                                  {"window": "positive", "max_rate": "positive"}),
    "codes.regular_counts": Spec(codes.regular_counts, {"values": [0.5], "max_rate": 100.0, "window": 0.1,
                                                        "seed": 0},
                                 {"values": "array", "max_rate": "positive", "window": "positive"}),
    "stdp.correlated_spike_trains": Spec(stdp_exp.correlated_spike_trains, {"n": 3, "rate": 5.0,
                                                                            "correlation": 0.2, "duration": 0.5,
                                                                            "seed": 0},
                                         {"n": "count", "rate": "nonneg", "correlation": "prob",
                                          "duration": "positive"}),
    "softlif.soft_lif_rate": Spec(softlif.soft_lif_rate, {"j": [0.5, 2.0]}, {"j": "array+inf", "tau_rc": "positive",
                                                                               "gamma": "positive"}),
    "softlif.SoftLIF": Spec(softlif.SoftLIF, {}, {"tau_rc": "positive", "tau_ref": "nonneg", "gamma": "positive"}),
}


def _bad_strategies(kind):
    """category -> strategy of values that must be refused for a parameter of this kind."""
    optional = kind.endswith("?")
    base = kind.rstrip("?")
    table = dict(_ARRAY_BAD if base.startswith("array") else _SCALAR_BAD)
    if base == "array+inf":             # inf is a meaningful input here (a saturating rate curve): only NaN is bad
        table["NaN and inf"] = st.sampled_from([NAN, [0.5, NAN]])
    if base in ("count", "seed", "index"):      # integers: any float is wrong too (2.0 is fine as a float, not a count)
        table["other types"] = table["other types"] | st.just(2.5)
    if base == "index":                 # lists of indices: a scalar text/bool is wrong, an empty list too
        table = {"text": _TEXT | st.just(["0"]), "booleans": _BOOL, "NaN and inf": st.just([NAN]),
                 "other types": _OTHER | st.just([0.5]) | st.just([[0], [1]]), "out of range":
                 st.just([]) | st.just([5]) | st.just([-9]) | st.just([True, False])}
    elif base in _OUT_OF_RANGE:
        table["out of range"] = _OUT_OF_RANGE[base]
    if optional:
        table.pop("None", None)
    return table


def _cases():
    for spec_name, spec in SPECS.items():
        for param, kind in spec.params.items():
            for category, strategy in _bad_strategies(kind).items():
                yield spec_name, param, category, strategy
        for param, (category, strategy) in spec.extra.items():
            yield spec_name, param, category, strategy


CASES = list(_cases())
_OK_ERRORS = (ValueError, TypeError)


def _expect_clear_error(spec, param, value):
    kwargs = dict(spec.valid, **{param: value})
    try:
        spec.call(**kwargs)
    except _OK_ERRORS as err:
        message = str(err)
        assert param in message or _names_param(message, param), (
            f"{spec.call!r}({param}={value!r}) raised {type(err).__name__} without naming {param!r}: {message}")
        assert "nopython" not in message and "TypingError" not in message and "Traceback" not in message, message
        return
    except BaseException as err:  # noqa: BLE001 - any other exception is the defect this test looks for
        raise AssertionError(f"{getattr(spec.call, '__name__', spec.call)}({param}={value!r}) raised "
                             f"{type(err).__name__}: {err}") from err
    raise AssertionError(f"{getattr(spec.call, '__name__', spec.call)}({param}={value!r}) was accepted silently")


def _names_param(message, param):
    """A message may name a positional parameter by its role (e.g. 'signal' for Network.input's value)."""
    aliases = {"target": ("target", "population"), "obj": ("obj", "population or source"),
               "model": ("model", "noise model"), "signal": ("signal", "Signal")}
    return any(a in message for a in aliases.get(param, ()))


@pytest.mark.parametrize("spec_name", sorted({c[0] for c in CASES}))
def test_bad_values_are_refused_naming_the_parameter(spec_name, record_property):
    spec = SPECS[spec_name]
    counts = Counter()
    for _, param, category, strategy in [c for c in CASES if c[0] == spec_name]:
        _fuzz_one(spec, param, category, strategy, counts)()
    record_property("fuzz_cases", dict(counts))


def _fuzz_one(spec, param, category, strategy, counts):
    @PROFILE
    @given(value=strategy)
    def one(value):
        counts[f"snnlib {category}"] += 1
        _expect_clear_error(spec, param, value)

    return one


# ---- extreme finite values in a simulation: a clear error or a finite state, never a silent NaN -------------
_EXTREME = (st.floats(min_value=1e30, max_value=1.7e308) | st.floats(min_value=-1.7e308, max_value=-1e30)
            | st.sampled_from([1e39, -1e39, 3.3e38, 1e308, -1e308, 1.7976931348623157e308]))
_MODELS = {"LIF": (snn.LIF, ("v_th", "v_reset", "v_rest", "tau_rc")),
           "AdaptiveLIF": (snn.AdaptiveLIF, ("inc_n", "tau_n", "v_th")),
           "ExpSynapse": (snn.ExpSynapse, ("tau",))}


def _simulate_extreme(where, param, value, precision):
    """Build a small network with one extreme value and run it; return the voltage trace (or raise)."""
    net = snn.Network(seed=0)
    src = net.poisson(4, rate=200.0)
    neuron, synapse, bias, weight = snn.LIF(), snn.ExpSynapse(), 1.5, 0.5
    if where in ("LIF", "AdaptiveLIF"):
        neuron = _MODELS[where][0](**{param: value})
    elif where == "ExpSynapse":
        synapse = snn.ExpSynapse(**{param: value})
    elif where == "bias":
        bias = value
    else:
        weight = value
    pop = net.population(3, neuron, bias=bias)
    net.connect(src, pop, weights=weight, synapse=synapse)
    vp = net.probe(pop, "voltage")
    sim = snn.Simulator(net, dt=1e-3, precision=precision, chunk_steps=10)
    sim.run(0.03)
    return sim.data[vp]


#: values at the edges of float32 and float64, tried for every target before the random ones
_EDGES = (1e39, -1e39, 3.3e38, -3.3e38, 1e308, -1e308, 1.7976931348623157e308)


@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_extreme_finite_values_never_give_a_silent_nan(precision, record_property):
    counts = Counter()
    targets = [(m, p) for m, (_, ps) in _MODELS.items() for p in ps] + [("bias", "bias"), ("weights", "weights")]

    def check(target, value):
        counts["snnlib extreme finite values, simulated"] += 1
        where, param = target
        try:
            v = _simulate_extreme(where, param, value, precision)
        except _OK_ERRORS as err:
            assert param in str(err) or "population" in str(err) or "connection" in str(err), str(err)
            return
        assert np.all(np.isfinite(v)), f"{where} {param}={value!r} ({precision}) gave a non-finite voltage silently"

    for target in targets:
        for value in _EDGES:
            check(target, value)

    @settings(PROFILE, max_examples=2 * PROFILE.max_examples)
    @given(target=st.sampled_from(targets), value=_EXTREME)
    def random_values(target, value):
        check(target, value)

    random_values()
    record_property("fuzz_cases", dict(counts))


# ---- coverage of the public names ----------------------------------------------------------------------------
#: public name -> why it is not fuzzed here (each reason covers a group of names with the same one)
_RESULTS = "a result container (dataclass/record) made by snnlib itself, not from a learner's arguments"
_KERNEL = ("a plain scalar model function compiled into the kernel: called only with values from validated "
           "descriptions (tests/test_catalogue_*.py check their maths)")
_INTERNAL = "a building block of Simulator/Network (their public arguments are fuzzed above), not a learner entry point"
_PLOTS = ("a plot of snnlib results (matplotlib; arrays from a Simulator), not fuzzed: tests/test_*plots*.py and "
          "the widget checks at control extremes cover them")
_HEAVY = ("trains or sweeps a network (seconds to minutes per call): too slow to fuzz within make test's budget; "
          "its arguments are checked by the checks used above (count, positive)")
_ABSTRACT = "a base class, constant table or error type (nothing to call with bad values)"
_CHECKS = "a parameter check itself: exercised by every case above (tests/test_validation.py tests it directly)"
NOT_FUZZED = {
    **dict.fromkeys(["ProbeMemoryError", "NonFiniteError", "UnknownProbeError", "NeuronModel", "SynapseModel",
                     "LearningRule", "PluginModel", "NoiseModel", "PresynapticModel", "Signal", "DEVICES", "RULES",
                     "RULE_LABELS", "REALISATIONS", "MAX_CURVES", "PALETTE", "Distribution", "CodegenError",
                     "ProbeData", "ModelMemoryError", "MEAN_BALANCED", "SIGMA_BALANCED", "MEAN_CONSTANT", "TAU_NOISE", "DT", "SR_MEAN",
                     "SR_AMPLITUDE", "SR_FREQ"], _ABSTRACT),
    **dict.fromkeys(["LIFResult", "SpikeRecord", "WindowMeasurement", "CorrelationLearning", "PESRun",
                     "ConversionResult", "CreditRun", "SurrogateRun", "DeviceEnergy", "EnergyReport", "OpCounts",
                     "DeviceProfile", "PatternFeatures", "OpsPerUpdate", "Population", "PoissonSource",
                     "SpikeTimes", "Input", "Connection", "Probe", "Node", "DecodedValue", "ErrorSignal",
                     "DecodedInput", "Realised", "FullWeights", "Receptor", "Built", "State", "Graph",
                     "NeuronGroup", "RuleGroup", "PreGroup", "IO", "Sig", "IrregularResult", "DecodingResult",
                     "ResonanceResult", "DistalRewardResult", "Modulator", "Modulation", "Mod", "ModLayout",
                     "LoopPoisson", "Par"], _RESULTS),
    **dict.fromkeys(["lif_step", "lif_update", "adaptive_lif_step", "adex_step", "izhikevich_step",
                     "two_compartment_step", "dendritic_activation", "exp_advance", "exp_current",
                     "two_stage_advance", "two_stage_current", "two_stage_constants", "double_exp_peak",
                     "conductance_advance", "conductance_current", "mg_block", "nmda_advance", "nmda_current",
                     "stdp_decay_pre", "stdp_decay_post", "stdp_on_pre", "stdp_on_post", "stdp_pre_spike",
                     "stdp_post_spike", "white_sample", "ou_sample", "tm_on_spike", "release_on_spike", "mix32",
                     "uniform", "normal", "tf_on_pre", "tf_on_post", "tf_step"], _KERNEL),
    **dict.fromkeys(["build", "Layout", "SignalLayout", "columns", "pre_groups", "call", "fname", "generate",
                     "plugin_classes", "cls_instance", "m_noise", "njit", "compile_plain", "kernel_for",
                     "check_parameters", "check_state", "make_decoded", "make_error", "make_pes",
                     "make_decoded_input", "values_at", "random_csr", "registered", "require_registered",
                     "DenseWeights", "RandomWeights", "SparseWeights", "plain_weights", "hoist", "compiled",
                     "count_random", "draw_random_csr", "fill_random", "random_rows", "scatter_csr", "scatter_dense",
                     "Interruptible", "Progress", "interactive",
                     "make_modulator", "make_modulation", "threshold_param", "modulated_drive", "pass_slices",
                     "step_start_lines", "step_end_lines", "threshold_expr", "loop_poisson", "present",
                     "block_size", "choose", "cores", "deliver", "gather", "mark", "passes", "prepare",
                     "slot_ranges", "tables"],
                    _INTERNAL),
    **dict.fromkeys(["HIDDEN", "N_NEURONS", "N_TEST", "N_TRAIN", "SAMPLE_TIME", "TASKS", "F0", "F1", "V_REST"],
                    _ABSTRACT),
    **dict.fromkeys(["CapstoneResult", "LearnerResult", "SwitchingPopulation", "NMDACoincidence", "STPResponse",
                     "GatedMLP"], _RESULTS),
    **dict.fromkeys(["measure_capstone", "simulate_ann", "simulate_pes", "error_after_loss", "loss_curve",
                     "train_gated_mlp", "nmda_coincidence"], _HEAVY),
    **dict.fromkeys(["LossCurvesView", "ModulationView", "STPView", "timescales"], _PLOTS),
    **dict.fromkeys(["ann_energy_counts", "ann_gradients", "ann_output", "make_samples", "pes_energy_counts",
                     "samples_to_recover", "task_function", "verdict_table", "rms", "nmda_ratio_theory",
                     "regular_train", "stp_response"],
                    "a helper of lesson 04's or 08's experiments (session 4), checked against theory by "
                    "tests/test_capstone.py and tests/test_lesson04_science.py: not fuzzed yet"),
    **dict.fromkeys(["check_model", "connection_edges", "default_limit", "edge_bytes", "fmt", "ftype_bytes",
                     "machine_memory", "network_estimate", "neuron_bytes", "probe_estimate", "too_large_message"],
                    "the memory model (snnlib.sim.memory): its inputs are built networks; tests/test_scale.py checks "
                    "its estimates against traced and measured memory and the guards' refusals"),
    **dict.fromkeys(["CacheDirWarning", "cache_dir", "called_modules", "default_dir", "environment_dir",
                     "ensure_private_dir", "load",
                     "plugin_source", "unsafe_reason"],
                    "the kernel cache (paths from the environment, not arguments): tests/test_kernel_cache.py "
                    "attacks it with unsafe, uncreatable and other users' directories"),
    **dict.fromkeys(["register", "area_correction", "full_weights", "samples", "check_synapse", "lowpass",
                     "check_normalised", "default_n_eval_points", "make_rng", "decoding_protocol", "as_train",
                     "split_trains", "window_counts", "ensemble", "count_update_ops", "one_blas_thread",
                     "device_names", "device_table", "estimate", "break_even_rate", "decode_latency",
                     "poisson_raster", "bursts", "features", "classify", "angle_between", "lif_rate",
                     "soft_lif_derivative", "soft_lif_rate_and_derivative", "superspike_surrogate",
                     "gradient_check", "load_digits_split", "digits_data", "log_log_slope", "ablate_hidden",
                     "noisy_inputs"],
                    "a helper whose inputs come from snnlib itself or whose checks are those fuzzed above (same "
                    "check functions); not fuzzed separately yet"),
    **dict.fromkeys(["real", "positive", "nonnegative", "probability", "count", "numeric_array", "finite_array",
                     "indices"], _CHECKS),
    **dict.fromkeys(["style", "new_axes", "raster", "voltage", "fi_curve", "LIFView", "CodeRastersView",
                     "RasterReadoutView", "EnergyRateView", "LearningCurvesView", "PatternView", "lif_circuit",
                     "conversion_pipeline", "chip_layouts", "energy_bars", "energy_vs_rate", "feedback_paths",
                     "TuningDecodingView", "pipeline_diagram", "voltage_units", "drive_units", "label_axes",
                     "isi_histogram", "code_raster_artists", "set_code_rasters", "code_rasters", "decoding_error",
                     "accuracy_vs_time", "stdp_window", "weight_learning", "kept_figure_class",
                     "kept_canvas_class", "FigureView", "IrregularityView", "PopulationDecodingView", "distal_reward"], _PLOTS),
    **dict.fromkeys(["DenseNet", "train_digits_net", "SpikingClassifier", "CreditMLP", "train_credit",
                     "sweep_credit", "SurrogateSNN", "train_surrogate", "measure_stdp_window",
                     "learn_correlated_inputs", "learn_function_pes", "decoding_errors", "regular_rate_errors",
                     "code_errors", "simulate_irregular_firing", "simulate_population_decoding",
                     "decoding_error_sweep", "simulate_release", "simulate_stochastic_resonance", "ablation_errors",
                     "ann_ablation_accuracy", "simulate_distal_reward"], _HEAVY),
    "Simulator@nef": "snnlib.nef.Simulator runs snnlib.Simulator (fuzzed) on a realised nef.Network",
}
_ALIASES = {"nef.Ensemble": "Ensemble", "nef.LstsqL2": "LstsqL2", "nef.PES": "PES", "nef.Uniform": "Uniform",
            "nef.UniformHypersphere": "UniformHypersphere", "nef.gain_bias": "gain_bias",
            "nef.max_rates_intercepts": "max_rates_intercepts", "nef.lif_rates": "lif_rates",
            "nef.Network": "Network"}


def public_names():
    """(module, name) of every public name: snnlib.__all__ and each module's __all__ (or, without one, the
    public functions and classes it defines)."""
    out = {("snnlib", n) for n in snn.__all__}
    for info in pkgutil.walk_packages(snn.__path__, "snnlib."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n, o in vars(module).items() if not n.startswith("_") and callable(o)
                     and getattr(o, "__module__", None) == module.__name__]
        out |= {(info.name, n) for n in names}
    return sorted(out)


def _fuzzed_names():
    return {_ALIASES.get(k, k.split(".")[-1] if "." in k and not k.startswith("Network.") else k) for k in SPECS}


def test_every_public_name_is_fuzzed_or_listed(record_property):
    fuzzed = _fuzzed_names() | {"Simulator", "Network"}
    missing = [f"{m}.{n}" for m, n in public_names() if n not in fuzzed and n not in NOT_FUZZED
               and not (n == "Simulator" and m.startswith("snnlib.nef"))]
    assert not missing, f"public names neither fuzzed (SPECS) nor listed with a reason (NOT_FUZZED): {missing}"
    network_methods = {n for n, o in vars(snn.Network).items() if not n.startswith("_") and inspect.isfunction(o)}
    not_fuzzed_methods = {"decoded", "error", "pes", "decoded_input",   # tests/test_signals.py checks their errors
                          "modulator", "modulate"}   # tests/test_modulators.py, tests/test_modulator_params.py
    assert network_methods - not_fuzzed_methods <= {k.split(".")[1] for k in SPECS if k.startswith("Network.")}
    record_property("fuzz_cases", {"snnlib public names (fuzzed or listed)": len(public_names())})
