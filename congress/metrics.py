"""What an operator's scraper reads at /metrics (Prometheus text format, prometheus_client).

- requests: ``congress_http_requests_total{method,status}`` and
  ``congress_http_request_duration_seconds{method}``, counted by ``MetricsMiddleware`` in every
  web process (gunicorn's several workers share them through PROMETHEUS_MULTIPROC_DIR);
- tasks: ``congress_celery_tasks_total{task,state}`` (succeeded, failed, retried), counted by
  Celery's signals in the workers into the shared cache, so that any web process reports them;
- ``congress_celery_queue_length``: tasks waiting in the broker (Redis);
- reminders: ``congress_reminders_recorded_total`` (deadline reminders recorded, once each),
  ``congress_reminder_notices_total`` and ``congress_reminder_emails_total{state}`` (sent, or
  not sent to a recipient who has an address).

The endpoint answers only with ``Authorization: Bearer <METRICS_TOKEN>``; without a token set,
only in DEBUG.
"""

from __future__ import annotations

import hmac
import os
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

REQUESTS = Counter("congress_http_requests", "HTTP requests answered", ["method", "status"])
LATENCY = Histogram(
    "congress_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
TASK_STATES = ("succeeded", "failed", "retried")
TASKS_KEY = "metrics:tasks"


class MetricsMiddleware:
    """Counts every request and its time, by method and status class (2xx, 3xx…)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in ("GET", "POST", "HEAD") else "other"
        REQUESTS.labels(method, f"{response.status_code // 100}xx").inc()
        LATENCY.labels(method).observe(time.perf_counter() - started)
        return response


def count_task(task_name: str, state: str) -> None:
    """Called from Celery's signals in the workers."""
    key = f"{TASKS_KEY}:{task_name}:{state}"
    try:
        cache.incr(key)
    except ValueError:
        if not cache.add(key, 1, timeout=None):
            cache.incr(key)
    names = cache.get(TASKS_KEY) or []
    if task_name not in names:
        cache.set(TASKS_KEY, sorted({*names, task_name}), timeout=None)


class CongressCollector:
    """The figures read at scrape time: tasks (from the cache), the queue, the reminders."""

    def collect(self):
        tasks = CounterMetricFamily("congress_celery_tasks", "Celery tasks by outcome", labels=["task", "state"])
        names = cache.get(TASKS_KEY) or []
        keys = [f"{TASKS_KEY}:{name}:{state}" for name in names for state in TASK_STATES]
        values = cache.get_many(keys)
        for name in names:
            for state in TASK_STATES:
                tasks.add_metric([name, state], values.get(f"{TASKS_KEY}:{name}:{state}", 0))
        yield tasks
        queue = queue_length()
        if queue is not None:
            yield GaugeMetricFamily("congress_celery_queue_length", "Tasks waiting in the broker", value=queue)
        yield from reminder_metrics()


def queue_length() -> int | None:
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return None
    import redis

    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
        return int(client.llen("celery"))
    except redis.RedisError:
        return None


def reminder_metrics():
    from congress.models import Notice, ReminderLog

    yield CounterMetricFamily(
        "congress_reminders_recorded", "Deadline reminders recorded (each once)", value=ReminderLog.objects.count()
    )
    reminder_notices = Notice.objects.filter(reminder__isnull=False)
    yield CounterMetricFamily(
        "congress_reminder_notices", "Reminders delivered as notices on the site", value=reminder_notices.count()
    )
    emails = CounterMetricFamily("congress_reminder_emails", "Reminder emails", labels=["state"])
    emails.add_metric(["sent"], reminder_notices.filter(emailed_at__isnull=False).count())
    emails.add_metric(
        ["not_sent"], reminder_notices.filter(emailed_at__isnull=True).exclude(recipient__email="").count()
    )
    yield emails


def registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if settings.PROMETHEUS_MULTIPROC_DIR and os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(CongressCollector())
    return registry


def metrics(request):
    """/metrics, for the operator's scraper."""
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given, token):
            raise Http404
    elif not settings.DEBUG:
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
