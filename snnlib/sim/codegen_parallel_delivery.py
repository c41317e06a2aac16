"""The threaded loop's spike delivery (`codegen_parallel`, issue 22 "every core"): each thread's edge loop over
the previous step's spikes into the synaptic slots it owns, the table of runs of edges it walks (`runs`), and
the cache-line requests that keep its misses from following one another.

Delivery is a chain of cache misses: spike -> its row of `Par.runs` -> its edges (slots and weights; the
edge arrays are far larger than the caches at 64,000 neurons). Two sets of requests overlap them (hints only:
no value is read or written differently):

- `prefetches`, at the start of delivery: every spike's row of runs, then, while spike z is delivered, every
  cache line of each run of the spike AHEAD places on (session 7: each thread's delivery took as long as the
  whole serial one without them, 13-15 us a step at 64,000 neurons; with the first two lines of each run
  4-6 us. Session 17: with every line, 3 % less wall time for the loop at 64,000 neurons when the two cores
  share a cache and 17 % less when the host puts them far apart, where nothing the other core fetched helps:
  about 1.55 -> 1.85x on two threads. benchmarks/README.md, "session 17");
- `spike_requests`, in the step before (session 11): a thread's own neurons that fire request their row of
  runs at once, and once its blocks are done it requests its runs' edge lines of those spikes, which it will
  deliver at the start of the next step: about half of each thread's spikes then find their lines in its
  cache, as the serial loop's spikes do (its exact steps request a spike's row as soon as it fires).
  benchmarks/README.md, "session 11, threads".
"""

import re

import numpy as np

from snnlib.sim import codegen_delivery as delivery
# how many spikes ahead delivery requests the edges' cache lines (`prefetches`): the serial delivery's figure
from snnlib.sim.codegen_delivery import AHEAD

#: block c's spike count lies at `Par.blk_cnt[CNT_STRIDE * c]`, a cache line of its own: the threads write their
#: blocks' counts every step, and one line holding every block's count went back and forth between the cores
CNT_STRIDE = 8


def edge_loop(layout):
    """(init, lines): partition t_'s delivery of the spikes st.spk_list[:n_pend] (the serial edge loop's body
    on the edges of each row whose slot t_ owns), counting weight updates in nu_; `init`: the locals the
    edge loop caches (plastic edges), to be set before it."""
    serial = delivery._deliver(layout)
    # serial: [locals the edge loop caches (plastic edges)], the spike loop's head (`spike_head`: count and
    # record the spike), the edge loop's head, its body (8 spaces in), whose deliveries add to
    # st.ss[0][edge_slot[e]] (st.weff[e], or a plastic edge's weight x gain)
    f, n = serial.index("for z in range(n_spk):"), len(delivery.spike_head())
    init, head, body = serial[:f], serial[f + n], serial[f + n + 1:]
    slot = re.compile(r"st\.ss\[0\]\[(?:np\.uint32\()?g\.edge_slot\[e\](?: & g\.code_mask)?\)?\]")
    if not head.startswith("    for e in range(") or not any(slot.search(ln) for ln in body) \
            or any(not ln.startswith("        ") for ln in body):
        raise AssertionError("codegen_delivery._deliver changed its edge loop: "
                             "update codegen_parallel_delivery.edge_loop")
    edge = [slot.sub("st.ss[0][sl_]", ln[8:]).replace("n_upd += 1", "nu_ += 1") for ln in body]
    # unsigned indices where the serial loop has them (no rule: numba would wrap a negative index around)
    u64, u32 = ("np.uint64", "np.uint32") if "np.uint64" in head else ("", "")
    code = " & g.code_mask" if layout.coded else ""
    lines = prefetches(not layout.coded) + [
        "    j = st.spk_list[z]", "    for y_ in range(0, pp.runs.shape[2], 2):",
        f"        for e in range({u64}(pp.runs[t_, j, y_]), {u64}(pp.runs[t_, j, y_ + 1])):",
        f"            sl_ = {u32}(g.edge_slot[e]{code})"]
    return init, lines + [" " * 12 + ln for ln in edge]


def prefetches(weights=True):
    """The delivery's head: a loop requesting every spike's row of `runs` (t_'s part), then the loop over the
    spikes (`for z ...`, body to follow) whose first lines request every cache line of edge slots and weights
    of each run of the spike AHEAD places on. Delivery is a chain of cache misses (spike -> its runs ->
    its edges; the edge arrays are far larger than the caches at 64,000 neurons): without these requests each
    thread's delivery took as long as the whole serial delivery (13-15 us a step at 64,000 neurons, CUBA,
    about 40 spikes a step, each thread waiting on the same number of misses in a row), with them 4-6 us.
    Hints only: no value is read or written differently. weights=False: edges as codes (`edge_codes`), no
    weights to request."""
    return ["w_ = pp.runs.shape[2]", "tb_ = t_ * pp.runs.shape[1] * w_", "ls_ = 64 // g.edge_slot.itemsize"] + (
            ["lw_ = 64 // st.weff.itemsize"] if weights else []) + [
            "for z in range(n_pend):", "    prefetch(pp.runs, tb_ + st.spk_list[z] * w_)",
            "for z in range(n_pend):", f"    if z + {AHEAD} < n_pend:", f"        jd_ = st.spk_list[z + {AHEAD}]"] + [
            " " * 8 + ln for ln in _run_requests("jd_", "w_", "ls_", "lw_" if weights else None, every=True)]


def _run_requests(row, width, ls, lw, every=False):
    """Lines requesting cache lines of edge slots and of weights of each of thread t_'s runs of row `row` of
    runs (`width`: a thread's part of a row; `ls`/`lw`: edge slots / weights in a cache line; lw None: codes, no
    weights): the first two lines of each, or with `every` each line of it (stepping a line from its first
    element, and its last element's line: the arrays need not start on a line)."""
    arrays = [("g.edge_slot", ls)] + ([] if lw is None else [("st.weff", lw)])
    head = [f"for y_ in range(0, {width}, 2):", f"    b_ = pp.runs[t_, {row}, y_]"]
    if every:
        return head + [f"    be_ = pp.runs[t_, {row}, y_ + 1]", "    if b_ < be_:"] + [
            ln for a, n in arrays for ln in (f"        for q_ in range(b_, be_, {n}):", f"            prefetch({a}, q_)",
                                             f"        prefetch({a}, be_ - 1)")]
    return head + [f"    if b_ < pp.runs[t_, {row}, y_ + 1]:"] + [f"        prefetch({a}, b_)" for a, _ in arrays] + [
        f"        prefetch({a}, b_ + {n})" for a, n in arrays]


def spike_requests(weights=True, spike="i"):
    """(fired, after): lines requesting, in thread t_'s step, the lines its delivery of the next step will read
    first for the spikes of its own blocks. `fired` (in the exact step, after spike i is listed): its row of
    runs (in t_'s table); `after` (once all of t_'s blocks are done, so the
    rows have had the blocks' time to arrive): the first two lines of edge slots and weights of each of t_'s
    runs of each such spike, as `prefetches` requests them. `pw_`/`pr_` (set before the blocks by
    `codegen_parallel._blocks`): the width of a row of runs and where t_'s table starts; `spike`: the name of
    the listed spike's index in `fired`."""
    fired = [f"prefetch(pp.runs, pr_ + {spike} * pw_)"]
    after = ["for c_ in range(pp.tb_ptr[t_], pp.tb_ptr[t_ + 1]):", "    a_ = pp.blk_start[c_]",
             f"    for z_ in range(pp.blk_cnt[{CNT_STRIDE} * c_]):", "        i = pp.spk_buf[a_ + z_]"] + [
        " " * 8 + ln for ln in _run_requests("i", "pw_", "64 // g.edge_slot.itemsize",
                                             "64 // st.weff.itemsize" if weights else None)]
    return fired, after


# -- the runs table ---------------------------------------------------------------------------------------

def runs(pre_ptr, edge_slot, own, n_part, mask=-1):
    """runs[t, j, 2 c:2 c + 2]: the c-th run of consecutive edges of row j whose slots thread t owns (begin,
    end; unused runs empty), in edge order. A row is its connections' edges one connection after the other,
    each sorted by slot, and a thread owns a contiguous share of every receptor's slots: a thread has at most
    one run per connection of the row. A row's runs lie together (16 bytes for CUBA), so a spike costs one
    cache miss in this table, as the serial loop's pre_ptr does (with runs in a CSR of their own, two more
    misses per spike and thread made delivery 2-3x slower); one table per thread, so no line of it is read by
    two threads (with every thread's runs of a row side by side, runs[j, t], both threads read each spike's
    line: with the cores ~500 ns apart the loop was 1.8 % slower, benchmarks/README.md session 16). mask: the
    slot bits of edge_slot's values (codes, `edge_codes`; -1: they are slots)."""
    from snnlib.sim.jit import njit

    global _RUNS
    if _RUNS is None:
        _RUNS = njit(_runs_loop, cache=False)
    n_rows = len(pre_ptr) - 1
    itype = np.int32 if pre_ptr[-1] < 2 ** 31 else np.int64
    width = _RUNS(pre_ptr, edge_slot, own, np.zeros((n_part, n_rows, 0), itype), mask)       # most runs of a row
    out = np.zeros((n_part, n_rows, 2 * max(width, 1)), itype)
    _RUNS(pre_ptr, edge_slot, own, out, mask)
    return out


_RUNS = None


def _runs_loop(pre_ptr, edge_slot, own, out, mask):
    """Fill out (when it has room) and return the largest number of runs of one row and thread."""
    n_part = out.shape[0]
    room = out.shape[2] // 2
    most = 0
    for j in range(pre_ptr.shape[0] - 1):
        for t in range(n_part):
            y = 0
            prev = -2
            for e in range(pre_ptr[j], pre_ptr[j + 1]):
                if own[edge_slot[e] & mask] != t:
                    continue
                if e == prev + 1:           # continues the run
                    if room:
                        out[t, j, 2 * y - 1] = e + 1
                else:
                    if room:
                        out[t, j, 2 * y] = e
                        out[t, j, 2 * y + 1] = e + 1
                    y += 1
                prev = e
            most = max(most, y)
    return most
