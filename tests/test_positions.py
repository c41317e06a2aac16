"""snnlib.sim.positions: where each neuron's and slot's state lies. One thread: at its index. A fused network on
threads: GAP unused positions at every cut inside a population (neurons and each receptor's slots) and before
every receptor block but the first, so no thread's pass streams up to another thread's lines
(benchmarks/README.md, session 16). The threaded runs themselves are compared with the serial ones in
tests/test_threads.py."""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
import cuba  # noqa: E402
import snnlib as snn
from snnlib.sim import codegen_parallel, memory, positions
from snnlib.sim.positions import GAP, Positions


def _pos(gap=64, n_part=2):
    # two populations (10 and 7 neurons), the first with two receptors (slots 0-9 and 20-29), the second one (40-46)
    return Positions([10, 7], [[0, 20], [40]], 60, n_part=n_part, gap=gap)


def test_a_gap_at_every_cut_inside_a_population_and_before_every_later_receptor_block():
    p = _pos()
    assert p.cuts == [[0, 5, 10], [0, 3, 7]]
    # neurons 5.. of the first population and 13.. (3 of the second) sit one and two gaps further up
    assert p.neuron.tolist() == [0, 1, 2, 3, 4] + list(range(5 + 64, 13 + 64)) + list(range(13 + 128, 17 + 128))
    assert p.n_neuron_pos == 17 + 2 * 64 and p.gapped
    # each receptor block is cut where its population is (slots 5, 25 and 43), and a gap lies before every
    # block but the first (slots 20 and 40)
    assert p.slot([4, 5, 19, 20, 24, 25, 39, 40, 42, 43, 59]).tolist() == [
        4, 5 + 64, 19 + 64, 20 + 128, 24 + 128, 25 + 192, 39 + 192, 40 + 256, 42 + 256, 43 + 320, 59 + 320]
    assert p.n_slot_pos == 60 + 5 * 64


def test_positions_map_back_to_indices_and_gaps_to_minus_one():
    p = _pos()
    assert np.array_equal(p.neuron_of(p.neuron), np.arange(17))
    assert np.array_equal(p.slot_of(p.slot_table), np.arange(60))
    every = p.neuron_of(np.arange(p.n_neuron_pos))
    assert np.count_nonzero(every == -1) == 2 * 64 and sorted(every[every >= 0]) == list(range(17))
    assert np.count_nonzero(p.slot_of(np.arange(p.n_slot_pos)) == -1) == 5 * 64
    values = np.arange(p.n_neuron_pos, dtype=float)
    assert np.array_equal(p.neuron_view(values), p.neuron.astype(float))


@pytest.mark.parametrize("n_part", [1, 3])
def test_no_gap_means_positions_are_indices(n_part):
    p = _pos(gap=0, n_part=n_part)
    assert not p.gapped and p.n_neuron_pos == 17 and p.n_slot_pos == 60
    assert np.array_equal(p.neuron, np.arange(17)) and np.array_equal(p.slot_table, np.arange(60))
    arr = np.zeros(17)
    assert p.neuron_view(arr) is arr


@pytest.mark.parametrize("gap, n_part, match", [(-64, 2, "gap"), (100, 2, "multiple of 64"), (64, 0, "n_part")])
def test_bad_arguments_are_refused(gap, n_part, match):
    with pytest.raises(ValueError, match=match):
        _pos(gap, n_part)


def test_a_share_keeps_its_place_in_the_page():
    """GAP float32 elements are a whole page: the gaps move no share's first element within its page, so the
    state arrays' staggering (`groups.page_zeros`) holds for every share."""
    assert GAP * 4 % 4096 == 0 and GAP % codegen_parallel.ALIGN == 0


def _cuba(scale=1):
    return cuba.build_cuba(seed=1, scale=scale, probes=False)[0]


def test_fused_threads_get_gaps_learning_rules_and_one_thread_do_not():
    net = _cuba()
    one = snn.Simulator(net, dt=1e-4, threads=1).model.positions
    two = snn.Simulator(net, dt=1e-4, threads=2).model.positions
    assert not one.gapped and two.gapped and two.gap == GAP
    # CUBA: each population cut once, two receptors each (excitatory and inhibitory synapses): four receptor
    # blocks, each cut once, three of them after another
    assert two.n_neuron_pos - two.n_neurons == 2 * GAP and two.n_slot_pos - two.n_slots == 7 * GAP
    assert positions.gap_positions(net, 2) == (2 * GAP, 7 * GAP)
    plastic = cuba.build_cuba(seed=1, stdp=True, probes=False)[0]
    assert not snn.Simulator(plastic, dt=1e-4, threads=2).model.positions.gapped      # rules address by index
    assert positions.gap_positions(plastic, 2) == (0, 0)


def test_edges_hold_slot_positions_and_the_memory_model_counts_the_gaps():
    net = _cuba()
    one, two = (snn.Simulator(net, dt=1e-4, threads=t) for t in (1, 2))
    pos, mask = two.model.positions, two.model.code_mask
    assert np.array_equal(two.model.edge_slot & mask, pos.slot_table[one.model.edge_slot & one.model.code_mask])
    assert np.array_equal(two.model.edge_slot >> two.model.code_bits, one.model.edge_slot >> one.model.code_bits)
    est = {t: memory.network_estimate(net, threads=t) for t in (1, 2)}
    assert est[2]["neurons"] - est[1]["neurons"] == 2 * GAP * memory.position_bytes("float64")
    for sim, t in ((one, 1), (two, 2)):           # the synaptic state as allocated, gaps included
        assert est[t]["synaptic state"] == sum(a.nbytes for a in sim._state.ss)


def _ranges(sim):
    """(neuron ranges, slot ranges) of the threads' blocks: (first position, end, thread), in memory order."""
    par, m, lay = sim._par[0], sim.model, sim._layout
    neurons, slots = [], []
    for c in range(len(par.blk_group)):
        t = int(np.searchsorted(par.tb_ptr, c, side="right") - 1)
        p = lay.neuron_groups[par.blk_group[c]][2][par.blk_row[c]]
        n = int(par.blk_n[c])
        neurons.append((int(par.blk_start[c]), int(par.blk_start[c]) + n, t))
        slots += [(int(par.blk_spos[c, r]), int(par.blk_spos[c, r]) + n, t) for r in range(len(m.receptors[p]))]
    return sorted(neurons), sorted(slots)


@pytest.mark.parametrize("n_part", [2, 3])
@pytest.mark.parametrize("model", ["cuba", "mixed"])
def test_no_share_lies_within_a_gap_of_another_threads_share(model, n_part):
    """What the gaps are for: walking each state array upwards, wherever one thread's share ends and another's
    follows, at least GAP positions lie between them (a pass's prefetcher runs on past its share's end; it must
    not reach lines that another thread writes), in the neuron arrays and the slot arrays alike."""
    if model == "cuba":
        net = _cuba()
    else:
        from test_generated_kernel import mixed_model

        net = mixed_model()[0]
    sim = snn.Simulator(net, dt=1e-4, threads=n_part)
    assert sim.model.positions.gapped
    for ranges in _ranges(sim):
        assert all(b[0] >= a[1] for a, b in zip(ranges, ranges[1:]))             # no overlap
        changes = [(a, b) for a, b in zip(ranges, ranges[1:]) if a[2] != b[2]]
        assert changes and all(b[0] - a[1] >= GAP for a, b in changes), changes
