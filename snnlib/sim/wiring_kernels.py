"""Plain-Python loops that lay out synapses for the kernel (compiled by `snnlib.sim.wiring`; no numba here).

Edges are sorted by presynaptic index (a CSR over presynaptic neurons, `pre_ptr`), connections in network
order within one presynaptic neuron, post neurons ascending within one connection: the order a stable sort
of every connection's (post-major) CSR entries by presynaptic index gives. Each routine writes edge e at
`fill[pre]` and advances it, so the arrays are written once, in place, with no copy of the connectivity.

The compiled random draw: for presynaptic neuron j of a connection, targets are found by geometric gaps,
gap = floor(log(u) / log(1 - p)) with u the counter-based uniform (seed, stream, j, k) of `snnlib.sim.rng`
(k counts the draws of row j): every pair is present independently with probability p. The count pass and
the fill pass draw the same numbers, so nothing is stored between them.
"""

import math

from snnlib.sim.rng import uniform as _uniform


def _next_target(seed, stream, j, k, i, n_post, p, lq):
    """The target after `i` (-1 at the row's start) for draw number k; n_post when the row is done."""
    if p >= 1.0:
        return i + 1
    g = math.log(_uniform(seed, stream, j, k)) / lq
    if g >= n_post - i:
        return n_post
    return i + 1 + int(g)


def count_random(seed, stream, n_pre, n_post, p, allow_self, counts, pre0):
    """counts[pre0 + j] += targets of presynaptic neuron j; returns the total."""
    total = 0
    if p <= 0.0 or n_post == 0:
        return total
    lq = math.log1p(-p) if p < 1.0 else -1.0
    for j in range(n_pre):
        c = 0
        k = 0
        i = _next_target(seed, stream, j, k, -1, n_post, p, lq)
        while i < n_post:
            if allow_self or i != j:
                c += 1
            k += 1
            i = _next_target(seed, stream, j, k, i, n_post, p, lq)
        counts[pre0 + j] += c
        total += c
    return total


def fill_random(seed, stream, n_pre, n_post, p, allow_self, pre0, slot0, value, fill, edge_slot, edge_weff):
    """Write the edges of a random connection (the same draw as count_random) at fill[pre0 + j]; an empty
    edge_weff: codes (`edge_codes`: slot0 carries the weight's index), no weight written."""
    if p <= 0.0 or n_post == 0:
        return
    weights = edge_weff.shape[0] > 0
    lq = math.log1p(-p) if p < 1.0 else -1.0
    for j in range(n_pre):
        k = 0
        e = fill[pre0 + j]
        i = _next_target(seed, stream, j, k, -1, n_post, p, lq)
        while i < n_post:
            if allow_self or i != j:
                edge_slot[e] = slot0 + i
                if weights:
                    edge_weff[e] = value
                e += 1
            k += 1
            i = _next_target(seed, stream, j, k, i, n_post, p, lq)
        fill[pre0 + j] = e


def random_rows(seed, stream, n_pre, n_post, p, allow_self, ptr, post):
    """The compiled draw as a CSR over presynaptic neurons (ptr from count_random's counts)."""
    if p <= 0.0 or n_post == 0:
        return
    lq = math.log1p(-p) if p < 1.0 else -1.0
    for j in range(n_pre):
        k = 0
        e = ptr[j]
        i = _next_target(seed, stream, j, k, -1, n_post, p, lq)
        while i < n_post:
            if allow_self or i != j:
                post[e] = i
                e += 1
            k += 1
            i = _next_target(seed, stream, j, k, i, n_post, p, lq)


def scatter_csr(indptr, indices, data, gain, pre0, slot0, fill, edge_slot, edge_weff):
    """Edges of a (post, pre) CSR matrix: weight data[q] x gain to slot slot0 + row (no weight with an empty
    edge_weff: codes)."""
    weights = edge_weff.shape[0] > 0
    for i in range(indptr.shape[0] - 1):
        for q in range(indptr[i], indptr[i + 1]):
            j = pre0 + indices[q]
            e = fill[j]
            edge_slot[e] = slot0 + i
            if weights:
                edge_weff[e] = data[q] * gain
            fill[j] = e + 1


def scatter_dense(W, same_rows, n_post, gain, pre0, slot0, fill, edge_slot, edge_weff):
    """Edges of a dense (post, pre) matrix W (every entry a synapse); same_rows: W has one row for all posts
    (no weight with an empty edge_weff: codes)."""
    weights = edge_weff.shape[0] > 0
    n_pre = W.shape[1]
    for i in range(n_post):
        r = 0 if same_rows else i
        for jj in range(n_pre):
            j = pre0 + jj
            e = fill[j]
            edge_slot[e] = slot0 + i
            if weights:
                edge_weff[e] = W[r, jj] * gain
            fill[j] = e + 1


def remap_slots(edge_slot, table, bits):
    """edge_slot[e] (a slot, or a code whose low `bits` bits are its slot) with the slot replaced by table[slot]."""
    if bits == 0:
        for e in range(edge_slot.shape[0]):
            edge_slot[e] = table[edge_slot[e]]
        return
    mask = (1 << bits) - 1
    for e in range(edge_slot.shape[0]):
        v = int(edge_slot[e])
        edge_slot[e] = ((v >> bits) << bits) | table[v & mask]
