"""Browser-free checks of the harness's pure parts (these run in `make test`, no Chromium needed)."""

from __future__ import annotations

import dataclasses

import pytest

from course import syllabus

from .demo_checks import parse_settings, settings_value
from .lab_page import WIDGET_REPR, last_error_line
from .notebooks import course_notebooks


def test_parse_settings_reads_names_and_readouts_as_shown():
    line = "Settings: tau_rc_ms = 21; J = −0.50; mode = rate code"
    assert parse_settings(line) == [("tau_rc_ms", "21"), ("J", "−0.50"), ("mode", "rate code")]


@pytest.mark.parametrize("line", ["Settings: 2.0", "Settings: = 3", "Settings: a = 1; ; b = 2"])
def test_parse_settings_rejects_malformed_lines(line):
    with pytest.raises(ValueError, match="expected 'name = value'"):
        parse_settings(line)


def test_settings_value_matches_by_label_then_position():
    pairs = [("rate_hz", "50.0"), ("hidden", "64")]
    controls = [{"label": "rate (Hz)", "readout": "50.0"}, {"label": "hidden", "readout": "64"}]
    assert settings_value(pairs, controls, 1) == "64"  # by label
    assert settings_value(pairs, controls, 0) == "50.0"  # label differs from the name: by position
    assert settings_value(pairs[:1], controls, 1) is None


def test_last_error_line_names_the_exception():
    tb = ("---------------------------------------------------------------------------\n"
          "ValueError                                Traceback (most recent call last)\n"
          "Cell In[2], line 1\n----> 1 raise ValueError('bad drive')\n\nValueError: bad drive\n")
    assert last_error_line(tb) == "ValueError: bad drive"


def test_widget_repr_is_recognised_but_ordinary_text_is_not():
    assert WIDGET_REPR.match("VBox(children=(FloatSlider(value=1.0),))")
    assert WIDGET_REPR.match("FloatSlider(value=2.0, description='J')")
    assert not WIDGET_REPR.match("Settings: J = 2.0")
    assert not WIDGET_REPR.match("LIF(tau_rc=0.02)")


def test_every_syllabus_lesson_gives_a_lesson_and_an_exercise_test(monkeypatch):
    extra = dataclasses.replace(syllabus.LESSONS[-1], number=9, slug="extra")
    monkeypatch.setattr(syllabus, "LESSONS", syllabus.LESSONS + (extra,))
    paths = [nb.path for nb in course_notebooks()]
    assert len(paths) == 2 * len(syllabus.LESSONS)
    assert paths[-2:] == ["lessons/09_extra.ipynb", "exercises/09_extra.ipynb"]
    assert paths[0] == syllabus.LESSONS[0].lesson_notebook.as_posix()
