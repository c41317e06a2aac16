"""What the code generator does to keep a first compile short (issue 10): one-line model functions written out
in the loop, the small per-row tables read from one packed matrix, dead parameter loads dropped. Each must
leave the computed values exactly as they were; the kernels' own results are pinned in test_generated_kernel.py
and compared with NUMBA_DISABLE_JIT in test_jit_equivalence.py."""

import inspect
import math
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
import snnlib as snn
from snnlib.model.plugin import registered
from snnlib.sim import codegen
from snnlib.sim import codegen_compact as compact
from snnlib.sim.groups import PACKED


def _functions():
    """Every (kind, role, function) of the registered models that codegen writes out."""
    from snnlib.model import plugin

    out = []
    for kind, cls in sorted(plugin._REGISTRY.items()):
        for role, fn in cls.functions.items():
            if compact.inline(fn, list(inspect.signature(fn).parameters)) is not None:
                out.append((kind, role, fn))
    return out


def test_the_one_line_functions_are_found():
    """STDP's six functions and the exponential synapse's two are one `return` each; lif_step is not."""
    found = {(k, r) for k, r, _ in _functions()}
    assert {("stdp", r) for r in ("decay_pre", "decay_post", "on_pre", "on_post", "pre_spike", "post_spike")} <= found
    assert {("exp", "advance"), ("exp", "current")} <= found
    assert ("lif", "step") not in found and ("lif", "update") not in found


@pytest.mark.parametrize("kind, role, fn", _functions(), ids=lambda x: x if isinstance(x, str) else "")
def test_a_written_out_function_computes_what_the_function_computes(kind, role, fn):
    """The expression codegen writes in place of the call, evaluated on arguments that are themselves
    expressions (a sum, a negation, an index: operator precedence matters), gives the function's own value
    bit for bit."""
    rng = np.random.default_rng(3)
    params = list(inspect.signature(fn).parameters)
    for _ in range(20):
        vals = rng.uniform(-2, 2, size=len(params))
        env = {"a": vals, "b": np.ones(1), "math": math, "fmin2": min, "fmax2": max}     # the intrinsics' Python
        # each argument: a[i] - b[0] + 1.0 (a low-precedence expression), or a plain name where a parameter
        # is read twice (codegen then refuses anything else)
        args = [f"a[{i}] - b[0] + 1.0" for i in range(len(params))]
        text = compact.inline(fn, args)
        if text is None:
            args = [f"x{i}" for i in range(len(params))]
            env.update({f"x{i}": vals[i] - 1.0 + 1.0 for i in range(len(params))})
            text = compact.inline(fn, args)
        want = fn(*[v - 1.0 + 1.0 for v in vals])
        got = eval(text, env)
        assert np.array_equal(np.asarray(got), np.asarray(want)), (text, got, want)


def test_a_parameter_read_twice_takes_no_expression():
    """An argument expression would be evaluated twice: codegen calls the compiled function instead."""
    def clip(x, lo):
        return x if x > lo else lo

    assert compact.inline(clip, ["a[i] + 1.0", "lo_"]) is None
    assert compact.inline(clip, ["y_", "lo_"]) == "(y_ if y_ > lo_ else lo_)"


def test_a_function_reading_a_global_or_with_statements_is_called():
    def two_lines(x):
        y = x * 2.0
        return y

    def ratio(x, y):
        return x / y

    assert compact.inline(two_lines, ["v"]) is None
    assert compact.inline(ratio, ["v", "w"]) is None      # the loop's error model would turn x / 0 into inf
    assert compact.inline(np.sin, ["v"]) is None       # no Python source
    assert compact.inline(registered("lif").functions["step"], ["v"] * 9) is None


def test_the_stdp_kernel_calls_no_one_line_function():
    import cuba

    net, _, _ = cuba.build_cuba(seed=1, stdp=True)
    source = codegen.generate(snn.Simulator(net, dt=cuba.DT)._layout)
    for role in ("decay_pre", "decay_post", "on_pre", "on_post", "pre_spike", "post_spike"):
        assert f"f_stdp_{role}" not in source
    assert "f_exp_" not in source and "f_lif_step(" in source


def _stdp_sim():
    import cuba

    net, _, _ = cuba.build_cuba(seed=1, stdp=True)
    return snn.Simulator(net, dt=cuba.DT)


def test_the_packed_tables_hold_the_fields_column_by_column():
    """groups.PACKED's matrices are the fields they stand for, in the listed column order (a 2-d field's
    columns last), so `G.it[row, c]` in the loop reads what `G.<field>[row]` read."""
    sim = _stdp_sim()
    tuples = {"G": sim._groups, "L": sim._rules, "P": sim._pres, "g": (sim._graph,)}
    checked = 0
    for root, tables in PACKED.items():
        for t in tuples[root]:
            for table, fields in tables:
                packed = getattr(t, table)
                assert packed.dtype == np.int64 and packed.flags.c_contiguous
                c = 0
                for f in fields:
                    col = np.asarray(getattr(t, f))
                    col = col if col.ndim == 2 else col[:, None]
                    assert np.array_equal(packed[:, c:c + col.shape[1]], col), (root, table, f)
                    c += col.shape[1]
                    checked += 1
                assert c == packed.shape[1]
    assert checked >= 10


def test_the_loop_reads_the_packed_tables():
    lines = ["G = groups[0]", "L = rules[0]", "for row in range(G.off.shape[0]):", "    a = G.off[row]",
             "    o1 = G.rslot[row, 1]", "    x = G.rslot[row, r]", "    q = L.pre_n[g.rule_row[r]]",
             "    st.drive[a] = a + o1 + x + q"]
    binds, body = codegen._hoist(lines)
    text = "\n".join(body)
    assert "for row in range(G0_it.shape[0]):" in text
    assert "a = G0_it[row, 0]" in text and "o1 = G0_it[row, 4]" in text and "x = G0_it[row, 3 + r]" in text
    # an index holding brackets: the outer field stays as it was, the inner one is read from its table
    assert "q = L0_pre_n[g_rule_t[r, 1]]" in text
    assert binds["G0_it"] == "G0.it" and "G0_off" not in binds


def test_dead_loads_are_dropped_and_nothing_else():
    lines = ["for row in range(n):", "    p0 = (G.par[row, 0])", "    p1 = FT(G.par[row, 1])", "    p2 = G.par[row, 2]",
             "    if p2 > 0:", "        dead_ = L.par[row, 3]", "    st.drive[row] = p2"]
    out = compact.drop_dead(lines)
    # p1 is read by nobody and follows a sibling: dropped; p0 opens its block: kept (the block stays non-empty);
    # dead_ alone in its block: kept; p2 is read
    assert out == ["for row in range(n):", "    p0 = (G.par[row, 0])", "    p2 = G.par[row, 2]", "    if p2 > 0:",
                   "        dead_ = L.par[row, 3]", "    st.drive[row] = p2"]


# min/max of two, written out as the intrinsics jit.fmin2 / jit.fmax2: the same value as numba's own min/max (and
# Python's) for every pair, signed zeros and NaN included (which argument is returned matters there)
_SPECIAL = [0.0, -0.0, 1.5, -2.25, math.inf, -math.inf, math.nan, 3]


def test_min_and_max_of_two_are_written_as_the_intrinsics():
    def clip(w, lo, hi):
        return min(max(w, lo), hi)

    assert compact.inline(clip, ["w_", "a_", "b_"]) == "(fmin2(fmax2(w_, a_), b_))"

    def three(x, y, z):
        return min(x, y, z)

    assert compact.inline(three, ["x", "y", "z"]) == "(min(x, y, z))"       # only two arguments are rewritten


@pytest.mark.parametrize("ftype", [np.float64, np.float32])
def test_the_min_max_intrinsics_return_what_numba_and_python_return(ftype):
    from snnlib.sim import jit

    if not jit.JIT_ENABLED:
        pytest.skip("without the JIT fmin2/fmax2 are Python's min and max")

    @jit.njit
    def ours(a, b):
        return jit.fmin2(a, b), jit.fmax2(a, b)

    @jit.njit
    def numbas(a, b):
        return min(a, b), max(a, b)

    for x in _SPECIAL:
        for y in _SPECIAL:
            a, b = ftype(x), (y if isinstance(y, int) else ftype(y))
            got, want = ours(a, b), numbas(a, b)
            py = (min(a, b), max(a, b))
            for g, w, p in zip(got, want, py):
                assert type(g) is type(w)
                # same bits: -0.0 and 0.0 told apart, NaN equal to NaN
                assert np.asarray(g).tobytes() == np.asarray(w).tobytes() == np.asarray(type(w)(p)).tobytes(), (x, y)


def test_the_serial_loop_is_compiled_without_the_passes_it_does_not_need():
    """The loop's pipelines (jit.LoopCompiler) leave out InlineClosureLikes and NopythonRewrites and keep the
    rest of numba's nopython pipeline in order; the first also leaves out ReconstructSSA, PreLowerStripPhis and
    IRLegalization and checks after typing that each name has one type (tests/test_loop_pipeline.py), the
    second, run only if the first fails, is numba's with SSA."""
    from numba.core.compiler import DefaultPassBuilder, Flags, StateDict
    from numba.core.typed_passes import IRLegalization, NopythonRewrites, NopythonTypeInference, PreLowerStripPhis
    from numba.core.untyped_passes import InlineClosureLikes, ReconstructSSA

    from snnlib.sim import jit

    source = codegen.generate(_stdp_sim()._layout)
    assert "pipeline_class=LoopCompiler" in source
    state = StateDict()
    state.func_ir = None
    state.flags = Flags()
    full = [p for p, _ in DefaultPassBuilder.define_nopython_pipeline(state).passes]
    compiler = jit.LoopCompiler.__new__(jit.LoopCompiler)
    compiler.state = state
    fast, safe = compiler.define_pipelines()
    lean = [p for p in full if p not in (InlineClosureLikes, NopythonRewrites)]
    for pm in (fast, safe):          # the loop's code library, made right before lowering (one LLVM round)
        names = [p.__name__ for p, _ in pm.passes]
        assert names[names.index("NativeLowering") - 1] == "WrapperUnoptimised"
        pm.passes = [(p, d) for p, d in pm.passes if p.__name__ != "WrapperUnoptimised"]
    assert [p for p, _ in safe.passes][1:] == lean and len(lean) == len(full) - 2
    first = [p for p, _ in fast.passes]
    check = first.index(NopythonTypeInference) + 1
    assert first[check].__name__ == "OneTypePerName"
    assert first[:check] + first[check + 1:] == [p for p in lean
                                                 if p not in (ReconstructSSA, PreLowerStripPhis, IRLegalization)]
