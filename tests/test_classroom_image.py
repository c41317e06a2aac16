"""The container image definition (repo2docker: Binder and the JupyterHub single-user image).

repo2docker reads runtime.txt, requirements.txt, pyproject.toml and postBuild at the top of the repository;
`jupyter-repo2docker --no-build` prints the Dockerfile it would build, with no Docker daemon, so the plan is
checked here for real.
"""
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from snnlib.sim import kernel_cache

ROOT = Path(__file__).resolve().parent.parent
IMAGE_FILES = ["runtime.txt", "requirements.txt", "postBuild", "pyproject.toml", ".dockerignore"]
R2D = Path(sys.executable).parent / "jupyter-repo2docker"


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def requirements(path: Path) -> list[Requirement]:
    lines = [ln.split("#")[0].strip() for ln in path.read_text().splitlines()]
    return [Requirement(ln) for ln in lines if ln]


def test_no_binder_folder_so_pyproject_is_used():
    # with binder/ or .binder/, repo2docker reads only that folder and skips `pip install .`
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()


def test_requirements_agree_with_the_hub_extra():
    extra = {Requirement(r).name: Requirement(r) for r in pyproject()["project"]["optional-dependencies"]["hub"]}
    image = {r.name: r for r in requirements(ROOT / "requirements.txt")}
    assert {"jupyterhub", "nbgitpuller"} <= image.keys()
    for name, req in image.items():
        assert name in extra, f"requirements.txt installs {name}, which the hub extra of pyproject.toml lacks"
        assert str(req.specifier) == str(extra[name].specifier), f"{name}: {req} vs {extra[name]}"
        assert len(req.specifier) == 1 and next(iter(req.specifier)).operator == "==", f"{name} is not pinned"
    # the course's own dependencies come from `pip install .`; a second list would drift
    base = {Requirement(r).name for r in pyproject()["project"]["dependencies"]}
    assert not base & image.keys(), f"requirements.txt repeats pyproject dependencies: {base & image.keys()}"


def test_runtime_python_is_supported_by_pyproject():
    m = re.fullmatch(r"python-(3\.\d+)", (ROOT / "runtime.txt").read_text().strip())
    assert m, "runtime.txt must read python-3.X"
    assert Version(m.group(1)) in SpecifierSet(pyproject()["project"]["requires-python"])


def test_postbuild_precompiles_the_lessons():
    post = ROOT / "postBuild"
    assert os.access(post, os.X_OK)
    text = post.read_text()
    assert "tools/precompile_kernels.py lessons/*.ipynb" in text
    # into the environment's own cache (kernel_cache.environment_dir), not ~/.cache, which a persistent
    # home hides on a hub: the path postBuild exports must be the one snnlib looks for
    assert 'export SNNLIB_CACHE_DIR="${prefix}/share/snnlib/kernels"' in text
    assert kernel_cache.environment_dir() == os.path.join(sys.prefix, "share", "snnlib", "kernels")
    assert text.index("export SNNLIB_CACHE_DIR") < text.index("precompile_kernels.py")


def plan(repo: Path) -> tuple[str, str]:
    """The Dockerfile repo2docker would build from ``repo`` (stdout) and its log (stderr)."""
    done = subprocess.run([str(R2D), "--no-build", "--debug", "--user-id", "1000", "--user-name", "jovyan",
                           str(repo)], capture_output=True, text=True, timeout=300, cwd=repo)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, done.stderr


def copy_image_files(dest: Path) -> Path:
    for name in IMAGE_FILES:
        shutil.copy2(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def image_plan(tmp_path_factory):
    return plan(copy_image_files(tmp_path_factory.mktemp("repo")))


def test_repo2docker_plan_installs_the_course_then_precompiles(image_plan):
    dockerfile, log = image_plan
    version = (ROOT / "runtime.txt").read_text().strip().split("-")[1]
    assert f"Building conda environment for python={version}" in log
    steps = [ln for ln in dockerfile.splitlines() if ln.startswith("RUN ")]
    req = steps.index('RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "requirements.txt"')
    course = steps.index("RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir .")
    post = steps.index("RUN ./postBuild")
    assert req < course < post, steps     # hub + puller, then the course from pyproject.toml, then compile
    users = [ln for ln in dockerfile.split("RUN ./postBuild")[0].splitlines() if ln.startswith("USER ")]
    assert users[-1] == "USER ${NB_USER}"  # compiled as the image's user: the cache stays writable for it


def test_repo2docker_plan_without_pyproject_when_a_binder_folder_exists(tmp_path):
    # the trap this layout avoids, shown on a copy: a binder/ folder silently drops `pip install .`
    repo = copy_image_files(tmp_path)
    (repo / "binder").mkdir()
    shutil.copy2(ROOT / "requirements.txt", repo / "binder" / "requirements.txt")
    dockerfile, _ = plan(repo)
    assert "pip install --no-cache-dir ." not in dockerfile
