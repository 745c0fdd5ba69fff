"""The two set-up commands find a Python on their own (scripts/lib.sh): the newest 3.12 or newer
in PATH or among pyenv's versions, or a clear message when there is none. The run command stops
everything it started."""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import time
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


# --- scripts/run stops what it started ---------------------------------------------------------


@pytest.fixture(scope="module")
def run_var(tmp_path_factory) -> Path:
    """One VAR_DIR for the runs of this module (the second finds the demo county loaded)."""
    return tmp_path_factory.mktemp("run-var")


def processes_of(var_dir: Path) -> list[int]:
    """The processes started with this VAR_DIR in their environment (the run's and its services')."""
    mark = f"VAR_DIR={var_dir}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if mark in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


@pytest.mark.skipif(not (BASE_DIR / ".venv" / "bin" / "python").exists(), reason="needs the project's .venv")
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_the_run_command_stops_web_worker_and_beat(run_var, signal_name):
    """Ctrl-C in the terminal (SIGINT to the whole process group), or a TERM to the group as
    `timeout` or a service manager sends it, stops web, worker and beat within seconds and leaves
    no process behind. A TERM that reached Celery's pool processes as well as the worker once
    left the worker waiting for them for ever, and the run with it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(VAR_DIR=str(run_var), PORT=str(port))
    log_path = run_var / f"run-{signal_name}.log"
    with log_path.open("w") as log:
        run = subprocess.Popen(  # noqa: S603 - the README's run command
            [str(BASE_DIR / "scripts" / "run")],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as in a terminal
        )
    try:
        deadline = time.monotonic() + 180
        while "Press Ctrl-C to stop." not in log_path.read_text() or "ready" not in worker_log(run_var):
            assert run.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)
        assert len(processes_of(run_var)) >= 4  # the run, web, worker and beat (with their own)
        if signal_name == "SIGINT":
            the_run_serves_as_a_county_would(port)

        os.killpg(run.pid, getattr(signal, signal_name))
        assert run.wait(timeout=45) == 0, log_path.read_text()
        assert "stopping web, worker and beat" in log_path.read_text()
        assert "exited on its own" not in log_path.read_text()
        time.sleep(0.5)
        assert processes_of(run_var) == []
    finally:
        for pid in processes_of(run_var):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def the_run_serves_as_a_county_would(port: int) -> None:
    """The Chinese error page, not Django's debug page, unless a developer asks for debug; the
    static files served by the run itself, under hashed names and compressed, cached for long."""
    import re
    import urllib.error
    import urllib.request

    base = f"http://127.0.0.1:{port}"
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{base}/no-such-page/", timeout=20)  # noqa: S310 - our own server
    page = missing.value.read().decode()
    assert missing.value.code == 404
    assert "页面不存在" in page or "找不到" in page, page[:500]
    assert "Traceback" not in page and "URLconf" not in page and "DEBUG = True" not in page
    with urllib.request.urlopen(f"{base}/", timeout=20) as home:  # noqa: S310
        html = home.read().decode()
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', html)
    assert css, "static files under hashed names"
    request = urllib.request.Request(base + css.group(1), headers={"Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=20) as sheet:  # noqa: S310
        assert sheet.headers.get("Content-Encoding") == "gzip"
        assert "max-age=315360000" in sheet.headers.get("Cache-Control", "") or "immutable" in sheet.headers.get(
            "Cache-Control", ""
        )


def worker_log(var_dir: Path) -> str:
    path = var_dir / "log" / "worker.log"
    return path.read_text() if path.exists() else ""
