"""bench/suggestions: the handling table (办理情况汇总表) of 50,000 suggestions exported to Excel.

    .venv/bin/python bench/suggestions/run.py [--n 50000] [--database-url sqlite:///...]

Fills a scratch database (SQLite in bench/results/ unless --database-url names another; it is
migrated and emptied first) with ``--n`` accepted suggestions in one session, each assigned to
a lead unit (a third also to a co-unit), with a co-signer, most replied and rated. Then, in the
same process:

1. the export as the back office runs it (suggestions.exports.export_handling_table: the
   database read in chunks, rows built, openpyxl write_only into a temporary file);
2. a bare openpyxl write_only write of the very same cells (rows materialized beforehand, so
   only openpyxl's own work is timed) into a temporary file;

each timed twice, keeping the faster; then the export once more under tracemalloc for its
peak Python memory. Prints the times, the ratio export / bare (target: at most 1.3), the
peak memory (target: under 200 MB) and the process's maximum resident size.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--database-url", default=f"sqlite:///{RESULTS / 'suggestions-bench.sqlite3'}")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill(args.n)
    print(f"prepared {args.n:,} suggestions in {time.perf_counter() - started:.1f} s ({args.database_url})")

    from suggestions import exports
    from suggestions.models import Suggestion

    queryset = Suggestion.objects.filter(number__isnull=False)
    cells = list(exports.rows(queryset))  # the same cells, for the bare write
    n_cells = sum(len(r) for r in cells)

    def run_export():
        total = 0
        for chunk in exports.export_handling_table(queryset):
            total += len(chunk)
        return total

    def run_bare():
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("bare")
        for row in cells:
            sheet.append(row)
        with tempfile.TemporaryFile() as out:
            workbook.save(out)
            return out.tell()

    def timed(fn) -> tuple[float, int]:
        best, size = float("inf"), 0
        for _ in range(2):
            t0 = time.perf_counter()
            size = fn()
            best = min(best, time.perf_counter() - t0)
        return best, size

    export_s, export_bytes = timed(run_export)
    bare_s, bare_bytes = timed(run_bare)
    cells.clear()
    tracemalloc.start()
    run_export()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = export_s / bare_s
    print(f"cells: {n_cells:,} ({args.n:,} rows x {n_cells // (args.n + 1)} columns + header)")
    print(f"export (query + rows + openpyxl): {export_s:.2f} s, {export_bytes / 1e6:.1f} MB xlsx")
    print(f"bare openpyxl write_only, same cells: {bare_s:.2f} s, {bare_bytes / 1e6:.1f} MB xlsx")
    print(f"ratio export / bare: {ratio:.2f}  (target <= 1.3: {'met' if ratio <= 1.3 else 'NOT met'})")
    print(
        f"peak Python memory of the export (tracemalloc): {peak / 2**20:.1f} MB  "
        f"(target < 200 MB: {'met' if peak < 200 * 2**20 else 'NOT met'})"
    )
    print(f"process max resident size (whole run, incl. the bare write's materialized rows): {maxrss_mb:.0f} MB")


def fill(n: int) -> None:
    """``n`` accepted and assigned suggestions, written in bulk (the services' per-row checks
    are not what is measured here)."""
    import datetime
    import random

    from django.db import transaction
    from django.utils import timezone

    from congress.models import Deputy, DeputyGroup, Term, Unit
    from suggestions.models import (
        Assignment,
        Category,
        CongressSession,
        Cosigner,
        Feedback,
        Reply,
        Suggestion,
    )
    from tests.factories import UNIT_NAMES_27
    from tests.suggestions.factories import CATEGORIES

    rng = random.Random(2026)
    with transaction.atomic():
        for model in (Feedback, Reply, Cosigner, Assignment, Suggestion, CongressSession, Category):
            model.objects.all().delete()
        term, _ = Term.objects.get_or_create(
            number=17,
            defaults={
                "start_date": datetime.date(2022, 1, 6),
                "end_date": datetime.date(2027, 1, 5),
                "is_current": True,
            },
        )
        group, _ = DeputyGroup.objects.get_or_create(term=term, name="城关镇代表小组")
        if Deputy.objects.filter(term=term).count() < 212:
            Deputy.objects.bulk_create(
                Deputy(term=term, name=f"代表{i:03d}", gender="MF"[i % 2], occupation="worker", group=group)
                for i in range(212)
            )
        deputies = list(Deputy.objects.filter(term=term).values_list("pk", flat=True))
        for i, name in enumerate(UNIT_NAMES_27):
            Unit.objects.get_or_create(name=name, defaults={"sort_order": i})
        units = list(Unit.objects.values_list("pk", flat=True))
        categories = [Category.objects.create(name=c, sort_order=i).pk for i, c in enumerate(CATEGORIES)]
        session = CongressSession.objects.create(
            term=term, number=5, year=2026, starts_on="2026-01-10", ends_on="2026-01-14", is_current=True
        )
        now = timezone.now()
        statuses = ["assigned", "replied", "completed", "completed", "in_progress", "rehandling"]
        batch = 5000
        for start in range(0, n, batch):
            rows = [
                Suggestion(
                    session=session,
                    number=k + 1,
                    lead_deputy_id=rng.choice(deputies),
                    title=f"关于{rng.choice(['修缮', '新建', '改造', '整治'])}第{k + 1}号事项{rng.choice(['道路', '学校', '供水管网', '农贸市场'])}的建议",
                    text="……",
                    category_id=rng.choice(categories),
                    status=rng.choice(statuses),
                )
                for k in range(start, min(start + batch, n))
            ]
            made = Suggestion.objects.bulk_create(rows)
            Cosigner.objects.bulk_create(
                Cosigner(
                    suggestion=s,
                    deputy_id=rng.choice([d for d in deputies[:5] if d != s.lead_deputy_id]),
                    status="confirmed",
                )
                for s in made
            )
            assignments = []
            for s in made:
                assignments.append(
                    Assignment(
                        suggestion=s,
                        unit_id=rng.choice(units),
                        role="lead",
                        assigned_at=now,
                        return_due_at=now,
                        due_at=now + datetime.timedelta(days=90),
                    )
                )
                if s.number % 3 == 0:
                    assignments.append(
                        Assignment(
                            suggestion=s,
                            unit_id=units[s.number % len(units)],
                            role="co",
                            assigned_at=now,
                            return_due_at=now,
                        )
                    )
            Assignment.objects.bulk_create(assignments, ignore_conflicts=True)
            leads = dict(Assignment.objects.filter(suggestion__in=made, role="lead").values_list("suggestion_id", "pk"))
            replies = Reply.objects.bulk_create(
                Reply(
                    suggestion=s,
                    assignment_id=leads[s.pk],
                    category=rng.choice("ABCD"),
                    text="已办理。",
                    letter="suggestions/letter.pdf",
                    replied_at=now,
                )
                for s in made
                if s.status != "assigned"
            )
            Feedback.objects.bulk_create(
                Feedback(reply=r, deputy_id=deputies[0], rating=rng.choice(["satisfied", "basic", "unsatisfied"]))
                for r in replies
                if rng.random() < 0.8
            )


if __name__ == "__main__":
    main()
