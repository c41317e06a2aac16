"""Fuzzing snnlib's public constructors and functions with hypothesis (issue 18).

Every public name of snnlib (`snnlib.__all__` and the public names of every module, `__all__` where a
module has one) is either fuzzed (`SPECS`, from snnlib_fuzz_specs.py and snnlib_fuzz_library.py) or listed in
`NOT_FUZZED` (snnlib_fuzz_coverage.py) with the reason; a new public name in neither fails
`test_every_public_name_is_fuzzed_or_listed`. For each parameter of each spec, one bad value
at a time from every category below (the other arguments valid) must raise a ValueError or TypeError whose
message names the parameter: never an AttributeError, a numba typing error, an IndexError or a silent NaN.
Extreme but finite values of model parameters, bias and weights are simulated: the run either refuses them
with a clear ValueError (snnlib.NonFiniteError) or its state stays finite.

The number of cases tried per category is recorded in each test's user properties and printed at the end of
the run (root conftest.py: "fuzzing: cases tried").  Profile: `HYPOTHESIS_PROFILE=snnlib-thorough` for a
longer run. The default (12 examples per parameter and category, 3 for the functions that train or sweep) tries
about 16,000 cases in 25-30 s of CPU time on the 2-core machine (noisy; docs/testing.md).
"""
from __future__ import annotations

import importlib
import inspect
import os
import warnings
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import snnlib as snn
from snnlib import nef
from snnlib_fuzz_coverage import _PLOTS, NOT_FUZZED, fuzzed_names, public_names
from snnlib_fuzz_library import LIBRARY_SPECS
from snnlib_fuzz_specs import _ARRAY_BAD, _BOOL, _OUT_OF_RANGE, _SCALAR_BAD, _TEXT, MODEL_SPECS, NAN, _OTHER

settings.register_profile("snnlib-fuzz", max_examples=12, deadline=None, database=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("snnlib-thorough", max_examples=200, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "snnlib-fuzz")
                               if os.environ.get("HYPOTHESIS_PROFILE", "").startswith("snnlib") else "snnlib-fuzz")

SPECS = {**MODEL_SPECS, **LIBRARY_SPECS}     # name -> Spec (snnlib_fuzz_specs.py, snnlib_fuzz_library.py)


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
def test_every_public_name_is_fuzzed_or_listed(record_property):
    fuzzed = fuzzed_names(SPECS) | {"Simulator", "Network"}
    missing = [f"{m}.{n}" for m, n in public_names() if n not in fuzzed and n not in NOT_FUZZED
               and not (n == "Simulator" and m.startswith("snnlib.nef"))]
    assert not missing, f"public names neither fuzzed (SPECS) nor listed with a reason (NOT_FUZZED): {missing}"
    both = sorted(set(NOT_FUZZED) & fuzzed_names(SPECS))
    assert not both, f"names both fuzzed and listed as not fuzzed (drop them from NOT_FUZZED): {both}"
    stale = sorted(set(NOT_FUZZED) - {n for _, n in public_names()})
    assert not stale, f"NOT_FUZZED lists names that are not public (any more): {stale}"
    network_methods = {n for n, o in vars(snn.Network).items() if not n.startswith("_") and inspect.isfunction(o)}
    assert network_methods <= {k.split(".")[1] for k in SPECS if k.startswith("Network.")}
    nef_methods = {n for n, o in vars(nef.Network).items() if not n.startswith("_") and inspect.isfunction(o)}
    assert nef_methods <= {k.split(".")[2] for k in SPECS if k.startswith("nef.Network.")}
    record_property("fuzz_cases", {"snnlib public names (fuzzed or listed)": len(public_names())})
