"""Simulator(threads=...): the multi-threaded loop (snnlib.sim.codegen_parallel) gives bit-identical spikes,
probed voltages, currents, weights and counts to the single-thread loop, in float64 and float32, on CUBA,
on CUBA with STDP, white noise and in-loop Poisson sources, and on the mixed test model (many populations,
several receptors, time-varying inputs, spike-time sources), on a network whose CSR rows are not sorted by
slot, and on the shared models of other tests run with threads=2 (modulators, three-factor STDP, in-loop
Poisson, a presynaptic model: serial delivery); also without the JIT. Every population is cut exactly among the
threads here (ALIGN_FROM raised), so the threads' shares end inside vectorised loops. Speed is measured in benchmarks/scaling.py, not here."""

import os
import sys

import numpy as np
import pytest

from nojit import run_without_jit

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks"))
import snnlib as snn
from snnlib.sim import codegen, codegen_delivery, codegen_parallel, positions
from snnlib.units import ms

EXACT = 10 ** 9        # codegen_parallel.ALIGN_FROM: no population's shares aligned


def _results(net, probes, threads, precision, t=0.04, dt=1e-4, chunk_steps=150):
    saved = codegen_parallel.ALIGN_FROM
    codegen_parallel.ALIGN_FROM = EXACT
    try:
        sim = snn.Simulator(net, dt=dt, precision=precision, threads=threads, chunk_steps=chunk_steps)
    finally:
        codegen_parallel.ALIGN_FROM = saved
    sim.run(t / 2)
    sim.run(t / 2)                                  # state carried between calls
    out = {}
    for p in probes:
        d = sim.data[p]
        out[f"{p.label}/{p.target}"] = ([d.times.tolist(), d.neurons.tolist()] if p.target == "spikes"
                                        else d.ravel().tolist())
    out["counts"] = sim.counts
    out["state"] = [sim._v.tolist(), sim._ref.tolist(), sim._I.tolist()]
    if sim.model.plastic:
        out["w"] = sim._w.tolist()
    return out, sim


def cuba_net(extras=False):
    """CUBA at scale 1 (4000 neurons); extras: STDP on the excitatory synapses, white noise on the
    inhibitory population and in-loop Poisson sources onto the excitatory one (counter-based draws)."""
    import cuba

    net, pe, pi = cuba.build_cuba(seed=3, stdp=extras)
    probes = [pe, pi, net.probe(net.populations[0], "voltage", indices=np.arange(0, 3200, 97)),
              net.probe(net.populations[1], "current", indices=np.arange(0, 800, 41), every=3)]
    if extras:
        from snnlib.noise import WhiteNoise

        net.noise(net.populations[1], WhiteNoise(2e-3))
        src = net.poisson(200, rate=40.0, in_loop=True, label="drive")
        net.connect_random(src, net.populations[0], p=0.05, weight=1e-3, synapse=snn.ExpSynapse(5 * ms))
        probes.append(net.probe(src, "spikes"))
    return net, probes


def mixed(precision="float64"):
    from test_generated_kernel import mixed_model

    return mixed_model()


def run_cuba(threads, precision, extras=False, t=0.04):
    net, probes = cuba_net(extras)
    return _results(net, probes, threads, precision, t=t)[0]


def run_mixed(threads, precision, t=0.1):
    net, probes = mixed()
    return _results(net, probes, threads, precision, t=t, dt=0.2 * ms, chunk_steps=170)[0]


needs_cores = pytest.mark.skipif(codegen_parallel.cores() < 2, reason="one core: threads > 1 runs on one thread "
                                 "(the partitions are still exercised by the other tests)")


@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_cuba_identical_on_two_threads(precision):
    one, two = run_cuba(1, precision), run_cuba(2, precision)
    assert one["counts"]["spikes"] > 300            # the network is active in 40 ms
    assert two == one


@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_cuba_with_stdp_noise_and_poisson_identical_on_two_and_three_threads(precision):
    one = run_cuba(1, precision, extras=True)
    assert one["counts"]["plasticity_updates"] > 1000 and one["counts"]["source_spikes"] > 100
    assert run_cuba(2, precision, extras=True) == one
    assert run_cuba(3, precision, extras=True) == one      # three partitions (run by the cores there are)


@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_mixed_model_identical_on_two_threads(precision):
    one = run_mixed(1, precision)
    assert one["counts"]["spikes"] > 50
    assert run_mixed(2, precision) == one


def test_parallel_loop_same_results_without_jit():
    jitted = run_mixed(2, "float32", t=0.04)
    assert run_without_jit("test_threads", "run_mixed(2, 'float32', t=0.04)") == jitted


def unsorted_net():
    """Rows of the CSR not sorted by slot: a->a shares the current b->a opened first (lower slots) and comes
    after a->b, so a neuron of a reaches b's slots, then lower ones of a."""
    net = snn.Network(seed=4)
    a = net.population(300, snn.LIF(), bias=1.2, v_init=snn.Uniform(0, 1), label="a")
    b = net.population(200, snn.LIF(tau_rc=10 * ms), bias=1.1, v_init=snn.Uniform(0, 1), label="b")
    net.connect_random(b, a, p=0.1, weight=-0.02, synapse=snn.ExpSynapse(5 * ms))
    net.connect_random(a, b, p=0.1, weight=0.03, synapse=snn.ExpSynapse(5 * ms))
    net.connect_random(a, a, p=0.1, weight=0.02, synapse=snn.ExpSynapse(5 * ms))
    return net, [net.probe(a, "spikes"), net.probe(b, "spikes"), net.probe(a, "current")]


@pytest.mark.parametrize("coded", [True, False])
def test_unsorted_rows_identical_and_runs_exact_per_thread(monkeypatch, coded):
    """Each thread's runs of a row are exactly the row's edges to the slots of its neurons (its share of each
    population, every receptor), in edge order, also when the row's slots are not in ascending order; the
    run is identical to the serial one. coded: the edges are codes (slot in the low bits, the weight's index
    above them: three weights here, `snnlib.sim.edge_codes`), else slots and weights."""
    from snnlib.sim import edge_codes

    if not coded:
        monkeypatch.setattr(edge_codes, "plan", lambda *a: None)
    net, probes = unsorted_net()
    one = _results(net, probes, 1, "float64", t=0.1)[0]
    three, sim = _results(net, probes, 3, "float64", t=0.1)
    assert one["counts"]["spikes"] > 100 and three == one
    m, par = sim.model, sim._par[0]
    pos = m.positions                   # edges hold slot positions (gaps at the cuts: snnlib.sim.positions)
    assert pos.gapped
    own = np.full(pos.n_slot_pos, -1)
    for c in range(len(par.blk_group)):
        t = np.searchsorted(par.tb_ptr, c, side="right") - 1
        p = sim._layout.neuron_groups[par.blk_group[c]][2][par.blk_row[c]]
        for rs in m.receptors[p]:
            s0 = int(pos.slot(rs.slot_offset + par.blk_lo[c]))
            own[s0:s0 + par.blk_n[c]] = t
    assert np.all(own[pos.slot_table] >= 0)
    assert (m.edge_wtab is not None) == coded and (m.code_bits > 0) == coded
    mask = (1 << m.code_bits) - 1 if coded else -1
    unsorted = 0
    for j in range(len(m.pre_ptr) - 1):
        slots = m.edge_slot[m.pre_ptr[j]:m.pre_ptr[j + 1]].astype(np.int64) & mask
        unsorted += bool(np.any(np.diff(slots) < 0))
        for t in range(3):
            mine = np.flatnonzero(own[slots] == t) + m.pre_ptr[j]
            runs = [np.arange(par.runs[t, j, y], par.runs[t, j, y + 1]) for y in range(0, par.runs.shape[2], 2)]
            assert np.array_equal(np.concatenate(runs + [np.zeros(0, int)]), mine)
    assert unsorted > 0


def test_memory_estimate_counts_the_partition_tables():
    from snnlib.sim import memory

    net, _ = mixed()
    sim = snn.Simulator(net, dt=0.2 * ms, threads=3)
    par = sim._par[0]
    extra = memory.network_estimate(net, threads=3)["threads"]
    assert extra == par.runs.nbytes + par.spk_buf.nbytes
    # the gaps at the cuts (snnlib.sim.positions), as the memory model counts them
    pos = sim.model.positions
    gap_n, gap_s = positions.gap_positions(net, 3)
    assert pos.n_neuron_pos - pos.n_neurons == gap_n > 0 and pos.n_slot_pos - pos.n_slots == gap_s > 0
    assert sim._state.ns[0].shape == (pos.n_neuron_pos,) and sim._state.ss[0].shape == (pos.n_slot_pos,)
    assert "threads" not in memory.network_estimate(net, threads=1)


def test_threading_is_part_of_the_structure_key_and_serial_code_has_no_prange():
    net, _ = mixed()
    serial = snn.Simulator(net, dt=0.2 * ms, threads=1)
    parallel = snn.Simulator(net, dt=0.2 * ms, threads=2)
    assert ("threads",) not in serial._layout.key and ("threads",) in parallel._layout.key
    assert "prange" not in codegen.generate(serial._layout) and "parallel=True" not in codegen.generate(serial._layout)
    assert "prange(" in codegen.generate(parallel._layout)


def test_automatic_threads_follow_the_break_even_size(monkeypatch):
    net, _ = mixed()
    n = sum(p.n for p in net.populations)
    assert snn.Simulator(net, dt=0.2 * ms).threads == 1                 # far below the break-even size
    monkeypatch.setattr(codegen_parallel, "BREAK_EVEN", n)
    assert snn.Simulator(net, dt=0.2 * ms).threads == codegen_parallel.cores()
    monkeypatch.setattr(codegen_parallel, "BREAK_EVEN", n + 1)
    assert snn.Simulator(net, dt=0.2 * ms).threads == 1


def test_automatic_threads_keep_a_plastic_network_on_one_thread(monkeypatch):
    """A network whose delivery cannot be fused (here STDP) forks and joins its threads twice a step: it ran
    0.06-0.69x as fast on 2 threads as on one (benchmarks/README.md, "session 11, threads"), so None keeps it on
    one thread at any size; a forced count is still obeyed, and a static network of the same size gets every
    core."""
    monkeypatch.setattr(codegen_parallel, "BREAK_EVEN", 1000)          # CUBA x 1: 4,000 neurons
    monkeypatch.setattr(codegen_parallel, "cores", lambda: 2)
    assert snn.Simulator(cuba_net(extras=True)[0], dt=1e-4).threads == 1
    assert snn.Simulator(cuba_net(extras=True)[0], dt=1e-4, threads=2).threads == 2
    assert snn.Simulator(cuba_net()[0], dt=1e-4).threads == 2


def test_fusable_says_of_the_description_what_fused_says_of_the_built_layout():
    """The automatic thread count and the memory model decide from the network description
    (codegen_parallel.fusable) what the generator decides from the built layout (fused): a static network
    fuses its delivery, one with a learning rule or with a presynaptic model does not."""
    stp = snn.Network(seed=3)
    a, b = stp.population(20, snn.LIF(), bias=1.5), stp.population(20, snn.LIF())
    stp.connect_random(a, b, p=0.3, weight=0.1, presynaptic=snn.TsodyksMarkram())
    nets = {"static": cuba_net()[0], "stdp": cuba_net(extras=True)[0], "presynaptic": stp}
    verdicts = {k: codegen_parallel.fusable(n) for k, n in nets.items()}
    assert verdicts == {"static": True, "stdp": False, "presynaptic": False}
    for name, net in nets.items():
        assert codegen_parallel.fused(snn.Simulator(net, dt=1e-4, threads=2)._layout) == verdicts[name], name


@pytest.mark.parametrize("n_part", [2, 3])
def test_neighbouring_populations_meet_in_one_threads_blocks(n_part):
    """codegen_parallel.share_of: walking the neurons in index order, every population's shares are contiguous and
    cover it, each thread runs one share of each, and where a population ends and the next begins both blocks are
    one thread's (a block right behind another thread's pays for the lines its pass's prefetcher reads on into;
    benchmarks/README.md, "session 15"). With share t for every thread t, every such boundary changed thread."""
    net, _ = mixed()
    sim = snn.Simulator(net, dt=1e-4, threads=n_part)
    par, m = sim._par[0], sim.model
    first = np.cumsum([0] + [pop.n for pop in m.populations])
    owner = {}                                      # first neuron of a block -> (thread, last neuron + 1)
    for c in range(len(par.blk_group)):
        t = int(np.searchsorted(par.tb_ptr, c, side="right") - 1)
        a = int(first[sim._layout.neuron_groups[par.blk_group[c]][2][par.blk_row[c]]] + par.blk_lo[c])
        owner[a] = (t, a + int(par.blk_n[c]))
        assert par.blk_start[c] == m.positions.neuron[a]     # where its state lies
    starts = sorted(owner)
    assert starts[0] == 0 and all(owner[a][1] == b for a, b in zip(starts, starts[1:]))
    assert owner[starts[-1]][1] == m.n_neurons
    for p in range(len(m.populations)):
        inside = [a for a in starts if first[p] <= a < first[p + 1]]
        assert sorted(owner[a][0] for a in inside) == list(range(n_part)), p      # one share each
    boundaries = [b for b in first[1:-1] if b in owner]
    assert len(m.populations) > 3 and len(boundaries) == len(m.populations) - 1
    for b in boundaries:
        before = max(a for a in starts if a < b)
        assert owner[before][0] == owner[b][0], (b, owner[before], owner[b])


@needs_cores
def test_forced_threads_run_on_that_many_numba_threads_and_restore_the_setting():
    import numba

    net, _ = mixed()
    before = numba.get_num_threads()
    sim = snn.Simulator(net, dt=0.2 * ms, threads=2)
    assert sim.threads == 2
    sim.run(0.002)
    assert numba.get_num_threads() == before


@pytest.mark.parametrize("bad,error", [(0, ValueError), (-2, ValueError), (1.5, TypeError), (2.0, TypeError),
                                       (True, TypeError), ("2", TypeError), ([2], TypeError)])
def test_bad_threads_are_refused(bad, error):
    net, _ = mixed()
    with pytest.raises(error, match="threads must be None .automatic. or an integer >= 1"):
        snn.Simulator(net, threads=bad)


@pytest.fixture
def threaded(monkeypatch):
    """snn.Simulator made with threads=2 (exact shares) wherever a shared test model builds one."""
    original, made = snn.Simulator, []

    def make(*a, **kw):
        made.append(original(*a, **dict(kw, threads=2)))
        return made[-1]

    monkeypatch.setattr(codegen_parallel, "ALIGN_FROM", EXACT)
    monkeypatch.setattr(snn, "Simulator", make)
    return made


def _models():
    import math

    import modulation_models as mm
    import test_presynaptic as tp

    import test_signals as ts

    times = np.arange(0.01, 0.3, 0.013)
    return {"modulators (gain, bias, threshold; activity and time)": lambda: mm.lif_modulated(T=0.15),
            "PES: decoded values, errors, learnt decoders and inputs": lambda: ts.pes_run(t=0.6, n=20),
            "decoded inputs with voltage, current and drive probes": decoded_inputs,
            "three-factor STDP with an activity modulator": lambda: mm.reward_network(T=0.5),
            "in-loop and numpy Poisson sources": lambda: mm.loop_poisson_run(T=0.3),
            "presynaptic model (serial delivery)": lambda: tp.delivered(
                times, snn.TsodyksMarkram(U=0.5, tau_D=0.8, tau_F=0.0), n_pre=3, n_post=4).tolist()}


def decoded_inputs():
    """A decoded value of one population driving two others through encoders (each neuron's drive goes through
    the position map: `snnlib.sim.positions`), white noise on one, every kind of probe on them."""
    rng = np.random.default_rng(5)
    net = snn.Network(seed=4)
    pre = net.population(40, snn.LIF(), bias=rng.uniform(1.2, 4.0, 40))
    xh = net.decoded(pre, rng.normal(0, 0.02, (40, 2)), tau=5 * ms)
    posts = [net.population(n, snn.LIF(), bias=0.8) for n in (30, 17)]
    for post in posts:
        net.decoded_input(post, xh, rng.normal(0, 3.0, (post.n, 2)))
    from snnlib.noise import WhiteNoise

    net.noise(posts[1], WhiteNoise(0.05))          # its draws are keyed by neuron index, not position
    probes = [net.probe(xh)] + [net.probe(p, t) for p in posts for t in ("voltage", "current", "drive", "spikes")]
    sim = snn.Simulator(net, dt=0.5 * ms)
    sim.run(0.2)
    return [np.asarray(sim.data[p].times if p.target == "spikes" else sim.data[p]).tolist() for p in probes]


@pytest.mark.parametrize("name", list(_models()))
def test_other_kernel_features_identical_on_two_threads(name, request):
    one = _models()[name]()
    made = request.getfixturevalue("threaded")
    assert _models()[name]() == one
    assert made and all(sim.threads == 2 and ("threads",) in sim._layout.key for sim in made)


def test_the_build_time_memory_guard_counts_the_thread_tables():
    """builder.build's second guard (exact synapse counts) uses the Simulator's memory model, thread tables
    included: a limit between the one-thread and the two-thread estimates stops a two-thread build only."""
    from snnlib.sim import memory
    from snnlib.sim.builder import build

    net, _ = mixed()
    build(net, 0.2 * ms)                                    # the synapses drawn: the estimates are exact
    one = memory.network_estimate(net, "float64", 2000, 1)["total"]
    two = memory.network_estimate(net, "float64", 2000, 2)["total"]
    assert two > one
    build(net, 0.2 * ms, memory_limit=(one + two) // 2, threads=1)
    with pytest.raises(memory.ModelMemoryError):
        build(net, 0.2 * ms, memory_limit=(one + two) // 2, threads=2)


def test_delivery_pending_when_the_spike_buffer_fills_mid_chunk_is_done_before_returning():
    """The loop returns early when the spike-event buffer may not hold another step (the Simulator grows it
    and calls again); the last step's spikes, whose delivery waits for the next step's parallel region, are
    delivered before that return: identical to one thread."""
    def net_():
        net = snn.Network(seed=5)
        a = net.population(300, snn.LIF(), bias=3.0, v_init=snn.Uniform(0, 1), label="a")
        b = net.population(100, snn.LIF(tau_rc=10 * ms), bias=2.0, v_init=snn.Uniform(0, 1), label="b")
        net.connect_random(a, b, p=0.2, weight=0.05, synapse=snn.ExpSynapse(5 * ms))
        net.connect_random(b, a, p=0.2, weight=-0.05, synapse=snn.ExpSynapse(5 * ms))
        net.connect_random(a, a, p=0.1, weight=0.02, synapse=snn.ExpSynapse(2 * ms))
        return net, [net.probe(a, "spikes"), net.probe(b, "spikes"), net.probe(a, "current")]

    net, probes = net_()
    one = _results(net, probes, 1, "float64", t=0.4, chunk_steps=2000)[0]
    net, probes = net_()
    two, sim = _results(net, probes, 2, "float64", t=0.4, chunk_steps=2000)
    assert len(sim._ev_step) > 4096                      # the buffer filled inside a chunk: early returns
    assert one["counts"]["spikes"] > 5000 and two == one


def test_prefetch_hint_emits_an_llvm_prefetch_and_changes_nothing():
    """snnlib.sim.jit.prefetch (the parallel delivery's cache-line requests) compiles to LLVM's prefetch
    instruction, also for indices past the array's end (a prefetch never faults), and leaves values alone."""
    import numba

    from snnlib.sim.jit import prefetch

    @numba.njit
    def total(a, idx):
        s = 0.0
        for i in range(a.shape[0]):
            prefetch(a, i + 1000)               # beyond the end: still only a hint
            prefetch(idx, np.uint64(i))
            s += a[idx[i]]
        return s

    a = np.arange(50.0)
    idx = np.arange(50)[::-1].copy()
    assert total(a, idx) == a.sum()
    llvm = total.inspect_llvm(total.signatures[0])
    assert "@llvm.prefetch" in llvm


def test_parallel_delivery_requests_the_lines_of_spikes_ahead():
    """Each thread's delivery first requests every spike's row of runs, then, while delivering spike z, the
    cache lines of edge slots and weights of spike z + AHEAD (a chain of misses otherwise: each thread's
    delivery took as long as the whole serial one; benchmarks/README.md, "Threads")."""
    for net in (cuba_net()[0], cuba_net(extras=True)[0]):          # fused delivery, and a region of its own
        sim = snn.Simulator(net, dt=1e-4, threads=2)
        src = codegen.generate(sim._layout)
        loops = src.count("(pp_runs[t_, j, y_]")            # every delivery of the parallel variant
        assert loops >= 1 and src.count("prefetch(pp_runs, tb_ + st_spk_list[z] * w_)") == loops
        body = src[src.index("prefetch(pp_runs, tb_ + st_spk_list[z] * w_)"):]
        ahead = body[:body.index("j = st_spk_list[z]\n")]
        assert f"    if z + {codegen_delivery.AHEAD} < n_pend:\n" in ahead
        assert f"jd_ = st_spk_list[z + {codegen_delivery.AHEAD}]" in ahead
        # weights only where the edges are not codes (CUBA's are: one weight per connection; the plastic one not)
        arrays = ("g_edge_slot",) if sim._layout.coded else ("g_edge_slot", "st_weff")
        assert sim._layout.coded == (not sim._layout.rule_kinds)
        for arr in arrays:          # every line of each run (test_parallel_delivery_requests_every_line_of_a_run)
            assert f"for q_ in range(b_, be_, " in ahead and f"prefetch({arr}, q_)" in ahead
            assert f"prefetch({arr}, be_ - 1)" in ahead
        assert ("prefetch(st_weff" in ahead) == (not sim._layout.coded)


@pytest.mark.parametrize("weights", [False, True])
def test_parallel_delivery_requests_every_line_of_a_run(weights):
    """The lines requested for the spike AHEAD places on (`codegen_parallel_delivery.prefetches`) cover every
    cache line of each of the thread's runs of its edge slots (and weights), wherever the array starts within a
    line (numpy's large arrays start 16 bytes into one here), and nothing outside the run: with only the first two
    lines requested, the rest of a run missed the cache in the delivery, and with the cores far apart (their
    round trip ~500 ns) the 64,000-neuron loop ran about 1.55x on two threads instead of 1.85 (benchmarks/README.md,
    "session 17"). The generated lines run here as Python, with a `prefetch` that notes what it is asked for."""
    from types import SimpleNamespace

    from snnlib.sim import codegen_parallel_delivery as pdelivery

    rng = np.random.default_rng(5)
    begins = rng.integers(0, 400, (2, 30, 2))                   # 2 threads, 30 rows, 2 runs a row
    runs = np.stack([begins, begins + rng.integers(0, 90, begins.shape)], axis=3).reshape(2, 30, 4)
    runs[0, :4] = [[7, 7, 30, 31], [64, 64, 0, 0], [5, 22, 100, 200], [15, 17, 16, 48]]    # empty, 1 edge, ...
    lines = pdelivery._run_requests("jd_", "w_", "16", "8" if weights else None, every=True)
    code = compile("\n".join(lines), "requests", "exec")
    arrays = SimpleNamespace(edge_slot="edge_slot", weff="weff")
    per_line = {"edge_slot": 16, "weff": 8}                    # int32 slots, float64 weights
    for t in range(2):
        for j in range(30):
            asked = {"edge_slot": [], "weff": []}
            exec(code, {"pp": SimpleNamespace(runs=runs), "t_": t, "jd_": j, "w_": 4, "g": arrays, "st": arrays,
                        "prefetch": lambda a, q: asked[a].append(int(q))})
            assert weights or not asked["weff"]
            for name in per_line if weights else ["edge_slot"]:
                n = per_line[name]
                spans = [range(runs[t, j, y], runs[t, j, y + 1]) for y in (0, 2)]
                assert all(any(q in r for r in spans) for q in asked[name]), (name, spans, asked[name])
                for k in range(n):              # the array's start, k elements into a line
                    need = {(x + k) // n for r in spans for x in r}
                    got = {(q + k) // n for q in asked[name]}
                    assert need <= got, (name, spans, k)
                assert len(asked[name]) <= sum(-(-len(r) // n) + 1 for r in spans if len(r))


def test_a_thread_requests_its_own_spikes_lines_for_the_next_delivery(monkeypatch):
    """With fused delivery, a thread's neuron that fires requests its row of runs at once (in the exact step),
    and once the thread's blocks are done it requests its runs' first edge lines of those spikes, which its
    delivery reads at the start of the next step (codegen_parallel_delivery.spike_requests; about 1 us of
    each thread's 6-7 us delivery at 64,000 neurons, benchmarks/README.md, "session 11, threads"). A plastic
    network's delivery follows at once in a fork/join of its own: no requests there."""
    fused_src = codegen.generate(snn.Simulator(cuba_net()[0], dt=1e-4, threads=2)._layout)
    step = fused_src[fused_src.index("def tstep_("):fused_src.index("def tdlv_(")]
    fired = step.index("prefetch(pp_runs, pr_ + j_ * pw_)")       # j_: the spike's index (i: its position)
    assert step.rindex("pp_spk_buf[a + cnt_] = j_", 0, fired) > step.rindex("if fired:", 0, fired)
    after = step[step.rindex("pp_blk_cnt[8 * c_] = cnt_"):]          # after the last block's exact steps
    # CUBA's edges are codes (`edge_codes`): no weight array to request
    assert "prefetch(g_edge_slot, b_)" in after and "prefetch(g_edge_slot, b_ + 64 // g_edge_slot.itemsize)" in after
    assert "st_weff" not in step
    # edges with a weight each (here: the codes turned off) request the weights' lines as well
    from snnlib.sim import edge_codes

    monkeypatch.setattr(edge_codes, "plan", lambda *a: None)
    step = codegen.generate(snn.Simulator(unsorted_net()[0], dt=1e-4, threads=2)._layout)
    after = step[step.rindex("pp_blk_cnt[8 * c_] = cnt_"):step.index("def tdlv_(")]
    for arr in ("g_edge_slot", "st_weff"):
        assert f"prefetch({arr}, b_)" in after and f"prefetch({arr}, b_ + 64 // {arr}.itemsize)" in after
    plastic = codegen.generate(snn.Simulator(cuba_net(extras=True)[0], dt=1e-4, threads=2)._layout)
    assert "pr_ + j_ * pw_" not in plastic and "pw_ = pp_runs.shape[2]" not in plastic


def test_a_nan_in_a_threaded_state_names_its_population_and_neurons(threaded):
    """NonFiniteError reads positions back as neurons (`snnlib.sim.positions`): a NaN voltage in the second
    share of the second population is reported there, with the right count."""
    net = snn.Network(seed=0)
    net.population(50, snn.LIF(), label="first")
    net.population(60, snn.LIF(), bias=0.5, label="second")
    sim = snn.Simulator(net, dt=1e-3)
    pos = sim.model.positions
    assert sim.threads == 2 and pos.gapped
    sim._state.ns[0][pos.neuron[[50 + 45, 50 + 59]]] = np.nan
    with pytest.raises(snn.NonFiniteError, match=r"population 'second': its voltage v became NaN in 2 of 60"):
        sim.run(0.01)
