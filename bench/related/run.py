"""bench/related: a suggestion's matter history (相关建议 panel) at 500, 5,000 and 50,000
suggestions.

    .venv/bin/python bench/related/run.py [--sizes 500 5000 50000] [--database-url URL]

For each size, a scratch database (SQLite in bench/results/ unless --database-url names
another; it is migrated and emptied first) gets the office's past years as the tests build
them (tests/suggestions/history.py): the 南冲 drainage station asked for nine years running
(2011–2019, three terms, handled and rated), 15 other places' drainage works, and unrelated
county suggestions up to the size (tests/suggestions/similarity/background.py); the index is
built as ``manage.py rebuild_index --propose-since 2020`` builds it after an import (features,
postings and rarities of every suggestion; the past years' own proposals are left out, see
``PROPOSE_SINCE``). Then the
2020 wording is submitted through the services, as a deputy submits it, which indexes it and
stores its proposals, and the panel is read:

1. ``submit``: the submit service with its indexing (once; what a deputy waits for);
2. ``panel``: ``selectors.matter_history`` (the median of 30 reads);
3. ``page``: the back office's page of the suggestion, as staff open it (the median of 15).

Prints, per size, the three times, how many of the nine earlier years are proposed, and the
ratio of the panel's and the page's time at the largest size to the smallest (target: at
most 1.5).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
# The past years' own proposals are not computed (rebuild_index --propose-since 2020): at 50,000
# that is an hour of one core, and the panel reads proposals by the suggestion's id only.
PROPOSE_SINCE = 2020


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run_size(size: int) -> dict:
    from django.core.management import call_command
    from django.test import Client

    from suggestions import selectors, services
    from suggestions.models import Suggestion
    from tests.suggestions import factories as f
    from tests.suggestions.history import past_years

    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    background = max(size - 9 - 15 - 1, 0)
    history = past_years(background=background, other_drainage=15, propose_since=PROPOSE_SINCE)
    prepared = time.perf_counter() - started
    newest = history["newest"]
    draft = f.draft(history["deputy_2020"], title=newest.title, text=newest.text)
    started = time.perf_counter()
    services.submit_suggestion(draft, deputy=draft.lead_deputy)
    submit_ms = (time.perf_counter() - started) * 1000
    new = Suggestion.objects.get(pk=draft.pk)
    matter = selectors.matter_history(new)
    found = len({r.suggestion.pk for r in matter["proposed"]} & {s.pk for s in history["earlier"]})
    panel_ms = median_ms(lambda: selectors.matter_history(new), 30)
    client = Client()
    client.force_login(f.staff_user())
    url = f"/admin/suggestions/suggestion/{new.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page_ms = median_ms(lambda: client.get(url), 15)
    return {
        "size": Suggestion.objects.count(),
        "prepared_s": prepared,
        "submit_ms": submit_ms,
        "panel_ms": panel_ms,
        "page_ms": page_ms,
        "found": found,
        "shown": len(matter["proposed"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5_000, 50_000])
    parser.add_argument("--database-url", default=f"sqlite:///{RESULTS / 'related-bench.sqlite3'}")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("VAR_DIR", str(RESULTS / "var"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the page as production serves it
    rows = []
    for size in args.sizes:
        row = run_size(size)
        rows.append(row)
        print(
            f"{row['size']:>7,} suggestions (prepared in {row['prepared_s']:.0f} s): submit {row['submit_ms']:.0f} ms, "
            f"panel {row['panel_ms']:.1f} ms, page {row['page_ms']:.1f} ms, "
            f"{row['found']} of 9 earlier years proposed ({row['shown']} proposals)",
            flush=True,
        )
    first, last = rows[0], rows[-1]
    panel_ratio, page_ratio = last["panel_ms"] / first["panel_ms"], last["page_ms"] / first["page_ms"]
    print(
        f"{last['size']:,} / {first['size']:,}: panel ×{panel_ratio:.2f}, page ×{page_ratio:.2f} (target ≤ 1.5) "
        f"on {args.database_url.split(':')[0]}"
    )
    return 0 if panel_ratio <= 1.5 and page_ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
