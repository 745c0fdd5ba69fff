"""Where a confirm tap's CPU goes, layer by layer of the ordinary request path: run by run.py
before its rounds (or by hand, with the environment run.py gives its subprocesses).

Each middleware of settings.MIDDLEWARE is wrapped, for this measurement only, in a layer that
counts the CPU time of this thread (``time.thread_time``) spent in it and below it; a
middleware's own share is what it spends minus what the layers below it spend, and its
``process_view`` (Django's CSRF check is one) is counted to it as well. "Django's handler"
is what the WSGI handler spends outside the middleware (the request object, the signals, the
response's iteration); "the view" is the view function with the URL resolution before it.
Votes go one after another through Django's WSGIHandler in this process, as phases.py sends
them: each voter's first tap (accepted), then each voter's second (refused: already received).
Prints microseconds per tap, the median of the taps for the total, the mean for the parts.
"""

import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402
from phases import call, phones_ready  # noqa: E402  (sets Django up)

N = int(os.environ.get("LAYERS_VOTES", "400"))
SPENT = defaultdict(int)  # (layer index, part) -> nanoseconds of CPU, summed over the taps


def _clock() -> int:
    return time.thread_time_ns()


def _layer(index: int, path: str):
    inner_class = import_string(path)

    class Layer:
        def __init__(self, get_response):
            self.get_response = get_response
            self.inner = inner_class(self.below)
            if hasattr(self.inner, "process_view"):
                self.process_view = self.timed_view_hook

        def below(self, request):
            start = _clock()
            try:
                return self.get_response(request)
            finally:
                SPENT[index, "below"] += _clock() - start

        def timed_view_hook(self, *args):
            start = _clock()
            try:
                return self.inner.process_view(*args)
            finally:
                SPENT[index, "hook"] += _clock() - start

        def __call__(self, request):
            start = _clock()
            try:
                return self.inner(request)
            finally:
                SPENT[index, "all"] += _clock() - start

    Layer.__name__ = f"Layer{index}"
    return Layer


MIDDLEWARE = list(settings.MIDDLEWARE)
for _i, _path in enumerate(MIDDLEWARE):
    globals()[f"Layer{_i}"] = _layer(_i, _path)


def taps():
    handler = WSGIHandler()
    _poll, sheet, voters = phones_ready(handler, N)
    results = {}
    for kind in ("accepted", "refused"):
        SPENT.clear()
        totals = []
        for cookies, body in voters:
            start = _clock()
            status, content = call(handler, "POST", sheet, dict(cookies), body)
            totals.append(_clock() - start)
            assert status == 302, (status, content[:300])
        results[kind] = (statistics.median(totals), sum(totals) / len(totals), dict(SPENT))
    return results


def main():
    wrapped = [f"__main__.Layer{i}" for i in range(len(MIDDLEWARE))]
    with override_settings(MIDDLEWARE=wrapped):
        results = taps()
    rows = []
    last = len(MIDDLEWARE) - 1
    for kind, (median, mean, spent) in results.items():
        per = {}
        per["Django's handler (request, signals, response)"] = mean - spent.get((0, "all"), 0) * 1.0 / N
        for i, path in enumerate(MIDDLEWARE):
            own = spent.get((i, "all"), 0) - spent.get((i, "below"), 0) + spent.get((i, "hook"), 0)
            per[path] = own / N
        hooks = sum(spent.get((i, "hook"), 0) for i in range(len(MIDDLEWARE)))
        per["the view (with URL resolution)"] = (spent.get((last, "below"), 0) - hooks) / N
        rows.append((kind, median, mean, per))
    print(f"CPU per confirm tap in one process, µs (this thread's CPU time; {N} voters, one after another)")
    names = list(rows[0][3])
    print(f"{'':66} {'accepted':>10} {'refused':>10}")
    for name in names:
        print(f"{name:66} " + " ".join(f"{per[name] / 1000:10.1f}" for _kind, _m, _mean, per in rows))
    print(f"{'whole tap, mean':66} " + " ".join(f"{mean / 1000:10.1f}" for _k, _m, mean, _p in rows))
    print(f"{'whole tap, median':66} " + " ".join(f"{median / 1000:10.1f}" for _k, median, _mean, _p in rows))


if __name__ == "__main__":
    main()
