"""Signals in the kernel: the arrays behind decoded values, errors, PES and decoded inputs (one named tuple).

Layout: every signal value (each decoded value's dimensions, then each error's) lives in one flat array
`vals`, which probes of kind 3 read; decoders of all decoded values in one flat array `D` (row-major,
n x d each), PES activities in `act`, decoded-input encoders in `E`. See snnlib.model.signals for the maths.
"""

from collections import namedtuple

import numpy as np

from snnlib.model.signals import DecodedInput, DecodedValue, ErrorSignal, PES

Sig = namedtuple("Sig", "dec_start dec_n dec_d dec_doff dec_xoff dec_a D vals ndec_ptr ndec_idx "
                        "err_dec err_off err_toff pes_dec pes_err pes_alpha pes_a pes_aoff act "
                        "din_dec din_start din_n din_eoff E")


class SignalLayout:
    """Where each signal of a network lives; `tuple()` makes fresh kernel arrays (state at t = 0)."""

    def __init__(self, net, model):
        dt = model.dt
        self.decoded = [s for s in net.signals if isinstance(s, DecodedValue)]
        self.errors = [s for s in net.signals if isinstance(s, ErrorSignal)]
        self.pes = [s for s in net.signals if isinstance(s, PES)]
        self.inputs = [s for s in net.signals if isinstance(s, DecodedInput)]
        self.present = bool(self.decoded)
        k_of = {id(d): k for k, d in enumerate(self.decoded)}
        d = np.array([s.dimensions for s in self.decoded], np.int64)
        self.xoff = np.concatenate([[0], np.cumsum(d)])[:-1].astype(np.int64)
        n_x = int(d.sum())
        ed = np.array([e.dimensions for e in self.errors], np.int64)
        self.eoff = (n_x + np.concatenate([[0], np.cumsum(ed)])[:-1]).astype(np.int64)
        self.n_vals = n_x + int(ed.sum())
        self.offset = {id(s): int(o) for s, o in zip(self.decoded, self.xoff)}
        self.offset.update({id(s): int(o) for s, o in zip(self.errors, self.eoff)})
        self._dt, self._model = dt, model
        self._k_of = k_of

    def tuple(self):
        m, dt, k_of = self._model, self._dt, self._k_of
        dec = self.decoded
        start = np.array([m.pop_offset[id(s.pop)] for s in dec], np.int64)
        n = np.array([s.pop.n for s in dec], np.int64)
        d = np.array([s.dimensions for s in dec], np.int64)
        doff = np.concatenate([[0], np.cumsum(n * d)])[:-1].astype(np.int64)
        D = np.concatenate([s.decoders.ravel() for s in dec]) if dec else np.zeros(0)
        counts = np.zeros(m.n_neurons + 1, np.int64)
        for a, k in zip(start, n):
            counts[a + 1:a + k + 1] += 1
        ptr = np.cumsum(counts)
        idx, fill = np.zeros(ptr[-1], np.int64), ptr[:-1].copy()
        for k, (a, size) in enumerate(zip(start, n)):
            j = np.arange(a, a + size)
            idx[fill[j]] = k
            fill[j] += 1
        ed = np.array([e.dimensions for e in self.errors], np.int64)
        toff = np.concatenate([[0], np.cumsum(ed)])[:-1].astype(np.int64)
        pn = np.array([p.decoded.pop.n for p in self.pes], np.int64)
        err_index = {id(e): i for i, e in enumerate(self.errors)}
        din_n = np.array([q.post.n for q in self.inputs], np.int64)
        din_d = np.array([q.decoded.dimensions for q in self.inputs], np.int64)
        E = np.concatenate([q.encoders.ravel() for q in self.inputs]) if self.inputs else np.zeros(0)
        i64 = lambda xs: np.array(xs, np.int64)      # noqa: E731
        f64 = lambda xs: np.array(xs, float)          # noqa: E731
        return Sig(start, n, d, doff, self.xoff, f64([np.exp(-dt / s.tau) for s in dec]), D,
                   np.zeros(self.n_vals), ptr, idx,
                   i64([k_of[id(e.decoded)] for e in self.errors]), self.eoff, toff,
                   i64([k_of[id(p.decoded)] for p in self.pes]), i64([err_index[id(p.error)] for p in self.pes]),
                   f64([-p.learning_rate * dt / p.decoded.pop.n for p in self.pes]),
                   f64([np.exp(-dt / p.pre_tau) for p in self.pes]),
                   np.concatenate([[0], np.cumsum(pn)])[:-1].astype(np.int64), np.zeros(int(pn.sum())),
                   i64([k_of[id(q.decoded)] for q in self.inputs]), i64([m.pop_offset[id(q.post)] for q in self.inputs]),
                   din_n, np.concatenate([[0], np.cumsum(din_n * din_d)])[:-1].astype(np.int64), E)
