"""pytest plugin for tools/mutate.py's mutmut runs: child processes of the tests (a notebook's Jupyter
kernel, ``python -m pytest --nbval``) import the scratch copy's packages, and mutmut's "stats" mode stays
in this process.

mutmut puts the scratch copy (``mutants/``, where this file lives as ``tools/``) first on its own sys.path,
but a child started in a temporary directory would find no ``course`` at all (the shared venv's editable
install is not on the mutation venv's path, and would be another checkout's code): PYTHONPATH names the
scratch copy.  (Not set by tools/mutate.py for mutmut itself: a PYTHONPATH entry that does not exist yet
when the interpreter starts is cached by the import system as "no finder", and mutmut's own later
insertion of the same directory then finds nothing in it.)

mutmut first runs a scope's tests with MUTANT_UNDER_TEST=stats to learn which test calls which function.
A child process (a notebook's Jupyter kernel, ``python -m pytest --nbval``) inherits the variable; its
trampolines then record calls in the child's memory, which mutmut never reads, and first load mutmut's
config from the child's current directory: started in a temporary course root, the child crashes ("Could
not figure out where the code to mutate is") and the scope's baseline fails.  During stats collection this
plugin moves the mode from the environment into mutmut's process-local setting, so children run the
unmutated code as in ``make test``.  While a mutant is tested the variable names the mutant and is left
alone: a child runs the mutant too, so a test that mutmut chose (for the calls it makes in this process)
also fails on what the mutant does in the kernel.
"""
from __future__ import annotations

import os
from pathlib import Path

SCRATCH = str(Path(__file__).resolve().parents[1])  # .mutate/<scope>/mutants


def pytest_configure(config):
    os.environ["PYTHONPATH"] = SCRATCH
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        from mutmut.mutation.trampoline import set_mutant_under_test

        set_mutant_under_test("stats")          # the process-local copy the trampolines fall back to
        del os.environ["MUTANT_UNDER_TEST"]     # children start without it: unmutated code, no stats
