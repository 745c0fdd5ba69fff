"""manage.py restore PATH: the database and the uploaded files from a backup archive (a path
on disk, or an archive's name in the backup store). Into an empty database only, unless
--replace: then the current database and MEDIA_ROOT are cleared first."""

from django.core.management.base import BaseCommand, CommandError

from congress.services import backups


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive: a file, or a name listed by `manage.py backup --list`")
        parser.add_argument(
            "--replace", action="store_true", help="clear a database that holds records (and MEDIA_ROOT) first"
        )

    def handle(self, *args, path, replace=False, **options):
        try:
            manifest = backups.restore(path, replace=replace)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"restored {path}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files "
            f"(backup of {manifest['created_at']}); every table and file checked against the backup"
        )
