"""Edge codes: a static network whose connections each have one weight keeps no weight per synapse.

A synapse of such a network is one integer, its *code*: the synaptic slot in the low `bits` bits, and above
them the index of its weight x gain in a small table (`wtab`, one entry per distinct value, in the state's
precision). Delivery adds `wtab[code >> bits]` to slot `code & mask`: the same value, rounded the same way,
as the per-synapse `weff` it replaces, so spikes and voltages are bit-identical.

Why: delivery streams every spike's synapses from memory. CUBA's 320,000 synapses took 8 bytes each in
float32 (slot + weight, 2.5 MB, beyond a core's 1 MB L2 on this machine); as 16-bit codes (8000 slots and two
weights fit 14 bits) they take 640 KB. At 256,000 neurons (20 M synapses, slots need 19 bits) codes are 32-bit:
half the bytes of slot + weight. benchmarks/README.md, session 12.

Codes apply when nothing reads a per-synapse weight: no learning rule and no presynaptic model anywhere in the
network, and each connection's synapses share one weight (a random connection, a dense connection with one
weight, or a matrix whose entries are all equal). Otherwise the network keeps `edge_slot` (int32) + `edge_weff`.
"""

from dataclasses import dataclass

import numpy as np

#: widest code: int32, as the builder's compiled wiring writes it (a code above 2**31 - 1 keeps slots + weights)
MAX_BITS = 31


@dataclass
class Plan:
    """How a network's edges are coded: `wtab` (the distinct weight x gain values, state precision), `wid`
    (per connection, its value's index in wtab), `bits` (slot bits), `dtype` (np.uint16 or np.int32)."""
    wtab: np.ndarray
    wid: list
    bits: int
    dtype: type

    def slot0(self, c, slot0):
        """Connection c's first code: its first slot with its weight's index above the slot bits."""
        return slot0 + (self.wid[c] << self.bits)


def one_weight(conn):
    """The weight (float) every synapse of `conn` has, or None if they differ (or it has none)."""
    spec = conn.spec
    if spec.kind == "random":
        return float(spec.weight)
    if spec.kind == "dense" and spec.is_scalar:
        return float(spec.value)
    values = spec.values()
    if values.size == 0 or not np.all(values == values.flat[0]):
        return None
    # equal values that differ in sign (0.0 and -0.0) would round to different bits: keep per-synapse weights
    if not np.all(np.signbit(values) == np.signbit(values.flat[0])):
        return None
    return float(values.flat[0])


def weights(net):
    """Each connection's one weight (`one_weight`, in connection order), or None when the network keeps a
    weight per synapse: no connections, a learning rule or a presynaptic model anywhere, or a connection
    whose synapses differ. Stops at the first connection that rules codes out."""
    conns = net.connections
    if not conns or any(c.plasticity is not None or c.presynaptic is not None for c in conns):
        return None
    out = []
    for conn in conns:
        w = one_weight(conn)
        if w is None:
            return None
        out.append(w)
    return out


def code_type(n_slots, n_values):
    """(slot bits, code type) for `n_slots` slots and `n_values` distinct weights: the slot bits hold the
    largest slot (at least one bit), the index bits the largest weight index; np.uint16 up to 16 bits in all,
    np.int32 up to MAX_BITS, None beyond (no codes)."""
    bits = max(int(n_slots - 1).bit_length(), 1)
    width = bits + (n_values - 1).bit_length()
    return bits, (None if width > MAX_BITS else np.uint16 if width <= 16 else np.int32)


def plan(net, gains, ftype, n_slots):
    """The Plan for `net` (connections in order; `gains[c]` the synapse gain of connection c, `n_slots` the
    synaptic slots, `ftype` the state's float type), or None when the network keeps per-synapse weights."""
    ws = weights(net)
    if ws is None:
        return None
    values, wid = {}, []
    for c, w in enumerate(ws):
        with np.errstate(over="ignore"):           # beyond float32: refused after the build (finite)
            v = ftype(w * gains[c])                # the float64 product rounded, as the per-synapse weff was
        wid.append(values.setdefault(v.tobytes(), len(values)))
    bits, dtype = code_type(n_slots, len(values))
    if dtype is None:
        return None
    return Plan(np.frombuffer(b"".join(values), dtype=ftype).copy(), wid, bits, dtype)


def code_bytes(net, n_slots):
    """Bytes per synapse of `net`'s codes (2 or 4), or None without codes; for the memory model, before any
    gain is known: distinct (weight, synapse) pairs stand for distinct values (equal pairs give equal values;
    two different pairs giving one value would only make the codes narrower than estimated)."""
    ws = weights(net)
    if ws is None:
        return None
    _, dtype = code_type(n_slots, len({(w, c.synapse.key()) for w, c in zip(ws, net.connections)}))
    return None if dtype is None else np.dtype(dtype).itemsize
