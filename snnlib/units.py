"""Unit helpers: snnlib works in SI floats; multiply by these for readability.

>>> from snnlib.units import ms, mV
>>> 20 * ms
0.02
"""

s = 1.0
ms = 1e-3
us = 1e-6
V = 1.0
mV = 1e-3
Hz = 1.0
kHz = 1e3
A = 1.0
nA = 1e-9
pA = 1e-12
J = 1.0
pJ = 1e-12
nJ = 1e-9
fJ = 1e-15
W = 1.0
mW = 1e-3
KiB = 1024
MiB = 1024**2
GiB = 1024**3
