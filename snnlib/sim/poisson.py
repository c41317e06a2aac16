"""In-loop Poisson sources (`Network.poisson(..., in_loop=True)`): spikes drawn inside the kernel with the
counter-based generator (`snnlib.sim.rng`), so no chunk x sources array of random numbers is made, and a seed
gives the same spikes with and without the JIT and for any chunk size. Source j spikes in step s when
uniform(seed, 9000 + k, s, i) < rate_j dt (k the source object's position among the network's sources, i the
index within it): a Bernoulli draw per step, the discrete Poisson process the numpy sources use too (with
other numbers: the default, numpy-drawn sources keep every lesson's printed spikes unchanged).
"""

from collections import namedtuple

import numpy as np

#: per presynaptic source (all M sources): p = rate x dt (0 for sources drawn by numpy), stream and local index
LoopPoisson = namedtuple("LoopPoisson", "p stream loc")


def loop_poisson(net, dt):
    """The LoopPoisson arrays of `net` for time step `dt` (s); ValueError if a rate x dt exceeds 1."""
    p, stream, loc = [], [], []
    for k, src in enumerate(net.sources):
        if getattr(src, "in_loop", False):
            q = np.asarray(src.rate, dtype=float) * dt
            if np.any(q > 1):
                raise ValueError(f"{src.label}: rate x dt must lie in [0, 1] (at most one spike per step); got "
                                 f"rates up to {np.max(src.rate):g} Hz with dt = {dt:g} s: lower dt")
            p.append(q)
        else:
            p.append(np.zeros(src.n))
        stream.append(np.full(src.n, 9000 + k, np.int64))
        loc.append(np.arange(src.n, dtype=np.int64))
    cat = (lambda xs, dtype: np.concatenate(xs).astype(dtype) if xs else np.zeros(0, dtype))   # noqa: E731
    return LoopPoisson(cat(p, float), cat(stream, np.int64), cat(loc, np.int64))


def present(net):
    """Whether any source of `net` is drawn in the loop (part of the kernel's structure key)."""
    return any(getattr(src, "in_loop", False) for src in net.sources)
