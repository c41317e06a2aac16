"""A two-compartment neuron: a LIF soma driven by a dendrite whose output is a nonlinear function of its voltage.

    dendrite:  dv_d/dt = (J - v_d) / tau_d            (all of the network's input J arrives here)
    soma:      the LIF, dv/dt = (v_rest + soma_bias + g_c A(v_d) - v) / tau_rc, spike, reset, refractory

The dendritic nonlinearity A (0 to 1) is one of
- "sigmoid": A = 1 / (1 + exp(-(v_d - theta_d) / width_d)), a supralinear, saturating plateau like an
  NMDA spike (Schiller et al. 2000; Poirazi, Brannon & Mel 2003): monotonic in the input;
- "dcaap": A = exp(-(v_d - theta_d) / width_d) above theta_d and 0 below: the dendritic calcium action
  potential of human layer 2/3 neurons, largest for input just above threshold and smaller for stronger
  input (Gidon et al. 2020, Science 367:83-87). Non-monotonic, so one neuron can compute XOR of two inputs,
  which no point neuron with a monotonic f-I curve can.

Units: the NEF's normalised units by default (soma threshold 1, reset 0; J, v_d dimensionless), time in s.
Integration is exact for input held over the step: the dendrite decays exponentially towards J, the soma
takes the LIF's exact step (`lif_step`) with the dendritic current at the step's start.
"""

import math

from snnlib.model import checks as check
from snnlib.model.plugin import NeuronModel, register
from snnlib.neurons.lif import LIF, lif_step

NONLINEARITIES = ("sigmoid", "dcaap")


def dendritic_activation(v_d, theta_d, width_d, dcaap):
    """A(v_d) in [0, 1]: the sigmoid plateau (dcaap = 0) or the dCaAP's falling amplitude (dcaap = 1)."""
    x = (v_d - theta_d) / width_d
    if dcaap > 0.5:
        return math.exp(-x) if x >= 0.0 else 0.0
    if x < -50.0:                        # exp overflow guard; A is 0 to double precision there
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def two_compartment_step(v, ref, v_d, J, dt, tau_rc, tau_ref, v_th, v_reset, v_rest, tau_d, theta_d, width_d,
                         g_c, soma_bias, dcaap, d_decay):
    """One step of dt (s): the soma's exact LIF step driven by the dendrite, then the dendrite's exact step."""
    drive = soma_bias + g_c * dendritic_activation(v_d, theta_d, width_d, dcaap)
    v, ref, spiked = lif_step(v, ref, drive, dt, tau_rc, tau_ref, v_th, v_reset, v_rest)
    v_d = J + (v_d - J) * d_decay
    return v, ref, v_d, spiked


@register
class TwoCompartmentLIF(NeuronModel):
    """LIF soma + dendrite with a dendritic nonlinearity (see the module docstring).

    Parameters
    ----------
    nonlinearity : "dcaap" (default) or "sigmoid".
    tau_d : dendritic time constant (s), > 0; default 10 ms.
    theta_d : dendritic threshold (units of J), default 1.0.
    width_d : width of the nonlinearity (units of J), > 0; default 0.3.
    g_c : coupling, the somatic drive of a full dendritic event (units of v), >= 0; default 3.0.
    soma_bias : constant somatic drive (units of v), default 0.
    tau_rc, tau_ref, v_th, v_reset, v_rest : the soma's LIF parameters (default: normalised units).

    The network's drive J (bias, inputs, synaptic currents) enters the dendrite; probe "voltage" records the
    soma, "drive" the dendrite's input J.
    """

    kind = "two_compartment_lif"
    params = ("tau_rc", "tau_ref", "v_th", "v_reset", "v_rest", "tau_d", "theta_d", "width_d", "g_c",
              "soma_bias", "dcaap")
    state = ("v", "ref", "v_d")
    functions = {"step": two_compartment_step}

    def __init__(self, nonlinearity="dcaap", tau_d=0.01, theta_d=1.0, width_d=0.3, g_c=3.0, soma_bias=0.0,
                 tau_rc=0.02, tau_ref=0.002, v_th=1.0, v_reset=0.0, v_rest=0.0):
        if not isinstance(nonlinearity, str) or nonlinearity not in NONLINEARITIES:
            raise ValueError(f"nonlinearity must be one of {NONLINEARITIES}, got {nonlinearity!r}")
        self.nonlinearity = nonlinearity
        self.dcaap = 1.0 if nonlinearity == "dcaap" else 0.0
        self.soma = LIF(tau_rc=tau_rc, tau_ref=tau_ref, v_th=v_th, v_reset=v_reset, v_rest=v_rest)
        self.tau_rc, self.tau_ref = self.soma.tau_rc, self.soma.tau_ref
        self.v_th, self.v_reset, self.v_rest = self.soma.v_th, self.soma.v_reset, self.soma.v_rest
        self.tau_d = check.positive("tau_d", tau_d)
        self.theta_d = check.real("theta_d", theta_d)
        self.width_d = check.positive("width_d", width_d, "(units of J)")
        self.g_c = check.nonnegative("g_c", g_c)
        self.soma_bias = check.real("soma_bias", soma_bias)

    def derived(self, dt):
        return {"d_decay": math.exp(-dt / self.tau_d)}

    @property
    def initial(self):
        return {"v": self.v_reset, "ref": 0.0, "v_d": 0.0}

    @property
    def time_constants(self):
        return {"tau_rc": self.tau_rc, "tau_d": self.tau_d}

    def activation(self, v_d):
        """A(v_d) (array) for dendritic voltages v_d."""
        import numpy as np

        return np.vectorize(dendritic_activation)(np.asarray(v_d, dtype=float), self.theta_d, self.width_d,
                                                   self.dcaap)

    def rates(self, J):
        """Steady-state firing rate (Hz) for a constant dendritic input J: the soma's LIF rate for the drive
        soma_bias + g_c A(J) (the dendrite settles at v_d = J)."""
        import numpy as np

        J = np.asarray(J, dtype=float)
        return self.soma.rates(self.soma_bias + self.g_c * self.activation(J))

    def __repr__(self):
        return (f"TwoCompartmentLIF(nonlinearity={self.nonlinearity!r}, tau_d={self.tau_d!r}, "
                f"theta_d={self.theta_d!r}, width_d={self.width_d!r}, g_c={self.g_c!r}, "
                f"soma_bias={self.soma_bias!r}, tau_rc={self.tau_rc!r}, tau_ref={self.tau_ref!r}, "
                f"v_th={self.v_th!r}, v_reset={self.v_reset!r}, v_rest={self.v_rest!r})")
