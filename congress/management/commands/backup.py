"""manage.py backup: one archive of the database and the uploaded files, in BACKUP_DIR (or
the S3 store of BACKUP_URL); prints where it is. --prune applies the retention afterwards."""

from django.core.management.base import BaseCommand, CommandError

from congress.services import backups


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive and print its path."

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="then delete the archives the retention does not keep")
        parser.add_argument("--list", action="store_true", help="list the archives kept, and back up nothing")

    def handle(self, *args, prune=False, list=False, **options):
        try:
            if list:
                for name in backups.archives():
                    self.stdout.write(name)
                return
            made = backups.backup()
            if prune:
                for name in backups.prune():
                    self.stderr.write(f"deleted {name}")
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(f"{made.tables} tables, {made.rows} rows, {made.files} files, {made.bytes} bytes")
        self.stdout.write(made.location)
