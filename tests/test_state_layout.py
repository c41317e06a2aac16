"""Where the simulator's state arrays live in memory: each per-neuron array and each synaptic slot array starts on a
4096-byte page boundary (`groups.page_zeros`).

Why it matters (benchmarks/README.md, issue 10, session 8): the neuron pass streams these arrays together, and a
load from one that agrees in its low 12 address bits with a pending store to another waits for it ("4K aliasing").
Where malloc put each array decided that; aligned arrays agree in those bits only at the same element. The float32
CUBA loop was 0.92x of the unaligned one, alternated in one process. The values are unchanged: the pinned digests of
tests/test_generated_kernel.py hold."""

import numpy as np
import pytest

import snnlib as snn
from snnlib.sim.groups import page_zeros
from snnlib.units import mV, ms

PAGE = 4096


def aligned(a):
    return a.ctypes.data % PAGE == 0


@pytest.mark.parametrize("n", [0, 1, 7, 1000, 1024, 4097])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8])
def test_page_zeros_is_a_zeroed_page_aligned_array(n, dtype):
    a = page_zeros(n, dtype)
    assert a.shape == (n,) and a.dtype == dtype and a.flags.c_contiguous and a.flags.writeable
    assert not a.any()
    if n:
        assert aligned(a)
        a[:] = 1                     # writable over its whole length, and independent of a second one
        assert not page_zeros(n, dtype).any()


def small_cuba(seed=3):
    net = snn.Network(seed=seed)
    lif = snn.LIF(tau_rc=20 * ms, tau_ref=5 * ms, v_th=-50 * mV, v_reset=-60 * mV, v_rest=-49 * mV)
    exc = net.population(320, lif, v_init=snn.Uniform(-60 * mV, -50 * mV), bias=np.linspace(0, 2, 320) * mV)
    inh = net.population(80, lif, v_init=snn.Uniform(-60 * mV, -50 * mV))
    for post in (exc, inh):
        net.connect_random(exc, post, p=0.1, weight=1.62 * mV, synapse=snn.ExpSynapse(5 * ms))
        net.connect_random(inh, post, p=0.1, weight=-9 * mV, synapse=snn.ExpSynapse(10 * ms))
    return net


@pytest.mark.parametrize("precision", ["float32", "float64"])
def test_the_pass_arrays_start_on_page_boundaries_before_and_after_reset(precision):
    net = small_cuba()
    sim = snn.Simulator(net, dt=0.1 * ms, precision=precision)
    ftype = np.dtype(precision)
    for when in ("built", "run", "reset"):
        st = sim._state
        arrays = {"ns[0] (v)": st.ns[0], "ns[1] (ref)": st.ns[1], "ss[0]": st.ss[0], "drive": st.drive,
                  "jsyn": st.jsyn, "flags": st.flags}
        for name, a in arrays.items():
            assert aligned(a), f"{name} ({when}) starts {a.ctypes.data % PAGE} bytes into a page"
            assert a.dtype == (np.uint8 if name == "flags" else ftype)
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
