"""Modulators in the kernel: their arrays (one `Mod` named tuple) and the lines of the loop that use them.

Layout: every modulator's value lives in `Mod.vals` (modulator k at index k; probes of kind 4 read it).
Time modulators: column q of `tvals` (chunk steps x time modulators, evaluated by numpy per chunk) feeds
vals[t_idx[q]] at the start of each step, filtered with t_a[q] (0: unfiltered). Activity modulators: a CSR
from presynaptic index j (neurons, then sources) to (modulator a_idx[src_mod], weight src_w already scaled by
(1 - a) / dt), applied after the step's spikes, after vals *= a_a. Modulations ("links"): at each step's start
the per-neuron arrays gain (1 + sum k m), bias (sum k m) and thr (sum k m) are recomputed over the linked
populations; the neuron pass of a modulated group reads them. See snnlib.model.modulators for the maths.
"""

from collections import namedtuple

import numpy as np

from snnlib.model.modulators import PARAMETERS, Modulation, Modulator

Mod = namedtuple("Mod", "vals t_idx t_a tvals a_idx a_a src_ptr src_mod src_w lk_mod lk_kind lk_start lk_n "
                        "lk_koff K gain bias thr")


class ModLayout:
    """Where each modulator and modulation of a network lives; `tuple(ftype)` makes fresh kernel arrays."""

    def __init__(self, net, model):
        dt = model.dt
        self.modulators = [s for s in net.signals if isinstance(s, Modulator)]
        self.links = [s for s in net.signals if isinstance(s, Modulation)]
        for m in self.modulators:
            if m.tau is not None and dt >= m.tau:
                raise ValueError(f"dt = {dt:g} s is not smaller than modulator {m.label!r}: tau = {m.tau:g} s; "
                                 f"use a dt well below it (e.g. dt <= {m.tau / 10:g} s)")
        self.present = bool(self.modulators)
        self.index = {id(m): k for k, m in enumerate(self.modulators)}
        self.offset = dict(self.index)                  # probe offsets into Mod.vals
        self.time = [m for m in self.modulators if m.kind == "time"]
        self.activity = [m for m in self.modulators if m.kind == "activity"]
        self._model, self._dt = model, dt
        kinds = {}
        for link in self.links:
            kinds.setdefault(id(link.pop), set()).add(link.parameter)
        self._kinds = kinds

    def kinds_of(self, pop):
        """The parameters modulated on `pop`, in PARAMETERS order (part of the kernel's structure key)."""
        got = self._kinds.get(id(pop), ())
        return tuple(p for p in PARAMETERS if p in got)

    def modulator_index(self, modulator):
        k = self.index.get(id(modulator))
        if k is None:
            raise ValueError(f"{modulator!r} is not a modulator of this simulator's network")
        return k

    def time_values(self, step0, chunk):
        """Time modulators' function values for steps [step0, step0 + chunk), at each step's start."""
        t = (step0 + np.arange(chunk)) * self._dt
        if not self.time:
            return np.zeros((chunk, 0))
        return np.ascontiguousarray(np.stack([m.evaluate(t) for m in self.time], axis=1), dtype=float)

    def tuple(self, ftype):
        m, dt = self._model, self._dt
        i64 = lambda xs: np.array(xs, np.int64)      # noqa: E731
        f64 = lambda xs: np.array(xs, float)          # noqa: E731
        a_a = f64([np.exp(-dt / q.tau) for q in self.activity])
        # presynaptic index -> activity modulators it feeds, with its weight x (1 - a) / dt
        n_pre = m.n_neurons + m.n_sources
        entries = []
        for kq, q in enumerate(self.activity):
            start = m.presyn_index(q.source)
            scale = (1.0 - a_a[kq]) / dt
            entries += [(start + i, kq, w * scale) for i, w in enumerate(q.weights)]
        entries.sort(key=lambda e: e[0])
        counts = np.bincount(i64([e[0] + 1 for e in entries]), minlength=n_pre + 1)[:n_pre + 1]
        N = m.positions.n_neuron_pos if self.links else 0       # laid out as the neuron state (`positions`)
        gain, bias, thr = np.ones(N, ftype), np.zeros(N, ftype), np.zeros(N, ftype)
        K = np.concatenate([q.scale for q in self.links]) if self.links else np.zeros(0)
        lk_n = i64([q.pop.n for q in self.links])
        return Mod(np.zeros(len(self.modulators)), i64([self.index[id(q)] for q in self.time]),
                   f64([0.0 if q.tau is None else np.exp(-dt / q.tau) for q in self.time]),
                   np.zeros((0, len(self.time))),
                   i64([self.index[id(q)] for q in self.activity]), a_a,
                   np.cumsum(counts).astype(np.int64), i64([e[1] for e in entries]), f64([e[2] for e in entries]),
                   i64([self.index[id(q.modulator)] for q in self.links]),
                   i64([PARAMETERS.index(q.parameter) for q in self.links]),
                   i64([m.pop_offset[id(q.pop)] for q in self.links]), lk_n,
                   np.concatenate([[0], np.cumsum(lk_n)])[:-1].astype(np.int64), K, gain, bias, thr)


# -- generated code ---------------------------------------------------------------------------------------
def step_start_lines():
    """At a step's start: time modulators take this step's value, then the modulated per-neuron arrays."""
    return ["for q in range(mods.t_idx.shape[0]):", "    k_ = mods.t_idx[q]", "    ta_ = mods.t_a[q]",
            "    if ta_ == 0.0:", "        mods.vals[k_] = mods.tvals[s, q]", "    else:",
            "        mods.vals[k_] = ta_ * mods.vals[k_] + (1.0 - ta_) * mods.tvals[s, q]",
            "for q in range(mods.lk_mod.shape[0]):", "    a_ = mods.lk_start[q]", "    kk = mods.lk_kind[q]",
            "    for j2 in range(mods.lk_n[q]):", "        i2 = g.npos[a_ + j2]", "        if kk == 0:",
            "            mods.gain[i2] = 1.0",
            "        elif kk == 1:", "            mods.bias[i2] = 0.0", "        else:", "            mods.thr[i2] = 0.0",
            "for q in range(mods.lk_mod.shape[0]):", "    a_ = mods.lk_start[q]", "    kk = mods.lk_kind[q]",
            "    m_ = mods.vals[mods.lk_mod[q]]", "    ko = mods.lk_koff[q]",
            "    for j2 in range(mods.lk_n[q]):", "        i2 = g.npos[a_ + j2]", "        if kk == 0:",
            "            mods.gain[i2] += mods.K[ko + j2] * m_", "        elif kk == 1:",
            "            mods.bias[i2] += mods.K[ko + j2] * m_", "        else:",
            "            mods.thr[i2] += mods.K[ko + j2] * m_"]


def step_end_lines():
    """After the step's spikes: activity modulators decay, then each spike adds its weight."""
    return ["for q in range(mods.a_idx.shape[0]):", "    mods.vals[mods.a_idx[q]] *= mods.a_a[q]",
            "for z in range(st.counters[2]):", "    j = st.spk_list[z]",
            "    for t in range(mods.src_ptr[j], mods.src_ptr[j + 1]):",
            "        mods.vals[mods.a_idx[mods.src_mod[t]]] += mods.src_w[t]"]


def pass_slices(kinds):
    """Per-population slices of the modulated arrays a group's pass reads (see codegen._pass)."""
    return [f"m{p[0]}_ = mods.{_ARRAY[p]}[a:b]" for p in kinds]


def modulated_drive(expr, kinds, index):
    """The drive J of a neuron after gain and bias modulation; `index` is "k" (pass) or "i" (exact step)."""
    pre = (lambda p: f"m{p[0]}_[k]") if index == "k" else (lambda p: f"mods.{_ARRAY[p]}[i]")
    if "gain" in kinds:
        expr = f"({expr}) * {pre('gain')}"
    if "bias" in kinds:
        expr = f"{expr} + {pre('bias')}"
    return expr


def threshold_expr(par_expr, kinds, index):
    """The modulated threshold (parameter expression + thr[neuron])."""
    if "threshold" not in kinds:
        return par_expr
    return f"({par_expr} + mt_[k])" if index == "k" else f"({par_expr} + mods.thr[i])"


_ARRAY = {"gain": "gain", "bias": "bias", "threshold": "thr"}
