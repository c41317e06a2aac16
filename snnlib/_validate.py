"""Parameter checks shared by the description classes.

Every check raises a ValueError (or TypeError) whose message names the parameter, the value received and
what is allowed, so a learner never meets a numba error or a silent NaN instead.
"""

import numbers

import numpy as np


def real(name, value):
    """Return `value` as a float, or raise TypeError/ValueError if it is not a finite real number.

    Booleans and strings are refused (True is not 1.0 here: a learner who passes one has made a mistake)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_show(value)} of type {type(value).__name__}")
    try:
        value = float(value)
    except OverflowError:           # an int beyond float64's range
        raise ValueError(f"{name} must be finite (at most about 1.8e308 in size), got an integer of "
                         f"{len(str(abs(value)))} digits") from None
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def positive(name, value, unit="s"):
    """A finite number > 0 (time constants, rates of change, dt)."""
    value = real(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0{' ' + unit if unit else ''}, got {value!r}")
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
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_show(value)} of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def numeric_array(name, value, dtype=float):
    """`value` as an array of `dtype`, refusing what numpy would quietly turn into numbers: strings and bytes
    ("1.5"), booleans (True -> 1.0), None (-> NaN), complex numbers, and objects that are not numbers.

    Raises TypeError naming the parameter, the value received and what is allowed."""
    what = f"{name} must be a number or an array of numbers"
    if value is None:
        raise TypeError(f"{what}, got None")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{what}, got the text {_show(value)}: write the number without quotes")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what}, got the boolean {value!r}")
    if isinstance(value, (list, tuple)):
        bad = _first_non_number(value)
        if bad is not _ALL_NUMBERS:
            raise TypeError(f"{what}, got {_show(value)} containing {_show(bad)} of type {type(bad).__name__}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as err:      # ragged nested lists, objects numpy cannot hold
        raise TypeError(f"{what} (a regular grid of them), got {_show(value)}: {err}") from None
    if raw.dtype.kind not in "iuf" and not (raw.dtype.kind == "O" and _all_real(raw)):
        kinds = {"b": "booleans", "U": "text", "S": "bytes", "c": "complex numbers"}
        raise TypeError(f"{what}, got {kinds.get(raw.dtype.kind, 'values of dtype ' + str(raw.dtype))}: "
                        f"{_show(value)}")
    if dtype is not None and np.dtype(dtype).kind in "iu" and raw.dtype.kind not in "iu":
        # numpy would truncate 1.5 to 1 without a word: a whole number is asked for, so say so
        try:
            whole = np.asarray(raw, dtype=float)
        except OverflowError:       # a Python int beyond float64's range, inside an object array
            raise ValueError(_out_of_range(name, dtype)) from None
        if not np.all(np.isfinite(whole) & (whole == np.round(whole))):
            raise ValueError(f"{name} must contain only whole numbers, got {_show(value)}")
    try:
        return np.asarray(raw, dtype=dtype)
    except OverflowError:           # a Python int beyond the dtype's range, inside an object array
        raise ValueError(_out_of_range(name, dtype)) from None
    except (TypeError, ValueError) as err:
        raise TypeError(f"{what}, got {_show(value)}: {err}") from None


def _out_of_range(name, dtype):
    """The message for a Python int too large for `dtype` (numpy's OverflowError names neither)."""
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return (f"{name} must contain only whole numbers from {info.min} to {info.max} ({dtype.name}), "
                "got a value outside that range")
    return f"{name} must contain only finite numbers, got a value beyond float64's range (about 1.8e308)"


def finite_array(name, value, shape=None, dtype=float):
    """An array of finite numbers, broadcast to `shape` if given (scalars are allowed then)."""
    arr = numeric_array(name, value, dtype)
    if shape is not None:
        try:
            arr = np.broadcast_to(arr, shape).copy()
        except ValueError:
            raise ValueError(
                f"{name} has shape {arr.shape}, but shape {shape} (or a scalar) is needed") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return arr


def sample_matrix(name, value, n_features, rows="n_samples", min_rows=0):
    """A 2-D array of finite numbers, one row per sample and `n_features` columns (the input of a network's
    forward pass); `rows` names the rows in the error, `min_rows` is the fewest allowed."""
    arr = numeric_array(name, value)
    if arr.ndim != 2 or arr.shape[1] != n_features or arr.shape[0] < min_rows:
        raise ValueError(f"{name} must have shape ({rows}, {n_features}), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf")
    return arr


_ALL_NUMBERS = object()      # what _first_non_number returns when it found nothing wrong (None is a finding)


def _first_non_number(items, depth=0):
    """The first element of a nested list/tuple that is not a real number (bool, str, None, ...), or
    _ALL_NUMBERS if there is none."""
    for x in items:
        if isinstance(x, (list, tuple)) and depth < 32:
            bad = _first_non_number(x, depth + 1)
            if bad is not _ALL_NUMBERS:
                return bad
        elif isinstance(x, np.ndarray):
            if x.dtype.kind not in "iuf":
                return x
        elif isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
            return x
    return _ALL_NUMBERS


def _all_real(arr):
    """An object array whose every element is a real number (Fraction, int beyond int64...), no bool."""
    return all(isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_)) for x in arr.flat)


def _show(value, limit=60):
    """A short repr for error messages (a huge array or a hostile __repr__ must not flood or break them)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - any failure of a learner's __repr__
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def indices(name, value, n):
    """Integer indices into a population of size n (None means all), at least one, sorted and unique."""
    if value is None:
        return np.arange(n)
    if isinstance(value, (str, bytes, bool, np.bool_)) or not hasattr(value, "__len__"):
        if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be a list of indices, got the single number {value!r}: "
                            f"write [{value}]")
        raise TypeError(f"{name} must be a 1-D list of integer indices or a boolean mask, got {_show(value)}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 1-D list of integer indices or a boolean mask, got {_show(value)}") from None
    if arr.size == 0:
        raise ValueError(f"{name} is empty: name at least one neuron, or leave {name} out to record all {n}")
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(f"{name} as a boolean mask must have shape ({n},), got {arr.shape}")
        if not arr.any():
            raise ValueError(f"{name} as a boolean mask selects no neuron: set at least one entry True")
        return np.flatnonzero(arr)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must be a 1-D list of integer indices or a boolean mask, got {_show(value)}")
    if arr.min() < -n or arr.max() >= n:
        raise ValueError(f"{name} must be indices in [0, {n}), got values from {arr.min()} to {arr.max()}")
    return np.unique(arr % n)
