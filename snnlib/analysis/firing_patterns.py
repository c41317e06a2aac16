"""Naming a neuron's firing pattern from its spike train under a step current.

The five cortical families of Izhikevich (2003) are told apart by three measured features:
- bursts: runs of >= 2 spikes with inter-spike intervals (ISIs) below `burst_isi` (default 8 ms) that end
  in a pause at least 3 times longer than the run's intervals. Repeated bursts: "chattering" (CH); one burst at the onset followed by single spikes:
  "intrinsically bursting" (IB).
- adaptation: the ratio of the steady ISI (median of the last third) to the first ISI.
- the steady rate (1 / steady ISI).
Without bursts: "fast spiking" (FS) fires fast with little adaptation, "low-threshold spiking" (LTS) fast with
strong adaptation, "regular spiking" (RS) slower with adaptation. The thresholds are set from the published
parameter sets at the paper's input (I = 10) and stated in `classify`'s docstring; other models (AdEx) and
inputs may fall between families, which is why the features are returned too.

Reference: E. M. Izhikevich, "Simple model of spiking neurons", IEEE Trans. Neural Netw. 14 (2003), Fig. 2;
R. Naud et al., Biol. Cybern. 99 (2008), for the adaptation and burst criteria.
"""

from dataclasses import dataclass

import numpy as np

from snnlib import _validate as check
from snnlib.analysis.spiketrains import as_train

NAMES = {"RS": "regular spiking", "IB": "intrinsically bursting", "CH": "chattering", "FS": "fast spiking",
         "LTS": "low-threshold spiking", "none": "too few spikes to tell"}


@dataclass
class PatternFeatures:
    """What `classify` measured: number of spikes, bursts (count, and whether only at the onset),
    first and steady ISI (s), adaptation ratio (steady / first ISI), steady rate (Hz)."""

    n_spikes: int
    n_bursts: int
    onset_burst_only: bool
    first_isi: float
    steady_isi: float
    adaptation: float
    steady_rate: float


def bursts(times, burst_isi=0.008, pause_factor=3.0):
    """Bursts in `times` (s) as (first, last) spike indices: runs of >= 2 spikes with inter-spike intervals
    below `burst_isi` (s) that end in a pause at least `pause_factor` times the run's longest interval.

    The pause is what makes a burst: fast tonic firing (all intervals short, no pause) or a gradual
    slowing (each interval a little longer than the last, as in low-threshold spiking) is not bursting."""
    times = as_train(times)
    burst_isi = check.positive("burst_isi", burst_isi)
    pause_factor = check.positive("pause_factor", pause_factor, "")
    isi = np.diff(times)
    out, k = [], 0
    while k < len(isi):
        if isi[k] >= burst_isi:
            k += 1
            continue
        j = k
        while j < len(isi) and isi[j] < burst_isi:
            j += 1
        if j < len(isi) and isi[j] >= pause_factor * isi[k:j].max():
            out.append((k, j))           # spikes k..j form one burst, then the pause isi[j]
        k = j
    return out


def features(times, burst_isi=0.008):
    """The `PatternFeatures` of a spike train `times` (s) recorded under a constant input."""
    times = as_train(times)
    burst_isi = check.positive("burst_isi", burst_isi)
    isi = np.diff(times)
    b = bursts(times, burst_isi)
    if len(isi) < 3:
        return PatternFeatures(len(times), len(b), False, np.nan, np.nan, np.nan, 0.0)
    steady = float(np.median(isi[-max(1, len(isi) // 3):]))
    onset_only = len(b) == 1 and b[0][0] == 0 and len(times) - b[0][1] > 3
    return PatternFeatures(len(times), len(b), onset_only, float(isi[0]), steady, steady / float(isi[0]),
                           1.0 / steady)


def classify(times, burst_isi=0.008):
    """Family code ("RS", "IB", "CH", "FS", "LTS", or "none") of a spike train `times` (s).

    Rules, in order: fewer than 4 spikes -> "none"; two or more bursts -> "CH"; one burst at the onset then
    single spikes -> "IB"; steady rate above 50 Hz with adaptation ratio below 2.5 -> "FS"; steady rate above
    40 Hz -> "LTS"; otherwise "RS". `NAMES[code]` is the name in words."""
    f = features(times, burst_isi)
    if f.n_spikes < 4:
        return "none"
    if f.n_bursts >= 2:
        return "CH"
    if f.onset_burst_only:
        return "IB"
    if f.steady_rate > 50.0 and f.adaptation < 2.5:
        return "FS"
    if f.steady_rate > 40.0:
        return "LTS"
    return "RS"
