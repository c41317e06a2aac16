"""course.answers, in one process: the collector cell that ``course check`` adds to a notebook writes
what the learner's answers give as JSON, and the checker decodes it into the same plain values that
:func:`course.safe_call.plain_value` gives in-process (numbers keep their shape, dtype family and
scalar-ness; anything else arrives as a stand-in that never runs learner code).

test_course_cli.py runs the same code through a real kernel (slow, and invisible to mutmut); these
tests run the collector cell's source with ``exec`` in a namespace standing for the kernel's globals.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from course import answers
from course.answers import collector_source, decode
from course.safe_call import Opaque, Outcome, _opaque_function


def _collect(tmp_path, spec, namespace, name=None):
    """Run the collector cell for ``spec`` with ``namespace`` as the kernel's globals; the JSON records
    in the file ``name`` (a new file for each call unless named)."""
    out = tmp_path / (name or f"answers{len(list(tmp_path.iterdir()))}.jsonl")
    exec(compile(collector_source(spec, str(out)), "<collector cell>", "exec"), namespace)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _value(tmp_path, v):
    """The value the checker sees for a value exercise whose answer is ``v``."""
    (rec,) = _collect(tmp_path, [{"id": "x", "kind": "value", "cases": [], "arg_names": [], "timeout": 5.0}],
                      {"x": v})
    outcome = decode(rec)
    assert outcome.status == "ok" and len(outcome.values) == 1
    return outcome.values[0]


@pytest.mark.parametrize("v", [None, Ellipsis, True, False, "", "spike", "\u00b5s and \u03c4"])
def test_plain_values_arrive_as_they_are(tmp_path, v):
    got = _value(tmp_path, v)
    assert type(got) is type(v) and got == v


def test_a_numpy_bool_arrives_as_a_python_bool(tmp_path):
    got = _value(tmp_path, np.bool_(True))
    assert type(got) is bool and got is True


def test_a_long_string_is_cut_to_200_characters(tmp_path):
    assert _value(tmp_path, "ab" * 150) == "ab" * 100


@pytest.mark.parametrize("v, dtype", [(3, np.int64), (np.uint8(200), np.int64), (2.5, np.float64),
                                      (np.float32(0.5), np.float64), (-0.0, np.float64)])
def test_a_number_arrives_as_a_scalar_of_its_kind(tmp_path, v, dtype):
    got = _value(tmp_path, v)
    assert not isinstance(got, np.ndarray) and type(got) is dtype and got == v
    assert math.copysign(1, got) == math.copysign(1, v)


def test_non_finite_floats_arrive(tmp_path):
    got = _value(tmp_path, np.array([np.nan, np.inf, -np.inf, 1.0]))
    assert got.dtype == np.float64 and np.isnan(got[0]) and list(got[1:]) == [np.inf, -np.inf, 1.0]


def test_arrays_keep_shape_and_dtype_family(tmp_path):
    ints = _value(tmp_path, np.arange(6, dtype=np.uint16).reshape(2, 3))
    assert type(ints) is np.ndarray and ints.dtype == np.int64 and ints.shape == (2, 3)
    assert ints.tolist() == [[0, 1, 2], [3, 4, 5]]
    floats = _value(tmp_path, [[1.5, 2.0], [3.0, 4.25]])  # a list is converted in the kernel
    assert floats.dtype == np.float64 and floats.tolist() == [[1.5, 2.0], [3.0, 4.25]]
    zero_d = _value(tmp_path, np.array(7))  # a 0-d array stays an array (not a scalar)
    assert type(zero_d) is np.ndarray and zero_d.shape == () and zero_d.dtype == np.int64 and zero_d == 7
    empty = _value(tmp_path, np.zeros((0, 4)))
    assert empty.shape == (0, 4) and empty.dtype == np.float64


def test_complex_numbers_keep_both_parts(tmp_path):
    z = _value(tmp_path, 1.5 - 2j)
    assert type(z) is np.complex128 and z == 1.5 - 2j
    arr = _value(tmp_path, np.array([[1j, 2], [3 - 1j, -4j]]))
    assert arr.shape == (2, 2) and arr.tolist() == [[1j, 2 + 0j], [3 - 1j, -4j]]


def test_an_array_larger_than_the_limit_arrives_as_its_shape_only(tmp_path, monkeypatch):
    monkeypatch.setattr(answers, "MAX_ELEMENTS", 4)
    assert _value(tmp_path, np.ones(4)).tolist() == [1.0] * 4  # at the limit: the numbers
    big = _value(tmp_path, np.ones((5, 1)))
    assert isinstance(big, Opaque) and type(big).__name__ == "ndarray"
    assert repr(big) == "<an array of shape (5, 1)>"


def test_a_non_numeric_object_arrives_as_a_stand_in_with_its_type_name_and_repr(tmp_path):
    class Synapse:
        def __repr__(self):
            return "Synapse(w=0.5)"

    got = _value(tmp_path, Synapse())
    assert isinstance(got, Opaque) and type(got).__name__ == "Synapse" and repr(got) == "Synapse(w=0.5)"
    words = _value(tmp_path, ["a", "b"])  # converted in the kernel to an array of strings, then described
    assert isinstance(words, Opaque) and type(words).__name__ == "ndarray"
    assert repr(words) == "array(['a', 'b'], dtype='<U1')"


def test_a_string_array_arrives_as_a_stand_in(tmp_path):
    """A plain ndarray of strings passes plain_value unchanged; the encoder describes it."""
    got = _value(tmp_path, np.array(["a" * 150, "b" * 150]))
    assert isinstance(got, Opaque) and type(got).__name__ == "ndarray"
    assert repr(got) == repr(np.array(["a" * 150, "b" * 150]))[:200]


def test_the_kernel_sends_at_most_200_characters_of_a_repr(tmp_path):
    """The limit holds in the record itself (what crosses from the kernel), not only after decoding."""
    (rec,) = _collect(tmp_path, [{"id": "x", "kind": "value", "cases": [], "arg_names": [], "timeout": 5.0}],
                      {"x": np.array(["a" * 150, "b" * 150])})
    (sent,) = rec["value"]["values"]
    assert sent["t"] == "opaque" and sent["repr"] == repr(np.array(["a" * 150, "b" * 150]))[:200]


def test_a_value_whose_conversion_never_ends_times_out(tmp_path):
    import time

    class Endless:
        def __array__(self, *args, **kwargs):
            while True:
                time.sleep(0.01)

    (rec,) = _collect(tmp_path, [{"id": "x", "kind": "value", "cases": [], "arg_names": [], "timeout": 0.3}],
                      {"x": Endless()})
    out = decode(rec)
    assert out.status == "timeout" and "0.3" in out.message


def test_a_callable_value_arrives_as_the_function_stand_in(tmp_path):
    assert _value(tmp_path, np.sin) is _opaque_function
    assert _value(tmp_path, lambda t: t) is _opaque_function


def test_function_answers_are_called_on_the_cases_sent(tmp_path):
    seen = []

    def rate(J, tau):
        seen.append((J, tau))
        return J / tau

    spec = [{"id": "rate", "kind": "function", "cases": [(2.0, 0.5), (np.array([1.0, 3.0]), 2.0)],
             "arg_names": ["J", "tau"], "timeout": 5.0}]
    (rec,) = _collect(tmp_path, spec, {"rate": rate})
    assert rec["exercise"] == "rate" and "value" not in rec
    assert rec["call"]["status"] == "ok" and rec["call"]["case"] is None
    assert seen[0] == (2.0, 0.5) and seen[1][0].tolist() == [1.0, 3.0]
    outcome = decode(rec)
    assert outcome.status == "ok" and outcome.values[0] == 4.0 and outcome.values[1].tolist() == [0.5, 1.5]


def test_missing_stub_error_and_timeout_are_told_apart(tmp_path):
    def stub(x):
        ...

    def broken(x):
        return 1 / x

    def endless(x):
        while True:
            pass

    spec = [{"id": name, "kind": "function", "cases": [(1.0,), (0.0,)], "arg_names": ["x"], "timeout": 0.3}
            for name in ("absent", "stub", "broken", "endless")]
    absent, s, b, e = _collect(tmp_path, spec, {"stub": stub, "broken": broken, "endless": endless})
    assert absent == {"exercise": "absent", "missing": True}
    assert decode(s) == Outcome("stub")
    broken_out = decode(b)
    assert broken_out.status == "error" and broken_out.values is None and broken_out.case == 1
    assert "ZeroDivisionError" in broken_out.message and "when called with x=0." in broken_out.message
    assert "values" not in b["call"]
    timeout = decode(e)
    assert timeout.status == "timeout" and timeout.case == 0 and "0.3" in timeout.message


def test_a_function_exercise_answered_with_a_value_is_sent_as_a_value(tmp_path):
    spec = [{"id": "rate", "kind": "function", "cases": [(1.0,)], "arg_names": ["J"], "timeout": 5.0}]
    (rec,) = _collect(tmp_path, spec, {"rate": 42.0})
    assert "call" not in rec and decode(rec).values == [42.0]


def test_records_are_appended_one_line_per_exercise(tmp_path):
    spec = [{"id": i, "kind": "value", "cases": [], "arg_names": [], "timeout": 5.0} for i in ("a", "b")]
    first = _collect(tmp_path, spec, {"a": 1.0, "b": 2.0}, "same.jsonl")
    both = _collect(tmp_path, spec[:1], {"a": 3.0}, "same.jsonl")  # a second cell appends to the same file
    assert [r["exercise"] for r in first] == ["a", "b"] and [r["exercise"] for r in both] == ["a", "b", "a"]
    assert [decode(r).values[0] for r in both] == [1.0, 2.0, 3.0]


def test_the_collector_cell_does_not_trust_the_kernel_to_have_imported_anything(tmp_path):
    """The cell imports what it uses under private names, and leaves the learner's names alone."""
    namespace = {"x": 1.0, "base64": "learner's", "pickle": "learner's", "collect": "learner's"}
    _collect(tmp_path, [{"id": "x", "kind": "value", "cases": [], "arg_names": [], "timeout": 5.0}], namespace)
    assert namespace["base64"] == namespace["pickle"] == namespace["collect"] == "learner's"


@pytest.mark.parametrize("rec", [{}, {"call": None}, {"call": "ok"}, {"value": {"status": "passed"}},
                                 {"value": {"message": "no status"}}, {"missing": True},
                                 {"value": {"status": "ok", "values": [1.0]}}])
def test_a_malformed_record_is_a_value_error(rec):
    with pytest.raises(ValueError, match="^malformed answer record$"):
        decode(rec)


@pytest.mark.parametrize("t", ["pickle", None])
def test_an_unknown_value_kind_is_a_value_error(t):
    with pytest.raises(ValueError, match=f"^unknown value record {t!r}$"):
        decode({"value": {"status": "ok", "values": [{"t": t, "shape": []}]}})


def test_decoding_takes_only_what_the_record_says():
    """A case index that is not an int is dropped; a missing message is empty; stand-ins get defaults."""
    out = decode({"call": {"status": "error", "case": "1"}})
    assert out == Outcome("error", values=None, message="", case=None)
    assert decode({"call": {"status": "timeout", "case": 2, "message": 7}}) == Outcome("timeout", message="7", case=2)
    assert decode({"value": {"status": "ok"}}).values == []
    (odd,) = decode({"value": {"status": "ok", "values": [{"t": "opaque", "type": "not a name", "repr": "r" * 300}]}}).values
    assert type(odd).__name__ == "object" and repr(odd) == "r" * 200
    (bare,) = decode({"value": {"status": "ok", "values": [{"t": "opaque"}]}}).values
    assert type(bare).__name__ == "object" and repr(bare) == "?"


def test_an_integer_record_with_non_finite_data_stays_float():
    """Integers never carry NaN; a record that says so anyway is kept as floats, not cast to garbage."""
    (arr,) = decode({"value": {"status": "ok", "values": [
        {"t": "array", "shape": [2], "scalar": False, "kind": "i", "data": [1.0, float("nan")]}]}}).values
    assert arr.dtype == np.float64 and arr[0] == 1.0 and np.isnan(arr[1])
    (ints,) = decode({"value": {"status": "ok", "values": [
        {"t": "array", "shape": [2], "scalar": False, "kind": "u", "data": [1.0, 2.0]}]}}).values
    assert ints.dtype == np.int64
    # the dtype family is the record's "kind", not how JSON spelled the numbers
    (floats,) = decode({"value": {"status": "ok", "values": [
        {"t": "array", "shape": [2], "scalar": False, "kind": "f", "data": [1, 2]}]}}).values
    assert floats.dtype == np.float64 and floats.tolist() == [1.0, 2.0]
