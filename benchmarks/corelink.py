"""How long one cache line takes to go from one core to another and back (issue 22, "every core"): two threads,
pinned to two different CPUs, pass a counter back and forth through two int64 words on separate cache lines
(each waits for the other's store with an atomic load: `snnlib.sim.jit.sync_load` / `sync_store`, the
threaded loop's own intrinsics). The time per exchange is one round trip of a cache line between the cores.

The threaded loop meets its second thread several times a step and shares a few cache lines with it each
time; two independent processes (`twins.py`) share none. On the course VM this round trip is about 100 ns
most of the time and about 500 ns when the host places the two vCPUs far apart, and the loop's slow rounds
are those (benchmarks/README.md, "session 15"), so `scaling.threads_ab` records it in every round.

    .venv/bin/python benchmarks/corelink.py            # ten measurements, ns each
"""

from __future__ import annotations

import os
import threading
import time

_KERNELS = None


def _kernels():
    """(ping, pong), compiled once: ping stores i and waits for pong to store i back, n times."""
    global _KERNELS
    if _KERNELS is None:
        from snnlib.sim.jit import njit, sync_load, sync_store

        @njit(nogil=True, cache=False)
        def ping(words, n):
            for i in range(1, n + 1):
                sync_store(words, 0, i)
                while sync_load(words, 8) != i:
                    pass
            return 0

        @njit(nogil=True, cache=False)
        def pong(words, n):
            for i in range(1, n + 1):
                while sync_load(words, 0) != i:
                    pass
                sync_store(words, 8, i)
            return 0

        _KERNELS = ping, pong
    return _KERNELS


def roundtrip_ns(exchanges: int = 20_000, cpus: tuple[int, int] | None = None) -> float | None:
    """Nanoseconds per round trip of a cache line between two CPUs (the first two this process may run on
    unless `cpus` is given), over `exchanges` round trips; None when the process may run on fewer than two
    CPUs or without the JIT (two interpreted spinning threads would take turns holding the GIL). The calling
    thread runs on cpus[0] meanwhile and gets its former CPU set back afterwards."""
    import numpy as np

    from snnlib.sim.jit import JIT_ENABLED

    if exchanges < 1:
        raise ValueError(f"exchanges must be at least 1, got {exchanges}")
    if not JIT_ENABLED:
        return None
    allowed = os.sched_getaffinity(0)
    if cpus is None:
        if len(allowed) < 2:
            return None
        cpus = tuple(sorted(allowed)[:2])
    if len(set(cpus)) != 2 or not set(cpus) <= allowed:
        raise ValueError(f"cpus must be two different CPUs of {sorted(allowed)}, got {cpus}")
    ping, pong = _kernels()
    words = np.zeros(16, np.int64)          # word 0 and word 8: 64 bytes apart, two cache lines
    ping(words, 0), pong(words, 0)          # compiled before timing

    def other():
        os.sched_setaffinity(0, {cpus[1]})
        pong(words, exchanges)

    helper = threading.Thread(target=other, daemon=True)
    try:
        os.sched_setaffinity(0, {cpus[0]})
        helper.start()
        t0 = time.perf_counter()
        ping(words, exchanges)
        elapsed = time.perf_counter() - t0
        helper.join()
    finally:
        os.sched_setaffinity(0, allowed)
    return elapsed / exchanges * 1e9


if __name__ == "__main__":
    for _ in range(10):
        value = roundtrip_ns()
        print("fewer than two CPUs" if value is None else f"{value:.0f} ns")
