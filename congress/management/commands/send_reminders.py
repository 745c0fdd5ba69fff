"""manage.py send_reminders: one reminder scan and one delivery pass, now, in the foreground.

For a county that runs reminders from cron instead of Celery beat, and for checks; the beat
does the same on its schedule (scan_reminders, then sweep_outbox)."""

from django.core.management.base import BaseCommand

from congress.services import outbox, reminders


class Command(BaseCommand):
    help = "Scan due reminders once and deliver the outbox once, in the foreground."

    def add_arguments(self, parser):
        parser.add_argument("--no-scan", action="store_true", help="Only deliver what is already queued.")

    def handle(self, *args, no_scan=False, **options):
        notices = 0 if no_scan else reminders.scan()
        counts = outbox.deliver_due()
        receipts = outbox.pull_receipts()
        self.stdout.write(
            f"notices {notices}, sent {counts['sent']}, retry later {counts['retry']}, "
            f"failed {counts['failed']}, held {counts['held']}, receipts {receipts}"
        )
