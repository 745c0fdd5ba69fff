"""bench/scale: ten years of a county on one server (issue 25), one command.

    .venv/bin/python bench/scale/run.py [--scale 5] [--rounds 3] [--keep] [--reuse]
                                        [--skip-reminders] [--skip-exports] [--skip-5x]

1. **The county.** A scratch PostgreSQL database (``--db``, congress_scale_i25; dropped first
   and at the end unless ``--keep``; ``--reuse`` measures a kept one again) is migrated, the
   demo county loaded, and ten years added in bulk (bench/scale/county.py: 10,000 suggestions,
   11,300 assignments, 5,000 replies, 1,000 rectifications with 5,000 opinions, 2,000 notices
   per login, 1,000 publications, the 16th term, ten years of sessions, meetings, polls and
   evaluations).
2. **Every page of every surface, for each role** (bench/scale/pages.py, in this process, with
   Django's test Client against that database, DEBUG off, the Redis cache emptied first): the
   public visitor (the public site from ``/``, ``/board/``), the deputy and the member (``/m/``),
   the liaison (``/unit/``), staff, leader and admin (the back office from ``/admin/``: every
   changelist, change page and custom view reached by links, one page per address shape —
   digits stand for any id — plus the hall screen). Three rounds per page: the median time and
   the queries (``connection.execute_wrapper``).
3. **Every export** (bench/scale/export_one.py, one subprocess each): downloaded as the back
   office does, against a bare openpyxl write_only write of the very same cells (read back
   from the download); median of three rounds each; the export's peak Python memory
   (tracemalloc) and the subprocess's maximum resident size.
4. The county is **extended to ``--scale``×** (four more copies for 5×) and the same pages
   measured again: their query counts must not change.
5. **The reminder scan** (bench/scale/reminders.py, its own scratch database): 1k, 10k, 100k
   pending deadlines with 300 due.

Prints the tables and ``target: … met / NOT MET`` lines; exit status 0 only when all are met.
Timings depend on the machine's load: on a shared machine compare the ratios of one run.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

PAGE_MS = 300
EXPORT_RATIO = 1.3
EXPORT_MB = 200
RESULTS = ROOT / "bench" / "results" / "scale"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def psql(url: str, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(["psql", url, "-qAt", "-c", sql], check=True, capture_output=True, text=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="congress_scale_i25")
    parser.add_argument("--scale", type=int, default=5, help="the larger county: 2 or 5 times ten years")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the county's database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again (no build)")
    parser.add_argument("--skip-reminders", action="store_true")
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument("--skip-5x", action="store_true", help="measure the ten-year county only")
    parser.add_argument("--only", default="", help="only the pages whose address contains this")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)

    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg_url}/{args.db}",
        "DJANGO_SETTINGS_MODULE": "congress.settings",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    }
    env.setdefault("VAR_DIR", str(RESULTS / "var"))
    os.environ.update(env)
    databases = psql(f"{args.pg_url}/postgres", "SELECT datname FROM pg_database").stdout.split()
    exists = args.db in databases
    if not (args.reuse and exists):
        psql(f"{args.pg_url}/postgres", f"DROP DATABASE IF EXISTS {args.db}")
        psql(f"{args.pg_url}/postgres", f"CREATE DATABASE {args.db}")
    ok = True
    try:
        ok &= county_part(args, build=not (args.reuse and exists))
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            psql(f"{args.pg_url}/postgres", f"DROP DATABASE IF EXISTS {args.db}")
    if not args.skip_reminders:
        log("the reminder scan (bench/scale/reminders.py)")
        done = subprocess.run([sys.executable, str(HERE / "reminders.py"), "--pg-url", args.pg_url], check=False)
        ok &= done.returncode == 0
    print(f"all targets {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


def county_part(args, *, build: bool) -> bool:
    import django

    django.setup()
    import county
    import pages
    from django.core.cache import cache
    from django.core.management import call_command

    if build:
        log("migrate")
        call_command("migrate", verbosity=0)
        log("the demo county")
        call_command("load_demo", verbosity=0)
        log("ten years (1x)")
        t0 = time.perf_counter()
        written = county.build(1)
        log(f"built in {time.perf_counter() - t0:.0f} s: {json.dumps(written, ensure_ascii=False)}")
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the hashed names
    cache.clear()
    log("pages at 1x")
    first = pages.measure_all(rounds=args.rounds, only=args.only, say=log)
    (RESULTS / "pages-1x.json").write_text(json.dumps(first, ensure_ascii=False, indent=1))
    ok = report_pages(first, "1x")
    if not args.skip_exports:
        ok &= exports_part(args)
    if not args.skip_5x:
        log(f"extending to {args.scale}x")
        t0 = time.perf_counter()
        county.build(args.scale - 1)
        log(f"extended in {time.perf_counter() - t0:.0f} s")
        cache.clear()
        log(f"the same pages at {args.scale}x")
        paths = [(p["role"], p["path"]) for p in first]
        second = pages.measure(paths, rounds=args.rounds, say=log)
        (RESULTS / f"pages-{args.scale}x.json").write_text(json.dumps(second, ensure_ascii=False, indent=1))
        ok &= report_pages(second, f"{args.scale}x", enforce_time=False)
        ok &= compare_counts(first, second, args.scale)
    return ok


def report_pages(rows: list[dict], label: str, *, enforce_time: bool = True) -> bool:
    print(f"\n== pages at {label}: {len(rows)} pages (median of the rounds; q = queries)")
    print(f"{'role':<8} {'ms':>7} {'cold ms':>8} {'q':>4} {'KB':>6}  path")
    for r in sorted(rows, key=lambda r: -r["ms"]):
        print(f"{r['role']:<8} {r['ms']:>7.1f} {r['cold_ms']:>8.1f} {r['queries']:>4} {r['kb']:>6.0f}  {r['path']}")
    by_role: dict[str, list] = {}
    for r in rows:
        by_role.setdefault(r["role"], []).append(r)
    for role, rs in by_role.items():
        worst = max(rs, key=lambda r: r["ms"])
        print(
            f"  {role:<8} {len(rs):>4} pages, slowest {worst['ms']:.0f} ms {worst['path']}, most queries {max(r['queries'] for r in rs)}"
        )
    bad = [r for r in rows if r["ms"] > PAGE_MS]
    for r in bad:
        print(f"  over {PAGE_MS} ms: {r['role']} {r['path']} {r['ms']:.0f} ms")
    for r in rows:
        if r["status"] != 200:
            print(f"  error (not a timing): {r['role']} {r['path']} answers {r['status']}")
    broken = [r for r in rows if r["status"] >= 500]
    answered = not broken
    print(
        f"target: no page of any role answers a server error at {label} ({len(rows)} pages, {len(broken)} with 5xx) {'met' if answered else 'NOT MET'}"
    )
    met = not bad
    if enforce_time:
        print(
            f"target: every page of every role at most {PAGE_MS} ms at {label} ({len(rows)} pages, {len(bad)} over) {'met' if met else 'NOT MET'}"
        )
        return met and answered
    print(f"(at {label}: {len(bad)} of {len(rows)} pages over {PAGE_MS} ms; not a target)")
    return answered


def compare_counts(first: list[dict], second: list[dict], scale: int) -> bool:
    before = {(r["role"], r["path"]): r["queries"] for r in first}
    changed = [
        (k, before[k], r["queries"])
        for r in second
        if (k := (r["role"], r["path"])) in before and before[k] != r["queries"]
    ]
    for (role, path), a, b in changed:
        print(f"  queries changed: {role} {path}: {a} at 1x, {b} at {scale}x")
    met = not changed
    print(
        f"target: the same query count at 1x and {scale}x on every page ({len(second)} pages, {len(changed)} changed) {'met' if met else 'NOT MET'}"
    )
    return met


def exports_part(args) -> bool:
    import pages

    found = pages.exports()
    print(f"\n== exports: {len(found)} (median of {args.rounds} rounds; bare = openpyxl write_only of the same cells)")
    print(f"{'export ms':>10} {'bare ms':>8} {'ratio':>6} {'peak MB':>8} {'rss MB':>7} {'cells':>9}  export")
    ok = True
    for name, path in found:
        done = subprocess.run(
            [sys.executable, str(HERE / "export_one.py"), path, "--rounds", str(args.rounds)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"  {name}: failed\n{done.stderr[-2000:]}")
            ok = False
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        ratio = r["export_ms"] / r["bare_ms"]
        good = ratio <= EXPORT_RATIO and r["peak_mb"] < EXPORT_MB
        ok &= good
        print(
            f"{r['export_ms']:>10.0f} {r['bare_ms']:>8.0f} {ratio:>6.2f} {r['peak_mb']:>8.1f} {r['rss_mb']:>7.0f}"
            f" {r['cells']:>9,}  {name} {path}{'' if good else '  <-- NOT MET'}"
        )
    print(
        f"target: every export within {EXPORT_RATIO}x a bare openpyxl write and under {EXPORT_MB} MB {'met' if ok else 'NOT MET'}"
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
