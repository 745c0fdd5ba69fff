"""What an operator sees: a log line per request as JSON with a request id, the same id on the
tasks a request sends, and /metrics for a scraper (requests, tasks, queue, reminders), behind
a token."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from congress import metrics

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The root logger's output through the project's own formatter."""
    stream = io.StringIO()
    config = logging.config.DictConfigurator(django_settings.LOGGING)
    formatter = config.configure_custom(dict(django_settings.LOGGING["formatters"]["structured"]))
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def test_every_request_is_logged_as_json_with_a_request_id(client, log_lines):
    assert django_settings.LOG_FORMAT == "json"
    client.get(reverse("public:about"))
    client.get(reverse("public:about"))
    finished = [line for line in log_lines() if line.get("event") == "request_finished"]
    assert len(finished) == 2
    ids = {line["request_id"] for line in finished}
    assert len(ids) == 2 and all(len(i) >= 32 for i in ids), "each request has its own id"
    assert all(line["code"] == 200 and line["level"] == "info" for line in finished)
    assert not [line for line in log_lines() if line.get("event") == "request_started"], "one line a request"
    assert all("user_id" not in line for line in finished), "the log does not read the session to name a user"


def test_a_task_sent_during_a_request_carries_its_request_id():
    import structlog
    from celery import signals

    headers: dict = {}
    with structlog.contextvars.bound_contextvars(request_id="3f1c7a2e-renda-request"):
        signals.before_task_publish.send(sender="congress.tasks.scan_reminders", headers=headers, properties={})
    carried = json.dumps(headers)
    assert "3f1c7a2e-renda-request" in carried


def test_metrics_answer_only_a_scraper_with_the_token(client, settings):
    settings.METRICS_TOKEN = "scrape-2026-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    client.get(reverse("public:about"))
    metrics.count_task("congress.tasks.scan_reminders", "succeeded")
    metrics.count_task("congress.tasks.scan_reminders", "succeeded")
    metrics.count_task("congress.tasks.send_reminder_emails", "failed")
    response = client.get("/metrics", headers={"Authorization": "Bearer scrape-2026-token"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'congress_http_requests_total{method="GET",status="2xx"}' in text
    assert "congress_http_request_duration_seconds_bucket" in text
    assert 'congress_celery_tasks_total{state="succeeded",task="congress.tasks.scan_reminders"} 2.0' in text
    assert 'congress_celery_tasks_total{state="failed",task="congress.tasks.send_reminder_emails"} 1.0' in text
    assert "congress_reminders_recorded_total 0.0" in text
    assert 'congress_reminder_emails_total{state="sent"}' in text


def test_without_a_token_metrics_are_not_public_in_production(client, settings):
    settings.METRICS_TOKEN = ""
    settings.DEBUG = False
    assert client.get("/metrics").status_code == 404
