"""The Celery application. Tasks are thin: they take ids and call one service."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

app = Celery("congress")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# django-structlog: a task's log lines carry the request id of the request that sent it.
from django_structlog.celery.steps import DjangoStructLogInitStep  # noqa: E402

app.steps["worker"].add(DjangoStructLogInitStep)


@signals.task_success.connect
def _count_success(sender=None, **kwargs):
    from congress.metrics import count_task

    count_task(sender.name, "succeeded")


@signals.task_failure.connect
def _count_failure(sender=None, **kwargs):
    from congress.metrics import count_task

    count_task(sender.name, "failed")


@signals.task_retry.connect
def _count_retry(sender=None, **kwargs):
    from congress.metrics import count_task

    count_task(getattr(sender, "name", "unknown"), "retried")


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    # The filesystem broker expects its folders to exist.
    opts = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if opts.get(key):
            os.makedirs(opts[key], exist_ok=True)
