"""Celery tasks of the institution: thin wrappers that call one service."""

from celery import shared_task

from congress.services import outbox, reminders


@shared_task(name="congress.tasks.scan_reminders")
def scan_reminders() -> int:
    return reminders.scan()


# Acknowledged only once the pass is over (a killed worker's task goes to another worker);
# the rows themselves are claimed in the database, so a redelivered task sends nothing twice.
@shared_task(name="congress.tasks.deliver_outbox", acks_late=True, reject_on_worker_lost=True)
def deliver_outbox() -> dict:
    return outbox.deliver_due()


@shared_task(name="congress.tasks.sweep_outbox", acks_late=True)
def sweep_outbox() -> dict:
    """The beat's sweep: deliver whatever is due (rows whose task was lost included), then
    read the provider's delivery receipts."""
    counts = outbox.deliver_due()
    counts["receipts"] = outbox.pull_receipts()
    return counts


@shared_task(name="congress.tasks.nightly_backup")
def nightly_backup() -> str:
    """The nightly backup of the database and the uploaded files, then the retention."""
    from congress.services import backups

    return backups.nightly().location
