"""The coverage table of tests/test_snnlib_fuzz.py (issue 18): every public name of snnlib, and each one not fuzzed
with the reason (`NOT_FUZZED`)."""
from __future__ import annotations

import importlib
import pkgutil

import snnlib as snn

#: public name -> why it is not fuzzed here (each reason covers a group of names with the same one)
_RESULTS = "a result container (dataclass/record) made by snnlib itself, not from a learner's arguments"
_KERNEL = ("a plain scalar model function compiled into the kernel: called only with values from validated "
           "descriptions (tests/test_catalogue_*.py check their maths)")
_INTERNAL = "a building block of Simulator/Network (their public arguments are fuzzed above), not a learner entry point"
_PLOTS = ("a plot of snnlib results (matplotlib; arrays from a Simulator), not fuzzed value by value: "
          "test_plots_refuse_a_wrong_type_plainly gives each a wrong type, tests/test_*plots*.py and the widget "
          "checks at control extremes cover the rest")
_ABSTRACT = "a base class, constant table or error type (nothing to call with bad values)"
_CHECKS = "a parameter check itself: exercised by every case above (tests/test_validation.py tests it directly)"
NOT_FUZZED = {
    **dict.fromkeys(["ProbeMemoryError", "NonFiniteError", "ThreadedLoopError", "UnknownProbeError", "NeuronModel", "SynapseModel",
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
                     "plugin_classes", "cls_instance", "m_noise", "njit", "compile_plain", "kernel_for", "wide_vectors", "prefetch",
                     "check_parameters", "check_state", "make_decoded", "make_error", "make_pes",
                     "make_decoded_input", "values_at", "random_csr", "registered", "require_registered",
                     "DenseWeights", "RandomWeights", "SparseWeights", "plain_weights", "compiled",
                     "count_random", "draw_random_csr", "fill_random", "random_rows", "scatter_csr", "scatter_dense",
                     "Interruptible", "Progress", "interactive",
                     "make_modulator", "make_modulation", "threshold_param", "modulated_drive", "pass_slices",
                     "step_start_lines", "step_end_lines", "threshold_expr", "loop_poisson", "present",
                     "choose", "cores", "deliver", "fusable", "gather", "mark", "prepare", "edge_loop", "prefetches", "spike_requests",
                     "finish", "fused", "parts", "Parts", "runs", "shares", "share_of", "table_bytes",
                     "tables", "pack", "with_packed", "inline", "packed", "drop_dead", "page_zeros", "stagger", "receptor_slots", "two_argument_minmax",
                     "partitions", "persistent", "persistent_for", "publish", "region", "sync_words", "worker",
                     "LoopCompiler", "fmax2", "fmin2", "relax", "sync_claim", "sync_load", "sync_store", "fail", "raise_if_failed", "ftz_lines",
                     "flush_on", "flush_off", "flush_mode", "mxcsr", "restore_fp", "line_or", "rule_runs", "serial",
                     "spike_head", "Plan", "plan", "one_weight", "code_bytes", "static_edge", "weights",
                     "code_type", "Positions", "for_network", "gap_positions", "remap_slots"],
                    _INTERNAL),
    **dict.fromkeys(["HIDDEN", "N_NEURONS", "N_TEST", "N_TRAIN", "SAMPLE_TIME", "TASKS", "F0", "F1", "V_REST"],
                    _ABSTRACT),
    **dict.fromkeys(["CapstoneResult", "LearnerResult", "NMDACoincidence", "STPResponse",
                     "GatedMLP"], _RESULTS),
    **dict.fromkeys(["LossCurvesView", "ModulationView", "STPView", "timescales"], _PLOTS),
    **dict.fromkeys(["check_model", "connection_edges", "default_limit", "edge_bytes", "fmt", "ftype_bytes",
                     "machine_memory", "network_estimate", "neuron_bytes", "position_bytes", "probe_estimate",
                     "too_large_message"],
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


def fuzzed_names(specs):
    return {_ALIASES.get(k, k.split(".")[-1] if "." in k and not k.startswith("Network.") else k) for k in specs}


