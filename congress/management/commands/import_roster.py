"""Import a roster from the office's .xlsx workbook: all rows or none. ``--dry-run`` prints the
preview (what each row would do, by the sheet's own row numbers) and writes nothing; records the
file names and the registry lacks (deputy groups, units) are created only with
``--create-missing``. A refused file leaves a copy with its bad cells marked beside it."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from congress.services import imports
from congress.services.imports.marks import marked_copy


class Command(BaseCommand):
    help = (
        "Import a roster from an Excel (.xlsx) file, as the office keeps it. A file with any bad row imports "
        "nothing and a copy with the bad cells marked is written beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(imports.ROSTERS))
        parser.add_argument("path", help="the .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="print what each row would do; write nothing")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="create the deputy groups and units the file names that are not in the registry",
        )
        parser.add_argument("--marked", help="where to write the marked copy (default: beside the file, -标注.xlsx)")
        parser.add_argument("--user", help="username recorded in the audit trail as the importer")

    def handle(self, *args, kind, path, dry_run=False, create_missing=False, marked=None, user=None, **options):
        by = None
        if user:
            try:
                by = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user {user!r}") from None
        try:
            with open(path, "rb") as fileobj:
                if dry_run:
                    plan = imports.preview_roster(kind, fileobj, create_missing=create_missing)
                    self._print_plan(plan)
                    if plan.problems:
                        self._refused(path, imports.RosterRejected(plan.problems, plan=plan), marked, listed=True)
                    self.stdout.write(gettext("Dry run: nothing was written."))
                    return
                result = imports.import_roster(kind, fileobj, by=by, create_missing=create_missing)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        except imports.RosterRejected as exc:
            self._refused(path, exc, marked)
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Imported %(kind)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {"kind": kind, "created": result.created, "updated": result.updated, "unchanged": result.unchanged}
            )
        )
        for label, count in result.made.items():
            self.stdout.write(gettext("Created %(count)d %(label)s.") % {"count": count, "label": label})

    def _print_plan(self, plan):
        write = self.stdout.write
        sheet = plan.sheet
        write(
            gettext("Sheet “%(sheet)s”, header on row %(row)d; %(count)d rows.")
            % {"sheet": sheet.title, "row": sheet.header_row, "count": len(sheet.rows)}
        )
        for header, letter in sheet.unrecognised:
            write(
                gettext("Column %(letter)s “%(header)s” is not recognised and is ignored.")
                % {"letter": letter, "header": header}
            )
        actions = {
            imports.CREATE: gettext("create"),
            imports.UPDATE: gettext("update"),
            imports.UNCHANGED: gettext("unchanged"),
        }
        problems, planned = {}, {r.row: r for r in plan.rows}
        for problem in plan.problems:
            problems.setdefault(problem.row, []).append(problem)
        for problem in problems.pop(0, []):
            write(problem.message)
        for row in sorted(set(planned) | set(problems)):
            if row in planned:
                plan_row = planned[row]
                line = f"  第{row}行 {actions[plan_row.action]} {plan_row.label}"
                if plan_row.changes:
                    line += "：" + "、".join(plan_row.changes)
                notes = "、".join(p.column for p in problems.get(row, []))
                if notes:
                    line += "（" + gettext("after the confirmation of") + " " + notes + "）"
                write(line)
            else:
                for problem in problems[row]:
                    write(f"  {problem}")
        for label, names in plan.missing.items():
            write(
                gettext("Not in the registry, will be created (%(label)s): %(names)s")
                % {"label": label, "names": "、".join(f"{name}（第{row}行）" for name, row in names.items())}
            )
        if plan.missing and not plan.create_missing:
            write(gettext("Run again with --create-missing to create them with the import."))
        write(
            gettext("%(created)d to create, %(updated)d to update, %(unchanged)d unchanged, %(refused)d rows refused.")
            % {
                "created": plan.created,
                "updated": plan.updated,
                "unchanged": plan.unchanged,
                "refused": len(plan.refused_rows),
            }
        )

    def _refused(self, path, exc, marked, listed=False):
        if not listed:
            for problem in exc.problems:
                self.stderr.write(str(problem))
        if not listed and exc.plan is not None and exc.plan.missing and not exc.plan.create_missing:
            for label, names in exc.plan.missing.items():
                self.stderr.write(
                    gettext("Not in the registry, will be created (%(label)s): %(names)s")
                    % {"label": label, "names": "、".join(names)}
                )
            self.stderr.write(gettext("Run again with --create-missing to create them with the import."))
        target = Path(marked) if marked else Path(path).with_name(f"{Path(path).stem}-标注.xlsx")
        with open(path, "rb") as fileobj:
            content = marked_copy(fileobj, exc.problems, exc.sheet)
        if content is not None:
            target.write_bytes(content)
            self.stderr.write(gettext("The file with its problems marked: %(path)s") % {"path": target})
        raise CommandError(
            gettext("Nothing was imported: the file has %(count)d problems.") % {"count": len(exc.problems)}
        ) from exc
