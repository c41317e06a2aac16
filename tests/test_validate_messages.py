"""The wording of snnlib's shared parameter checks (snnlib/_validate.py): what a learner reads first."""

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
