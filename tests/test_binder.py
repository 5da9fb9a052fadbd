"""Binder: repo2docker's dry run picks the conda buildpack and installs environment.yml before it
copies the repository, so editing notebooks or data reuses the cached environment."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def r2d_dockerfile():
    exe = Path(sys.executable).with_name("jupyter-repo2docker")
    if not exe.exists():
        found = shutil.which("jupyter-repo2docker")
        if not found:
            pytest.fail(
                "jupyter-repo2docker is missing: install the test extra (pip install -e '.[test]')"
            )
        exe = Path(found)
    run = subprocess.run(
        [str(exe), "--no-build", "--debug", str(ROOT)], capture_output=True, text=True, timeout=120
    )
    return run.stdout + run.stderr


def test_environment_is_installed_before_the_repository_is_copied():
    out = r2d_dockerfile()
    assert "Building conda environment" in out
    lines = out.splitlines()
    env_copy = next(
        i for i, line in enumerate(lines) if "COPY" in line and "environment.yml" in line
    )
    env_install = next(
        i for i, line in enumerate(lines) if "env update" in line and "environment.yml" in line
    )
    repo_copy = next(
        i for i, line in enumerate(lines) if line.startswith("COPY") and "src/ ${REPO_DIR}/" in line
    )
    assert env_copy < env_install < repo_copy


def test_binder_uses_the_start_script():
    out = r2d_dockerfile()
    assert 'R2D_ENTRYPOINT="${REPO_DIR}/start"' in out
