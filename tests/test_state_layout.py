"""Where the simulator's state arrays live in memory: each per-neuron array and each synaptic slot array starts at its
own place within a 4096-byte page (`groups.page_zeros`, `groups.stagger`), the places spread evenly over the page.

Why it matters (benchmarks/README.md, issue 10, sessions 8 and 13): the neuron pass streams these arrays together.
- A load from one that agrees in its low 12 address bits with a pending store to another waits for it ("4K
  aliasing"). Where malloc put each array decided that; arrays spread evenly over the page agree only at elements
  hundreds apart. (Session 8 put them all on page boundaries: 0.92x.)
- Element k of arrays that start at the same place in a page share an L1 set. On this machine's AMD CPU the CUBA
  loop then took 1x, 1.5x or 2x its time depending on where each allocation's pages fell (a new lottery at every
  `reset`); spread arrays took the fast time every time (session 13).
The values are unchanged: the pinned digests of tests/test_generated_kernel.py hold."""

import numpy as np
import pytest

import snnlib as snn
from snnlib.sim.groups import page_zeros, stagger
from snnlib.units import mV, ms

PAGE = 4096


def in_page(a):
    return a.ctypes.data % PAGE


@pytest.mark.parametrize("offset", [0, 64, 1088, 4032])
@pytest.mark.parametrize("n", [0, 1, 7, 1000, 1024, 4097])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8])
def test_page_zeros_is_a_zeroed_array_at_its_place_in_a_page(n, dtype, offset):
    a = page_zeros(n, dtype, offset)
    assert a.shape == (n,) and a.dtype == dtype and a.flags.c_contiguous and a.flags.writeable
    assert not a.any()
    if n:
        assert in_page(a) == offset
        a[:] = 1                     # writable over its whole length, and independent of a second one
        assert not page_zeros(n, dtype, offset).any()
    assert in_page(page_zeros(max(n, 1), dtype)) == 0      # the default place: the page boundary


@pytest.mark.parametrize("offset", [-64, 32, 4096, 5000])
def test_page_zeros_refuses_a_place_that_is_not_a_cache_line_in_the_page(offset):
    with pytest.raises(ValueError, match=rf"offset must be a multiple of 64 in \[0, 4096\), got {offset}"):
        page_zeros(10, np.float32, offset)


@pytest.mark.parametrize("count", [1, 2, 3, 6, 7, 8, 13, 64])
def test_stagger_spreads_the_arrays_evenly_over_the_page(count):
    offsets = stagger(count)
    assert len(offsets) == count == len(set(offsets)) and offsets[0] == 0
    assert all(o % 64 == 0 and 0 <= o < PAGE for o in offsets)
    gaps = np.diff(sorted(offsets) + [PAGE + min(offsets)])   # around the page, the last back to the first
    assert gaps.min() >= PAGE // count - 64 and gaps.max() <= PAGE // count + 64


def small_cuba(seed=3):
    net = snn.Network(seed=seed)
    lif = snn.LIF(tau_rc=20 * ms, tau_ref=5 * ms, v_th=-50 * mV, v_reset=-60 * mV, v_rest=-49 * mV)
    exc = net.population(320, lif, v_init=snn.Uniform(-60 * mV, -50 * mV), bias=np.linspace(0, 2, 320) * mV)
    inh = net.population(80, lif, v_init=snn.Uniform(-60 * mV, -50 * mV))
    for post in (exc, inh):
        net.connect_random(exc, post, p=0.1, weight=1.62 * mV, synapse=snn.ExpSynapse(5 * ms))
        net.connect_random(inh, post, p=0.1, weight=-9 * mV, synapse=snn.ExpSynapse(10 * ms))
    return net


def pass_arrays(st):
    named = {f"ns[{k}]": a for k, a in enumerate(st.ns)}
    named.update({f"ss[{k}]": a for k, a in enumerate(st.ss)})
    named.update(drive=st.drive, jsyn=st.jsyn, flags=st.flags)
    return named


def around_the_page(a, b):
    d = abs(in_page(a) - in_page(b))
    return min(d, PAGE - d)


@pytest.mark.parametrize("neuron", ["lif", "adaptive"])
@pytest.mark.parametrize("precision", ["float32", "float64"])
def test_the_pass_arrays_are_spread_over_the_page_before_and_after_reset(precision, neuron):
    net = small_cuba()
    if neuron == "adaptive":                 # three neuron state variables (v, ref, adaptation): more streams
        alif = snn.AdaptiveLIF(tau_n=100 * ms, inc_n=0.05, tau_rc=20 * ms, tau_ref=2 * ms)
        net.population(50, alif, bias=1.5)
    sim = snn.Simulator(net, dt=0.1 * ms, precision=precision)
    ftype = np.dtype(precision)
    for when in ("built", "run", "reset"):
        arrays = pass_arrays(sim._state)
        assert len(arrays) == (6 if neuron == "lif" else 7)
        spread = PAGE // len(arrays) - 64
        for name, a in arrays.items():
            assert a.dtype == (np.uint8 if name == "flags" else ftype)
            for other, b in arrays.items():
                if other != name:
                    assert around_the_page(a, b) >= spread, (
                        f"{name} and {other} ({when}) start {in_page(a)} and {in_page(b)} bytes into a page")
        if when == "built":
            sim.run(0.02)
            assert sim.counts["spikes"] > 0          # the network is active: the arrays above were really used
        elif when == "run":
            sim.reset()


def test_the_drive_holds_the_bias_rounded_as_before():
    """The drive array is filled by assignment now (it was `bias.astype(ftype)`): the same rounding."""
    net = small_cuba()
    for precision in ("float32", "float64"):
        sim = snn.Simulator(net, dt=0.1 * ms, precision=precision)
        bias = sim._layout.model.bias
        assert bias.any()
        np.testing.assert_array_equal(sim._state.drive, bias.astype(precision))
        assert sim._state.drive.tobytes() == bias.astype(precision).tobytes()


@pytest.mark.parametrize("n_exc", [320, 321, 383, 384])
def test_the_flags_cover_whole_cache_lines_and_the_last_line_is_scanned(n_exc):
    """The serial scan skips zero flag words a 64-byte line (64 neurons) at a time (`codegen._kernel`, session 9):
    the flags are padded to whole lines with zeros, and a neuron in the last, partly used line still gets its
    exact step and spikes (the last neuron driven above threshold alone: it must fire at its LIF rate)."""
    net = snn.Network(seed=0)
    lif = snn.LIF(tau_rc=20 * ms, tau_ref=2 * ms)
    bias = np.zeros(n_exc + 80)
    bias[-1] = 1.5                          # only the very last neuron fires
    pop = net.population(n_exc + 80, lif, bias=bias)
    sp = net.probe(pop, "spikes")
    sim = snn.Simulator(net, dt=0.1 * ms)
    n = n_exc + 80
    assert sim._state.flags.shape == (64 * -(-n // 64),) and not sim._state.flags.any()
    sim.run(1.0)
    assert set(sim.data[sp].neurons.tolist()) == {n - 1}
    assert abs(len(sim.data[sp].times) - lif.rates(np.array([1.5]))[0]) <= 1
    assert not sim._state.flags.any()       # every flag cleared by the scan, padding included


def test_line_or_is_the_or_of_eight_words_compiled_and_plain():
    """`jit.line_or(words, c)`, the scan's test of a cache line of flags (one vector load and OR reduction when
    compiled), equals the OR of words[c:c + 8], for lines with one bit, one byte, no bit and all bits set."""
    from snnlib.sim import jit

    words = np.zeros(64, np.uint64)
    words[3] = 1                              # line 0: one bit in its fourth word
    words[15] = np.uint64(1) << np.uint64(63)  # line 1: the top bit of its last word
    words[16:24] = np.uint64(2 ** 64 - 1)     # line 2: every bit; line 3 stays zero
    words[32 + 5] = 0x0100                    # line 4: a flag byte in the middle of a word
    rng = np.random.default_rng(0)
    words[40:] = rng.integers(0, 2 ** 63, 24, dtype=np.uint64) * rng.integers(0, 2, 24).astype(np.uint64)

    @jit.njit
    def all_lines(w):
        out = np.zeros(w.shape[0] // 8, np.uint64)
        for c8 in range(w.shape[0] // 8):
            out[c8] = jit.line_or(w, 8 * c8)
        return out

    expected = [np.bitwise_or.reduce(words[c:c + 8]) for c in range(0, 64, 8)]
    assert expected[3] == 0 and expected[0] == 1 and expected[1] == 1 << 63 and expected[4] == 0x0100
    assert all_lines(words).tolist() == [int(e) for e in expected]
    assert [int(jit._py_line_or(words, c)) for c in range(0, 64, 8)] == [int(e) for e in expected]


def receptor_net(n, keys, seed=0):
    """One population of n LIF neurons receiving one connection per synapse key (exponential synapses of
    different time constants), from a small driven population."""
    net = snn.Network(seed=seed)
    pre = net.population(20, snn.LIF(tau_rc=20 * ms, tau_ref=2 * ms), bias=1.5)
    post = net.population(n, snn.LIF(tau_rc=20 * ms, tau_ref=2 * ms), bias=0.95)
    for k in range(keys):
        net.connect_random(pre, post, p=0.05, weight=0.05, synapse=snn.ExpSynapse((2 + k) * ms))
    return net, post


@pytest.mark.parametrize("precision", ["float32", "float64"])
@pytest.mark.parametrize("n, keys", [(1024, 2), (51200, 2), (512, 3), (2048, 7), (4096, 12), (1000, 2), (3, 5)])
def test_a_populations_receptor_blocks_start_apart_in_the_page(n, keys, precision):
    """`builder.receptor_slots`: receptor blocks of one population whose starts would agree modulo 4096 bytes
    (sizes that are multiples of 1024 float32 or 512 float64 neurons) are moved apart by whole cache lines; those
    already apart, and every other population's, keep the plain layout."""
    from snnlib.sim.builder import RECEPTOR_GAP
    from snnlib.sim.memory import network_estimate

    net, post = receptor_net(n, keys)
    sim = snn.Simulator(net, dt=0.1 * ms, precision=precision, threads=1)      # no gaps (snnlib.sim.positions)
    size = np.dtype(precision).itemsize
    m = sim._layout.model
    firsts = [r.slot_offset for r in m.receptors[1]]
    assert len(firsts) == keys and firsts == sorted(firsts)
    gap = min(RECEPTOR_GAP, 4096 // (2 * keys + 2) // 64 * 64)
    for i, a in enumerate(firsts):
        for b in firsts[:i]:
            d = (a - b) * size % 4096
            assert min(d, 4096 - d) >= gap, (firsts, a, b)
        if i:                                    # moved on by whole cache lines, less than a page
            assert (a - firsts[i - 1] - n) % (64 // size) == 0 and a - firsts[i - 1] - n < 4096 // size
    plain = [k * n for k in range(keys)]
    apart = all(min((a - b) * size % 4096, (b - a) * size % 4096) >= gap for i, a in enumerate(plain) for b in plain[:i])
    assert (firsts == plain) == apart
    assert m.n_slots == firsts[-1] + n
    assert sim._state.ss[0].shape == (m.n_slots,)
    # the memory model counts the same slots (its estimate of the synaptic state)
    est = network_estimate(net, precision)
    assert est["synaptic state"] == m.n_slots * size


def test_moved_receptor_blocks_change_no_spike():
    """The slots between moved receptor blocks belong to no receptor: a network whose blocks are moved gives
    the spikes of the same network built with the plain layout (RECEPTOR_GAP 0)."""
    from snnlib.sim import builder

    def spikes():
        net, post = receptor_net(1024, 3, seed=4)
        p = net.probe(post, "spikes")
        sim = snn.Simulator(net, dt=0.1 * ms, precision="float32")
        sim.run(0.2)
        return sim, sim.data[p]

    moved, a = spikes()
    old = builder.RECEPTOR_GAP
    builder.RECEPTOR_GAP = 0
    try:
        plain, b = spikes()
    finally:
        builder.RECEPTOR_GAP = old
    assert moved._layout.model.n_slots > plain._layout.model.n_slots          # the blocks were moved
    assert len(a.times) > 40
    np.testing.assert_array_equal(a.times, b.times)
    np.testing.assert_array_equal(a.neurons, b.neurons)
