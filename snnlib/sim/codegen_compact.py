"""Text transforms that keep a generated loop's first compile short (issue 10), used by `snnlib.sim.codegen`.

numba's compile time grows with what it is given: every function a loop calls goes through its whole pipeline
and LLVM module before being inlined, every array argument gets its own unboxing code in the Python wrapper,
every statement is typed and lowered before dead code is removed. So the generator
- writes out a model function that is a single `return <expression>` (`inline`) instead of calling it;
- reads the small per-row integer tables from one packed int64 matrix per named tuple (`packed`, with
  `groups.PACKED`), one array argument instead of one per table;
- drops loads into variables that nothing reads (`drop_dead`).
Each leaves every computed value as it was (tests/test_codegen_compile.py; the kernels' results are pinned in
tests/test_generated_kernel.py).
"""

import inspect
import re

_ONE_LINERS = {}      # function -> (template with __arg<i>__ for its parameters, uses per parameter) or None
_MODULE_TREES = {}    # source file -> its parsed module (each model file parsed once per process)
_PURE = {"min", "max", "abs"}
_MINMAX = {"min": "fmin2", "max": "fmax2"}
_ATOM = re.compile(r"^(?:[A-Za-z_][\w.]*(?:\[[^\[\]]*\])*|\d[\d.]*(?:e[-+]?\d+)?)$")
_SIMPLE = re.compile(r"^(?:[A-Za-z_]\w*|\d[\d.]*(?:e[-+]?\d+)?)$")
_ARG = re.compile(r"__arg(\d+)__")


def inline(fn, args):
    """The expression `fn(*args)` computes, written out, when `fn` is one `return <expression>` that reads
    only its parameters, `min`, `max`, `abs` and `math.<f>` (None otherwise: the compiled function is called).

    Each function a kernel calls is compiled on its own first (typing, lowering, LLVM optimisation, machine
    code) before LLVM inlines it into the loop: for STDP's six one-line functions and the exponential synapse's
    two, about 0.2 s of a first compile. The written-out expression is the function's own, with the same
    operand types, so the results are bit-identical; an argument that is not a name, number or plain index is
    put in parentheses, and a parameter read twice takes only a name or a number (an argument expression is
    never evaluated twice)."""
    entry = _ONE_LINERS.get(fn, False)
    if entry is False:
        entry = _ONE_LINERS[fn] = _one_liner(fn)
    if entry is None:
        return None
    template, uses = entry
    for p, a in enumerate(args):
        if uses[p] > 1 and not _SIMPLE.match(a):
            return None
    return "(" + _ARG.sub(lambda m: args[int(m.group(1))] if _ATOM.match(args[int(m.group(1))])
                          else "(" + args[int(m.group(1))] + ")", template) + ")"


def _function_node(fn):
    """The `ast.FunctionDef` of plain function `fn` in its module's parsed source, or None."""
    import ast
    import linecache

    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    tree = _MODULE_TREES.get(code.co_filename)
    if tree is None:
        try:
            tree = ast.parse("".join(linecache.getlines(code.co_filename)))
        except (SyntaxError, ValueError):
            return None
        _MODULE_TREES[code.co_filename] = tree

    def find(nodes):
        return next((n for n in nodes if isinstance(n, ast.FunctionDef) and n.name == fn.__name__
                     and n.lineno == code.co_firstlineno), None)

    return find(tree.body) or find(ast.walk(tree))        # a module-level function, else a nested one


def _one_liner(fn):
    """(template, uses) of a one-line function for `inline`, or None."""
    import ast
    import math

    code = getattr(fn, "__code__", None)
    if code is None or code.co_nlocals != code.co_argcount or code.co_flags & 0x0C:     # locals, *args, **kw
        return None
    node = _function_node(fn)
    if node is None or node.decorator_list:
        return None
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]         # the docstring
    if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
        return None
    params = list(inspect.signature(fn).parameters)
    names = [n.id for n in ast.walk(body[0].value) if isinstance(n, ast.Name)]
    allowed = set(params) | {n for n in _PURE if n not in fn.__globals__}
    if fn.__globals__.get("math") is math:
        allowed.add("math")
    if not set(names) <= allowed or any(isinstance(n, (ast.Lambda, ast.NamedExpr)) for n in ast.walk(body[0].value)):
        return None
    # no division: the loop is compiled with error_model="numpy" (x / 0 gives inf), a model's own function
    # raises ZeroDivisionError as Python does; written out, a division would change that
    if any(isinstance(n, (ast.Div, ast.FloorDiv, ast.Mod)) for n in ast.walk(body[0].value)):
        return None

    class Mark(ast.NodeTransformer):
        def visit_Name(self, n):
            return ast.Name(id=f"__arg{params.index(n.id)}__") if n.id in params else n

        def visit_Call(self, n):
            # min/max of two: the kernel's intrinsics (jit.fmin2/fmax2: the same code, no overload compiled)
            self.generic_visit(n)
            if isinstance(n.func, ast.Name) and n.func.id in _MINMAX and len(n.args) == 2 and not n.keywords \
                    and not any(isinstance(a, ast.Starred) for a in n.args):
                n.func = ast.Name(id=_MINMAX[n.func.id])
            return n

    return ast.unparse(Mark().visit(body[0].value)), [names.count(p) for p in params]


def two_argument_minmax(fn):
    """The builtins among `min` and `max` that `fn` (a model's plain function) reads only as calls with two
    positional arguments: `jit.compile_plain` compiles it with those names bound to the intrinsics
    (jit.fmin2/fmax2, numba's own `do_minmax` code, so the same results) instead of numba's `min`/`max`
    overloads, each compiled as a function of its own (typing, lowering, a C wrapper, machine code) for each
    signature. Empty when the source cannot be read, when the module defines its own `min`/`max`, or when a
    name is used any other way (three arguments, an iterable, passed on as a value)."""
    import ast

    node = _function_node(fn)
    if node is None:
        return set()
    calls, seen = set(), set()
    for n in ast.walk(node):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and len(n.args) == 2 and not n.keywords \
                and not any(isinstance(a, ast.Starred) for a in n.args):
            calls.add(id(n.func))
        if isinstance(n, ast.Name) and n.id in _MINMAX:
            seen.add(n.id if id(n) in calls else "other " + n.id)
        elif isinstance(n, ast.arg) and n.arg in _MINMAX:
            seen.add("other " + n.arg)
    return {m for m in _MINMAX if m in seen and "other " + m not in seen and m not in fn.__globals__}


#: a field of a neuron group (G), rule group (L), presynaptic group (P) or the graph (g), indexed or its .shape[0]
PACK = re.compile(r"\b(G|L|P|g)\.(\w+)(\.shape\[0\]|\[([^\[\]]*)\])")


def _packed_columns():
    """(root, field) -> (table, column) for groups.PACKED."""
    from snnlib.sim.groups import PACKED

    if not _PACKED_COLS:
        for root, tables in PACKED.items():
            for table, fields in tables:
                for c, f in enumerate(fields):
                    _PACKED_COLS[root, f] = (table, c)
    return _PACKED_COLS


_PACKED_COLS = {}


def packed(m):
    """`G.off[row]` -> `G.it[row, 0]`, `G.rslot[row, 1]` -> `G.it[row, 4]`, `G.off.shape[0]` -> `G.it.shape[0]`:
    a small per-row table read from its packed matrix (groups.PACKED), one array argument for all of them.
    Anything else (another field, an index holding brackets) is left as it is."""
    root, field, tail, index = m.groups()
    hit = _packed_columns().get((root, field))
    if hit is None:
        return m.group(0)
    table, c = hit
    if index is None:
        return f"{root}.{table}{tail}"
    if "," in index:                # the 2-d field (last in its table): [row, column]
        row, col = (x.strip() for x in index.split(",", 1))
        col = str(c + int(col)) if col.isdigit() else f"{c} + {col}"
        return f"{root}.{table}[{row}, {col}]"
    return f"{root}.{table}[{index}, {c}]"


#: a name in generated code (codegen reads it too)
NAME = re.compile(r"\b[A-Za-z_]\w*")
_LOAD = re.compile(r"^(\s*)([A-Za-z_]\w*) = (?:FT)?\(*[A-Za-z_][\w.]*(?:\[[^\[\]]*\])+\)*\s*$")


def drop_dead(lines):
    """`lines` without the loads into variables that nothing reads (`np_tau_ref = (G.par[row, 1])` when the
    update takes no tau_ref): the generators load every parameter column, and numba types and lowers each load
    before it finds it dead (about 20 such lines in the CUBA+STDP loop). A line is kept when the one before it
    opens its block (dropping it might empty the block)."""
    from collections import Counter

    count = Counter(NAME.findall("\n".join(lines)))
    out = []
    for line in lines:
        m = _LOAD.match(line)
        if m and count[m.group(2)] == 1 and out:
            prev = out[-1]
            if len(prev) - len(prev.lstrip()) >= len(m.group(1)):
                continue
        out.append(line)
    return out
