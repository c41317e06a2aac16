"""The specs of tests/test_snnlib_fuzz.py (issue 18), part 1: the bad values per kind of parameter, the `Spec`
record, and the specs of the model-level API (neuron, synapse, learning and noise models, inputs, Network and its
methods, Simulator, simulate_lif, snnlib.nef). Part 2, the library (energy, analysis, ml, experiments):
snnlib_fuzz_library.py."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

import snnlib as snn
from snnlib import energy, nef
from snnlib.analysis import spikecode, spiketrains
from snnlib.experiments import codes
from snnlib.experiments import stdp as stdp_exp
from snnlib.ml import softlif
from snnlib.noise import OUNoise, WhiteNoise

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


MODEL_SPECS = {
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


MODEL_SPECS.update({
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
})
