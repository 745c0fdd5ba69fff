"""gunicorn config for run.py --profile: each worker (sync, one request at a time) profiles
the POSTs it serves with cProfile (in CPU time, so waits on the database do not count) and leaves bench/results/profile-<pid>.prof when it stops.
run.py prints a summary; ``python -m pstats bench/results/profile-<pid>.prof`` reads one.
"""

import cProfile
import os
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "results"


def post_fork(server, worker):
    worker.profiler = cProfile.Profile(time.process_time)  # CPU, not waits


def pre_request(worker, req):
    if req.method == "POST":
        worker.profiler.enable()


def post_request(worker, req, environ, resp):
    if req.method == "POST":
        worker.profiler.disable()


def worker_exit(server, worker):
    RESULTS.mkdir(parents=True, exist_ok=True)
    worker.profiler.dump_stats(str(RESULTS / f"profile-{os.getpid()}.prof"))
