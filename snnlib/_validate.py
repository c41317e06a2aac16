"""Parameter checks shared by the description classes.

Every check raises a ValueError (or TypeError) whose message names the parameter, the value received and
what is allowed, so a learner never meets a numba error or a silent NaN instead.
"""

import numbers

import numpy as np


def real(name, value):
    """Return `value` as a float, or raise TypeError/ValueError if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def positive(name, value, unit="s"):
    """A finite number > 0 (time constants, rates of change, dt)."""
    value = real(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0 {unit}, got {value!r}")
    return value


def nonnegative(name, value, unit=""):
    """A finite number >= 0 (refractory periods, rates)."""
    value = real(name, value)
    if value < 0:
        raise ValueError(f"{name} must be >= 0{' ' + unit if unit else ''}, got {value!r}")
    return value


def probability(name, value):
    """A number in [0, 1]."""
    value = real(name, value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")
    return value


def count(name, value, minimum=1):
    """An integer >= minimum (population sizes, step counts)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def finite_array(name, value, shape=None, dtype=float):
    """An array of finite numbers, broadcast to `shape` if given (scalars are allowed then)."""
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numeric (a number or an array of numbers), got {value!r}") from None
    if shape is not None:
        try:
            arr = np.broadcast_to(arr, shape).copy()
        except ValueError:
            raise ValueError(
                f"{name} has shape {arr.shape}, but shape {shape} (or a scalar) is needed") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return arr


def indices(name, value, n):
    """Integer indices into a population of size n (None means all)."""
    if value is None:
        return np.arange(n)
    arr = np.asarray(value)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(f"{name} as a boolean mask must have shape ({n},), got {arr.shape}")
        return np.flatnonzero(arr)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must be a 1-D list of integer indices or a boolean mask, got {value!r}")
    if arr.size and (arr.min() < -n or arr.max() >= n):
        raise ValueError(f"{name} must be indices in [0, {n}), got values from {arr.min()} to {arr.max()}")
    return np.unique(arr % n) if arr.size else arr.astype(np.int64)
