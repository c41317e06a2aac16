"""Laying out synapses in compiled code (`wiring_kernels`, compiled once and cached like the kernels).

The builder calls these for large networks: each connection's synapses go straight into the kernel's
arrays (slot and effective weight per edge, sorted by presynaptic neuron), drawn in compiled code for a
large `connect_random`. The loops' source is hashed and cached by `snnlib.sim.kernel_cache` (the same safe
per-user directory as the generated kernels).
"""

import inspect

import numpy as np

_MODULE = None
_FUNCTIONS = ("count_random", "fill_random", "random_rows", "scatter_csr", "scatter_dense", "remap_slots")


def compiled():
    """The module of compiled layout loops (generated, cached and imported once per process)."""
    global _MODULE
    if _MODULE is None:
        from snnlib.sim import kernel_cache, wiring_kernels

        lines = [inspect.getsource(wiring_kernels), "from snnlib.sim.jit import compile_plain as _cp, njit as _nj",
                 "CACHE = True", "_uniform = _cp(_uniform)", "_next_target = _nj(_next_target)"]
        lines += [f"{name} = _nj(cache=CACHE)({name})" for name in _FUNCTIONS]
        _MODULE = kernel_cache.load("\n".join(lines) + "\n", [])
    return _MODULE


def _seed(spec):
    return (int(spec.seed) ^ (int(spec.seed) >> 32)) & 0xFFFFFFFF


def count_random(spec, counts, pre0):
    """Add the out-degrees of a RandomWeights spec to counts[pre0:pre0 + n_pre]; return the total."""
    return compiled().count_random(_seed(spec), spec.stream, spec.n_pre, spec.n_post, spec.p,
                                   spec.allow_self, counts, pre0)


def fill_random(spec, pre0, slot0, value, fill, edge_slot, edge_weff):
    compiled().fill_random(_seed(spec), spec.stream, spec.n_pre, spec.n_post, spec.p, spec.allow_self,
                           pre0, slot0, value, fill, edge_slot, edge_weff)


def draw_random_csr(spec):
    """The compiled draw of a RandomWeights spec as (ptr, post) over presynaptic neurons."""
    counts = np.zeros(spec.n_pre, np.int64)
    count_random(spec, counts, 0)
    ptr = np.zeros(spec.n_pre + 1, np.int64)
    np.cumsum(counts, out=ptr[1:])
    post = np.zeros(int(ptr[-1]), np.int32)
    compiled().random_rows(_seed(spec), spec.stream, spec.n_pre, spec.n_post, spec.p, spec.allow_self, ptr, post)
    return ptr, post


def scatter_csr(W, gain, pre0, slot0, fill, edge_slot, edge_weff):
    compiled().scatter_csr(W.indptr, W.indices, W.data, gain, pre0, slot0, fill, edge_slot, edge_weff)


def scatter_dense(spec, gain, pre0, slot0, fill, edge_slot, edge_weff):
    n_post, n_pre = spec.shape
    W = np.full((1, n_pre), float(spec.value)) if spec.is_scalar else spec.value
    compiled().scatter_dense(W, spec.is_scalar, n_post, gain, pre0, slot0, fill, edge_slot, edge_weff)


def remap_slots(edge_slot, table, bits=0):
    """Replace, in place, each edge's slot by its position `table[slot]` (the slot is the low `bits` bits of a
    code, or the whole value with bits = 0; `snnlib.sim.positions`)."""
    compiled().remap_slots(edge_slot, table, int(bits))
