"""bench/scale: one export against a bare openpyxl write of the same cells (a subprocess of
bench/scale/run.py, so that its maximum resident size is the export's own).

    python bench/scale/export_one.py /admin/…/export/ [--rounds 3]

Downloads the workbook as the admin login does (Django's test Client, the whole request path),
``rounds`` times; reads its cells back (every sheet); writes the very same cells with a bare
openpyxl ``Workbook(write_only=True)`` into a temporary file, ``rounds`` times; then downloads it
once more under tracemalloc. Prints one JSON line: median times, the ratio's parts, the peak
Python memory of the export, the process's maximum resident size before the read-back.
"""

import argparse
import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    import django

    django.setup()
    from django.test import Client
    from openpyxl import Workbook, load_workbook

    from congress.models import User

    client = Client()
    client.force_login(User.objects.get(username="admin"))

    def download() -> bytes:
        response = client.get(args.path)
        if response.status_code != 200:
            raise SystemExit(f"{args.path}: {response.status_code}")
        return b"".join(response.streaming_content) if response.streaming else response.content

    download()  # warm: imports, templates, the first connection
    times = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        data = download()
        times.append(time.perf_counter() - t0)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    download()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    book = load_workbook(io.BytesIO(data), read_only=True)
    sheets = [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)]) for ws in book.worksheets]
    cells = sum(len(r) for _t, rows in sheets for r in rows)

    def bare() -> None:
        out = Workbook(write_only=True)
        for title, rows in sheets:
            sheet = out.create_sheet(title)
            for row in rows:
                sheet.append(row)
        with tempfile.TemporaryFile() as f:
            out.save(f)

    bare_times = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        bare()
        bare_times.append(time.perf_counter() - t0)
    print(
        json.dumps(
            {
                "export_ms": 1000 * statistics.median(times),
                "bare_ms": 1000 * statistics.median(bare_times),
                "peak_mb": peak / 2**20,
                "rss_mb": rss_mb,
                "cells": cells,
                "bytes": len(data),
            }
        )
    )


if __name__ == "__main__":
    main()
