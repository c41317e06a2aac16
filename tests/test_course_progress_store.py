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


def test_two_damaged_files_in_the_same_second_are_both_kept(home, monkeypatch):
    """The copy aside is named progress.json.corrupt-<YYYYmmdd-HHMMSS>; a second one in the same second gets -1,
    a third -2: no damaged file is ever overwritten."""
    home.mkdir()
    real = progress.time.strftime
    monkeypatch.setattr(progress.time, "strftime",
                        lambda fmt, *a: "20260102-030405" if fmt == "%Y%m%d-%H%M%S" else real(fmt, *a))
    for k in range(3):
        (home / "progress.json").write_text(f"{{damaged {k}")
        progress.record("00_welcome", "euler_step", PASSED)
    kept = {p.name: p.read_text() for p in home.glob("progress.json.corrupt-*")}
    assert kept == {"progress.json.corrupt-20260102-030405": "{damaged 0",
                    "progress.json.corrupt-20260102-030405-1": "{damaged 1",
                    "progress.json.corrupt-20260102-030405-2": "{damaged 2"}


def test_odd_entries_of_two_lessons_in_the_same_second_are_both_kept(home, monkeypatch):
    """A lesson whose entry has an unexpected shape is replaced, after a copy of the whole file is kept; a second
    such lesson in the same second gets its own copy (-1), not written over the first."""
    home.mkdir()
    real = progress.time.strftime
    monkeypatch.setattr(progress.time, "strftime",
                        lambda fmt, *a: "20260102-030405" if fmt == "%Y%m%d-%H%M%S" else real(fmt, *a))
    (home / "progress.json").write_text(json.dumps({"01_spikes": "garbage", "02_energy": ["odd"]}))
    progress.record("01_spikes", "isi", PASSED)
    progress.record("02_energy", "ops", PASSED)
    first = json.loads((home / "progress.json.corrupt-20260102-030405").read_text(encoding="utf-8"))
    second = json.loads((home / "progress.json.corrupt-20260102-030405-1").read_text(encoding="utf-8"))
    assert first == {"01_spikes": "garbage", "02_energy": ["odd"]}
    assert second["02_energy"] == ["odd"] and second["01_spikes"]["isi"]["status"] == PASSED


def test_valid_json_that_is_not_an_object_is_set_aside(home):
    home.mkdir()
    (home / "progress.json").write_text("[1, 2, 3]")
    assert progress.load() == {}                                              # never raises
    progress.record("00_welcome", "x", PASSED)
    assert [p.read_text() for p in home.glob("progress.json.corrupt-*")] == ["[1, 2, 3]"]
    assert progress.load()["00_welcome"]["x"]["status"] == PASSED


def test_the_learner_is_told_where_a_damaged_file_was_kept(home, capsys):
    home.mkdir()
    (home / "progress.json").write_text("{damaged")
    assert progress.record("00_welcome", "euler_step", PASSED) is None       # saved: nothing went wrong
    err = capsys.readouterr().err
    aside = next(home.glob("progress.json.corrupt-*"))
    assert err == f"course: the progress file was damaged; it was kept as {aside} and a new one started.\n"
    (home / "progress.json").write_text(json.dumps({"01_spikes": "garbage"}))
    progress.record("01_spikes", "isi", PASSED)
    err = capsys.readouterr().err
    assert err.startswith("course: progress of 01_spikes had an unexpected shape; the old file was kept as ")


def test_a_failed_save_names_the_reason_the_place_and_the_fix(home, tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    problem = progress.record("00_welcome", "x", PASSED, home=blocker / "sub")
    # the reason in words (strerror, not the exception's repr) and the place that failed (the OSError's filename)
    assert problem == f"your progress was not saved (Not a directory at {blocker / 'sub'}); " \
                      "set COURSE_HOME to a writable folder"
    assert capsys.readouterr().err == f"course: {problem}.\n"


def test_passed_once_is_kept_after_a_later_failure_and_time_is_local_iso(home):
    progress.record("00_welcome", "x", "not yet")
    assert progress.load()["00_welcome"]["x"]["passed_once"] is False
    progress.record("00_welcome", "x", PASSED)
    progress.record("00_welcome", "x", "error")
    entry = progress.load()["00_welcome"]["x"]
    assert entry["status"] == "error" and entry["passed_once"] is True
    import datetime
    stamp = datetime.datetime.strptime(entry["time"], "%Y-%m-%dT%H:%M:%S")
    assert abs((datetime.datetime.now() - stamp).total_seconds()) < 60


def test_an_unsolved_verdict_never_touches_progress(home):
    progress.record("00_welcome", "x", PASSED)
    before = (home / "progress.json").read_bytes()
    assert progress.record("00_welcome", "x", "not yet", unsolved=True) is None
    assert (home / "progress.json").read_bytes() == before


def test_non_ascii_progress_is_written_and_read_under_an_ascii_locale(tmp_path, monkeypatch):
    """A learner's machine with LANG=C (an ASCII locale, e.g. a bare container): lesson and exercise names and the
    results message with non-ASCII characters are written and read back as UTF-8 all the same."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(progress.__file__).resolve().parents[1]
    home = tmp_path / "h"
    home.mkdir()                        # a file the learner edited by hand in a UTF-8 editor: raw UTF-8 bytes
    (home / "progress.json").write_text(json.dumps({"01_sp\u00eekes": {"isi": {"status": "passed"}}},
                                                   ensure_ascii=False), encoding="utf-8")
    code = ("from course import progress; import json, sys\n"
            "assert progress.load()['01_sp\\u00eekes']['isi']['status'] == 'passed', progress.load()\n"
            "assert progress.record('00_w\\u00e9lcome', '\\u03c4_rc', 'passed', message='1 \\u00b5s off') is None\n"
            "print(json.dumps(progress.load()))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8", "PYTHONIOENC"))}
    env.update(LC_ALL="C", PYTHONUTF8="0", PYTHONIOENCODING="utf-8", COURSE_HOME=str(tmp_path / "h"),
               COURSE_RESULTS=str(tmp_path / "r.jsonl"), PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True,
                         encoding="utf-8")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["00_wélcome"]["τ_rc"]["status"] == "passed"
    saved = json.loads((tmp_path / "h" / "progress.json").read_text(encoding="utf-8"))
    assert saved["00_wélcome"]["τ_rc"]["passed_once"] is True
    line = json.loads((tmp_path / "r.jsonl").read_text(encoding="utf-8"))
    assert line == {"lesson": "00_wélcome", "exercise": "τ_rc", "status": "passed", "message": "1 µs off"}
    # and in this process (which also tells a mutation tool that this test reads the progress file)
    monkeypatch.setenv(progress.HOME_ENV, str(home))
    assert set(progress.load()) == {"01_sp\u00eekes", "00_wélcome"}
