"""bench/scale: the reminder scan at 1k, 10k and 100k pending deadlines (run by bench/scale/run.py).

    .venv/bin/python bench/scale/reminders.py [--sizes 1000 10000 100000] [--due 300] [--scale 1]

A scratch PostgreSQL database (``--db``, congress_scale_reminders_i25 by default, dropped first and at the
end unless ``--keep``) is migrated, then for each size the staff reminders (the engine's
simplest source) are filled with bulk_create: ``size`` pending deadlines, of which ``--due``
are due now (one recipient each, a login), and ``size`` × ``--scale`` past reminders already
sent (their log rows written), as ten years leave them. The tables are analyzed, as autovacuum
would. Then, three rounds per size in one connection (the log grows from round to round, as in
a worker), the due reminders' log is emptied and ``reminders.scan`` runs with batches of 500:
its queries (count and database time, read through ``connection.execute_wrapper``) and its wall
time, which includes the COMMIT. Prints a table and ``target: ... met / NOT MET`` lines (median
of the three rounds): each batch at most 50 ms of database time; the same number of queries at
every size. Exit status 0 only when all are met.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BATCH = 500
TARGET_DB_MS = 50


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-q", "-c", sql], check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="congress_scale_reminders_i25")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--due", type=int, default=300)
    parser.add_argument("--scale", type=int, default=1, help="past reminders per pending one (2 or 5: 2x, 5x)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="the slowest queries of each round")
    args = parser.parse_args()

    psql(f"{args.pg_url}/postgres", f"DROP DATABASE IF EXISTS {args.db}")
    psql(f"{args.pg_url}/postgres", f"CREATE DATABASE {args.db}")
    os.environ["DATABASE_URL"] = f"{args.pg_url}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    os.environ.setdefault("VAR_DIR", str(ROOT / "bench" / "results" / "var-scale"))
    try:
        return run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            psql(f"{args.pg_url}/postgres", f"DROP DATABASE IF EXISTS {args.db}")


def run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from congress.models import Delivery, Notice, Reminder, ReminderLog, User
    from congress.services import reminders

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench-staff", password=None, email="staff@example.cn")
    now = timezone.now()
    reminder_type = None
    rows = []
    for size in args.sizes:
        for table in (Delivery, Notice, ReminderLog, Reminder.recipients.through, Reminder):
            table.objects.all().delete()
        start = time.perf_counter()
        due = Reminder.objects.bulk_create(
            Reminder(title=f"请于本周五前交回问卷（{n}）", remind_at=now - datetime.timedelta(minutes=1 + n % 50))
            for n in range(args.due)
        )
        Reminder.objects.bulk_create(
            (
                Reminder(title=f"专题调研安排（{n}）", remind_at=now + datetime.timedelta(hours=1 + n % 8000))
                for n in range(size - args.due)
            ),
            batch_size=5000,
        )
        past = Reminder.objects.bulk_create(
            (
                Reminder(title=f"往年提醒（{n}）", remind_at=now - datetime.timedelta(days=1 + n % 3650))
                for n in range(size * args.scale)
            ),
            batch_size=5000,
        )
        from django.contrib.contenttypes.models import ContentType

        reminder_type = ContentType.objects.get_for_model(Reminder)
        past_scan = uuid.uuid4()
        ReminderLog.objects.bulk_create(
            (
                ReminderLog(
                    content_type=reminder_type,
                    object_id=r.pk,
                    kind="congress.reminder",
                    due_at=r.remind_at,
                    scan=past_scan,
                )
                for r in past
            ),
            batch_size=5000,
        )
        Reminder.recipients.through.objects.bulk_create(
            Reminder.recipients.through(reminder_id=r.pk, user_id=user.pk) for r in due
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        built = time.perf_counter() - start
        measured = []
        for _round in range(args.rounds):
            Delivery.objects.all().delete()
            Notice.objects.all().delete()
            ReminderLog.objects.filter(object_id__in=[r.pk for r in due], content_type=reminder_type).delete()
            spent = []
            slowest = []
            in_batch = []

            def timed(execute, sql, params, many, context, spent=spent, slowest=slowest, in_batch=in_batch):
                t = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent.append(time.perf_counter() - t)
                    if connection.in_atomic_block:  # inside a batch's transaction
                        in_batch.append(spent[-1])
                    slowest.append((spent[-1], sql[:110]))

            t0 = time.perf_counter()
            with connection.execute_wrapper(timed):
                sent = reminders.scan(now=now, batch_size=BATCH)
            wall = time.perf_counter() - t0
            measured.append((len(spent), 1000 * sum(spent), 1000 * wall, sent, 1000 * sum(in_batch), len(in_batch)))
            if args.verbose:
                for took, sql in sorted(slowest, reverse=True)[:6]:
                    print(f"  {1000 * took:7.1f} ms  {sql}")
        queries = statistics.median(m[0] for m in measured)
        db_ms = statistics.median(m[1] for m in measured)
        wall_ms = statistics.median(m[2] for m in measured)
        batch_ms = statistics.median(m[4] for m in measured)
        batch_queries = statistics.median(m[5] for m in measured)
        rows.append((size, built, queries, db_ms, wall_ms, measured[0][3], batch_ms, batch_queries))

    print(
        f"{'pending':>9} {'past':>9} {'built s':>8} {'queries':>8} {'db ms':>8} {'wall ms':>8} {'notices':>8}"
        f" {'batch q':>8} {'batch ms':>9}"
    )
    for size, built, queries, db_ms, wall_ms, sent, batch_ms, batch_queries in rows:
        print(
            f"{size:>9,} {size * args.scale:>9,} {built:>8.1f} {queries:>8.0f} {db_ms:>8.1f} {wall_ms:>8.1f} {sent:>8}"
            f" {batch_queries:>8.0f} {batch_ms:>9.1f}"
        )
    batches = -(-args.due // BATCH)
    worst = max(r[6] for r in rows) / batches
    same = len({(r[2], r[7]) for r in rows}) == 1
    ok_db = worst <= TARGET_DB_MS
    print(
        f"target: reminder scan batch of {BATCH} at most {TARGET_DB_MS} ms of database time "
        f"(worst {worst:.1f} ms) {'met' if ok_db else 'NOT MET'}"
    )
    print(
        f"target: the same number of queries at every size (scan, batch: {sorted({(r[2], r[7]) for r in rows})}) "
        f"{'met' if same else 'NOT MET'}"
    )
    return 0 if ok_db and same else 1


if __name__ == "__main__":
    sys.exit(main())
