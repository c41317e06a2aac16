"""The class hub's spawner seeds each student's home without ever overwriting their work
(deploy/hub/course_spawner.py; the whole hub runs in tests/hub/test_class_hub.py)."""
import os
import stat
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy" / "hub"))
from course_spawner import StudentSpawner  # noqa: E402


@pytest.fixture
def course(tmp_path):
    src = tmp_path / "teacher"
    (src / "lessons").mkdir(parents=True)
    (src / "exercises" / ".backup").mkdir(parents=True)
    (src / "lessons" / "00_a.ipynb").write_text("lesson v1")
    (src / "exercises" / "00_a.ipynb").write_text("exercise v1")
    (src / "exercises" / ".backup" / "00_a-old.ipynb").write_text("the teacher's own backup")
    return src


def spawner(tmp_path, course, uid_id=7):
    user = SimpleNamespace(name="ada", id=uid_id, url="/user/ada/", server=None, escaped_name="ada")
    return StudentSpawner(user=user, homes_root=str(tmp_path / "homes"), course_dir=str(course))


def test_first_start_copies_the_course_into_a_private_home(tmp_path, course):
    sp = spawner(tmp_path, course)
    sp.prepare_home()
    home = Path(sp.home)
    assert (home / "course" / "lessons" / "00_a.ipynb").read_text() == "lesson v1"
    assert not (home / "course" / "exercises" / ".backup").exists()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    if os.geteuid() == 0:
        assert home.stat().st_uid == sp.uid_base + 7 == (home / "course" / "lessons" / "00_a.ipynb").stat().st_uid


def test_a_restart_after_a_course_update_keeps_the_students_work(tmp_path, course):
    sp = spawner(tmp_path, course)
    sp.prepare_home()
    mine = Path(sp.home) / "course" / "exercises" / "00_a.ipynb"
    mine.write_text("my answers")
    (course / "exercises" / "00_a.ipynb").write_text("exercise v2")
    (course / "lessons" / "01_b.ipynb").write_text("new lesson")
    sp.prepare_home()
    assert mine.read_text() == "my answers"
    assert (Path(sp.home) / "course" / "lessons" / "01_b.ipynb").read_text() == "new lesson"


def test_environment_points_course_tools_at_the_students_copy(tmp_path, course):
    env = spawner(tmp_path, course).user_env({})
    assert env["HOME"] == str(tmp_path / "homes" / "ada")
    assert env["COURSE_ROOT"] == str(tmp_path / "homes" / "ada" / "course") and env["USER"] == "ada"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root switches uid; as another user the check is moot")
def test_unreachable_folder_gives_a_clear_error(tmp_path, course):
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    with pytest.raises(PermissionError, match="does not let students through"):
        spawner(tmp_path, course).check_reachable(str(private / "homes"))
