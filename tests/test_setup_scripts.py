"""The two set-up commands find a Python on their own (scripts/lib.sh): the newest 3.12 or newer
in PATH or among pyenv's versions, or a clear message when there is none."""

import glob
import shutil
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
LIB = BASE_DIR / "scripts" / "lib.sh"
# Places lib.sh also looks in, outside anything a test can point elsewhere.
SYSTEM_PYTHONS = glob.glob("/usr/local/bin/python3.1[2-9]") + glob.glob("/usr/bin/python3.1[2-9]")


def fake_python(path: Path, version: tuple[int, int, int]) -> Path:
    """An executable that tells lib.sh its version as a Python of ``version`` would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\nprintf "%03d.%03d.%03d\\n" {version[0]} {version[1]} {version[2]}\n')
    path.chmod(0o755)
    return path


def bash(script: str, tmp_path: Path, bin_dir: Path, cwd: Path = BASE_DIR) -> subprocess.CompletedProcess:
    """``script`` in bash with only ``bin_dir`` and the system's folders in PATH, and pyenv's
    versions looked for under ``tmp_path``."""
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "PYENV_ROOT": str(tmp_path / "pyenv"), "HOME": str(tmp_path)}
    return subprocess.run(  # noqa: S603 - our own script, in the system's bash
        [shutil.which("bash"), "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def find_python(tmp_path: Path, bin_dir: Path) -> subprocess.CompletedProcess:
    return bash(f'source "{LIB}"; find_python', tmp_path, bin_dir)


def test_the_newest_python_in_path_or_pyenv_is_taken(tmp_path):
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir / "python3", (3, 11, 7))  # too old, though first in PATH
    fake_python(bin_dir / "python3.12", (3, 18, 2))
    newest = fake_python(tmp_path / "pyenv" / "versions" / "3.19.1" / "bin" / "python3", (3, 19, 1))
    fake_python(tmp_path / "pyenv" / "versions" / "3.19.0" / "bin" / "python3", (3, 19, 0))
    fake_python(tmp_path / "pyenv" / "versions" / "3.12.1" / "bin" / "python3", (3, 12, 1))

    found = find_python(tmp_path, bin_dir)

    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == str(newest)


def test_a_newer_python_in_path_wins_over_pyenv(tmp_path):
    bin_dir = tmp_path / "bin"
    in_path = fake_python(bin_dir / "python3.13", (3, 19, 5))
    fake_python(tmp_path / "pyenv" / "versions" / "3.19.1" / "bin" / "python3", (3, 19, 1))

    assert find_python(tmp_path, bin_dir).stdout.strip() == str(in_path)


@pytest.mark.skipif(bool(SYSTEM_PYTHONS), reason=f"this machine has {SYSTEM_PYTHONS}")
def test_without_a_suitable_python_the_set_up_stops_with_a_clear_message(tmp_path):
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(LIB, project / "scripts" / "lib.sh")
    (project / "requirements-dev.txt").write_text("")
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir / "python3", (3, 11, 7))

    ran = bash("source scripts/lib.sh; ensure_venv requirements-dev.txt", tmp_path, bin_dir, cwd=project)

    assert ran.returncode == 1
    assert "needs Python 3.12 or newer" in ran.stderr
    assert not (project / ".venv").exists()
