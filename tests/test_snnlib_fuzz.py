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
import warnings
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
import snnlib.analysis.firing_patterns  # noqa: F401,E402 - the submodules whose functions are fuzzed below
import snnlib.energy.model_ops  # noqa: F401
import snnlib.experiments.capstone  # noqa: F401
import snnlib.experiments.noise  # noqa: F401
import snnlib.experiments.pes  # noqa: F401
import snnlib.experiments.switching  # noqa: F401
import snnlib.experiments.synapse_demos  # noqa: F401
import snnlib.ml.ann  # noqa: F401
import snnlib.ml.conversion  # noqa: F401
import snnlib.ml.gating  # noqa: F401
import snnlib.experiments.distal_reward  # noqa: F401
import snnlib.ml.credit  # noqa: F401
import snnlib.ml.surrogate  # noqa: F401
import snnlib.nef.ensemble  # noqa: F401
import snnlib.nef.filters  # noqa: F401
import snnlib.nef.realise  # noqa: F401

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
    "count0": st.integers(max_value=-1) | st.floats(0.1, 1e3).filter(lambda x: x != int(x)),
    "index": st.integers(max_value=-1) | st.floats(0.1, 10).filter(lambda x: x != int(x)),
}


_TYPES = st.sampled_from(["x", None, 3, 2.5, True, [1.0], object(), Hostile()])


def _wrong_types(*allowed_out):
    """Values of the wrong type for a parameter expecting an object made by snnlib (none of these is
    acceptable but `allowed_out`, which is left out)."""
    return ("other types", _TYPES.filter(lambda v: not any(v is a for a in allowed_out)))


@dataclass
class Spec:
    """How to call one public function: `call(**kwargs)` with `valid` arguments; `params` maps each fuzzed
    parameter to its kind (real, positive, nonneg, prob, count (>= 1), count0 (>= 0), seed, index, array, array+inf;
    "?" suffix: None allowed)."""

    call: object
    valid: dict
    params: dict
    extra: dict = field(default_factory=dict)   # parameter -> (category, strategy) of further bad values
    examples: int | None = None                 # examples per parameter and category (None: the profile's)


def _net():
    net = snn.Network(seed=0)
    return net, net.population(3), net.poisson(2, rate=10.0)


def _placeholders(net, pop, src):
    """Placeholder name -> object of a fresh network (made when first asked for): "POP" and "SRC" its
    population and source, "DEC" a decoded value of POP, "ERR" an error of DEC, "MOD" a modulator."""
    made = {"POP": pop, "SRC": src}
    makers = {"DEC": lambda: net.decoded(pop, np.zeros((3, 1)), label="dec"),
              "ERR": lambda: net.error(get("DEC"), 0.0, label="err"),
              "MOD": lambda: net.modulator(0.5, label="mod")}

    def get(name):
        if name not in made:
            made[name] = makers[name]()
        return made[name]
    return get


def _resolve(kw, get, names):
    return {k: (get(v) if isinstance(v, str) and v in names else v) for k, v in kw.items()}


def _network_call(method, run=False):
    """Network.<method>(**kw) on a fresh network (placeholders: see `_placeholders`); with run, the network
    is then simulated for 5 ms (a function accepted as a rate or signal is judged by what it returns)."""
    def call(**kw):
        net, pop, src = _net()
        out = getattr(net, method)(**_resolve(kw, _placeholders(net, pop, src), ("POP", "SRC", "DEC", "ERR", "MOD")))
        if run:
            snn.Simulator(net).run(0.005)
        return out
    call.__name__ = f"Network.{method}"
    return call


def _nef_call(method, run=False):
    """nef.Network.<method>(**kw) on a fresh model with ensembles "ENS" (10 neurons, 1-D) and "ENS2" (10,
    2-D) and a node "NODE"; with run, the model is then simulated for 5 ms by nef.Simulator."""
    def call(**kw):
        m = nef.Network(seed=0)
        made = {"ENS": m.ensemble(10, label="a"), "ENS2": m.ensemble(10, 2, label="b"), "NODE": m.node(0.5)}
        out = getattr(m, method)(**_resolve(kw, made.get, tuple(made)))
        if run:
            nef.Simulator(m).run(0.005)
        return out
    call.__name__ = f"nef.Network.{method}"
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
    "Simulator": Spec(_simulator, {}, {"dt": "positive", "probe_memory_limit": "count", "chunk_steps": "count"},
                      extra={"precision": ("other types", st.sampled_from(["float16", None, np.float32, 32])),
                             "kernel": ("other types", st.sampled_from(["numba", None, 1]))}),
    "Simulator.run": Spec(_run, {"t": 0.01}, {"t": "nonneg"}),
    "simulate_lif": Spec(snn.simulate_lif, {"drive": 1.5, "t_stop": 0.02}, {"drive": "array", "t_stop": "nonneg",
                                                                            "dt": "positive", "tau_rc": "positive"},
                         extra={"drive": ("wrong shape", st.sampled_from([[1.5, 2.0], [[1.5]] * 2]))}),
    # -- snnlib.nef
    "nef.Ensemble": Spec(_nef_ensemble, {"n_neurons": 5}, {"n_neurons": "count", "dimensions": "count",
                                                           "radius": "positive", "seed": "seed?",
                                                           "n_eval_points": "count?", "intercepts": "array?",
                                                           "max_rates": "array?", "encoders": "array?",
                                                           "eval_points": "array?"},
                         extra={"neuron": _wrong_types(None)}),
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


# ---- issue 18, session 5: the public names that were listed as "not fuzzed yet" ------------------------------
def _tiny_ann():
    from snnlib.ml.ann import DenseNet
    return DenseNet([4, 3, 2], seed=0)


def _tiny_credit():
    from snnlib.ml.credit import CreditMLP
    return CreditMLP((4, 3, 2), seed=0)


HEAVY = 3     # examples per parameter and category for the functions that train or sweep


def _tiny_learner():
    """A LearnerResult of the ANN after 5 samples (milliseconds), for the functions that take one."""
    global _LEARNER
    if _LEARNER is None:
        _LEARNER = snn.experiments.capstone.simulate_ann(n_train=5, hidden=3)
    return _LEARNER


_LEARNER = None
_CAPSTONE_PARAMS = (np.ones((3, 2)), np.zeros(3), np.ones(3), 0.0)
def _estimate(**kw):
    return energy.estimate(**kw)


def _opcounts(method):
    def call(**kw):
        base = energy.OpCounts.spiking([4, 3, 2], rates=10.0, timesteps=10)
        return getattr(base, method)(**kw)
    call.__name__ = f"OpCounts.{method}"
    return call


def _stp_model():
    return snn.TsodyksMarkram()


SPECS.update({
    # -- snnlib.Network: signals and modulators
    "Network.decoded": Spec(_network_call("decoded"), {"pop": "POP", "decoders": np.zeros((3, 1))},
                            {"decoders": "array", "tau": "positive"},
                            extra={"pop": ("other types", st.sampled_from([None, "pop", 3, "SRC"])),
                                   "decoders": ("wrong shape", st.sampled_from([np.zeros((2, 1)), np.zeros((3, 1, 1)),
                                                                                 np.zeros(4)]))}),
    "Network.error": Spec(_network_call("error", run=True), {"decoded": "DEC", "target": 0.0}, {},
                          extra={"target": ("other types", st.sampled_from(["1.0", None, True, [1.0, 2.0], 1j,
                                                                            NAN, INF, Hostile(), b"1"])),
                                 "decoded": ("other types", st.sampled_from([None, "POP", 3, "dec"]))}),
    "Network.pes": Spec(_network_call("pes"), {"decoded": "DEC", "error": "ERR"},
                        {"learning_rate": "nonneg", "pre_tau": "positive"},
                        extra={"decoded": ("other types", st.sampled_from([None, "POP", 3, "ERR"])),
                               "error": ("other types", st.sampled_from([None, "POP", 3, "DEC"]))}),
    "Network.decoded_input": Spec(_network_call("decoded_input"), {"post": "POP", "decoded": "DEC",
                                                                  "encoders": np.ones((3, 1))},
                                  {"encoders": "array"},
                                  extra={"post": ("other types", st.sampled_from([None, "SRC", 3, "DEC"])),
                                         "decoded": ("other types", st.sampled_from([None, "POP", 3, "ERR"])),
                                         "encoders": ("wrong shape", st.sampled_from([np.ones((2, 1)),
                                                                                      np.ones((3, 2))]))}),
    "Network.modulator": Spec(_network_call("modulator", run=True), {"source": 0.5}, {"tau": "positive?"},
                              extra={"source": ("other types", st.sampled_from(["0.5", None, True, [0.5], 1j, NAN,
                                                                                INF, Hostile(), b"1", print])),
                                     "weights": ("other types", st.sampled_from([[1.0, 2.0], "w", True]))}),
    "Network.modulate": Spec(_network_call("modulate", run=True), {"pop": "POP", "parameter": "gain",
                                                                  "modulator": "MOD"},
                             {"scale": "array"},
                             extra={"parameter": ("other types", st.sampled_from(["Gain", None, 1, ["gain"]])),
                                    "modulator": ("other types", st.sampled_from([None, 0.5, "mod", "POP"])),
                                    "pop": ("other types", st.sampled_from([None, "SRC", 3, "MOD"]))}),
    # -- snnlib.nef.Network's methods and nef.Simulator
    "nef.Network.ensemble": Spec(_nef_call("ensemble"), {"n_neurons": 5}, {"n_neurons": "count",
                                                                           "dimensions": "count"}),
    "nef.Network.add": Spec(_nef_call("add"), {"ens": nef.Ensemble(5, seed=0)}, {},
                            extra={"ens": _wrong_types()}),
    "nef.Network.node": Spec(_nef_call("node", run=True), {"output": 0.5}, {"dimensions": "count?"},
                             extra={"output": ("other types", st.sampled_from(["0.5", None, True, 1j, NAN, INF,
                                                                               Hostile(), [[1.0]], print]))}),
    "nef.Network.connect": Spec(_nef_call("connect", run=True), {"pre": "ENS", "post": "ENS"},
                                {"synapse": "positive", "transform": "array"},
                                extra={"pre": ("other types", st.sampled_from([None, "a", 3, Hostile()])),
                                       "post": ("other types", st.sampled_from([None, "NODE", 3])),
                                       "function": ("other types", st.sampled_from(["sin", 3, True, Hostile()])),
                                       "solver": ("other types", st.sampled_from(["lstsq", 3, True, np.sin])),
                                       "eval_points": ("other types", st.sampled_from(["x", True, [[NAN]], 1j])),
                                       "learning_rule": ("other types", st.sampled_from(["PES", 3, True, np.sin]))}),
    "nef.Network.probe": Spec(_nef_call("probe", run=True), {"target": "ENS"}, {"synapse": "positive?"},
                              extra={"target": ("other types", st.sampled_from([None, "a", 3, Hostile()])),
                                     "attr": ("other types", st.sampled_from(["voltage", 3, True, ["decoded"]])),
                                     "function": ("other types", st.sampled_from(["sin", 3, True, Hostile()]))}),
    "nef.Simulator": Spec(lambda **kw: nef.Simulator(**kw).run(0.002), {"model": nef.Network(seed=0)},
                          {"dt": "positive"},
                          extra={"model": _wrong_types(),
                                 "realisation": ("other types", st.sampled_from(["full", None, 3, True]))}),
    # -- snnlib.energy
    "energy.estimate": Spec(_estimate, {"counts": [4, 3, 2]}, {},
                            extra={"counts": ("other types", st.sampled_from(["43", None, 3, [4], [4, NAN], {},
                                                                              {"steps": 1}, Hostile()])),
                                   "devices": ("other types", st.sampled_from(["no-such", 3, [None], ["cpu", 3],
                                                                               Hostile()]))}),
    "energy.break_even_rate": Spec(energy.break_even_rate,
                                   {"counts": energy.OpCounts.spiking([4, 3, 2], rates=10.0, timesteps=10)}, {},
                                   extra={"counts": _wrong_types(),
                                          "spiking_device": ("other types", st.sampled_from(["cpu", None, 3])),
                                          "dense_device": ("other types", st.sampled_from(["loihi", None, 3]))}),
    "energy.device_table": Spec(energy.device_table, {}, {},
                                extra={"devices": ("other types", st.sampled_from(["cpu", 3, [None], ["nope"],
                                                                                  Hostile()]))}),
    "OpCounts.dense": Spec(energy.OpCounts.dense, {"layer_sizes": [4, 3]}, {},
                           extra={"layer_sizes": ("other types", st.sampled_from([[4], "43", [4, 2.5], None]))}),
    "OpCounts.spiking": Spec(energy.OpCounts.spiking, {"layer_sizes": [4, 3, 2], "rates": 10.0, "timesteps": 10},
                             {"rates": "array", "timesteps": "count", "dt": "positive"}),
    "OpCounts.from_counts": Spec(energy.OpCounts.from_counts,
                                 {"counts": {"steps": 10, "duration_s": 0.01, "neurons": 3, "neuron_updates": 30,
                                             "spikes": 2, "synapses": 6, "synaptic_events": 4,
                                             "plasticity_updates": 0}},
                                 {"n_inferences": "count"},
                                 extra={"counts": ("other types", st.sampled_from([None, 3, "counts", {"steps": 1},
                                                                                   Hostile()]))}),
    "OpCounts.per_inference": Spec(_opcounts("per_inference"), {"n_inferences": 1}, {"n_inferences": "count"}),
    "OpCounts.at_rate": Spec(_opcounts("at_rate"), {"rate": 5.0}, {"rate": "nonneg"}),
    "model_ops.count_update_ops": Spec(energy.model_ops.count_update_ops, {"model": snn.LIF(), "J": 2.0, "steps": 20},
                                       {"J": "real", "dt": "positive", "steps": "count"},
                                       extra={"model": _wrong_types()}),
    # -- snnlib.analysis
    "spikecode.make_rng": Spec(spikecode.make_rng, {"seed": 0}, {"seed": "seed?"}),
    "spikecode.decoding_protocol": Spec(spikecode.decoding_protocol, {"windows": [0.01, 0.1], "n_neurons": 5,
                                                                      "n_trials": 3},
                                        {"windows": "array", "n_neurons": "count", "n_trials": "count"}),
    "spikecode.decode_latency": Spec(spikecode.decode_latency, {"first_times": [0.01, 0.02], "window": 0.05,
                                                                "t_max": 0.05},
                                     {"first_times": "array+inf", "window": "positive", "t_max": "positive",
                                      "t_min": "nonneg"}),
    "spikecode.poisson_raster": Spec(spikecode.poisson_raster, {"rates": [10.0], "duration": 0.1, "dt": 1e-3,
                                                                "seed": 0},
                                     {"rates": "array", "duration": "positive", "dt": "positive", "seed": "seed?"}),
    "spiketrains.as_train": Spec(spiketrains.as_train, {"times": [0.1, 0.2]}, {"times": "array"}),
    "spiketrains.split_trains": Spec(spiketrains.split_trains, {"times": [0.1, 0.2], "neurons": [0, 1],
                                                                "n_neurons": 2},
                                     {"times": "array", "neurons": "index", "n_neurons": "count"},
                                     extra={"neurons": ("wrong shape", st.sampled_from([[0], [0, 1, 1], [[0, 1]]]))}),
    "spiketrains.window_counts": Spec(spiketrains.window_counts, {"trains": [[0.1, 0.2], [0.3]], "t_start": 0.0,
                                                                  "t_stop": 1.0},
                                      {"t_start": "real", "t_stop": "positive"},
                                      extra={"trains": ("other types", st.sampled_from([None, 3, "ab", [["x"]],
                                                                                        [[NAN]], [None], Hostile()]))}),
    "firing_patterns.bursts": Spec(snn.analysis.firing_patterns.bursts, {"times": [0.01, 0.012, 0.1]},
                                   {"times": "array", "burst_isi": "positive", "pause_factor": "positive"}),
    "firing_patterns.features": Spec(snn.analysis.firing_patterns.features, {"times": [0.01, 0.012, 0.1, 0.2]},
                                     {"times": "array", "burst_isi": "positive"}),
    "firing_patterns.classify": Spec(snn.analysis.firing_patterns.classify, {"times": [0.01, 0.012, 0.1, 0.2]},
                                     {"times": "array", "burst_isi": "positive"}),
    # -- snnlib.ml
    "softlif.lif_rate": Spec(softlif.lif_rate, {"j": [0.5, 2.0]}, {"j": "array+inf", "tau_rc": "positive",
                                                                   "tau_ref": "nonneg"}),
    "softlif.soft_lif_derivative": Spec(softlif.soft_lif_derivative, {"j": [0.5, 2.0]},
                                        {"j": "array+inf", "tau_rc": "positive", "tau_ref": "nonneg",
                                         "gamma": "positive"}),
    "softlif.soft_lif_rate_and_derivative": Spec(softlif.soft_lif_rate_and_derivative, {"j": [0.5, 2.0]},
                                                 {"j": "array+inf", "tau_rc": "positive", "tau_ref": "nonneg",
                                                  "gamma": "positive"}),
    "surrogate.superspike_surrogate": Spec(snn.ml.surrogate.superspike_surrogate, {"u": [0.5, 1.0]},
                                           {"u": "array", "threshold": "real", "beta": "positive"}),
    "credit.angle_between": Spec(snn.ml.credit.angle_between, {"u": [1.0, 0.0], "v": [0.0, 1.0]},
                                 {"u": "array", "v": "array"},
                                 extra={"v": ("wrong shape", st.sampled_from([[1.0], [[1.0, 0.0]], [0.0, 0.0]]))}),
    "credit.gradient_check": Spec(lambda **kw: snn.ml.credit.gradient_check(_tiny_credit(), **kw),
                                  {"X": np.full((2, 4), 0.5), "y": [0, 1], "n_per_layer": 2},
                                  {"X": "array", "y": "index", "n_per_layer": "count", "eps": "positive",
                                   "seed": "seed"}),
    "ann.load_digits_split": Spec(snn.ml.ann.load_digits_split, {}, {"test_fraction": "prob", "seed": "seed"},
                                  extra={"test_fraction": ("out of range", st.sampled_from([0.0, 1.0]))}),
    "credit.digits_data": Spec(snn.ml.credit.digits_data, {}, {"seed": "seed"}),
    # -- snnlib.experiments (lessons' helpers)
    "noise.log_log_slope": Spec(snn.experiments.noise.log_log_slope, {"x": [1.0, 2.0, 4.0], "y": [1.0, 0.7, 0.5]},
                                {"x": "array", "y": "array"},
                                extra={"y": ("out of range", st.sampled_from([[1.0, 0.0, 0.5], [1.0, -1.0, 0.5],
                                                                              [1.0, 2.0]]))}),
    "noise.ablate_hidden": Spec(lambda **kw: snn.experiments.noise.ablate_hidden(_tiny_ann(), **kw),
                                {"fraction": 0.5, "rng": np.random.default_rng(0)}, {"fraction": "prob"},
                                extra={"rng": _wrong_types()}),
    "noise.noisy_inputs": Spec(snn.experiments.noise.noisy_inputs, {"X": np.full((2, 4), 0.5), "noise": 0.1},
                               {"X": "array", "noise": "nonneg", "seed": "seed"}),
    "pes.ensemble": Spec(lambda **kw: snn.experiments.pes.ensemble(snn.Network(seed=0), **kw),
                         {"n": 5, "rng": np.random.default_rng(0)}, {"n": "count"}, extra={"rng": _wrong_types()}),
    "capstone.ann_energy_counts": Spec(snn.experiments.capstone.ann_energy_counts, {}, {"hidden": "count"}),
    "capstone.ann_output": Spec(snn.experiments.capstone.ann_output, {"params": _CAPSTONE_PARAMS,
                                                                      "x": [0.5, -0.5]},
                                {"x": "array", "keep": "array"},
                                extra={"params": ("other types", st.sampled_from([None, 3, "p", (1, 2), [[1.0]]])),
                                       "x": ("wrong shape", st.sampled_from([[0.5], [[0.5, 0.5, 0.5]]]))}),
    "capstone.ann_gradients": Spec(snn.experiments.capstone.ann_gradients, {"params": _CAPSTONE_PARAMS,
                                                                            "x": [0.5, -0.5], "target": 0.2},
                                   {"x": "array", "target": "real", "keep": "array"},
                                   extra={"params": ("other types", st.sampled_from([None, 3, "p", (1, 2)])),
                                          "x": ("wrong shape", st.sampled_from([[0.5], [[0.5, 0.5]] * 2]))}),
    "capstone.make_samples": Spec(snn.experiments.capstone.make_samples, {"n": 3, "seed": 0},
                                  {"n": "count", "seed": "seed"}),
    "capstone.pes_energy_counts": Spec(snn.experiments.capstone.pes_energy_counts,
                                       {"spikes_per_inference": 10.0, "n_neurons": 20},
                                       {"spikes_per_inference": "nonneg", "n_neurons": "count",
                                        "sample_time": "positive", "dt": "positive"}),
    "capstone.samples_to_recover": Spec(snn.experiments.capstone.samples_to_recover,
                                        {"errors": np.full(30, 0.1), "switch_at": 5, "window": 10},
                                        {"errors": "array", "switch_at": "index", "level": "nonneg",
                                         "window": "count"}),
    "capstone.task_function": Spec(snn.experiments.capstone.task_function, {"task": "product"}, {},
                                   extra={"task": ("other types", st.sampled_from(["sum", None, 3, ["product"],
                                                                                   "--product", Hostile()]))}),
    "capstone.verdict_table": Spec(snn.experiments.capstone.verdict_table, {"result": None}, {},
                                   extra={"result": _wrong_types()}),
    "switching.rms": Spec(snn.experiments.switching.rms, {"a": [1.0, 2.0], "b": [1.0, 2.5]},
                          {"a": "array", "b": "array"},
                          extra={"b": ("wrong shape", st.sampled_from([[1.0, 2.0, 3.0], [[1.0, 2.0]] * 2]))}),
    "synapse_demos.nmda_ratio_theory": Spec(snn.experiments.synapse_demos.nmda_ratio_theory, {"v_post": -0.03},
                                            {"v_post": "real", "mg": "nonneg", "E_rev": "real", "v_rest": "real"}),
    "synapse_demos.regular_train": Spec(snn.experiments.synapse_demos.regular_train, {"rate": 20.0, "t_stop": 0.5},
                                        {"rate": "positive", "t_stop": "positive", "start": "nonneg"}),
    "synapse_demos.stp_response": Spec(snn.experiments.synapse_demos.stp_response,
                                       {"spike_times": [0.01, 0.02], "model": _stp_model(), "t_stop": 0.05},
                                       {"spike_times": "array", "tau_syn": "positive", "t_stop": "positive?",
                                        "dt": "positive", "weight": "real"},
                                       extra={"model": _wrong_types()}),
    # -- snnlib.nef's helpers
    "nef.lowpass": Spec(nef.filters.lowpass, {"u": np.ones((5, 1)), "tau": 0.005, "dt": 1e-3},
                        {"u": "array", "tau": "positive?", "dt": "positive"},
                        extra={"zi": ("other types", st.sampled_from(["x", [NAN], [1.0, 2.0, 3.0], True]))}),
    "nef.area_correction": Spec(nef.realise.area_correction, {"tau": 0.005, "dt": 1e-3},
                                {"tau": "positive", "dt": "positive"}),
    "nef.full_weights": Spec(nef.realise.full_weights, {"conn": None}, {}, extra={"conn": _wrong_types()}),
    "nef.default_n_eval_points": Spec(nef.ensemble.default_n_eval_points, {"n_neurons": 10, "dimensions": 1},
                                      {"n_neurons": "count", "dimensions": "count"}),
    # -- snnlib.ml's models (constructors and the methods a learner calls)
    "DenseNet": Spec(snn.ml.ann.DenseNet, {"sizes": [4, 3, 2]}, {"seed": "seed"},
                     extra={"sizes": ("other types", st.sampled_from([[4], "43", [4, 2.5], [4, 0], None, [True, 3],
                                                                      Hostile()])),
                            "nonlinearity": _wrong_types(None)}),
    "DenseNet.forward": Spec(lambda **kw: _tiny_ann().forward(**kw), {"X": np.full((2, 4), 0.5)},
                             {"X": "array", "noise": "nonneg", "quantize": "nonneg"},
                             extra={"X": ("wrong shape", st.sampled_from([np.ones((2, 3)), np.ones(4)])),
                                    "dropout": ("out of range", st.sampled_from([1.0, -0.1, "0.5", True]))}),
    "DenseNet.accuracy": Spec(lambda **kw: _tiny_ann().accuracy(**kw), {"X": np.full((2, 4), 0.5), "y": [0, 1]},
                              {"X": "array", "y": "index"}),
    "DenseNet.train": Spec(lambda **kw: _tiny_ann().train(**kw), {"X": np.full((4, 4), 0.5), "y": [0, 1, 0, 1],
                                                                  "epochs": 1},
                           {"y": "index", "batch_size": "count", "lr": "positive", "noise": "nonneg",
                            "weight_decay": "nonneg", "seed": "seed"}),
    "CreditMLP": Spec(snn.ml.credit.CreditMLP, {"sizes": (4, 3, 2)}, {"seed": "seed"},
                      extra={"sizes": ("other types", st.sampled_from([[4, 2], "432", [4, 2.5, 2], None, Hostile()])),
                             "rule": ("other types", st.sampled_from(["bp", None, 3, ["backprop"]]))}),
    "CreditMLP.gradients": Spec(lambda **kw: _tiny_credit().gradients(**kw), {"X": np.full((2, 4), 0.5),
                                                                             "y": [0, 1]},
                                {"X": "array", "y": "index"},
                                extra={"rule": ("other types", st.sampled_from(["bp", 3, ["backprop"]]))}),
    "SurrogateSNN": Spec(snn.ml.surrogate.SurrogateSNN, {"n_in": 4, "n_hidden": 3, "n_out": 2, "steps": 3},
                         {"n_in": "count", "n_hidden": "count", "n_out": "count", "steps": "count", "dt": "positive",
                          "tau_rc": "positive", "beta_surrogate": "positive", "seed": "seed"},
                         extra={"spike": ("other types", st.sampled_from(["step", None, 3]))}),
    "SurrogateSNN.loss_and_gradients": Spec(
        lambda **kw: snn.ml.surrogate.SurrogateSNN(n_in=4, n_hidden=3, n_out=2, steps=3).loss_and_gradients(**kw),
        {"X": np.full((2, 4), 0.5), "y": [0, 1]}, {"X": "array", "y": "index"}),
    "SpikingClassifier": Spec(lambda ann=None, **kw: snn.ml.conversion.SpikingClassifier(
        _tiny_ann() if ann is None else ann, **kw), {}, {"tau_syn": "positive", "dt": "positive",
                                                        "cache_size": "count0"},
        extra={"ann": _wrong_types(None)}),
    "SpikingClassifier.run": Spec(lambda **kw: snn.ml.conversion.SpikingClassifier(_tiny_ann()).run(**kw),
                                  {"X": np.full((2, 4), 0.5), "t_present": 0.01},
                                  {"X": "array", "t_present": "positive", "rate_scale": "positive", "seed": "seed"},
                                  extra={"y": ("other types", st.sampled_from([[0], "01", [0.5, 1.0], [True, False]]))}),
    # -- functions that train or sweep (seconds to minutes at their defaults): small valid arguments, so a bad
    # value that slipped through would still finish quickly, and HEAVY examples per parameter and category
    "capstone.simulate_ann": Spec(snn.experiments.capstone.simulate_ann, {"n_train": 5, "hidden": 3},
                                  {"hidden": "count", "n_train": "count", "learning_rate": "positive",
                                   "ablation": "prob", "dropout": "nonneg", "seed": "seed"},
                                  extra={"task": ("other types", st.sampled_from(["sum", None, 3])),
                                         "switch_to": ("other types", st.sampled_from(["sum", 3, True]))},
                                  examples=HEAVY),
    "capstone.simulate_pes": Spec(snn.experiments.capstone.simulate_pes, {"n_train": 3, "n_neurons": 5,
                                                                          "sample_time": 0.005},
                                  {"n_neurons": "count", "n_train": "count", "learning_rate": "nonneg",
                                   "noise_sigma": "nonneg", "sample_time": "positive", "dt": "positive",
                                   "ablation": "prob", "seed": "seed"},
                                  extra={"task": ("other types", st.sampled_from(["sum", None, 3]))},
                                  examples=HEAVY),
    "capstone.measure_capstone": Spec(snn.experiments.capstone.measure_capstone,
                                      {"n_train": 3, "n_neurons": 5, "sample_time": 0.005}, {"seed": "seed"},
                                      extra={"task": ("other types", st.sampled_from(["sum", None, 3]))},
                                      examples=HEAVY),
    "capstone.error_after_loss": Spec(lambda **kw: snn.experiments.capstone.error_after_loss(_tiny_learner(), **kw),
                                      {"fraction": 0.5}, {"fraction": "prob", "seed": "seed"}, examples=HEAVY),
    "capstone.loss_curve": Spec(lambda learner=None, **kw: snn.experiments.capstone.loss_curve(
        _tiny_learner() if learner is None else learner, **kw), {"fractions": [0.0, 0.5], "repeats": 2},
        {"fractions": "array", "repeats": "count", "seed": "seed"}, extra={"learner": _wrong_types(None)},
        examples=HEAVY),
    "gating.train_gated_mlp": Spec(snn.ml.gating.train_gated_mlp, {"x": [0.0, 1.0], "c": [0.0, 1.0],
                                                                   "y": [0.0, 1.0], "steps": 2, "hidden": 2},
                                   {"x": "array", "c": "array", "y": "array", "hidden": "count", "steps": "count",
                                    "lr": "positive", "seed": "seed"},
                                   extra={"gating": ("other types", st.sampled_from(["FiLM", None, 3])),
                                          "y": ("wrong shape", st.sampled_from([[0.0], [0.0, 1.0, 2.0]]))},
                                   examples=HEAVY),
    "synapse_demos.nmda_coincidence": Spec(snn.experiments.synapse_demos.nmda_coincidence,
                                           {"t_stop": 0.02, "n_spikes": 1, "dt": 1e-3},
                                           {"v_post": "real", "mg": "nonneg", "weight": "nonneg", "n_spikes": "count",
                                            "rate": "positive", "t_stop": "positive", "dt": "positive"},
                                           examples=HEAVY),
    "ann.train_digits_net": Spec(snn.ml.ann.train_digits_net, {"hidden": (4,), "epochs": 1},
                                 {"epochs": "count0", "noise": "nonneg", "seed": "seed", "batch_size": "count",
                                  "lr": "positive", "dropout": "prob"},
                                 extra={"hidden": ("other types", st.sampled_from([4.5, "4", [0], None, [True]]))},
                                 examples=HEAVY),
    "credit.train_credit": Spec(snn.ml.credit.train_credit, {"hidden": 4, "epochs": 1, "n_hidden_layers": 1,
                                                              "align_samples": 4},
                                {"hidden": "count", "lr": "positive", "epochs": "count0", "batch_size": "count",
                                 "n_hidden_layers": "count", "seed": "seed", "align_samples": "count"},
                                extra={"rule": ("other types", st.sampled_from(["bp", None, 3]))}, examples=HEAVY),
    "credit.sweep_credit": Spec(snn.ml.credit.sweep_credit, {"rules": ("backprop",), "hiddens": (4,), "lrs": (0.1,),
                                                             "epochs": 1, "n_hidden_layers": 1, "align_samples": 4},
                                {"hiddens": "array", "lrs": "array"},
                                extra={"rules": ("other types", st.sampled_from(["backprop", [None], [3], 3]))},
                                examples=HEAVY),
    "surrogate.train_surrogate": Spec(snn.ml.surrogate.train_surrogate, {"n_hidden": 4, "steps": 2, "epochs": 1},
                                      {"n_hidden": "count", "steps": "count", "epochs": "count0",
                                       "batch_size": "count", "lr": "positive", "seed": "seed"}, examples=HEAVY),
    "stdp.measure_stdp_window": Spec(stdp_exp.measure_stdp_window, {"rule": snn.STDP(), "offsets": [0.01, -0.01]},
                                     {"offsets": "array", "dt": "positive", "w_init": "real?"},
                                     extra={"rule": _wrong_types()}, examples=HEAVY),
    "stdp.learn_correlated_inputs": Spec(stdp_exp.learn_correlated_inputs,
                                         {"rule": snn.STDP(), "n_correlated": 2, "n_independent": 2,
                                          "duration": 0.05, "n_checkpoints": 2},
                                         {"n_correlated": "count", "n_independent": "count", "rate": "positive",
                                          "correlation": "prob", "duration": "positive", "w_init": "real?",
                                          "tau_syn": "positive", "n_checkpoints": "count", "dt": "positive",
                                          "seed": "seed"},
                                         extra={"rule": _wrong_types()}, examples=HEAVY),
    "pes.learn_function_pes": Spec(snn.experiments.pes.learn_function_pes, {"n_neurons": 5, "duration": 0.01},
                                   {"n_neurons": "count", "learning_rate": "nonneg", "duration": "positive",
                                    "dt": "positive", "pre_tau": "positive", "tau": "positive", "seed": "seed"},
                                   extra={"function": ("other types", st.sampled_from(["square", None, 3]))},
                                   examples=HEAVY),
    "spikecode.decoding_errors": Spec(spikecode.decoding_errors, {"windows": [0.02], "n_neurons": 2, "n_trials": 2},
                                      {"windows": "array", "n_neurons": "count", "max_rate": "positive",
                                       "t_max": "positive", "jitter": "nonneg", "n_trials": "count",
                                       "seed": "seed?"}, examples=HEAVY),
    "codes.regular_rate_errors": Spec(codes.regular_rate_errors, {"windows": [0.02], "n_neurons": 2, "n_trials": 2},
                                      {"windows": "array", "n_neurons": "count", "max_rate": "positive",
                                       "n_trials": "count", "seed": "seed?"}, examples=HEAVY),
    "codes.code_errors": Spec(codes.code_errors, {"windows": [0.02], "n_neurons": 2, "n_trials": 2},
                              {"windows": "array", "n_neurons": "count", "max_rate": "positive", "t_max": "positive",
                               "jitter": "nonneg", "n_trials": "count", "seed": "seed?"}, examples=HEAVY),
    "noise.simulate_irregular_firing": Spec(snn.experiments.noise.simulate_irregular_firing,
                                            {"n_neurons": 2, "t_stop": 0.05, "dt": 1e-3, "window": 0.01},
                                            {"mean": "real", "sigma": "nonneg", "n_neurons": "count",
                                             "t_stop": "positive", "tau_noise": "positive", "dt": "positive",
                                             "window": "positive", "seed": "seed"}, examples=HEAVY),
    "noise.simulate_population_decoding": Spec(snn.experiments.noise.simulate_population_decoding,
                                               {"n_neurons": 4, "t_stop": 0.2, "n_calibration": 4, "t_skip": 0.05},
                                               {"n_neurons": "count", "sigma": "nonneg", "t_stop": "positive",
                                                "freq": "positive", "offset": "real", "gain": "real",
                                                "tau_filter": "positive", "tau_noise": "positive",
                                                "n_calibration": "count", "t_skip": "nonneg", "dt": "positive",
                                                "seed": "seed"}, examples=HEAVY),
    "noise.decoding_error_sweep": Spec(snn.experiments.noise.decoding_error_sweep,
                                       {"sizes": (2,), "t_stop": 0.2, "n_calibration": 4, "t_skip": 0.05},
                                       {"sizes": "array", "sigma": "nonneg", "seed": "seed"}, examples=HEAVY),
    "noise.simulate_release": Spec(snn.experiments.noise.simulate_release, {"n_synapses": 3, "n_spikes": 2},
                                   {"p": "prob", "n_synapses": "count", "n_spikes": "count", "weight": "real",
                                    "rate": "positive", "seed": "seed", "dt": "positive"}, examples=HEAVY),
    "noise.simulate_stochastic_resonance": Spec(snn.experiments.noise.simulate_stochastic_resonance,
                                                {"noise_levels": (0.1,), "n_neurons": 2, "t_stop": 0.2},
                                                {"noise_levels": "array", "mean": "real", "amplitude": "nonneg",
                                                 "freq": "positive", "n_neurons": "count", "t_stop": "positive",
                                                 "tau_noise": "positive", "bin_width": "positive", "dt": "positive",
                                                 "seed": "seed"}, examples=HEAVY),
    "noise.ablation_errors": Spec(snn.experiments.noise.ablation_errors, {"fractions": [0.0, 0.5], "n_neurons": 4,
                                                                          "n_draws": 2},
                                  {"fractions": "array", "n_neurons": "count", "n_draws": "count", "seed": "seed"},
                                  examples=HEAVY),
    "noise.ann_ablation_accuracy": Spec(lambda ann=None, **kw: snn.experiments.noise.ann_ablation_accuracy(
        _tiny_ann() if ann is None else ann, **kw), {"X": np.full((2, 4), 0.5), "y": [0, 1], "fractions": [0.5],
                                                     "n_draws": 2},
        {"X": "array", "y": "index", "fractions": "array", "n_draws": "count", "seed": "seed"},
        extra={"ann": _wrong_types(None)}, examples=HEAVY),
    "distal_reward.simulate_distal_reward": Spec(snn.experiments.distal_reward.simulate_distal_reward,
                                                 {"t_stop": 0.5, "n_inputs": 4, "n_neurons": 2, "chunk": 0.25},
                                                 {"t_stop": "positive", "n_inputs": "count", "n_neurons": "count",
                                                  "input_rate": "positive", "w_init": "nonneg", "w_max": "positive",
                                                  "bias": "real", "noise": "nonneg", "a_plus": "nonneg",
                                                  "a_minus": "nonneg", "tau_c": "positive", "window": "positive",
                                                  "jump": "nonneg", "tau_d": "positive", "tonic": "nonneg",
                                                  "chunk": "positive", "dt": "positive", "seed": "seed"},
                                                 extra={"delay": ("other types", st.sampled_from([1.0, (3.0, 1.0),
                                                                                                 "13", (NAN, 1.0)])),
                                                        "contingent": ("other types", st.sampled_from([1, "yes",
                                                                                                       None]))},
                                                 examples=HEAVY),
    "register": Spec(snn.register, {"cls": None}, {},
                     extra={"cls": ("other types", st.sampled_from([None, 3, "LIF", snn.LIF(), object, Hostile()]))}),
})


def _bad_strategies(kind):
    """category -> strategy of values that must be refused for a parameter of this kind."""
    optional = kind.endswith("?")
    base = kind.rstrip("?")
    table = dict(_ARRAY_BAD if base.startswith("array") else _SCALAR_BAD)
    if base == "array+inf":             # inf is a meaningful input here (a saturating rate curve): only NaN is bad
        table["NaN and inf"] = st.sampled_from([NAN, [0.5, NAN]])
    if base in ("count", "count0", "seed", "index"):      # integers: any float is wrong too (2.0 is fine as a float, not a count)
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
    @settings(PROFILE, max_examples=min(spec.examples or PROFILE.max_examples, PROFILE.max_examples))
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


# ---- plots: their inputs come from result objects, but a wrong type is still refused plainly -----------------
#: plot functions whose required argument may be None (documented: figsize=None is matplotlib's default size)
_NONE_ALLOWED = {"FigureView"}


def test_plots_refuse_a_wrong_type_plainly(record_property):
    """Every public plot function or view with required arguments, given text, None, an object or a dict for
    all of them: a TypeError or ValueError (no AttributeError from deep inside matplotlib or snnlib)."""
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    counts, seen, problems = Counter(), set(), []
    for module, name in public_names():
        if NOT_FUZZED.get(name) != _PLOTS:
            continue
        obj = getattr(importlib.import_module(module), name)
        if id(obj) in seen or not callable(obj):
            continue
        seen.add(id(obj))
        required = [p.name for p in inspect.signature(obj).parameters.values()
                    if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        for value in ["x", object(), {}] + ([] if name in _NONE_ALLOWED else [None]):
            if not required:
                break
            counts["snnlib plots, wrong types"] += 1
            try:
                with warnings.catch_warnings():     # e.g. numpy's "All-NaN slice" on the way to the refusal
                    warnings.simplefilter("ignore", RuntimeWarning)
                    obj(**dict.fromkeys(required, value))
                problems.append(f"{name}({', '.join(required)} = {value!r}) accepted")
            except (TypeError, ValueError):
                pass
            except Exception as err:  # noqa: BLE001 - any other exception is the defect looked for
                problems.append(f"{name}({', '.join(required)} = {value!r}) raised {type(err).__name__}: {err}")
            finally:
                plt.close("all")
    assert not problems, "\n".join(problems)
    record_property("fuzz_cases", dict(counts))


# ---- coverage of the public names ----------------------------------------------------------------------------
#: public name -> why it is not fuzzed here (each reason covers a group of names with the same one)
_RESULTS = "a result container (dataclass/record) made by snnlib itself, not from a learner's arguments"
_KERNEL = ("a plain scalar model function compiled into the kernel: called only with values from validated "
           "descriptions (tests/test_catalogue_*.py check their maths)")
_INTERNAL = "a building block of Simulator/Network (their public arguments are fuzzed above), not a learner entry point"
_PLOTS = ("a plot of snnlib results (matplotlib; arrays from a Simulator), not fuzzed: tests/test_*plots*.py and "
          "the widget checks at control extremes cover them")
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
                     "LoopPoisson"], _RESULTS),
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
                     "DenseWeights", "RandomWeights", "SparseWeights", "plain_weights", "compiled",
                     "count_random", "draw_random_csr", "fill_random", "random_rows", "scatter_csr", "scatter_dense",
                     "Interruptible", "Progress", "interactive",
                     "make_modulator", "make_modulation", "threshold_param", "modulated_drive", "pass_slices",
                     "step_start_lines", "step_end_lines", "threshold_expr", "loop_poisson", "present"],
                    _INTERNAL),
    **dict.fromkeys(["HIDDEN", "N_NEURONS", "N_TEST", "N_TRAIN", "SAMPLE_TIME", "TASKS", "F0", "F1", "V_REST"],
                    _ABSTRACT),
    **dict.fromkeys(["CapstoneResult", "LearnerResult", "SwitchingPopulation", "NMDACoincidence", "STPResponse",
                     "GatedMLP"], _RESULTS),
    **dict.fromkeys(["LossCurvesView", "ModulationView", "STPView", "timescales"], _PLOTS),
    **dict.fromkeys(["check_model", "connection_edges", "default_limit", "edge_bytes", "fmt", "ftype_bytes",
                     "machine_memory", "network_estimate", "neuron_bytes", "probe_estimate", "too_large_message"],
                    "the memory model (snnlib.sim.memory): its inputs are built networks; tests/test_scale.py checks "
                    "its estimates against traced and measured memory and the guards' refusals"),
    **dict.fromkeys(["CacheDirWarning", "cache_dir", "called_modules", "default_dir", "environment_dir",
                     "ensure_private_dir", "load",
                     "plugin_source", "unsafe_reason"],
                    "the kernel cache (paths from the environment, not arguments): tests/test_kernel_cache.py "
                    "attacks it with unsafe, uncreatable and other users' directories"),
    **dict.fromkeys(["one_blas_thread", "device_names"], "takes no arguments (nothing to fuzz)"),
    "samples": "nef.Ensemble's drawing of intercepts, max_rates, encoders and eval_points: fuzzed through "
               "nef.Ensemble's parameters (name and rng come from Ensemble itself)",
    **dict.fromkeys(["real", "positive", "nonnegative", "probability", "count", "numeric_array", "finite_array",
                     "indices", "check_synapse", "check_normalised"], _CHECKS),
    **dict.fromkeys(["style", "new_axes", "raster", "voltage", "fi_curve", "LIFView", "CodeRastersView",
                     "RasterReadoutView", "EnergyRateView", "LearningCurvesView", "PatternView", "lif_circuit",
                     "conversion_pipeline", "chip_layouts", "energy_bars", "energy_vs_rate", "feedback_paths",
                     "TuningDecodingView", "pipeline_diagram", "voltage_units", "drive_units", "label_axes",
                     "isi_histogram", "code_raster_artists", "set_code_rasters", "code_rasters", "decoding_error",
                     "accuracy_vs_time", "stdp_window", "weight_learning", "kept_figure_class",
                     "kept_canvas_class", "FigureView", "IrregularityView", "PopulationDecodingView", "distal_reward"], _PLOTS),
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
    both = sorted(set(NOT_FUZZED) & _fuzzed_names())
    assert not both, f"names both fuzzed and listed as not fuzzed (drop them from NOT_FUZZED): {both}"
    stale = sorted(set(NOT_FUZZED) - {n for _, n in public_names()})
    assert not stale, f"NOT_FUZZED lists names that are not public (any more): {stale}"
    network_methods = {n for n, o in vars(snn.Network).items() if not n.startswith("_") and inspect.isfunction(o)}
    assert network_methods <= {k.split(".")[1] for k in SPECS if k.startswith("Network.")}
    nef_methods = {n for n, o in vars(nef.Network).items() if not n.startswith("_") and inspect.isfunction(o)}
    assert nef_methods <= {k.split(".")[2] for k in SPECS if k.startswith("nef.Network.")}
    record_property("fuzz_cases", {"snnlib public names (fuzzed or listed)": len(public_names())})
