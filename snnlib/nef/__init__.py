"""snnlib.nef: the Neural Engineering Framework (Eliasmith & Anderson 2003) on snnlib's spiking LIF neurons.

Follows Nengo's conventions and formulas (nengo/neurons.py, nengo/solvers.py, nengo/builder/ensemble.py,
nengo/dists.py, nengo/synapses.py), so code written here reads like Nengo code:

- `Ensemble`: encoders, intercepts, max rates -> gain and bias (`tuning.gain_bias`); tuning curves
  `ens.rates(x)`; decoders of any function `ens.decoders(f)` by `LstsqL2` (principle 1 and 2);
- `Network`: nodes, ensembles, decoded connections with function, transform and synapse, recurrent
  connections (principle 3), decoded probes;
- `PES`: online learning of a connection's decoders from an error (run by the engine's PES rule);
- `Simulator`: realises the network as snnlib LIF populations and weight matrices (`realise`) and runs it.

Units: normalised LIF (threshold 1; `snnlib.LIF()` defaults), rates in Hz, times in s.
"""

from snnlib.nef.dists import Uniform, UniformHypersphere
from snnlib.nef.ensemble import Ensemble
from snnlib.nef.learning import PES
from snnlib.nef.network import Network
from snnlib.nef.simulator import Simulator
from snnlib.nef.solvers import LstsqL2
from snnlib.nef.tuning import gain_bias, lif_rates, max_rates_intercepts

__all__ = ["Ensemble", "Network", "Simulator", "LstsqL2", "PES", "Uniform", "UniformHypersphere", "gain_bias",
           "max_rates_intercepts", "lif_rates"]
