"""Device profiles for energy accounting: joules per synaptic op, per neuron update, per weight update.

Each built-in profile names its source (`../shared/reference/science.md`); "(est.)" marks a derived
number. `register_device` adds a user's own profile; `snnlib.energy` prices operation counts with them.
"""

from dataclasses import dataclass

from snnlib import _validate as check

__all__ = ["DeviceProfile", "DEVICES", "get_device", "register_device", "device_names"]


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
    """

    name: str
    energy_per_synop: float
    energy_per_neuron: float
    spiking: bool
    energy_per_plasticity: float | None = None
    on_chip_learning: bool = True
    source: str = ""

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

    @property
    def kind(self):
        """'spiking' or 'dense'."""
        return "spiking" if self.spiking else "dense"


# Brain, all-in per synaptic event (est.): 20 W / (1e14 synapses x 0.16 Hz) = 1.25e-12 J. The low synapse
# count and Lennie's low mean rate give the *highest* energy per event in the science file's range
# (20 fJ .. 1 pJ), i.e. the assumption least flattering to the brain. Neuron upkeep is folded in.
_BRAIN_SYNOP = 20.0 / (1e14 * 0.16)

_BUILTIN = (
    DeviceProfile("cpu", 8.6e-9, 8.6e-9, False, 8.6e-9, True,
                  "Degnan, Marr & Hasler 2016, IEEE TVLSI 24(1) (Intel i7-4960X), as used by keras-spiking; plasticity: one "
                  "MAC-equivalent per weight update (est.)"),
    DeviceProfile("gpu", 0.3e-9, 0.3e-9, False, 0.3e-9, True,
                  "Degnan, Marr & Hasler 2016, IEEE TVLSI 24(1) (Nvidia GTX Titan Black, large batches), as used by "
                  "keras-spiking; plasticity: one MAC-equivalent (est.)"),
    DeviceProfile("arm", 0.9e-9, 0.9e-9, False, 0.9e-9, True,
                  "Degnan, Marr & Hasler 2016, IEEE TVLSI 24(1) (ARM Cortex-A), as used by keras-spiking; plasticity: one "
                  "MAC-equivalent (est.)"),
    DeviceProfile("loihi", 27.1e-12, 81e-12, True, 120e-12, True,
                  "Davies et al. 2018, IEEE Micro 38(1): 23.6 pJ synaptic spike op + 3.5 pJ "
                  "(keras-spiking's 27.1 pJ), 81 pJ neuron update, 120 pJ per STDP update"),
    DeviceProfile("truenorth", 26e-12, 0.0, True, None, False,
                  "Merolla et al. 2014, Science 345:668: ~26 pJ per synaptic event, whole-chip energy "
                  "at the measured operating point, so neuron updates are folded in; no on-chip learning"),
    DeviceProfile("spinnaker", 13.3e-9, 26e-9, True, 13.3e-9, True,
                  "Hoeppner et al. 2019 figures as used by keras-spiking; plasticity runs in ARM software, "
                  "priced as one synaptic op (est.)"),
    DeviceProfile("spinnaker2", 450e-12, 2.19e-9, True, 450e-12, True,
                  "Hoeppner et al. 2019 figures as used by keras-spiking; plasticity priced as one synaptic "
                  "op (est.)"),
    DeviceProfile("brain", _BRAIN_SYNOP, 0.0, True, None, True,
                  "(est.) 20 W / (1e14 synapses x 0.16 Hz mean rate) = 1.25 pJ per synaptic event, all "
                  "costs folded in (Attwell & Laughlin 2001; Lennie 2003); plasticity cost unknown"),
)

DEVICES = {p.name: p for p in _BUILTIN}
"""All known device profiles by name (the built-in ones plus any added with `register_device`)."""


def device_names():
    """Names of all known devices, built-in first, in a fixed order."""
    return list(DEVICES)


def get_device(device):
    """Return the `DeviceProfile` for a name (case-insensitive) or pass a profile through."""
    if isinstance(device, DeviceProfile):
        return device
    if not isinstance(device, str):
        raise TypeError(f"device must be a device name (str) or a DeviceProfile, got {device!r}")
    key = device.strip().lower()
    if key not in DEVICES:
        raise ValueError(f"unknown device {device!r}; known devices: {', '.join(DEVICES)} "
                         "(add your own with snnlib.energy.register_device)")
    return DEVICES[key]


def register_device(name, energy_per_synop, energy_per_neuron, spiking, energy_per_plasticity=None,
                    on_chip_learning=True, source="user-defined", overwrite=False):
    """Add a device profile (energies in J) and return it. Refuses to replace one unless overwrite=True."""
    profile = DeviceProfile(name, energy_per_synop, energy_per_neuron, spiking, energy_per_plasticity,
                            on_chip_learning, source)
    if profile.name in DEVICES and not overwrite:
        raise ValueError(f"device {profile.name!r} already exists; pass overwrite=True to replace it")
    DEVICES[profile.name] = profile
    return profile
