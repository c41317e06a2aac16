"""The specs of tests/test_snnlib_fuzz.py (issue 18), part 2: snnlib.energy, analysis, ml, experiments (the
lessons' helpers and the functions that train or sweep, with small valid arguments) and snnlib.nef's helpers.
Part 1 (bad values, `Spec`, the model-level API): snnlib_fuzz_specs.py."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import snnlib as snn
import snnlib.analysis.firing_patterns  # noqa: F401 - the submodules whose functions are fuzzed below
import snnlib.energy.model_ops  # noqa: F401
import snnlib.experiments.capstone  # noqa: F401
import snnlib.experiments.distal_reward  # noqa: F401
import snnlib.experiments.noise  # noqa: F401
import snnlib.experiments.pes  # noqa: F401
import snnlib.experiments.switching  # noqa: F401
import snnlib.experiments.synapse_demos  # noqa: F401
import snnlib.ml.ann  # noqa: F401
import snnlib.ml.conversion  # noqa: F401
import snnlib.ml.credit  # noqa: F401
import snnlib.ml.gating  # noqa: F401
import snnlib.ml.surrogate  # noqa: F401
import snnlib.nef.ensemble  # noqa: F401
import snnlib.nef.filters  # noqa: F401
import snnlib.nef.realise  # noqa: F401
from snnlib import energy, nef
from snnlib.analysis import spikecode, spiketrains
from snnlib.experiments import codes
from snnlib.experiments import stdp as stdp_exp
from snnlib.ml import softlif
from snnlib_fuzz_specs import NAN, Hostile, Spec, _wrong_types


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


def _energy_table(**kw):
    """EnergyReport.table of a small report (the method a learner calls on estimate's result)."""
    return energy.estimate([4, 3, 2], devices=["cpu"]).table(**kw)


def _pes_rms(**kw):
    """PESRun.rms on a hand-made run of 10 steps of 0.1 s (no simulation: only the method's arguments)."""
    from snnlib.experiments.pes import PESRun

    t = np.arange(10) * 0.1
    run = PESRun(t=t, x=t, target=t, error=np.full(10, 0.5), decoders=np.zeros((3, 1)), local_sum=np.zeros((3, 1)),
                 spikes=0)
    return run.rms(**kw)


def _stp_model():
    return snn.TsodyksMarkram()


LIBRARY_SPECS = {
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
    "EnergyReport.table": Spec(_energy_table, {"unit": "uJ"}, {},
                               extra={"unit": ("other types", st.sampled_from(["J/s", "", None, 3, ["J"], Hostile()]))}),
    "PESRun.rms": Spec(_pes_rms, {"start": 0.0, "stop": 0.5}, {"start": "real", "stop": "real"},
                       extra={"stop": ("out of range", st.sampled_from([0.0, -1.0])),
                              "start": ("out of range", st.sampled_from([0.95, 5.0]))}),
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
    "switching.SwitchingPopulation": Spec(snn.experiments.switching.SwitchingPopulation, {"n": 4},
                                          {"n": "count", "seed": "seed", "sensitive": "prob", "reg": "nonneg"},
                                          extra={"n": ("out of range", st.just(1)),
                                                 "train_levels": ("other types", st.sampled_from(
                                                     [(), (0.5,), "01", None, (True,), ("0",)]))}),
    "register": Spec(snn.register, {"cls": None}, {},
                     extra={"cls": ("other types", st.sampled_from([None, 3, "LIF", snn.LIF(), object, Hostile()]))}),
}
