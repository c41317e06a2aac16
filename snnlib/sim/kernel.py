"""The kernel for a network structure: generated once (`codegen`), cached safely (`kernel_cache`), compiled by numba.

`kernel_for(layout)` returns the compiled `run_steps` function. Within a process a structure is generated
and imported once; across processes numba's cache (keyed on the hashed file name) makes the load quick.
"""

from snnlib.sim import codegen, kernel_cache

_BY_STRUCTURE = {}


def kernel_for(layout):
    """`run_steps(step0, n_steps, dt, state, graph, io, groups, rules, sig)` for `layout` (a groups.Layout)."""
    classes = codegen.plugin_classes(layout)
    memo = (layout.key, tuple(classes))
    fn = _BY_STRUCTURE.get(memo)
    if fn is None:
        source = codegen.generate(layout, cache=True)
        fn = kernel_cache.load(source, classes).run_steps
        _BY_STRUCTURE[memo] = fn
    return fn
