"""StudentSpawner: one local process per student, each with its own uid and private home, no system users.

JupyterHub's LocalProcessSpawner runs each user's server as the Unix account of the same name, so a class
of 30 needs 30 accounts in /etc/passwd, made and removed by hand (or by PAM and `adduser`). For a teacher
with one machine, this spawner keeps LocalProcessSpawner's process handling and changes only who the
process runs as and where it starts:

- uid: ``uid_base`` + the student's id in the hub's database (stable while the database is kept), so
  every student is a distinct Unix user to the kernel: files, processes and signals are separated by the
  operating system, not by convention. No /etc/passwd entry is made (Python, Jupyter and numba need only
  ``HOME`` and ``USER``, which are set).
- home: ``homes_root``/<name>, created mode 0700 and owned by that uid: one student cannot list or read
  another's notebooks or ``~/.course`` progress.
- the course: on each start, the notebooks (``seed_paths`` under ``course_dir``) that the student does not
  have yet are copied into ``~/<course_folder>/``; a notebook the student already has is never replaced,
  so a restart or a course update never loses their work (new lessons appear, edited ones stay).

When the hub does not run as root it cannot change uid: servers then run as the hub's own user, each in
its own home folder (isolation by folder only; a warning is logged).
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Integer, List, Unicode


class StudentSpawner(LocalProcessSpawner):
    """LocalProcessSpawner that runs each student as uid ``uid_base + user.id`` in ``homes_root/<name>``."""

    homes_root = Unicode(help="folder holding one private home per student").tag(config=True)
    uid_base = Integer(60000, help="student uid = uid_base + the user's id in the hub database").tag(config=True)
    course_dir = Unicode(help="the course clone whose notebooks are copied into each new home").tag(config=True)
    course_folder = Unicode("course", help="name of the course folder inside each home").tag(config=True)
    seed_paths = List(Unicode(), ["lessons", "exercises"],
                      help="folders and files under course_dir copied into the course folder").tag(config=True)

    @property
    def switch_user(self) -> bool:
        """Whether servers run as a distinct uid (only root may change uid)."""
        return os.geteuid() == 0

    @property
    def student_uid(self) -> int | None:
        return self.uid_base + int(self.user.id) if self.switch_user else None

    @property
    def home(self) -> str:
        # hub user names are already normalised (lower case); keep path-safe characters only
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in self.user.name)
        return os.path.join(self.homes_root, safe)

    def make_preexec_fn(self, name):
        uid, home = self.student_uid, self.home

        def preexec():  # runs in the child after fork: drop every privilege before exec
            if uid is not None:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            os.chdir(home)
        return preexec

    def user_env(self, env):
        env["USER"] = env["LOGNAME"] = self.user.name
        env["HOME"] = self.home
        env["SHELL"] = "/bin/bash"
        # `course check` and `course reset` work on the student's copy, wherever the terminal is
        env["COURSE_ROOT"] = os.path.join(self.home, self.course_folder)
        return env

    def prepare_home(self) -> None:
        """Create the private home and copy in the course notebooks the student does not have yet."""
        os.makedirs(self.homes_root, exist_ok=True)
        os.chmod(self.homes_root, 0o711)          # students pass through to their own home, cannot list others
        os.makedirs(self.home, mode=0o700, exist_ok=True)
        target = os.path.join(self.home, self.course_folder)
        for rel in self.seed_paths:
            src = os.path.join(self.course_dir, rel)
            if os.path.isdir(src):
                for dirpath, dirs, files in os.walk(src):
                    dirs[:] = [d for d in dirs if not d.startswith(".")]  # the teacher's backups, checkpoints
                    for f in files:
                        if f.endswith(".ipynb"):
                            s = os.path.join(dirpath, f)
                            self._copy_if_missing(s, os.path.join(target, os.path.relpath(s, self.course_dir)))
            elif os.path.isfile(src):
                self._copy_if_missing(src, os.path.join(target, rel))
        if self.switch_user:
            for dirpath, dirs, files in os.walk(self.home):
                for p in [dirpath] + [os.path.join(dirpath, f) for f in files]:
                    if os.lstat(p).st_uid != self.student_uid:
                        os.lchown(p, self.student_uid, self.student_uid)
        os.chmod(self.home, 0o700)

    @staticmethod
    def _copy_if_missing(src: str, dst: str) -> None:
        if not os.path.exists(dst):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)

    def check_reachable(self, path: str) -> None:
        """Raise a clear error if the student's uid could not reach ``path``: every folder above it must
        let others through (the x bit), or the server fails with an opaque "exception in preexec_fn"."""
        real = os.path.realpath(path)
        for parent in reversed(Path(real).parents):
            st = parent.stat()
            if st.st_uid != self.student_uid and not st.st_mode & 0o001:
                raise PermissionError(f"{parent} (mode {st.st_mode & 0o777:o}) does not let students through "
                                      f"to {real}: chmod o+x {parent}, or move the course or hub folder")

    async def start(self):
        if self.switch_user:
            for path in (self.cmd[0], sys.executable, self.homes_root):
                self.check_reachable(path)
        else:
            self.log.warning("hub is not root: %s's server runs as the hub's user (separate home only)",
                             self.user.name)
        self.prepare_home()
        return await super().start()

    async def move_certs(self, paths):  # internal TLS is not used by this hub; the parent needs pwd
        raise NotImplementedError("StudentSpawner does not support internal_ssl")
