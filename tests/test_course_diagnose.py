"""The diagnosis a learner reads for a wrong numeric answer (course.diagnose), message for message.

`diagnose(got, expected, candidates, rtol, atol)` compares the answer with the expected one case by case (one
array per case) and names the relation that explains every wrong value: a unit slip, a factor 2, a sign, the
reciprocal, a constant added, rounding; else how far off it is and in which direction. Each message below is
the whole text the learner sees for that mistake (tests/test_course_exercise.py checks the same through
Exercise.evaluate, by fragments). None may contain an expected value. Found by mutation testing (`make
mutate`, scope course.diagnose): every message, count and branch below was changeable without a failing test.
"""

import numpy as np
import pytest

from course.diagnose import Candidate, _round1, diagnose, how_far, scale_candidates

UNITS = "Check the units of the inputs and of the answer the task asks for."


def A(*cases):
    return [np.asarray(c, dtype=float) for c in cases]


def D(got, exp, rtol=1e-6, atol=1e-12, **kw):
    return diagnose(got, exp, scale_candidates(exp), rtol, atol, **kw)


EXP = A([2.0, 5.0, -3.0], [0.25])


@pytest.mark.parametrize("factor, text", [
    (1e3, "1000 times too large: a factor of 1000 looks like a unit slip: milliseconds against seconds, mV against "
          "V, Hz against kHz, mJ against J."),
    (1e-3, "1000 times too small: a factor of 1000 looks like a unit slip: milliseconds against seconds, mV "
           "against V, Hz against kHz, mJ against J."),
    (1e6, "1e6 times too large: a factor of a million looks like a unit slip (micro against unit, e.g. uJ against J)."),
    (1e-6, "1e6 times too small: a factor of a million looks like a unit slip (micro against unit, e.g. uJ against J)."),
    (1e9, "1e9 times too large: a factor of 1e9 looks like a unit slip (nano against unit, e.g. nJ against J)."),
    (1e-9, "1e9 times too small: a factor of 1e9 looks like a unit slip (nano against unit, e.g. nJ against J)."),
    (1e12, "1e12 times too large: a factor of 1e12 looks like a unit slip (pico against unit, e.g. pJ against J)."),
    (1e-12, "1e12 times too small: a factor of 1e12 looks like a unit slip (pico against unit, e.g. pJ against J)."),
    (1e2, "100 times too large: a factor of 100 looks like a percentage against a fraction."),
    (1e-2, "100 times too small: a factor of 100 looks like a percentage against a fraction."),
])
def test_unit_slips_are_named_with_their_factor(factor, text):
    assert D([e * factor for e in EXP], EXP) == f"your answer is {text} {UNITS}"


@pytest.mark.parametrize("transform, message", [
    (lambda e: 2 * e, "your answer is exactly twice the right one: is something counted twice, or a factor 1/2 "
                      "missing?"),
    (lambda e: e / 2, "your answer is exactly half the right one: is a factor of 2 missing, or something counted "
                      "once that happens twice?"),
    (lambda e: -e, "your answer has the right size but the wrong sign: look for a subtraction the wrong way round "
                   "(b - a instead of a - b) or a minus sign too many."),
    (lambda e: 1 / e, "your answer is the reciprocal (1/x) of the right one: a period (seconds per spike) instead "
                      "of a rate (spikes per second), or a ratio upside down?"),
])
def test_factor_two_sign_and_reciprocal(transform, message):
    assert D([transform(e) for e in EXP], EXP) == message


def test_a_relation_of_some_entries_says_how_many_and_that_the_others_are_right():
    exp = A([2.0, 5.0, -3.0])
    tail = "exactly twice the right one: is something counted twice, or a factor 1/2 missing?"
    assert D(A([4.0, 5.0, -3.0]), exp) == f"1 of your values is wrong (the others are right): there it is {tail}"
    assert D(A([4.0, 10.0, -3.0]), exp) == f"2 of your values are wrong (the others are right): there it is {tail}"


def test_a_right_zero_says_nothing_about_a_relation():
    """0 is also twice 0: a right zero entry is not 'the others are right'."""
    assert D(A([0.0, 4.0]), A([0.0, 2.0])).startswith("your answer is exactly twice the right one")


def test_a_relation_explaining_most_wrong_values_is_named_for_those():
    msg = D(A([2.0, 4.0, 6.0, 4.4]), A([1.0, 2.0, 3.0, 4.0]))
    assert msg.startswith("For 3 of the 4 wrong values: your answer is exactly twice the right one: is something "
                          "counted twice, or a factor 1/2 missing? For the others: ")
    assert msg.endswith(".")
    # one explained value of two is not "most": no partial relation is named
    assert not D(A([2.0, 2.2]), A([1.0, 2.0])).startswith("For ")


@pytest.mark.parametrize("got, exp, message", [
    ([0.0, 2.0, 3.0], [1.0, 2.0, 3.0], "1 of your values is 0 where a nonzero value is expected."),
    ([0.0, 0.0, 3.3], [1.0, 2.0, 3.0],
     "2 of your values are 0 where a nonzero value is expected; the others are about 10 % too high."),
    ([1.0, 2.0, 3.0], [0.0, 2.0, 3.0], "1 is nonzero where 0 is expected."),
    ([1.0, 2.0, 3.0], [0.0, 0.0, 3.0], "2 are nonzero where 0 is expected."),
    ([-1.0, 2.6, 3.9], [1.0, 2.0, 3.0], "1 of your values has the wrong sign; the others are about 30 % too high."),
    ([1.2, 1.6, 3.0], [1.0, 2.0, 3.0], "your answer is off by about 20 %: too high for some inputs and too low for others."),
    ([3.0, 0.5, 3.0], [1.0, 2.0, 3.0],
     "your answer is off by a factor of about 3.5: too high for some inputs and too low for others."),
    ([-1.2, -1.6], [-1.0, -2.0], "your answer is off by about 20 %: too large for some inputs and too small for others."),
    ([-1.3, -2.6], [-1.0, -2.0], "your answer is about 30 % too large in size."),
    ([-0.7, -1.4], [-1.0, -2.0], "your answer is about 30 % too small in size."),
    ([1.3, 2.6], [1.0, 2.0], "your answer is about 30 % too high."),
    ([0.7, 1.4], [1.0, 2.0], "your answer is about 30 % too low."),
    ([-1.005, -2.01], [-1.0, -2.0], "your answer is less than 1 % too large in size (close: a rounding or "
                                    "discretisation detail, or a slightly different formula?)."),
    ([0.995, 1.99], [1.0, 2.0], "your answer is less than 1 % too low (close: a rounding or discretisation detail, "
                                "or a slightly different formula?)."),
    ([1.1, 2.8], [1.0, 2.0], "your answer is about 20 % too high, by different amounts for different inputs."),
    ([0.2, 0.4], [1.0, 2.0], "your answer is about 5 times too small."),
    ([3.1, 6.2], [1.0, 2.0], "your answer is about 3.1 times too large."),
    ([1.5], [1.0], "your answer is about 50 % too high."),
    ([-1.0, -2.0, 2.6, 3.9, 5.2], [1.0, 2.0, 2.0, 3.0, 4.0],
     "2 of your values have the wrong sign; the others are about 30 % too high."),
    ([1.0494, 1.0 / 1.0494], [1.0, 1.0], "your answer is off by about 4.9 %: too high for some inputs and too low for "
                                         "others."),
    ([2.0, 1.0], [1.0, 2.0], "your answer is off by a factor of about 2: too high for some inputs and too low for others."),
    ([2.5, 0.8], [1.0, 2.0], "your answer is off by a factor of about 2.5: too high for some inputs and too low for "
                             "others."),
])
def test_how_far_off_and_in_which_direction(got, exp, message):
    assert D(A(got), A(exp)) == message


def test_how_far_adds_up_over_all_cases():
    """Each case is one array: zeros, wrong signs and negative expected values count over all of them."""
    assert D(A([0.0, 2.0], [3.3]), A([1.0, 2.0], [3.0])) == \
        "1 of your values is 0 where a nonzero value is expected; the others are about 10 % too high."
    assert D(A([1.0, 2.0], [3.3]), A([0.0, 2.0], [3.0])) == "1 is nonzero where 0 is expected; the others are about 10 % too high."
    assert D(A([-1.3]), A([-1.0]), ) == "your answer is about 30 % too large in size."
    assert D(A([-1.3], [2.6]), A([-1.0], [2.0])) == "your answer is about 30 % too large in size."


def test_an_answer_of_exactly_one_is_measured_like_any_other():
    assert how_far(A([1.0]), A([2.0]), 1e-6, 1e-12) == "your answer is about 2 times too small"


def test_how_far_without_a_describable_difference():
    assert how_far(A([np.nan]), A([1.0]), 1e-6, 1e-12) == "your answer differs from the expected one"


@pytest.mark.parametrize("x, shown", [(0.05, "0.05"), (0.5, "0.5"), (0.55, "0.6"), (1.0, "1"), (1.55, "1.6"),
                                      (15.0, "15"), (19.9, "20"), (20.0, "20"), (20.6, "20"), (34.0, "30"),
                                      (960.0, "1000")])
def test_sizes_are_rounded_to_one_significant_figure_two_below_20(x, shown):
    assert _round1(x) == shown


@pytest.mark.parametrize("got, exp, message", [
    ([1.5, 2.5], [1.0, 2.0], "your answer is too high by the same amount for every input: a constant term is added "
                             "(or a fixed value used where an input belongs)."),
    ([0.5, 1.5], [1.0, 2.0], "your answer is too low by the same amount for every input: a constant term is missing "
                             "(or a fixed value used where an input belongs)."),
    ([1.0, 2.0], [1.7, 2.2], "your answer is the right one truncated to a whole number: look for int(), // (integer "
                             "division) or an integer array that drops the fraction."),
    ([2.0, 2.0], [1.7, 2.2], "your answer is the right one rounded to a whole number: do not round before returning."),
])
def test_constant_offsets_and_whole_numbers(got, exp, message):
    assert D(A(got), A(exp)) == message


def test_whole_expected_numbers_are_not_called_rounded():
    assert "whole number" not in D(A([2.0, 3.0]), A([1.0, 2.0]))


def test_an_offset_needs_two_wrong_values_alike():
    assert D(A([1.5]), A([1.0])) == "your answer is about 50 % too high."
    assert "same amount" not in D(A([1.5, 2.7]), A([1.0, 2.0]))


def test_the_wrong_case_is_named_and_the_hint_appended():
    describe = lambda i: f"for case {i + 1}"                                   # noqa: E731
    assert D(A([1.0], [2.0], [3.3]), A([1.0], [2.0], [3.0]), describe=describe) == \
        "your answer is about 10 % too high (wrong for case 3; right for the others)."
    assert D(A([1.0], [2.2], [3.3]), A([1.0], [2.0], [3.0]), describe=describe, hint=" HINT") == \
        "your answer is about 10 % too high (wrong for case 2 and 1 other case(s); right for the others). HINT"
    assert D(A([2.0]), A([1.0]), hint=" HINT").endswith("missing? HINT")


def test_declared_candidates_come_first_and_tolerances_apply():
    exp = A([1.0, 2.0])
    mine = Candidate([2 * e for e in exp], "MINE")
    assert diagnose(A([2.0, 4.0]), exp, [mine, *scale_candidates(exp)], 1e-6, 1e-12) == "MINE"
    # within rtol a value counts as right: only the second entry is wrong (doubled)
    assert D(A([1.0 + 1e-4, 4.0]), exp, rtol=1e-3).startswith("1 of your values is wrong (the others are right)")


@pytest.mark.parametrize("got, exp", [([5.0], [1e-310]), ([1.7e308], [-1.7e308]), ([5.0], [1e300]),
                                      ([1e308, 2.0], [1e-3, 1.0])])
def test_huge_or_tiny_numbers_give_a_message_and_no_numpy_warning(got, exp):
    """An answer or expected value near the ends of float64 overflows a ratio or a scaled candidate: the learner
    still gets a sentence, and no RuntimeWarning printed under the verdict."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        msg = D(A(got), A(exp))
        assert msg.startswith(("your answer", "For ")) and msg.endswith((".", "?"))
        assert how_far(A(got), A(exp), 1e-6, 1e-12)


def test_an_infinite_answer_is_not_called_a_unit_slip():
    """inf is 1e12 x 1e300 in float64, but no unit slip makes a number infinite: an infinite match proves nothing."""
    assert D(A([np.inf]), A([1e300])) == "your answer differs from the expected one."


def test_a_relation_landing_on_exactly_one_still_counts():
    assert D(A([1.0]), A([0.5])).startswith("your answer is exactly twice the right one")


def test_wrong_values_are_counted_over_all_cases():
    assert D(A([4.0, 5.0], [6.0, 7.0]), A([2.0, 5.0], [3.0, 7.0])).startswith(
        "2 of your values are wrong (the others are right): there it is exactly twice the right one")


@pytest.mark.parametrize("got, exp, text", [
    ([2.0, 4.0], [1.0, 2.0], "your answer is about 2 times too large"),
    ([2.5, 5.0], [1.0, 2.0], "your answer is about 2.5 times too large"),
    ([0.5, 1.0], [1.0, 2.0], "your answer is about 2 times too small"),
    ([1.0494], [1.0], "your answer is about 4.9 % too high"),
    ([1.015], [1.0], "your answer is about 1.5 % too high"),
])
def test_how_far_switches_from_percent_to_factor_at_2(got, exp, text):
    assert how_far(A(got), A(exp), 1e-6, 1e-12) == text


def test_a_partial_relation_needs_two_values_and_more_than_half():
    """Named 'for some values' when it explains at least two wrong values and more than half of them; the first
    candidate that does wins."""
    assert D(A([2.0, 4.0, 3.3]), A([1.0, 2.0, 3.0])).startswith(
        "For 2 of the 3 wrong values: your answer is exactly twice the right one")
    assert not D(A([2.0, 4.0, 3.3, 4.4]), A([1.0, 2.0, 3.0, 4.0])).startswith("For ")      # 2 of 4: not more
    exp = A([1.0, 2.0, 3.0, 4.0])
    first, second = Candidate(A([2.0, 4.0, 6.0, 0.0]), "FIRST"), Candidate(A([2.0, 4.0, 6.0, 1.0]), "SECOND")
    assert diagnose(A([2.0, 4.0, 6.0, 4.4]), exp, [first, second], 1e-6, 1e-12).startswith(
        "For 3 of the 4 wrong values: FIRST For the others: ")


@pytest.mark.parametrize("got, exp, atol", [
    ([0.5, 0.5], [0.0, 0.0], 0.0),               # expected zeros, an exact comparison: a constant added
    ([1.5, 2.5005], [1.0, 2.0], 1e-3),           # the differences agree within atol
    ([1e6 + 5, 2e6 + 5.0001], [1e6, 2e6], 1e-12),  # ... or within 1e-9 of the largest expected value
])
def test_a_constant_offset_is_recognised_within_the_tolerance(got, exp, atol):
    assert D(A(got), A(exp), atol=atol).startswith("your answer is too high by the same amount for every input")


@pytest.mark.parametrize("got, exp, rtol", [
    ([1e9, 1.4, 2.6], [1e9, 1.0, 3.0], 1e-6),  # a large expected value the answer gets right widens nothing
    ([1e9 + 0.4, 0.6], [1e9, 1.0], 0.0),       # both wrong (rtol 0): +0.4 and -0.4 are not the same amount
])
def test_differences_of_opposite_signs_are_never_one_constant(got, exp, rtol):
    """+0.4 and -0.4 read as "the same amount" when 1e-9 of the largest expected value (1e9) exceeded their spread."""
    assert D(A(got), A(exp), rtol=rtol) == \
        "your answer is off by about 30 %: too high for some inputs and too low for others."


def test_the_rounding_of_a_constant_is_taken_from_the_wrong_values_themselves():
    """Expected zeros and a constant of a million: the differences agree within 1e-9 of the answer's own size."""
    assert D(A([1e6, 1e6 + 1e-4]), A([0.0, 0.0])).startswith(
        "your answer is too high by the same amount for every input")


@pytest.mark.parametrize("got, exp, text", [
    ([1e300], [1e-10], "your answer is far too large (off by about 310 orders of magnitude)."),  # the ratio is inf
    ([1e-300], [1e10], "your answer is far too small (off by about 310 orders of magnitude)."),  # ... or 0
    ([1e200, 1e-200], [1.0, 1.0],
     "your answer is off by about 200 orders of magnitude: too high for some inputs and too low for others."),
    ([1e308, 1e-308], [1e-10, 1e10],
     "your answer is off by about 318 orders of magnitude: too high for some inputs and too low for others."),
    ([-1e300, 5e300], [1e-10, 1e-10],
     "1 of your values has the wrong sign; the others are far too large (off by about 311 orders of magnitude)."),
    ([9000.0], [1.0], "your answer is about 9000 times too large."),
    ([2e4], [1.0], "your answer is far too large (off by about 4 orders of magnitude)."),
    ([1e4], [1.0], "your answer is far too large (off by about 4 orders of magnitude)."),    # from 10,000 on
    ([1e4, 1e-5, 1e4], [1.0, 1.0, 1.0],
     "your answer is off by about 4 orders of magnitude: too high for some inputs and too low for others."),
    ([5e-5], [1.0], "your answer is far too small (off by about 4 orders of magnitude)."),
])
def test_a_huge_error_is_told_in_orders_of_magnitude_never_inf(got, exp, text):
    """From a factor of 10,000 on the size of an error is told in powers of 10; a ratio that overflows to inf
    ("about inf times too large") or underflows to 0 ("differs from the expected one") is no longer possible."""
    assert D(A(got), A(exp)) == text


def test_a_spread_exactly_at_the_tolerance_is_still_the_same_amount():
    """Differences 1.0 and 1.25 agree within atol + 1e-9 x 3.25 (the largest wrong value) when that sum is 0.25."""
    atol = 0.25 - 1e-9 * 3.25
    assert 1e-9 * 3.25 + atol == 0.25                                  # the boundary itself, in floating point
    assert D(A([2.0, 3.25]), A([1.0, 2.0]), atol=atol).startswith("your answer is too high by the same amount")
    assert "same amount" not in D(A([2.0, 3.25]), A([1.0, 2.0]), atol=np.nextafter(atol, 0.0))
