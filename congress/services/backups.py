"""Backups of the county's record: the database and the uploaded files, together.

One archive (``congress-20261203-023000.tar``) holds:

- ``manifest.json``: when, from which database engine and schema (the last migration of each
  app), the number of rows of every table, and the size and SHA-256 of every uploaded file;
- the database, written by the database's own tools: ``pg_dump --format=custom`` for
  PostgreSQL (restored with ``pg_restore``), SQLite's online backup API for the embedded default
  (a consistent copy while web, worker and beat keep running);
- ``media/``: every file under MEDIA_ROOT (letters, plans, evidence, videos, documents).

``restore`` puts an archive back into an empty database (``replace=True`` clears a non-empty
one first: the operator must say so) and MEDIA_ROOT, then checks every table's row count and
every file's checksum against the manifest. Archives are kept in BACKUP_DIR or an S3-compatible
store (BACKUP_URL), through Django's storage API (django-storages for S3); the nightly run
prunes them to the last days, weeks and months (``prune``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

log = logging.getLogger(__name__)

FORMAT = 1
PREFIX = "congress-"
SUFFIX = ".tar"


class BackupError(Exception):
    """A backup or a restore that cannot be done, with the reason for the operator."""


# -- where archives are kept -------------------------------------------------------------


def backup_storage() -> Storage:
    """BACKUP_DIR on disk, or the S3-compatible store named by BACKUP_URL."""
    url = settings.BACKUP_URL
    if not url:
        return FileSystemStorage(location=settings.BACKUP_DIR)
    from urllib.parse import parse_qs, unquote, urlsplit

    from storages.backends.s3 import S3Storage

    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise BackupError(f"BACKUP_URL must be s3://KEY:SECRET@host/bucket[/prefix], not {url!r}")
    bucket, _, prefix = parts.path.lstrip("/").partition("/")
    query = parse_qs(parts.query)
    scheme = "http" if query.get("http") == ["1"] else "https"
    port = f":{parts.port}" if parts.port else ""
    return S3Storage(
        access_key=unquote(parts.username or ""),
        secret_key=unquote(parts.password or ""),
        bucket_name=bucket,
        location=prefix.strip("/"),
        endpoint_url=f"{scheme}://{parts.hostname}{port}",
        region_name=query.get("region", ["us-east-1"])[0],
        file_overwrite=False,
        default_acl=None,
    )


def archives(storage: Storage | None = None) -> list[str]:
    """The archives kept, oldest first."""
    storage = storage or backup_storage()
    try:
        _dirs, names = storage.listdir("")
    except FileNotFoundError:
        return []
    return sorted(n for n in names if n.startswith(PREFIX) and n.endswith(SUFFIX))


def _stamp_of(name: str) -> datetime.datetime:
    return datetime.datetime.strptime(name[len(PREFIX) : -len(SUFFIX)], "%Y%m%d-%H%M%S").replace(  # noqa: DTZ007
        tzinfo=timezone.get_current_timezone()
    )


# -- what the database holds -------------------------------------------------------------


def table_counts(using: str = "default") -> dict[str, int]:
    """The number of rows of every table of the database."""
    conn = connections[using]
    with conn.cursor() as cursor:
        names = sorted(conn.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(name)}")  # noqa: S608 (table names from the catalogue)
            counts[name] = cursor.fetchone()[0]
    return counts


# What ``migrate`` itself writes into a new database: not a county's records.
MIGRATION_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "auth_group", "auth_group_permissions"}
)


def holds_records(using: str = "default") -> bool:
    """Whether the database holds any record of a county: a newly created database does not,
    nor one that has only been migrated."""
    return any(rows for table, rows in table_counts(using).items() if table not in MIGRATION_TABLES)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> dict[str, dict]:
    """Every file under ``root``: its path relative to root -> size and SHA-256."""
    found = {}
    if not root.exists():
        return found
    for path in sorted(root.rglob("*")):
        if path.is_file():
            found[path.relative_to(root).as_posix()] = {"size": path.stat().st_size, "sha256": _file_digest(path)}
    return found


def _pg_env(db: dict) -> dict:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args + ["--dbname", str(db["NAME"])]


def _run(command: list[str], env: dict) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed: install PostgreSQL's client tools (postgresql-client).")
    done = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


# -- backup ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    name: str
    location: str  # a path on disk, or the storage's name in the bucket
    tables: int
    rows: int
    files: int
    bytes: int


def _dump_database(work: Path) -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        target = work / "database.pgdump"
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *_pg_args(db)],
            _pg_env(db),
        )
        return target.name
    if connection.vendor == "sqlite":
        target = work / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return target.name
    raise BackupError(f"backups of a {connection.vendor} database are not supported")


def backup(*, storage: Storage | None = None, now: datetime.datetime | None = None) -> Backup:
    """Write one archive of the database and MEDIA_ROOT to the backup store and return it."""
    storage = storage or backup_storage()
    now = timezone.localtime(now or timezone.now())
    name = f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="congress-backup-") as tmp:
        work = Path(tmp)
        dump = _dump_database(work)
        counts = table_counts()
        files = media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": connection.vendor,
            "database": dump,
            # The last migration of each app (names sort in order within an app).
            "migrations": dict(
                MigrationRecorder(connection).migration_qs.order_by("app", "name").values_list("app", "name")
            ),
            "tables": counts,
            "files": files,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        archive = work / name
        with tarfile.open(archive, "w") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(work / dump, arcname=dump)
            for relative in files:
                tar.add(media_root / relative, arcname=f"media/{relative}")
        with archive.open("rb") as handle:
            saved = storage.save(name, handle)
        size = archive.stat().st_size
    # A directory gives the archive's path; an S3 store, its name in the bucket.
    location = storage.path(saved) if isinstance(storage, FileSystemStorage) else saved
    log.info("backup written: %s (%s tables, %s files, %s bytes)", location, len(counts), len(files), size)
    return Backup(saved, location, len(counts), sum(counts.values()), len(files), size)


# -- restore -----------------------------------------------------------------------------


def _open_archive(path: str, storage: Storage | None, work: Path) -> Path:
    """A local copy of the archive ``path`` (a file on disk, or a name in the store)."""
    if Path(path).is_file():
        return Path(path)
    storage = storage or backup_storage()
    if not storage.exists(path):
        raise BackupError(f"no backup named {path}")
    local = work / Path(path).name
    with storage.open(path, "rb") as source, local.open("wb") as target:
        shutil.copyfileobj(source, target)
    return local


def _clear_database() -> None:
    """Drop every table (a migrated but empty database, or one the operator said to replace)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    # SQLite: the backup API below replaces the whole database.


def _restore_database(work: Path, manifest: dict) -> None:
    dump = work / manifest["database"]
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database; it cannot be restored into {connection.vendor}"
        )
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        connection.close()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *_pg_args(db), str(dump)], _pg_env(db))
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
    connection.close()


def _restore_media(work: Path, tar: tarfile.TarFile, replace: bool) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    if replace and media_root.exists():
        for child in media_root.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    media_root.mkdir(parents=True, exist_ok=True)
    members = [m for m in tar.getmembers() if m.name.startswith("media/") and m.isfile()]
    for member in members:
        member.name = member.name[len("media/") :]
    tar.extractall(media_root, members=members, filter="data")


def restore(path: str, *, replace: bool = False, storage: Storage | None = None) -> dict:
    """Put the archive ``path`` back: the database (which must be empty unless ``replace``)
    and MEDIA_ROOT; then check every table's rows and every file against the manifest. Returns
    the manifest."""
    if not replace and holds_records():
        raise BackupError(
            "the database is not empty: restoring would mix two counties' records. "
            "Restore into an empty database, or give --replace to clear this one first."
        )
    with tempfile.TemporaryDirectory(prefix="congress-restore-") as tmp:
        work = Path(tmp)
        archive = _open_archive(path, storage, work)
        with tarfile.open(archive, "r") as tar:
            try:
                manifest = json.loads(tar.extractfile("manifest.json").read())
            except (KeyError, AttributeError, ValueError) as exc:
                raise BackupError(f"{path} is not a backup of this system (no manifest)") from exc
            if manifest.get("format") != FORMAT:
                raise BackupError(f"{path} has backup format {manifest.get('format')}, this system reads {FORMAT}")
            tar.extract(manifest["database"], work, filter="data")
            _clear_database()
            _restore_database(work, manifest)
            _restore_media(work, tar, replace)
    problems = verify(manifest)
    if problems:
        raise BackupError("the restored data differ from the backup: " + "; ".join(problems[:20]))
    log.info("backup restored: %s", path)
    return manifest


def verify(manifest: dict) -> list[str]:
    """What differs between the database and MEDIA_ROOT and the manifest (empty: nothing)."""
    problems = []
    counts = table_counts()
    for table, rows in manifest["tables"].items():
        if counts.get(table) != rows:
            problems.append(f"table {table}: {counts.get(table)} rows, the backup has {rows}")
    files = media_files(Path(settings.MEDIA_ROOT))
    for name, meta in manifest["files"].items():
        if files.get(name, {}).get("sha256") != meta["sha256"]:
            problems.append(f"file {name} is missing or differs")
    return problems


# -- the nightly run and retention ---------------------------------------------------------


def to_keep(names: list[str], *, daily: int, weekly: int, monthly: int) -> set[str]:
    """Grandfather-father-son: the newest archive of each of the last ``daily`` days,
    ``weekly`` ISO weeks and ``monthly`` months that have one."""
    keep: set[str] = set()
    newest_first = sorted(names, reverse=True)
    for count, period in (
        (daily, lambda d: d.date()),
        (weekly, lambda d: d.isocalendar()[:2]),
        (monthly, lambda d: (d.year, d.month)),
    ):
        seen: list = []
        for name in newest_first:
            key = period(_stamp_of(name))
            if key not in seen:
                if len(seen) == count:
                    break
                seen.append(key)
                keep.add(name)
    return keep


def prune(*, storage: Storage | None = None) -> list[str]:
    """Delete the archives the retention does not keep; return their names."""
    storage = storage or backup_storage()
    names = archives(storage)
    keep = to_keep(
        names,
        daily=settings.BACKUP_KEEP_DAILY,
        weekly=settings.BACKUP_KEEP_WEEKLY,
        monthly=settings.BACKUP_KEEP_MONTHLY,
    )
    deleted = [n for n in names if n not in keep]
    for name in deleted:
        storage.delete(name)
    return deleted


def nightly() -> Backup:
    """The scheduled backup (beat, BACKUP_HOUR): one archive, then the retention."""
    made = backup()
    deleted = prune()
    if deleted:
        log.info("old backups deleted: %s", ", ".join(deleted))
    return made
