"""Building and running: the builder (description -> arrays), the kernels, the Simulator, spike records
and the one module that touches numba (`snnlib.sim.jit`).

Kept import-light on purpose: `snnlib.sim.jit` imports numba, the rest only numpy."""
