"""The progress file never loses a learner's progress (issue 18, issue 21): validated on read,
a damaged file kept aside, other lessons' entries kept, atomic writes under a lock that really
serialises writers, and a save that fails always said."""
from __future__ import annotations

import json
import os
import threading

import pytest

from course import cli, progress
from course.exercise import PASSED


@pytest.fixture
def home(tmp_path, monkeypatch):
    h = tmp_path / "home"
    monkeypatch.setenv(progress.HOME_ENV, str(h))
    monkeypatch.delenv(progress.RESULTS_ENV, raising=False)
    return h


def _other_lessons() -> dict:
    return {"01_spikes": {"isi": {"status": "passed", "passed_once": True, "time": "2026-01-01T10:00:00"}},
            "02_energy": {"ops": {"status": "not yet", "passed_once": True, "time": "2026-01-02T10:00:00"}}}


def test_truncated_file_is_kept_aside_not_overwritten(home):
    home.mkdir()
    full = json.dumps(_other_lessons(), indent=1)
    (home / "progress.json").write_text(full[: len(full) // 2])  # a crash or a full disk cut it short
    assert progress.load() == {}  # readers see no progress, without raising
    note_sink = progress.record("00_welcome", "euler_step", PASSED)
    assert note_sink is None
    aside = list(home.glob("progress.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == full[: len(full) // 2]  # the damaged bytes survive
    assert progress.load() == {"00_welcome": {"euler_step": progress.load()["00_welcome"]["euler_step"]}}


def test_other_lessons_entries_are_never_dropped(home):
    home.mkdir()
    odd = {**_other_lessons(), "03_backprop": {"weird": 5, "also": {"status": "maybe"}}, "04_x": ["a list"]}
    (home / "progress.json").write_text(json.dumps(odd))
    progress.record("00_welcome", "euler_step", PASSED)
    data = json.loads((home / "progress.json").read_text())
    for key, value in odd.items():  # valid or not, what was there is still there, unchanged
        assert data[key] == value
    assert data["00_welcome"]["euler_step"]["status"] == PASSED


def test_entries_of_unexpected_shape_do_not_break_list_or_checks(home, capsys):
    home.mkdir()
    (home / "progress.json").write_text(json.dumps({
        "00_welcome": {"euler_step": "passed", "exact_step": {"status": 3}, "rheobase": None,
                       "lif_rate": {"status": "passed", "passed_once": True, "time": "t"}},
        "01_spikes": "garbage"}))
    assert progress.load() == {"00_welcome": {"lif_rate": {"status": "passed", "passed_once": True, "time": "t"}}}
    assert cli.main(["list"]) == 0  # raised AttributeError before
    out = capsys.readouterr().out
    assert "lif_rate       passed" in out and "euler_step     not started" in out
    progress.record("01_spikes", "isi", PASSED)  # a lesson whose entry was not a dict: replaced, old file kept
    assert progress.load()["01_spikes"]["isi"]["status"] == PASSED
    assert any(json.loads(p.read_text()).get("01_spikes") == "garbage" for p in home.glob("progress.json.corrupt-*"))


def test_the_lock_serialises_writers(home):
    """Deterministic: while another holder has the lock, record() waits; it finishes once released."""
    home.mkdir()
    path = progress.progress_path()
    done = threading.Event()

    def writer():
        progress.record("00_welcome", "euler_step", PASSED)
        done.set()

    with progress._locked(progress.lock_path(path)):
        t = threading.Thread(target=writer, daemon=True)
        t.start()
        assert not done.wait(0.5), "record() wrote while another writer held the lock"
        assert not path.exists()
    assert done.wait(10)
    assert progress.load()["00_welcome"]["euler_step"]["status"] == PASSED


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(home, monkeypatch, capsys):
    progress.record("00_welcome", "euler_step", PASSED)
    before = (home / "progress.json").read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress.os, "replace", full_disk)
    problem = progress.record("01_spikes", "isi", PASSED)
    assert problem and "No space left on device" in problem
    assert "your progress was not saved" in capsys.readouterr().err
    assert (home / "progress.json").read_bytes() == before
    assert sorted(p.name for p in home.iterdir()) == ["progress.json", "progress.json.lock"]


def test_unknown_status_is_refused(home):
    with pytest.raises(ValueError, match="status must be one of"):
        progress.record("00_welcome", "x", "PASSED")


def test_results_file_failure_is_reported(home, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(progress.RESULTS_ENV, str(tmp_path / "no" / "such" / "dir" / "r.jsonl"))
    problem = progress.record("00_welcome", "x", PASSED)
    assert problem and "could not write" in problem and "could not write" in capsys.readouterr().err
    assert progress.load()["00_welcome"]["x"]["status"] == PASSED  # the progress itself was still saved
    assert os.path.exists(progress.progress_path())


def test_default_home_is_dot_course_in_the_users_home(monkeypatch, tmp_path):
    monkeypatch.delenv(progress.HOME_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert progress.course_home() == tmp_path / ".course"
    assert progress.progress_path() == tmp_path / ".course" / "progress.json"
    monkeypatch.setenv(progress.HOME_ENV, "~/elsewhere")            # ~ is expanded
    assert progress.course_home() == tmp_path / "elsewhere"


def test_an_explicit_home_gets_its_progress_file_and_missing_folders(home, tmp_path):
    other = tmp_path / "class" / "alice"                          # two levels that do not exist yet
    assert progress.record("00_welcome", "rate", "passed", home=other) is None
    saved = json.loads((other / "progress.json").read_text(encoding="utf-8"))
    assert saved["00_welcome"]["rate"]["status"] == "passed"
    assert not (home / "progress.json").exists()                   # COURSE_HOME untouched


def test_results_file_lines_name_lesson_exercise_status_and_message(home, tmp_path, monkeypatch):
    results = tmp_path / "results.jsonl"
    monkeypatch.setenv(progress.RESULTS_ENV, str(results))
    progress.record("00_welcome", "rate", "not yet", message="off by 1e3")
    progress.record("00_welcome", "rate", "passed", unsolved=True)
    lines = [json.loads(x) for x in results.read_text(encoding="utf-8").splitlines()]
    assert lines == [{"lesson": "00_welcome", "exercise": "rate", "status": "not yet", "message": "off by 1e3"},
                     {"lesson": "00_welcome", "exercise": "rate", "status": "passed", "message": ""}]
