"""Celery tasks of the institution: thin wrappers that call one service."""

from celery import shared_task

from congress.services import reminders


@shared_task(name="congress.tasks.scan_reminders")
def scan_reminders() -> int:
    return reminders.scan()


@shared_task(name="congress.tasks.send_reminder_emails", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_reminder_emails(scan_id: str) -> int:
    return reminders.send_reminder_emails(scan_id)


@shared_task(name="congress.tasks.nightly_backup")
def nightly_backup() -> str:
    """The nightly backup of the database and the uploaded files, then the retention."""
    from congress.services import backups

    return backups.nightly().location
