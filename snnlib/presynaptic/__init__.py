"""Presynaptic models of a connection: short-term plasticity and probabilistic release (one file per model)."""

from snnlib.presynaptic.release import Release
from snnlib.presynaptic.tsodyks_markram import TsodyksMarkram

__all__ = ["TsodyksMarkram", "Release"]
