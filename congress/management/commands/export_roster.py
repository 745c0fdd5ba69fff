"""Export a roster to an .xlsx file in the import format; citizen ID numbers masked unless
``--full-id``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from congress.exports import export_roster_with_count
from congress.services import imports


class Command(BaseCommand):
    help = "Export a roster to an Excel (.xlsx) file that import_roster reads back."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(imports.ROSTERS))
        parser.add_argument("path", help="the .xlsx file to write")
        parser.add_argument(
            "--full-id",
            action="store_true",
            help="write citizen ID numbers whole (masked as 371526********1234 otherwise)",
        )

    def handle(self, *args, kind, path, full_id=False, **options):
        content, count = export_roster_with_count(kind, full_id=full_id)
        try:
            with open(path, "wb") as fileobj:
                fileobj.write(content)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(gettext("Wrote %(count)d rows to %(path)s.") % {"count": count, "path": path})
        )
