"""The numba compiler pipeline of the generated serial loops, `LoopCompiler` (re-exported by `snnlib.sim.jit`)."""

from snnlib.sim.jit_base import _numba


def _loop_pipeline():
    """The compiler class of the generated serial loops: numba's nopython pipeline, leaner.

    - Always without the two passes that do nothing for a generated loop (no closures, no whole-array
      expressions, no constant arrays): `InlineClosureLikes` and `NopythonRewrites`. Each re-analyses the whole
      function (variable lifetimes over every block) one or two times, about 0.1 s of the CUBA+STDP loop's first
      compile; the LLVM code numba writes is the same without them (the loops' optimised IR compared over the
      kernel tests' structures, benchmarks/README.md).
    - First tried without `ReconstructSSA` (and `PreLowerStripPhis`, which removes what it adds), about 0.1 s
      more. Without SSA numba gives each variable name one type for the whole function, the unified type of
      everything assigned to it; with SSA each assignment keeps its own. The two compile to the same code when
      every assignment to a name already has the name's type, which the generated source arranges (one name
      per role: codegen). `OneTypePerName`, right after typing, checks it: if any assignment would be
      converted (an int64 and a uint64 index unify to float64, a float32 value would widen to float64), or
      typing fails, the loop is compiled again by the second pipeline, with SSA: never a silent conversion.
    - The first pipeline also runs without numba's `IRLegalization`, right before lowering: it checks the IR
      (no phi nodes, no `del`s yet), rewrites loops with several back edges (`continue`) to one, and inserts a
      `del` for every variable at the end of its life. Lowering turns each `del` into a reference-count
      decrement, nothing without numba's reference counting (the serial loop is compiled `_nrt=False`), and a
      zero store into the variable's stack slot that LLVM then removes: about 0.34 G instructions (3 %) of the
      CUBA+STDP first compile, the loop's machine code the same (tests/test_loop_pipeline.py compares it, with
      and without the pass, for three structures in both precisions; benchmarks/README.md, session 11). The
      second pipeline keeps it: a loop the first cannot lower is compiled as numba would.
    - Python's cyclic garbage collector is paused while the loop (and the model functions it calls) compile,
      then the young generation is collected once (`compile_extra`): numba allocates some 200,000 objects for
      the CUBA+STDP loop, which made the collector run about 175 times during the compile, once over the
      whole heap (the imported modules' 200,000 objects: that full pass alone 0.06 s). One collection of the
      compile's own objects afterwards frees the same garbage (75,000 objects) for about 0.04 s instead of
      0.085 s (benchmarks/README.md, session 11). A collector already paused by the caller stays paused and
      nothing is collected.
    - The loop's Python wrapper is left unoptimised (`WrapperUnoptimised`, right before lowering: LLVM's
      `optnone`): numba's wrapper unboxes each of the loop's array arguments (45 for CUBA+STDP) and runs once
      per chunk of steps, but LLVM optimised it as the loop, twice (numba's per-function -O3 round, then the
      module pipeline), and selected its instructions with the full instruction selector: about 0.4 G
      instructions of the CUBA+STDP first compile (benchmarks/README.md, session 10). The loop's own code is
      the same, instruction for instruction.
    """
    from numba.core import errors, ir, types
    from numba.core.compiler import CompilerBase, DefaultPassBuilder
    from numba.core.compiler_machinery import AnalysisPass, PassManager, register_pass
    from numba.core.typed_passes import (IRLegalization, NativeLowering, NopythonRewrites, NopythonTypeInference,
                                         PreLowerStripPhis)
    from numba.core.untyped_passes import InlineClosureLikes, ReconstructSSA

    _WRAPPER = "_ZN7cpython"          # numba's mangled name of a function's Python wrapper starts so

    class NameTypesDiffer(errors.NumbaError):
        """An assignment whose value's type differs from its variable's (unified) type: compile with SSA."""

    @register_pass(mutates_CFG=False, analysis_only=True)
    class OneTypePerName(AnalysisPass):
        """After typing without SSA: every assignment to a variable assigned more than once gives it a value of
        the variable's own type (literals counted as their type); raises NameTypesDiffer otherwise."""

        _name = "snnlib_one_type_per_name"

        def __init__(self):
            AnalysisPass.__init__(self)

        def run_pass(self, state):
            bad = names_with_two_types(state)
            if bad:
                raise NameTypesDiffer(f"names assigned values of two types: {bad}")
            return False

    @register_pass(mutates_CFG=False, analysis_only=True)
    class ForgetFirstTry(AnalysisPass):
        """First pass of the second pipeline: forget what the first one found. Its typing's return type would
        otherwise be taken for a declared one (the result cast to it), and numba's dispatcher raises the failure it
        records as a typing error even when a later pipeline compiled the function."""

        _name = "snnlib_forget_first_try"

        def __init__(self):
            AnalysisPass.__init__(self)

        def run_pass(self, state):
            for key, value in state.pop("snnlib_before_first_try").items():
                state[key] = value
            state.status.fail_reason = None
            return False

    def _wrapper_unoptimised(library):
        """`library._optimize_functions` (numba's per-function -O3 round, run as each module is added), preceded
        by marking the loop's Python wrapper (numba's `cpython.` function: it unboxes the arguments, calls the
        loop once per chunk of steps and boxes the result) `optnone` (with `noinline`, which LLVM requires with
        it): LLVM's passes skip such a function, here and in the module pipeline, and its machine code is
        selected the fast way. The loop's own machine code is unchanged (tests/test_loop_pipeline.py compares
        it). Only the attributes are ours: numba's own round runs as it is, whatever its version."""
        numba_round = library._optimize_functions

        def optimize_functions(ll_module):
            for func in ll_module.functions:
                if func.name.startswith(_WRAPPER) and not func.is_declaration:
                    func.add_function_attribute("noinline")
                    func.add_function_attribute("optnone")
            numba_round(ll_module)
        return optimize_functions

    @register_pass(mutates_CFG=False, analysis_only=True)
    class WrapperUnoptimised(AnalysisPass):
        """Right before lowering: create the function's code library as numba's lowering would (object caching
        on, so the kernel is cached), its Python wrapper left unoptimised (`_wrapper_unoptimised`)."""

        _name = "snnlib_wrapper_unoptimised"

        def __init__(self):
            AnalysisPass.__init__(self)

        def run_pass(self, state):
            library = state.targetctx.codegen().create_library(state.func_id.func_qualname)
            library.enable_object_caching()
            if hasattr(library, "_optimize_functions"):     # a numba without it: its own round, unchanged
                library._optimize_functions = _wrapper_unoptimised(library)
            state.library = library
            return False

    def value_type(state, value):
        """The type of an assigned value as typing saw it, or None when this pass cannot tell."""
        tm, ct, ctx = state.typemap, state.calltypes, state.typingctx
        if isinstance(value, ir.Var):
            return tm.get(value.name)
        if isinstance(value, (ir.Const, ir.Global, ir.FreeVar)):
            try:
                return ctx.resolve_value_type(value.value)
            except Exception:
                return None
        if isinstance(value, ir.Expr):
            sig = ct.get(value)
            if sig is not None:
                return sig.return_type
            if value.op == "static_getitem":
                base = tm.get(value.value.name)
                if isinstance(base, types.BaseTuple) and isinstance(value.index, int):
                    return base.types[value.index]
        return None

    def names_with_two_types(state):
        """{name: [types]} of the variables assigned more than once whose values' types are not all theirs."""
        defs = state.func_ir._definitions
        bad = {}
        for block in state.func_ir.blocks.values():
            for stmt in block.body:
                if not isinstance(stmt, ir.Assign) or len(defs.get(stmt.target.name, ())) < 2:
                    continue
                own = types.unliteral(state.typemap[stmt.target.name])
                got = value_type(state, stmt.value)
                if got is None or types.unliteral(got) != own:
                    bad.setdefault(stmt.target.name, {str(own)}).add(str(got))
        return {k: sorted(v) for k, v in bad.items()}

    _TYPING_SETS = ("return_type", "typemap", "calltypes", "typing_errors")

    class LoopCompiler(CompilerBase):
        """numba's nopython pipeline less InlineClosureLikes and NopythonRewrites: first without SSA (checked by
        OneTypePerName) and IRLegalization, then, if that fails, with both."""

        #: False: the first pipeline only (tests: a generated loop that needs SSA fails to compile, naming why)
        fallback = True
        #: False: numba's LLVM optimisation of the loop's Python wrapper too (tests compare the two)
        wrapper_unoptimised = True
        #: True: numba's IRLegalization in the first pipeline too (tests compare the two)
        ir_legalization = False

        def compile_extra(self, func):
            """numba's compile of `func` with Python's garbage collector paused (see `_loop_pipeline`)."""
            import gc

            if not gc.isenabled():
                return CompilerBase.compile_extra(self, func)
            gc.disable()
            try:
                return CompilerBase.compile_extra(self, func)
            finally:
                gc.enable()
                gc.collect(0)       # everything the compile allocated is in the young generation

        def define_pipelines(self):
            full = DefaultPassBuilder.define_nopython_pipeline(self.state)
            # what typing sets, as it was before the first try (ForgetFirstTry restores it for the second)
            self.state["snnlib_before_first_try"] = {key: self.state.get(key) for key in _TYPING_SETS}
            fast, safe = PassManager("snnlib_loop"), PassManager("snnlib_loop_ssa")
            safe.add_pass(ForgetFirstTry, "forget the first pipeline's failure")
            for pss, desc in full.passes:
                if pss in (InlineClosureLikes, NopythonRewrites):
                    continue
                if pss is NativeLowering and self.wrapper_unoptimised:
                    for pm in (fast, safe):
                        pm.add_pass(WrapperUnoptimised, "the loop's Python wrapper left to LLVM unoptimised")
                safe.add_pass(pss, desc)
                if pss not in (ReconstructSSA, PreLowerStripPhis) and (pss is not IRLegalization
                                                                       or self.ir_legalization):
                    fast.add_pass(pss, desc)
                if pss is NopythonTypeInference:
                    fast.add_pass(OneTypePerName, "one type per variable name")
            fast.finalize()
            safe.finalize()
            return [fast, safe] if self.fallback else [fast]

    LoopCompiler.names_with_two_types = staticmethod(names_with_two_types)
    return LoopCompiler


#: the compiler class of the generated serial loops (`njit(pipeline_class=...)`); None without numba
LoopCompiler = _loop_pipeline() if _numba is not None else None
