"""Import a roster (deputies, members, units, officials) from an .xlsx file: all rows or none."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from congress.services import imports


class Command(BaseCommand):
    help = "Import a roster from an Excel (.xlsx) file. A file with any bad row imports nothing."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(imports.ROSTERS))
        parser.add_argument("path", help="the .xlsx file")
        parser.add_argument("--user", help="username recorded in the audit trail as the importer")

    def handle(self, *args, kind, path, user=None, **options):
        by = None
        if user:
            try:
                by = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user {user!r}") from None
        try:
            with open(path, "rb") as fileobj:
                result = imports.import_roster(kind, fileobj, by=by)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        except imports.RosterRejected as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                gettext("Nothing was imported: the file has %(count)d problems.") % {"count": len(exc.problems)}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Imported %(count)d rows of %(kind)s.") % {"count": result.created, "kind": kind}
            )
        )
