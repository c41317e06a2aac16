"""The wording of snnlib's shared parameter checks (snnlib/_validate.py): what a learner reads first."""

import fractions
import numbers

import numpy as np
import pytest

from snnlib import _validate as check


@pytest.mark.parametrize("unit, text", [("s", "tau must be > 0 s, got 0.0"), ("", "tau must be > 0, got 0.0"),
                                         ("Hz", "tau must be > 0 Hz, got 0.0")])
def test_positive_names_the_unit_only_when_there_is_one(unit, text):
    with pytest.raises(ValueError) as err:
        check.positive("tau", 0.0, unit=unit)
    assert str(err.value) == text


@pytest.mark.parametrize("unit, text", [("", "rate must be >= 0, got -1.0"), ("Hz", "rate must be >= 0 Hz, got -1.0")])
def test_nonnegative_names_the_unit_only_when_there_is_one(unit, text):
    with pytest.raises(ValueError) as err:
        check.nonnegative("rate", -1.0, unit=unit)
    assert str(err.value) == text


class _BadRepr:
    def __repr__(self):
        raise RuntimeError("a learner's broken __repr__")


W = "w must be a number or an array of numbers"
IDX = "idx must be a 1-D list of integer indices or a boolean mask, got "


@pytest.mark.parametrize("fn, args, error, text", [
    ("real", ("x", "1.5"), TypeError, "x must be a real number, got '1.5' of type str"),
    ("real", ("x", True), TypeError, "x must be a real number, got True of type bool"),
    ("real", ("x", 10 ** 400), ValueError, "x must be finite (at most about 1.8e308 in size), got an integer of 401 digits"),
    ("real", ("x", float("nan")), ValueError, "x must be finite, got nan"),
    ("probability", ("p", 1.5), ValueError, "p must be a probability in [0, 1], got 1.5"),
    ("probability", ("p", -0.1), ValueError, "p must be a probability in [0, 1], got -0.1"),
    ("count", ("n", 2.0), TypeError, "n must be an integer, got 2.0 of type float"),
    ("count", ("n", True), TypeError, "n must be an integer, got True of type bool"),
    ("count", ("n", 0), ValueError, "n must be >= 1, got 0"),
    ("count", ("n", 2, 3), ValueError, "n must be >= 3, got 2"),
    ("numeric_array", ("w", None), TypeError, f"{W}, got None"),
    ("numeric_array", ("w", "1.5"), TypeError, f"{W}, got the text '1.5': write the number without quotes"),
    ("numeric_array", ("w", b"1"), TypeError, f"{W}, got the text b'1': write the number without quotes"),
    ("numeric_array", ("w", np.bool_(True)), TypeError, f"{W}, got the boolean np.True_"),
    ("numeric_array", ("w", [1.0, [2.0, "3"]]), TypeError, f"{W}, got [1.0, [2.0, '3']] containing '3' of type str"),
    ("numeric_array", ("w", [1.0, None]), TypeError, f"{W}, got [1.0, None] containing None of type NoneType"),
    ("numeric_array", ("w", (1, True)), TypeError, f"{W}, got (1, True) containing True of type bool"),
    ("numeric_array", ("w", [np.array(["a"])]), TypeError,
     f"{W}, got [array(['a'], dtype='<U1')] containing array(['a'], dtype='<U1') of type ndarray"),
    ("numeric_array", ("w", np.array([1 + 2j])), TypeError, f"{W}, got complex numbers: array([1.+2.j])"),
    ("numeric_array", ("w", np.array(["a"])), TypeError, f"{W}, got text: array(['a'], dtype='<U1')"),
    ("numeric_array", ("w", np.array([b"a"])), TypeError, f"{W}, got bytes: array([b'a'], dtype='|S1')"),
    ("numeric_array", ("w", np.array([True])), TypeError, f"{W}, got booleans: array([ True])"),
    ("numeric_array", ("w", np.array(["2020-01-01"], dtype="datetime64[D]")), TypeError,
     f"{W}, got values of dtype datetime64[D]: array(['2020-01-01'], dtype='datetime64[D]')"),
    ("numeric_array", ("w", np.array([fractions.Fraction(1, 2), "a"], dtype=object)), TypeError,
     f"{W}, got values of dtype object: array([Fraction(1, 2), 'a'], dtype=object)"),
    ("numeric_array", ("w", np.array([10 ** 400], dtype=object)), ValueError,
     "w must contain only finite numbers, got a value beyond float64's range (about 1.8e308)"),
    # a whole number asked for: the whole-number check's float conversion, or the int conversion, overflows
    ("numeric_array", ("w", np.array([10 ** 400], dtype=object), np.int64), ValueError,
     "w must contain only whole numbers from -9223372036854775808 to 9223372036854775807 (int64), got a value "
     "outside that range"),
    ("numeric_array", ("w", [2, 10 ** 30], np.int64), ValueError,
     "w must contain only whole numbers from -9223372036854775808 to 9223372036854775807 (int64), got a value "
     "outside that range"),
    ("numeric_array", ("w", [-1, 10 ** 400], np.uint8), ValueError,
     "w must contain only whole numbers from 0 to 255 (uint8), got a value outside that range"),
    ("finite_array", ("w", "1.5"), TypeError, f"{W}, got the text '1.5': write the number without quotes"),
    ("nonnegative", ("rate", -1.0), ValueError, "rate must be >= 0, got -1.0"),
    ("finite_array", ("w", [1.0, 2.0], (3,)), ValueError, "w has shape (2,), but shape (3,) (or a scalar) is needed"),
    ("finite_array", ("w", [1.0, np.nan]), ValueError, "w must contain only finite numbers (no NaN or inf)"),
    ("sample_matrix", ("X", [[1.0, 2.0]], 3), ValueError, "X must have shape (n_samples, 3), got (1, 2)"),
    ("sample_matrix", ("X", [1.0, 2.0], 2), ValueError, "X must have shape (n_samples, 2), got (2,)"),
    ("sample_matrix", ("X", [[1.0, 2.0]], 2, "rows", 2), ValueError, "X must have shape (rows, 2), got (1, 2)"),
    ("sample_matrix", ("X", [[1.0, np.inf]], 2), ValueError, "X contains NaN or inf"),
    ("indices", ("idx", 3, 5), TypeError, "idx must be a list of indices, got the single number 3: write [3]"),
    ("indices", ("idx", np.int64(3), 5), TypeError, "idx must be a list of indices, got the single number np.int64(3): write [3]"),
    ("indices", ("idx", "ab", 5), TypeError, IDX + "'ab'"),
    ("indices", ("idx", True, 5), TypeError, IDX + "True"),
    ("indices", ("idx", 2.5, 5), TypeError, IDX + "2.5"),
    ("indices", ("idx", [[1], [2, 3]], 5), TypeError, IDX + "[[1], [2, 3]]"),
    ("indices", ("idx", [], 5), ValueError, "idx is empty: name at least one neuron, or leave idx out to record all 5"),
    ("indices", ("idx", [True, False], 5), ValueError, "idx as a boolean mask must have shape (5,), got (2,)"),
    ("indices", ("idx", [False] * 3, 3), ValueError, "idx as a boolean mask selects no neuron: set at least one entry True"),
    ("indices", ("idx", [[1, 2]], 5), TypeError, IDX + "[[1, 2]]"),
    ("indices", ("idx", [1.0, 2.0], 5), TypeError, IDX + "[1.0, 2.0]"),
    ("indices", ("idx", [0, 5], 5), ValueError, "idx must be indices in [0, 5), got values from 0 to 5"),
    ("indices", ("idx", [-6, 1], 5), ValueError, "idx must be indices in [0, 5), got values from -6 to 1"),
])
def test_each_check_says_what_it_got_and_what_is_allowed(fn, args, error, text):
    with pytest.raises(error) as err:
        getattr(check, fn)(*args)
    assert str(err.value) == text


def test_what_the_checks_accept():
    assert check.real("x", np.float32(0.5)) == 0.5 and type(check.real("x", 3)) is float
    assert check.probability("p", 0) == 0.0 and check.probability("p", 1) == 1.0
    assert check.count("n", np.int64(0), minimum=0) == 0 and type(check.count("n", np.int64(4))) is int
    halves = check.numeric_array("w", np.array([fractions.Fraction(1, 2), 10 ** 20], dtype=object))
    assert halves.dtype == np.float64 and halves.tolist() == [0.5, 1e20]
    assert check.numeric_array("w", [[1, 2], (3, 4)]).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert check.numeric_array("w", [np.arange(2), np.arange(2)]).shape == (2, 2)
    assert check.finite_array("w", 2.0, shape=(3,)).tolist() == [2.0, 2.0, 2.0]
    assert check.sample_matrix("X", np.zeros((0, 2)), 2).shape == (0, 2)
    assert check.indices("i", None, 3).tolist() == [0, 1, 2]
    assert check.indices("i", [4, -1, 0, 4], 5).tolist() == [0, 4]  # negative from the end, sorted, unique
    assert check.indices("i", [-5, 4], 5).tolist() == [0, 4]  # the ends of the range
    assert check.indices("i", np.array([True, False, True]), 3).tolist() == [0, 2]


def test_values_in_messages_are_short_and_never_break_the_message():
    assert check._show(_BadRepr()) == "<_BadRepr object>"
    long = list(range(100))
    assert check._show(long) == repr(long)[:57] + "..." and len(check._show(long)) == 60
    assert check._show("x" * 58) == repr("x" * 58)  # exactly 60 characters: shown whole
    with pytest.raises(TypeError) as err:
        check.numeric_array("w", [1.0, _BadRepr()])
    # the list's repr calls the element's, which raises: both are named by type
    assert str(err.value) == f"{W}, got <list object> containing <_BadRepr object> of type _BadRepr"


def test_the_first_non_number_is_found_at_any_depth():
    assert check._first_non_number([1, (2.0, [3, [None]])]) is None
    assert check._first_non_number([[1, 2], [3, "x"], [True]]) == "x"
    assert check._first_non_number([1, np.float64(2.0), np.array([1, 2])]) is check._ALL_NUMBERS
    assert check._first_non_number([]) is check._ALL_NUMBERS


def test_a_ragged_list_is_a_type_error_that_says_a_grid_is_needed():
    with pytest.raises(TypeError) as err:
        check.numeric_array("w", [[1.0, 2.0], [3.0]])
    assert str(err.value).startswith(f"{W} (a regular grid of them), got [[1.0, 2.0], [3.0]]: setting an array "
                                     "element with a sequence")


def test_a_number_type_that_cannot_become_a_float_is_a_type_error():
    class NoFloat:
        def __float__(self):
            raise TypeError("no float for this one")

        def __repr__(self):
            return "NoFloat()"

    numbers.Real.register(NoFloat)  # claims to be a real number, as a learner's class may
    with pytest.raises(TypeError) as err:
        check.numeric_array("w", [NoFloat()])
    assert str(err.value) == f"{W}, got [NoFloat()]: no float for this one"


def test_arrays_get_the_dtype_asked_for():
    assert check.finite_array("w", [1, 2]).dtype == np.float64
    assert check.finite_array("w", [1.5], dtype=np.float32).dtype == np.float32
    assert check.nonnegative("r", 0.0) == 0.0 and check.nonnegative("r", 0) == 0.0


def test_a_whole_number_array_refuses_fractions_instead_of_truncating_them():
    assert check.numeric_array("n", [1.0, 2.0, -3.0], dtype=np.int64).tolist() == [1, 2, -3]
    assert check.numeric_array("n", np.array([4, 5], np.int32), dtype=np.int64).tolist() == [4, 5]
    for bad, shown in (([1.5, 2.0], "[1.5, 2.0]"), (2.0000001, "2.0000001"), ([1.0, float("nan")], "[1.0, nan]")):
        with pytest.raises(ValueError) as err:
            check.numeric_array("n", bad, dtype=np.int64)
        assert str(err.value) == f"n must contain only whole numbers, got {shown}"
    assert check.numeric_array("x", [1.5], dtype=np.float32).tolist() == [1.5]   # floats keep fractions


def test_nested_lists_are_searched_32_levels_deep_and_a_list_holding_itself_ends():
    inner = ["x"]
    for _ in range(39):
        inner = [inner]  # "x" 40 lists deep
    found = check._first_non_number(inner)
    depth = 0
    while isinstance(found, list):
        found, depth = found[0], depth + 1
    assert depth == 7  # the list met at level 33 is reported (it holds 7 more levels), not "x"
    shallow = [[["x"]]]
    assert check._first_non_number(shallow) == "x"
    loop = []
    loop.append(loop)
    with pytest.raises(TypeError) as err:
        check.numeric_array("w", loop)
    assert str(err.value) == f"{W}, got [[...]] containing [[...]] of type list"
