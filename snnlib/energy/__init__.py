"""Energy accounting: operation counts priced on device profiles (`accounting`; profiles with sources in
`devices`). `snnlib.energy.estimate(...)` etc. work as before the package was split."""

from snnlib.energy.accounting import (DEVICES, DeviceEnergy, DeviceProfile, EnergyReport, OpCounts,
                                      break_even_rate, count_macs, device_names, estimate, get_device,
                                      register_device)
from snnlib.energy.devices import device_table

__all__ = ["DeviceProfile", "OpCounts", "DeviceEnergy", "EnergyReport", "DEVICES", "get_device",
           "register_device", "device_names", "count_macs", "estimate", "break_even_rate", "device_table"]
