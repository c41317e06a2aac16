"""Where each neuron's and each synaptic slot's state lies in the state arrays: its position.

A serial network keeps every state at its index (position = index). A network run on several threads
(`codegen_parallel`) cuts every population into one share per partition; each thread's pass streams its
share upwards, and the CPU's prefetcher reads on past the share's end into the next one's first lines. When
another thread owns that share, it writes those lines every step and must fetch each one back from the
prefetching core first: with the host's two cores about 500 ns apart, CUBA x 16 (64,000 neurons) took
25 us a step on two threads instead of 16-20, a speed-up of about 1.1 (benchmarks/README.md, sessions 15-16).

So in a fused threaded network (`codegen_parallel.fused`) the state arrays leave GAP unused positions at every
cut inside a population: the neurons from the cut on, and every receptor's slots from the cut on, lie GAP
positions further up than their index; and before every receptor block but the first (the blocks lie in
connection order, and CUBA's put thread 1's share of the excitatory receptor right before thread 0's share of
the inhibitory one). Between populations there is none: `codegen_parallel.share_of` gives both sides of
each boundary to one thread. Everything indexed by neuron or slot *identity* keeps indices (spike
lists and counts, edges' presynaptic rows, probe and record indices as the user gives them, learning rules'
tables); what addresses the *state arrays* goes through this map (edge slots, written as positions by the
builder; time-varying inputs, probes, decoded inputs and modulator links, converted where they are set up;
the parallel pass's blocks, `codegen_parallel.tables`). A network with learning rules or presynaptic models
(delivery not fused) has no gaps: its rules address post-synaptic state by index.
"""

import numpy as np

#: unused positions at each cut between two threads' shares of a population: 4096 bytes of a float32 array
#: (a whole page, so a share's first element keeps its place within the page: `groups.page_zeros`), 8192 of
#: a float64 one, 1024 of the flags. Half of it (512 float32 on each side) was enough in session 15's check.
GAP = 1024


class Positions:
    """The position map of a built network: `pop_sizes` (neurons per population, in index order), the first
    slot of every receptor of each population (`receptor_starts[p]`), `n_slots` (slot indices), `n_part`
    partitions and `gap` positions left at each cut inside a population and, among the slots, before every
    receptor block but the first (0: positions are indices).

    Attributes: `cuts[p]` (the population's share boundaries, `codegen_parallel.shares`), `n_neurons`,
    `n_slots`, `n_neuron_pos` and `n_slot_pos` (array lengths), `neuron` (position of every neuron,
    int64), `slot_table` (position of every slot, int64)."""

    def __init__(self, pop_sizes, receptor_starts, n_slots, n_part=1, gap=0):
        from snnlib.sim.codegen_parallel import shares

        gap, n_part = int(gap), int(n_part)
        if gap < 0 or gap % 64:
            raise ValueError(f"gap must be a non-negative multiple of 64 positions, got {gap}")
        if n_part < 1:
            raise ValueError(f"n_part must be >= 1, got {n_part}")
        self.gap, self.n_part = gap, n_part
        self.cuts = [shares(int(n), n_part) for n in pop_sizes]
        starts = np.concatenate([[0], np.cumsum(pop_sizes)]).astype(np.int64)
        self.n_neurons, self.n_slots = int(starts[-1]), int(n_slots)
        inner = [[c for c in cuts[1:-1] if 0 < c < n] for cuts, n in zip(self.cuts, pop_sizes)]
        ncut = [int(s) + c for s, cs in zip(starts, inner) for c in cs] if gap else []
        # slots: a gap at each cut inside a receptor block, and before every receptor block but the first
        # (blocks lie in connection order, so a thread's share may end where another's begins)
        scut = sorted([int(r) + c for rs, cs in zip(receptor_starts, inner) for r in rs for c in cs]
                      + [int(r) for rs in receptor_starts for r in rs if r > 0]) if gap else []
        self._ncut, self._scut = np.array(ncut, np.int64), np.array(scut, np.int64)
        self.neuron = self._map(np.arange(self.n_neurons, dtype=np.int64), self._ncut)
        self.slot_table = self._map(np.arange(self.n_slots, dtype=np.int64), self._scut)
        self.n_neuron_pos = self.n_neurons + gap * len(ncut)
        self.n_slot_pos = self.n_slots + gap * len(scut)

    @property
    def gapped(self):
        """Whether positions differ from indices."""
        return self.n_neuron_pos != self.n_neurons or self.n_slot_pos != self.n_slots

    def _map(self, idx, cuts):
        return idx + self.gap * np.searchsorted(cuts, idx, side="right")

    def slot(self, idx):
        """Positions of slot indices `idx` (array or int)."""
        return self._map(np.asarray(idx, np.int64), self._scut)

    def neuron_of(self, pos):
        """The neuron index at position(s) `pos`; -1 for a position in a gap."""
        return self._unmap(np.asarray(pos, np.int64), self._ncut)

    def slot_of(self, pos):
        """The slot index at position(s) `pos`; -1 for a position in a gap."""
        return self._unmap(np.asarray(pos, np.int64), self._scut)

    def _unmap(self, pos, cuts):
        if not len(cuts):
            return pos.copy()
        at = cuts + self.gap * np.arange(1, len(cuts) + 1)          # where each cut's first element lies
        k = np.searchsorted(at, pos, side="right")
        in_gap = (k < len(cuts)) & (pos >= at[np.minimum(k, len(cuts) - 1)] - self.gap)
        return np.where(in_gap, -1, pos - self.gap * k)

    def neuron_view(self, arr):
        """The neuron values of a position-laid array, in index order (a copy when gapped, else `arr`)."""
        return arr[self.neuron] if self.n_neuron_pos != self.n_neurons else arr

    def slot_view(self, arr):
        """The slot values of a position-laid array, in index order (a copy when gapped, else `arr`)."""
        return arr[self.slot_table] if self.n_slot_pos != self.n_slots else arr


def for_network(net, slot_of_key, n_slots, threads):
    """The Positions of `net` (a Network description) for `threads` threads, its receptor blocks starting at
    `slot_of_key` ({(id(post population), synapse key): first slot}, `builder.receptor_slots`): one share per
    partition of every population, and a gap at each cut when the network's delivery is fused (no learning
    rule, no presynaptic model: nothing else addresses its state by index); none on one thread."""
    from snnlib.sim import codegen_parallel, codegen_persistent

    fusable = codegen_parallel.fusable(net)
    n_part = codegen_persistent.partitions(threads, fusable) if threads > 1 else 1
    gap = GAP if threads > 1 and fusable else 0
    starts = {}
    for (post, _), first in slot_of_key.items():
        starts.setdefault(post, []).append(first)
    return Positions([p.n for p in net.populations], [starts.get(id(p), []) for p in net.populations], n_slots,
                     n_part, gap)


def gap_positions(net, threads):
    """(neuron, slot) positions left in gaps when `net` (a Network description) is built for `threads`
    threads, for the memory model (`snnlib.sim.memory`): what `for_network` adds to the arrays' lengths."""
    from snnlib.sim.builder import receptor_slots

    pos = for_network(net, *receptor_slots(net, 8), threads)       # the block count is the same for any itemsize
    return pos.n_neuron_pos - pos.n_neurons, pos.n_slot_pos - pos.n_slots
