"""Counter-based random numbers for use inside the loop: a hash of (seed, stream, step, index).

No state and no N x steps buffers: the number for neuron `index` in `step` is computed where it is used,
so it is the same with and without the JIT and whatever the chunk size. Plain Python on integers (the code
generator compiles these functions): every product is masked to 32 bits, so numba's wrapping int64
arithmetic and Python's unbounded integers give the same bits. The mixer is Chris Wellons' "lowbias32"
(hash-prospector, 2018), chained over the four words; uniforms have 32 random bits, normals come from
Box-Muller on two uniforms.
"""

import math

MASK = 0xFFFFFFFF


def mix32(x):
    """lowbias32: a 32-bit integer hash with low bias (full avalanche)."""
    x = x & MASK
    x ^= x >> 16
    x = (x * 0x7FEB352D) & MASK
    x ^= x >> 15
    x = (x * 0x846CA68B) & MASK
    x ^= x >> 16
    return x


def uniform(seed, stream, step, index):
    """A uniform number in (0, 1) for (seed, stream, step, index), each a non-negative integer."""
    h = mix32(seed ^ mix32(stream ^ mix32((step & MASK) ^ mix32((step >> 32) ^ mix32(index + 0x9E3779B9)))))
    return (h + 0.5) * 2.3283064365386963e-10


def normal(seed, stream, step, index):
    """A standard normal deviate for (seed, stream, step, index) (Box-Muller on two uniforms)."""
    u1 = uniform(seed, stream, step, 2 * index)
    u2 = uniform(seed, stream, step, 2 * index + 1)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
