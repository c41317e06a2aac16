"""Reference solutions for exercises/04_neurotransmitters.ipynb (shown only by ``ex.solution(...)``).

Each ``# %% <id>`` section is one notebook answer cell; the stubs are derived from these
(signature and docstring kept, body replaced). Volts, seconds, hertz; [Mg2+] in mM.
"""
import numpy as np

from snnlib.experiments.switching import F0, F1, SwitchingPopulation, rms

# %% mg_block
def mg_block(v, mg=1.0):
    """Fraction of NMDA channels not blocked by Mg2+ (Jahr & Stevens 1990).

    v: membrane voltages (V), an array; mg: extracellular [Mg2+] (mM).
    Returns B(v) = 1 / (1 + mg/3.57 exp(-0.062 v/mV)), an array like v.
    """
    v_mV = np.asarray(v) * 1e3
    return 1.0 / (1.0 + mg / 3.57 * np.exp(-0.062 * v_mV))

# %% tm_steady_release
def tm_steady_release(rate, U, tau_D, tau_F):
    """Steady release per spike u* x* of a Tsodyks-Markram synapse driven by a regular train.

    rate: Hz (> 0); U: utilisation increment in (0, 1]; tau_D, tau_F: recovery and facilitation time
    constants (s), tau_F = 0 for no facilitation. Returns u* x* (a number).
    """
    T = 1.0 / rate
    e_F = np.exp(-T / tau_F) if tau_F > 0 else 0.0
    e_D = np.exp(-T / tau_D)
    u = U / (1.0 - (1.0 - U) * e_F)
    x = (1.0 - e_D) / (1.0 - (1.0 - u) * e_D)
    return u * x

# %% reward_weight_change
def reward_weight_change(delay, A, D, tau_c, tau_d):
    """Weight change from one pairing (trace amplitude A at t = 0, time constant tau_c) and one dopamine pulse
    (amplitude D, time constant tau_d) arriving `delay` seconds later.

    delay: array of delays (s, >= 0). Returns the integral of c(t) d(t) over t, one value per delay.
    """
    left = A * np.exp(-np.asarray(delay) / tau_c)        # the trace when the dopamine arrives
    return left * D / (1.0 / tau_c + 1.0 / tau_d)          # both decay together afterwards

# %% switch_level
pop = SwitchingPopulation(seed=3, sensitive=0.25)
x = pop.x_train
switch_level = None
for m in np.round(np.arange(0.0, 1.0001, 0.05), 2):
    out, rates = pop.simulate(x, m)
    if rms(out, F1(x)) < rms(out, F0(x)):
        switch_level = float(m)
        break
