"""The generated serial loop's numba pipeline (`jit.LoopCompiler`, issue 10's first compile): typed without SSA,
which gives each variable name ONE type for the whole function. That compiles to what numba's SSA pipeline
compiles only when every assignment to a name already has that type; `OneTypePerName` checks it after typing
and otherwise the loop is compiled again with SSA. These tests show the check catches the two silent changes
SSA-less typing would make (an int64 and a uint64 index unified to float64; float32 arithmetic widened to
float64), and that the generator's loops need no second compile (one type per generated name)."""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
sys.path.insert(0, os.path.dirname(__file__))
import snnlib as snn
from snnlib.sim import jit

pytestmark = pytest.mark.skipif(not jit.JIT_ENABLED, reason="numba's pipeline: JIT only")


class _FirstPipelineOnly(jit.LoopCompiler if jit.LoopCompiler else object):
    fallback = False


def _pipelines(fn):
    """The names of the pipelines whose timings numba kept for fn's one compiled signature (the last one run)."""
    (cres,) = fn.overloads.values()
    return set(cres.metadata["pipeline_times"])


def _ran(fn, pass_name):
    """Whether numba's pass `pass_name` ran in the pipeline that compiled fn's one signature."""
    (cres,) = fn.overloads.values()
    return any(key.split("_", 1)[1] == pass_name for times in cres.metadata["pipeline_times"].values()
               for key in times)


def _int_and_uint(a, b):
    # in loops (numba renames a name assigned again in straight-line code by itself, SSA or not)
    s = 0
    for i in range(a.shape[0]):
        e = a[i]
        s += e
    for i in range(b.shape[0]):
        e = b[i]      # the same name, now uint64: unified with int64 without SSA it would be a float64
        r = e
    return r, s


def _float32_then_float64(x32, y64):
    for i in range(x32.shape[0]):
        t = x32[i]
        u = t * t * t     # float32 arithmetic while t is float32
    for i in range(y64.shape[0]):
        t = y64[i]        # the same name, now float64: without SSA t, and the product, would be float64
    return u, t


def test_an_int64_and_a_uint64_under_one_name_are_compiled_with_ssa():
    big = 2 ** 63 + 5              # not a float64: a unified float64 would round it
    fn = jit.njit(_int_and_uint, pipeline_class=jit.LoopCompiler)
    e, s = fn(np.array([3], np.int64), np.array([big], np.uint64))
    assert (e, s) == (big, 3) and isinstance(e, int)
    assert _pipelines(fn) == {"snnlib_loop_ssa"}        # the first pipeline refused it
    strict = jit.njit(_int_and_uint, pipeline_class=_FirstPipelineOnly)
    with pytest.raises(Exception, match=r"names assigned values of two types: .*'e': \['float64', 'int64', 'uint64'\]"):
        strict(np.array([3], np.int64), np.array([big], np.uint64))


def test_float32_arithmetic_is_not_widened_by_a_float64_under_the_same_name():
    x = np.array([1.1], np.float32)
    fn = jit.njit(_float32_then_float64, pipeline_class=jit.LoopCompiler)
    u, t = fn(x, np.array([2.5]))
    assert u == float(x[0] * x[0] * x[0]) != float(x[0]) ** 3         # float32 products, as Python/numpy do them
    assert t == 2.5 and _pipelines(fn) == {"snnlib_loop_ssa"}


def test_a_function_with_one_type_per_name_is_compiled_once_without_ssa():
    def f(a):
        s = 0
        for i in range(a.shape[0]):
            s += a[i]        # s: int64 at every assignment
        return s

    fn = jit.njit(f, pipeline_class=jit.LoopCompiler)
    assert fn(np.arange(5)) == 10 and _pipelines(fn) == {"snnlib_loop"}


def _collections_during(call):
    """(what `call()` returned or raised, the generations Python's garbage collector ran on meanwhile)."""
    import gc

    seen = []

    def note(phase, info):
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    try:
        out = call()
    except Exception as err:  # noqa: BLE001 - the failure is part of what the caller checks
        out = err
    finally:
        gc.callbacks.remove(note)
    return out, seen


def test_the_garbage_collector_is_paused_while_a_loop_compiles():
    import gc

    def f(a):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i] * 2.0
        return s

    def g(a):
        return a[0] - 1.0

    jit.njit(g, pipeline_class=jit.LoopCompiler)(np.arange(2.0))  # numba's own first-use set-up, not timed here
    assert gc.isenabled()
    gc.collect()                  # the collector's counts from zero: the calls before the compile allocate little
    out, seen = _collections_during(lambda: jit.njit(f, pipeline_class=jit.LoopCompiler)(np.arange(3.0)))
    assert out == 6.0 and gc.isenabled()
    # numba's tens of thousands of objects (about 130 collections, older generations among them, unpaused): the
    # young generation collected once after the compile (and at most twice more around it, by the dispatcher)
    assert 1 <= len(seen) <= 3 and set(seen) == {0}
    # a compile that fails (the first pipeline alone refuses two types under one name) resumes it too
    strict = jit.njit(_int_and_uint, pipeline_class=_FirstPipelineOnly)
    gc.collect()
    out, seen = _collections_during(lambda: strict(np.array([3], np.int64), np.array([5], np.uint64)))
    assert isinstance(out, Exception) and gc.isenabled() and 1 <= len(seen) <= 3 and set(seen) == {0}
    # paused by the caller: it stays paused, and nothing is collected
    gc.disable()
    try:
        out, seen = _collections_during(lambda: jit.njit(f, pipeline_class=jit.LoopCompiler)(np.arange(4.0)))
    finally:
        was, _ = gc.isenabled(), gc.enable()
    assert out == 12.0 and not was and seen == []


def _cuba(precision):
    import cuba

    net, _, _ = cuba.build_cuba(seed=1, stdp=True)
    return snn.Simulator(net, dt=cuba.DT, precision=precision), cuba.DT


def _modulated(precision):
    import modulation_models as mm

    net = snn.Network(seed=3)
    m = net.modulator(lambda t: mm.level(t, 1.0), label="m")       # a time modulator (its filter: `ta_`)
    for par in ("gain", "bias", "threshold"):                     # modulated links (`a_`)
        net.modulate(net.population(4, snn.LIF(), bias=mm.J_LIF[:4], label=par), par, m, scale=mm.SCALE[par])
    net.modulator(lambda t: np.sin(t), tau=0.02, label="filt")
    return snn.Simulator(net, dt=1e-4, precision=precision), 1e-4


def _three_factor(precision):
    net = snn.Network(seed=11)
    inp = net.poisson(8, rate=20.0, in_loop=True)
    post = net.population(4, snn.LIF(), bias=0.8)
    d = net.modulator(post, tau=0.1, weights=np.full(4, 0.01))
    net.connect(inp, post, 0.2, plasticity=snn.ThreeFactorSTDP(d))        # the rule's per-edge `step`
    net.connect(post, post, 0.1, plasticity=snn.STDP())                  # and pair STDP: on_pre, on_post
    return snn.Simulator(net, dt=1e-3, precision=precision), 1e-3


@pytest.mark.parametrize("build", [_cuba, _modulated, _three_factor])
@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_the_generated_loops_give_every_name_one_type(build, precision, tmp_path, monkeypatch):
    """Compiled from an empty cache with the first pipeline only: a generated name that takes two types (e.g.
    the exact step's float64 state under the float32 pass's names) fails here, naming it."""
    from snnlib.sim import kernel, kernel_cache

    monkeypatch.setenv("SNNLIB_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(kernel, "_BY_STRUCTURE", {})
    monkeypatch.setattr(kernel_cache, "_LOADED", {})
    monkeypatch.setattr(jit.LoopCompiler, "fallback", False)
    sim, dt = build(precision)
    sim.run(3 * dt)
    (fn,) = kernel._BY_STRUCTURE.values()
    assert _pipelines(fn.__globals__["loop"]) == {"snnlib_loop"}


def test_compile_plain_binds_two_argument_min_max_to_the_intrinsics():
    """lif_update's `max(zero, rn)` is compiled as jit.fmax2 (no numba overload of max compiled for it), bound
    at its first compile (a cached kernel never parses the model's source); a function calling max with three
    arguments keeps Python's/numba's max."""
    from snnlib.model.plugin import registered
    from snnlib.sim import codegen_compact as compact

    update = registered("lif").functions["update"]
    assert compact.two_argument_minmax(update) == {"max"}
    assert compact.two_argument_minmax(_max_of_three) == set()
    assert compact.two_argument_minmax(_max_passed_on) == set()
    assert compact.two_argument_minmax(_min_and_max) == {"min", "max"}
    upd = jit.compile_plain(update)           # compiled-only functions: called from compiled code
    assert "max" not in upd.py_func.__globals__
    assert jit.njit(lambda v, ref: upd(v, ref, 0.5, 1e-3, 0.0, 1.0, 0.0, 0.1))(0.2, 0.0)[2] is False
    assert upd.py_func.__globals__["max"] is jit.fmax2
    three = jit.compile_plain(_max_of_three)
    assert jit.njit(lambda a, b, c: three(a, b, c))(1.0, 3.0, 2.0) == 3.0
    assert "max" not in three.py_func.__globals__         # the builtin
    g = jit.compile_plain(_min_and_max)
    call = jit.njit(lambda a, b: g(a, b))
    for a, b in ((2.0, -0.0), (-0.0, 0.0), (0.0, -0.0), (np.nan, 1.0), (1.0, np.nan)):
        got, want = call(a, b), _min_and_max(a, b)       # Python's rule, signed zeros and NaN included
        assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), (a, b)
    assert g.py_func.__globals__["min"] is jit.fmin2 and g.py_func.__globals__["max"] is jit.fmax2


def _max_of_three(a, b, c):
    return max(a, b, c)


def _max_passed_on(a, b):
    m = max
    return m(a, b)


def _min_and_max(a, b):
    lo = min(a, b)
    return lo, max(a, b)


def _loop_machine_code(asm):
    """The loop function's assembly (numba's Python wrapper, which follows it, cut off), with symbol names and
    block labels numbered by first use, so two compiles of one source compare equal line for line."""
    import re

    own = asm.split("_ZN7cpython")[0]
    names = {}

    def rename(m):
        return names.setdefault(m.group(0), f"N{len(names)}")

    return re.sub(r"_ZN[0-9A-Za-z_]+|\.LBB\d+_\d+|\.LCPI\d+_\d+", rename, own).splitlines()


def _attributes(ir):
    """{"loop": whether the loop function is `optnone`, "wrapper": whether its Python wrapper is}, read from
    the final LLVM IR (each definition's attribute group, `#N`, and the groups' lists)."""
    import re

    groups = dict(re.findall(r"^attributes (#\d+) = \{(.*)\}", ir, re.M))
    found = {}
    for line in ir.splitlines():
        if line.startswith("define") and "4loop" in line:
            role = "wrapper" if "_ZN7cpython" in line else "loop"
            found[role] = any("optnone" in groups.get(g, "") for g in re.findall(r"#\d+", line))
    return found


def _compiled_loop(build, precision, tmp_path, monkeypatch):
    """Build and briefly run a network in an empty kernel cache: its loop dispatcher, the loop's one signature,
    and the generated source with numba's cache off (to compile it again under other settings, and compare)."""
    from snnlib.sim import kernel, kernel_cache

    monkeypatch.setenv("SNNLIB_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(kernel, "_BY_STRUCTURE", {})
    monkeypatch.setattr(kernel_cache, "_LOADED", {})
    sim, dt = build(precision)
    sim.run(3 * dt)
    (run_steps,) = kernel._BY_STRUCTURE.values()
    loop = run_steps.__globals__["loop"]
    (sig,) = loop.signatures
    with open(run_steps.__globals__["__file__"]) as f:
        source = f.read().replace("CACHE = True", "CACHE = False")
    return loop, sig, source


@pytest.mark.parametrize("build", [_cuba, _three_factor])
def test_the_loops_python_wrapper_is_left_unoptimised_and_the_loop_is_not(build, tmp_path, monkeypatch):
    """`LoopCompiler` marks the loop's Python wrapper `optnone` (no LLVM optimisation, a cheaper first compile)
    and nothing else: the same generated source compiled with numba's default treatment of the wrapper gives
    the loop the same machine code, instruction for instruction, and the wrapper its optimisation back."""
    import types

    loop, sig, source = _compiled_loop(build, "float32", tmp_path, monkeypatch)
    monkeypatch.setattr(jit.LoopCompiler, "wrapper_unoptimised", False)
    default = types.ModuleType("snnlib_kernel_default_wrapper")
    exec(compile(source, "<generated, numba's default wrapper>", "exec"), default.__dict__)
    default.loop.compile(sig)

    assert _attributes(loop.inspect_llvm(sig)) == {"loop": False, "wrapper": True}        # optnone?
    assert _attributes(default.loop.inspect_llvm(sig)) == {"loop": False, "wrapper": False}
    ours, theirs = _loop_machine_code(loop.inspect_asm(sig)), _loop_machine_code(default.loop.inspect_asm(sig))
    assert len(ours) > 500 and ours == theirs


@pytest.mark.parametrize("build", [_cuba, _modulated, _three_factor])
@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_the_loop_compiles_to_the_same_machine_code_without_ir_legalization(build, precision, tmp_path,
                                                                            monkeypatch):
    """`LoopCompiler`'s first pipeline leaves out numba's IRLegalization (its `del`s only decrement reference
    counts, which the loop has none of, and zero the variables' stack slots): the same generated source
    compiled with the pass gives the loop the same machine code, instruction for instruction."""
    import types

    loop, sig, source = _compiled_loop(build, precision, tmp_path, monkeypatch)
    assert _pipelines(loop) == {"snnlib_loop"}              # compiled by the first pipeline: without the pass
    monkeypatch.setattr(jit.LoopCompiler, "ir_legalization", True)
    legal = types.ModuleType("snnlib_kernel_with_ir_legalization")
    exec(compile(source, "<generated, with IRLegalization>", "exec"), legal.__dict__)
    legal.loop.compile(sig)
    assert [_ran(fn, "ir_legalization") for fn in (loop, legal.loop)] == [False, True]
    ours, theirs = _loop_machine_code(loop.inspect_asm(sig)), _loop_machine_code(legal.loop.inspect_asm(sig))
    assert len(ours) > 300 and ours == theirs
