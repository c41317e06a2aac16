"""Device profiles for energy accounting: joules per synaptic op, per neuron update, per weight update.

Each built-in profile names its source (`../shared/reference/science.md`); "(est.)" marks a derived
number. `register_device` adds a user's own profile; `snnlib.energy` prices operation counts with them.
"""

from dataclasses import dataclass

from snnlib import _validate as check

__all__ = ["DeviceProfile", "DEVICES", "get_device", "register_device", "device_names", "device_table"]


@dataclass(frozen=True)
class DeviceProfile:
    """Energy cost of the elementary operations on one kind of hardware.

    Parameters
    ----------
    name : str
        Short name used to look the profile up (lower case).
    energy_per_synop : float
        Joules per synaptic operation (a MAC on dense devices, a spike delivered to one synapse on
        spiking devices).
    energy_per_neuron : float
        Joules per neuron update (once per inference on dense devices, once per timestep on spiking ones).
    spiking : bool
        True for event-driven devices (cost follows the spikes), False for dense ones.
    energy_per_plasticity : float or None
        Joules per plasticity (weight) update, or None when no figure is known.
    on_chip_learning : bool
        False when the device cannot change its weights while it runs (TrueNorth): a learning run is then
        reported as not possible on it.
    source : str
        Where the numbers come from; "(est.)" marks a derived number.
    scope : str
        What the figure covers, so that unlike figures are not compared as like: "whole system" (a
        computer or board running a workload, memory and overheads included), "chip" (one chip's measured
        power at an operating point, divided by its operation rate), "core operation" (the energy of one
        operation inside a core, no off-chip data movement, idle power or host), or "estimate".
    technology : str
        Process node and year of the hardware the figure comes from (figures from different nodes and years
        differ by several times for the same design).
    """

    name: str
    energy_per_synop: float
    energy_per_neuron: float
    spiking: bool
    energy_per_plasticity: float | None = None
    on_chip_learning: bool = True
    source: str = ""
    scope: str = ""
    technology: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise TypeError(f"a device profile needs a non-empty name (str), got {self.name!r}")
        object.__setattr__(self, "name", self.name.strip().lower())
        for attr in ("energy_per_synop", "energy_per_neuron"):
            object.__setattr__(self, attr, check.nonnegative(attr, getattr(self, attr), "J"))
        if self.energy_per_plasticity is not None:
            object.__setattr__(self, "energy_per_plasticity",
                               check.nonnegative("energy_per_plasticity", self.energy_per_plasticity, "J"))
        if not isinstance(self.spiking, bool):
            raise TypeError(f"spiking must be True (event-driven device) or False (dense), got {self.spiking!r}")
        if not isinstance(self.on_chip_learning, bool):
            raise TypeError(f"on_chip_learning must be True or False, got {self.on_chip_learning!r}")
        for attr in ("source", "scope", "technology"):
            if not isinstance(getattr(self, attr), str):
                raise TypeError(f"{attr} must be a str, got {getattr(self, attr)!r}")

    @property
    def kind(self):
        """'spiking' or 'dense'."""
        return "spiking" if self.spiking else "dense"


# Brain, all-in per synaptic event (est.): 20 W / (1e14 synapses x 0.16 Hz) = 1.25e-12 J. The low synapse
# count and Lennie's low mean rate give the *highest* energy per event in the science file's range
# (20 fJ .. 1 pJ), i.e. the assumption least flattering to the brain. Neuron upkeep is folded in.
_BRAIN_SYNOP = 20.0 / (1e14 * 0.16)

# TPU v1 (Jouppi et al. 2017), whole chip (est.): 92 TOPS = 46e12 int8 MAC/s at about 40 W busy gives
# 40 / 46e12 = 0.87 pJ per MAC at full utilisation; the paper's inference workloads keep a fraction of the
# array busy, and at 15 % utilisation the same power gives 0.87 / 0.15 = 5.8 pJ per MAC. The profile takes
# that less flattering figure (6 pJ); TPU_PEAK_MAC is the other end of the range.
TPU_PEAK_MAC = 40.0 / 46e12
_TPU_MAC = 6e-12

# TrueNorth (Merolla et al. 2014), split into a static and a marginal part (est.). The paper's 26 pJ per
# synaptic event is the chip's total power divided by its event rate at one operating point: 20 Hz mean
# rate and 128 active synapses per neuron, i.e. 20 x 128 / 1000 = 2.56 events per neuron per 1 ms tick.
# Its best reported efficiency, 400 GSOPS/W, also includes the static power, so the marginal cost of an
# event is at most 1 / 400e9 = 2.5 pJ (we take this bound). The rest of the 26 pJ at the operating point
# is static power charged per neuron per tick: (26 - 2.5) pJ x 2.56 = 60.2 pJ (1,048,576 neurons x
# 1000 ticks/s x 60.2 pJ = 63 mW, the chip's measured 63-72 mW). A run pays it for every neuron it uses,
# every 1 ms step, spiking or not.
TRUENORTH_TOTAL_PER_EVENT = 26e-12
TRUENORTH_EVENTS_PER_NEURON_TICK = 20.0 * 128 / 1000.0
_TN_MARGINAL = 1.0 / 400e9
_TN_STATIC = (TRUENORTH_TOTAL_PER_EVENT - _TN_MARGINAL) * TRUENORTH_EVENTS_PER_NEURON_TICK

_BUILTIN = (
    DeviceProfile("cpu", 8.6e-9, 8.6e-9, False, 8.6e-9, True,
                  "Degnan, Marr & Hasler 2016, IEEE TVLSI 24(1) (Intel i7-4960X), as used by keras-spiking; plasticity: one "
                  "MAC-equivalent per weight update (est.)", "whole system", "22 nm, 2013"),
    DeviceProfile("gpu", 0.3e-9, 0.3e-9, False, 0.3e-9, True,
                  "Degnan, Marr & Hasler 2016, IEEE TVLSI 24(1) (Nvidia GTX Titan Black, Kepler, large batches), as "
                  "used by keras-spiking; plasticity: one MAC-equivalent (est.)", "whole system", "28 nm, 2014"),
    DeviceProfile("arm", 0.9e-9, 0.9e-9, False, 0.9e-9, True,
                  "Degnan, Marr & Hasler 2016, IEEE TVLSI 24(1) (ARM Cortex-A), as used by keras-spiking; plasticity: one "
                  "MAC-equivalent (est.)", "whole system", "about 2013 (node not recorded here)"),
    DeviceProfile("tpu", _TPU_MAC, _TPU_MAC, False, _TPU_MAC, True,
                  "(est.) Jouppi et al. 2017, ISCA (TPU v1: 92 TOPS int8 at about 40 W busy): 0.87 pJ per MAC at full "
                  "use, about 6 pJ at 15 % use (taken here); one MAC-equivalent per activation and per weight update",
                  "chip", "28 nm, 2015"),
    DeviceProfile("loihi", 27.1e-12, 81e-12, True, 120e-12, True,
                  "Davies et al. 2018, IEEE Micro 38(1): 23.6 pJ synaptic spike op + 3.5 pJ "
                  "(keras-spiking's 27.1 pJ), 81 pJ neuron update, 120 pJ per STDP update",
                  "core operation", "14 nm, 2018"),
    DeviceProfile("truenorth", _TN_MARGINAL, _TN_STATIC, True, None, False,
                  "(est.) Merolla et al. 2014, Science 345:668: 26 pJ per event = total power / event rate at 20 Hz "
                  "and 128 active synapses per neuron; split into at most 2.5 pJ marginal per event (1 / 400 "
                  "GSOPS/W) and 60 pJ static per neuron per 1 ms tick; no on-chip learning", "chip", "28 nm, 2014"),
    DeviceProfile("spinnaker", 13.3e-9, 26e-9, True, 13.3e-9, True,
                  "Hoeppner et al. 2019 figures as used by keras-spiking; plasticity runs in ARM software, "
                  "priced as one synaptic op (est.)", "chip", "130 nm, 2011"),
    DeviceProfile("spinnaker2", 450e-12, 2.19e-9, True, 450e-12, True,
                  "Hoeppner et al. 2019 figures as used by keras-spiking; plasticity priced as one synaptic "
                  "op (est.)", "chip", "28 nm prototype, 2019"),
    DeviceProfile("brain", _BRAIN_SYNOP, 0.0, True, None, True,
                  "(est.) 20 W (Raichle & Gusnard 2002) / (1e14 synapses x 0.16 Hz, Lennie 2003's upper bound for "
                  "cortex) = 1.25 pJ per synaptic event, all costs folded in; plasticity cost unknown",
                  "estimate", "biology"),
)

DEVICES = {p.name: p for p in _BUILTIN}
"""All known device profiles by name (the built-in ones plus any added with `register_device`)."""


def device_names():
    """Names of all known devices, built-in first, in a fixed order."""
    return list(DEVICES)


def get_device(device, name="device"):
    """Return the `DeviceProfile` for a name (case-insensitive) or pass a profile through; `name` is the
    parameter's name in error messages."""
    if isinstance(device, DeviceProfile):
        return device
    if not isinstance(device, str):
        raise TypeError(f"{name} must be a device name (str) or a DeviceProfile, got {device!r}")
    key = device.strip().lower()
    if key not in DEVICES:
        raise ValueError(f"{name}: unknown device {device!r}; known devices: {', '.join(DEVICES)} "
                         "(add your own with snnlib.energy.register_device)")
    return DEVICES[key]


def register_device(name, energy_per_synop, energy_per_neuron, spiking, energy_per_plasticity=None,
                    on_chip_learning=True, source="user-defined", overwrite=False, scope="", technology=""):
    """Add a device profile (energies in J) and return it. Refuses to replace one unless overwrite=True.

    ``scope`` and ``technology`` say what the figures cover and where they come from (see `DeviceProfile`)."""
    profile = DeviceProfile(name, energy_per_synop, energy_per_neuron, spiking, energy_per_plasticity,
                            on_chip_learning, source, scope, technology)
    if profile.name in DEVICES and not overwrite:
        raise ValueError(f"device {profile.name!r} already exists; pass overwrite=True to replace it")
    DEVICES[profile.name] = profile
    return profile


def device_table(devices=None):
    """A plain-text table of device profiles: kind, J per synaptic op and per neuron update (shown in pJ),
    what the figure covers (scope) and the process node and year. ``devices``: names; None = all."""
    if devices is not None and (isinstance(devices, (str, bytes)) or not isinstance(devices, (list, tuple))):
        raise TypeError(f"devices must be None (all) or a list of device names, got {devices!r}")
    names = device_names() if devices is None else list(devices)
    lines = [f"{'device':<11} {'kind':<8} {'pJ/synop':>9} {'pJ/neuron':>10}  {'scope':<15} technology"]
    for name in names:
        p = get_device(name, "devices")
        lines.append(f"{p.name:<11} {p.kind:<8} {p.energy_per_synop * 1e12:>9.3g} {p.energy_per_neuron * 1e12:>10.3g}  "
                     f"{p.scope or '-':<15} {p.technology or '-'}")
    return "\n".join(lines)
