"""Celery tasks of the publication: thin wrappers that call one service."""

from celery import shared_task

from . import services


@shared_task(name="media_publish.tasks.release_due")
def release_due() -> int:
    return services.release_due()
