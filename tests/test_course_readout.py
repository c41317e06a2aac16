"""Slider readouts are formatted as the browser shows them (d3-format, JavaScript number methods).

Checked against documented d3-format outputs and, where Node.js is installed, against JavaScript's
own ``toFixed`` / ``toPrecision`` / ``toExponential`` (the functions d3-format calls)."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from course.readout import _exponential, _fixed, _precision, d3_format

MINUS = "\u2212"


@pytest.mark.parametrize("value, spec, text", [
    (1.0, ".2f", "1.00"),
    (-0.5, ".2f", MINUS + "0.50"),     # d3's default locale uses the minus sign U+2212
    (-0.001, ".2f", "0.00"),           # negative zero after rounding is shown without a sign
    (1.0, ".3g", "1.00"),              # d3 g keeps trailing zeros (Python's g drops them)
    (1e-7, ".3g", "1.00e-7"),          # exponent without zero padding
    (123456789.0, ".3g", "1.23e+8"),
    (0.00012345, ".3g", "0.000123"),
    (20.0, ".3~g", "20"),              # ~ trims insignificant zeros
    (3, "d", "3"),
    (2.5, "d", "3"),                   # Math.round
    (-2.5, "d", MINUS + "3"),          # d3 rounds |x|, then adds the sign
    (0.1234, ".1%", "12.3%"),
    (1234567.5, ",.1f", "1,234,567.5"),
    (5, "", "5"),                      # no type: ~g with 12 digits
    (0.1 + 0.2, "", "0.3"),
    (2.5, ".0f", "3"),                 # toFixed: ties away from zero (Python gives "2")
    (1.005, ".2f", "1.00"),            # ... on the exact binary value (1.00499999...)
    (float("nan"), ".2f", "NaN"),
    (7.0, "+.1f", "+7.0"),
])
def test_documented_d3_outputs(value, spec, text):
    assert d3_format(value, spec) == text


VALUES = [0.0, 1.0, 2.5, 1.005, 0.1, 0.125, 1e-7, 1.2345e-7, 9.995, 99.95, 123456.789, 1e21 / 3,
          0.000012345, 0.5, 1.5, 3.14159, 2.675, 1e-300, 6.02e23]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js not installed: no JavaScript to compare with")
def test_against_javascript_number_methods():
    script = ("const v = JSON.parse(process.argv[1]); const out = [];"
              "for (const x of v) { for (const d of [0, 1, 2, 3, 6]) out.push(x.toFixed(d));"
              "  for (const p of [1, 3, 6, 12]) out.push(x.toPrecision(p));"
              "  for (const d of [0, 2, 5]) out.push(x.toExponential(d)); }"
              "console.log(JSON.stringify(out));")
    values = [v for v in VALUES if v < 1e21]  # toFixed switches to exponent form at 1e21; sliders never get there
    js = json.loads(subprocess.run(["node", "-e", script, json.dumps(values)], capture_output=True, text=True,
                                   timeout=30, check=True).stdout)
    py = []
    for x in values:
        py += [_fixed(x, d) for d in (0, 1, 2, 3, 6)]
        py += [_precision(x, p) for p in (1, 3, 6, 12)]
        py += [_exponential(x, d) for d in (0, 2, 5)]
    mismatches = [(i, a, b) for i, (a, b) in enumerate(zip(py, js)) if a != b]
    assert len(py) == len(js) and not mismatches, mismatches[:10]


def test_unknown_type_falls_back_to_python_format():
    assert d3_format(255, "x") == "ff"


@pytest.mark.parametrize("value, spec, text", [
    (0.0, ".2f", "0.00"),
    (-0.0, ".2f", "0.00"),                 # negative zero: no sign
    (float("inf"), ".2f", "Infinity"),     # JavaScript's toFixed of Infinity
    (float("-inf"), ".3g", MINUS + "Infinity"),
    (1234, ".2e", "1.23e+3"),
    (0.000123, ".1e", "1.2e-4"),
    (-0.5, ".0%", MINUS + "50%"),          # % with d3's minus sign (Python's format would give "-50%")
    (3.14159, ".3r", "3.14"),              # r: significant digits (Python's format has no "r" type)
    (1.23456, ".3", "1.23"),               # no type, a precision: ~g with that many digits
    (1 / 3, "", "0.333333333333"),         # no type, no precision: 12 significant digits
    (1.5, "f", "1.500000"),                # a type without precision: 6 digits
    (1e-7, ".3~g", "1e-7"),                # ~ trims the mantissa, not the exponent
    (1234.5, ",.2f", "1,234.50"),
    (-1234.5, ",.1f", MINUS + "1,234.5"),
    (7.0, " .1f", " 7.0"),                 # the space sign: a space where the minus would go
    (1234, ".1g", "1e+3"),                 # one significant digit ...
    (1234, ".0g", "1e+3"),                 # ... is also the least d3 allows (precision clamped to 1..21)
    (0.1, ".22g", "0.100000000000000005551"),   # clamped to 21 digits, JavaScript's toPrecision(21)
    (1.5e-6, ".2g", "0.0000015"),          # toPrecision: fixed notation down to an exponent of -6 ...
    (1.5e-7, ".2g", "1.5e-7"),             # ... exponential below it
])
def test_more_documented_d3_outputs(value, spec, text):
    """d3-format's documented behaviour for the types, defaults and special values sliders can meet."""
    assert d3_format(value, spec) == text
