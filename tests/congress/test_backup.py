"""Backups an operator can trust: the demo county backed up, its database dropped and recreated
and its media emptied, restored, and every table's rows and every uploaded file's bytes are the
same, on PostgreSQL and on the embedded default (SQLite). The restore refuses a database that
holds records unless told to replace it. Retention keeps days, weeks and months; archives go to
an S3-compatible store as well as to a directory.

The round trips run manage.py in subprocesses against a database of their own, as an operator
would."""

import datetime
import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.files.base import ContentFile

from congress.services import backups

BASE_DIR = Path(__file__).resolve().parents[2]

COUNTS = "import json; from congress.services import backups; print('JSON' + json.dumps(backups.table_counts()))"


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if check:
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def counts(env: dict) -> dict[str, int]:
    return json.loads(manage(env, "shell", "-c", COUNTS).stdout.split("JSON", 1)[1])


def postgres_server() -> str | None:
    """The PostgreSQL server of DATABASE_URL (CI's), or the local one; None when unreachable."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    base = url if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(base)
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        psycopg.connect(server, connect_timeout=3).close()
    except psycopg.OperationalError:
        return None
    return server


def admin(server: str, sql: str) -> None:
    import psycopg

    conn = psycopg.connect(server, autocommit=True)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_demo_county_backed_up_dropped_and_restored_is_the_same(engine, tmp_path):
    env = {
        **os.environ,
        "DEBUG": "true",
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    env.pop("REDIS_URL", None)
    env.pop("BACKUP_URL", None)
    env["CELERY_BROKER_URL"] = f"filesystem://{tmp_path}/broker"
    if engine == "postgresql":
        server = postgres_server()
        if server is None:
            if os.environ.get("CI", "").lower() == "true" or os.environ.get("DATABASE_URL", "").startswith("postgres"):
                pytest.fail("PostgreSQL is not reachable")
            pytest.skip("no PostgreSQL here")
        name = f"congress_backup_{uuid.uuid4().hex[:8]}"
        admin(server, f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path}/county.sqlite3"
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_demo")
        before, files_before = counts(env), digests(tmp_path / "media")
        assert sum(before.values()) > 1000 and files_before, "the demo county has records and letters"

        made = manage(env, "backup")
        archive = made.stdout.strip().splitlines()[-1]
        assert Path(archive).is_file() and Path(archive).parent == tmp_path / "backups"

        # A database that holds records is not restored over without --replace.
        refused = manage(env, "restore", archive, check=False)
        assert refused.returncode != 0 and "--replace" in refused.stderr

        # The disaster: the database dropped and created again, the media emptied.
        if engine == "postgresql":
            admin(server, f"DROP DATABASE {name} WITH (FORCE)")
            admin(server, f"CREATE DATABASE {name}")
        else:
            for path in tmp_path.glob("county.sqlite3*"):
                path.unlink()
        for path in sorted((tmp_path / "media").rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        assert not digests(tmp_path / "media")

        restored = manage(env, "restore", archive)
        assert "checked against the backup" in restored.stdout
        assert counts(env) == before
        assert digests(tmp_path / "media") == files_before

        # Told to, it replaces a database that holds records.
        manage(env, "restore", archive, "--replace")
        assert counts(env) == before
    finally:
        if engine == "postgresql":
            admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def stamp(day: datetime.date, hour=2) -> str:
    return f"congress-{day:%Y%m%d}-{hour:02d}3000.tar"


def test_retention_keeps_the_last_days_weeks_and_months():
    start = datetime.date(2025, 1, 1)
    nightly = [stamp(start + datetime.timedelta(days=n)) for n in range(700)]  # nearly two years
    keep = backups.to_keep(nightly, daily=7, weekly=5, monthly=12)
    newest = start + datetime.timedelta(days=699)
    days = {newest - datetime.timedelta(days=n) for n in range(7)}
    assert {stamp(d) for d in days} <= keep
    kept_dates = sorted(datetime.datetime.strptime(n[9:17], "%Y%m%d").date() for n in keep)  # noqa: DTZ007
    assert len({(d.year, d.month) for d in kept_dates}) == 12
    assert kept_dates[0] >= newest - datetime.timedelta(days=366)
    assert len(keep) <= 7 + 5 + 12
    # Two archives on one day: the newer is kept.
    assert backups.to_keep([stamp(newest, 2), stamp(newest, 14)], daily=1, weekly=0, monthly=0) == {stamp(newest, 14)}


@pytest.mark.django_db
def test_prune_deletes_what_the_retention_does_not_keep(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    settings.BACKUP_URL = ""
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY, settings.BACKUP_KEEP_MONTHLY = 3, 0, 0
    for n in range(6):
        (tmp_path / stamp(datetime.date(2026, 11, 20) + datetime.timedelta(days=n))).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not a backup")
    deleted = backups.prune()
    assert len(deleted) == 3 and backups.archives() == [stamp(datetime.date(2026, 11, 20 + n)) for n in (3, 4, 5)]
    assert (tmp_path / "notes.txt").exists()


@pytest.mark.django_db(transaction=True)  # as the nightly task runs: outside any transaction
def test_archives_go_to_an_s3_compatible_store(settings, tmp_path, monkeypatch):
    import boto3
    from moto import mock_aws

    endpoint = "https://oss.qinghe.example.cn"
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "suggestions").mkdir(parents=True)
    (tmp_path / "media" / "suggestions" / "答复函.pdf").write_bytes(b"%PDF-1.7 letter")
    settings.BACKUP_URL = "s3://renda:s3cret@oss.qinghe.example.cn/county-backups/qinghe"
    with mock_aws():
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        s3.create_bucket(Bucket="county-backups")
        made = backups.backup()
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="county-backups")["Contents"]]
        assert keys == [f"qinghe/{made.name}"]
        assert backups.archives() == [made.name]
        storage = backups.backup_storage()
        with storage.open(made.name, "rb") as handle:
            assert handle.read(1024)  # a tar archive, read back through the same storage


def test_a_wrong_backup_url_is_refused_with_the_expected_form(settings):
    settings.BACKUP_URL = "ftp://backup.example.cn/x"
    with pytest.raises(backups.BackupError, match="s3://"):
        backups.backup_storage()


@pytest.mark.django_db
def test_the_nightly_backup_is_scheduled_in_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["nightly-backup"]
    assert entry["task"] == "congress.tasks.nightly_backup"
    from congress import tasks

    assert tasks.nightly_backup.name == entry["task"]


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db):
    bogus = tmp_path / "congress-20261203-023000.tar"
    import tarfile

    with tarfile.open(bogus, "w") as tar:
        info = tarfile.TarInfo("notes.txt")
        data = ContentFile(b"hello")
        info.size = data.size
        tar.addfile(info, data)
    with pytest.raises(backups.BackupError, match="not a backup"):
        backups.restore(str(bogus), replace=True)
