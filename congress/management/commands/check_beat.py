"""manage.py check_beat: exit 0 when Celery beat is alive, that is when its schedule file was
written lately (beat writes it after every task it sends: CELERY_BEAT_SYNC_EVERY = 1, and the
reminder scan is sent every REMINDER_SCAN_SECONDS). The beat container's healthcheck."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Exit non-zero unless Celery beat wrote its schedule file lately."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", default=settings.CELERY_BEAT_SCHEDULE_FILE, help="beat's --schedule file")
        parser.add_argument("--max-age", type=int, default=0, help="seconds (default: 3 scans, at least 120)")

    def handle(self, *args, schedule, max_age=0, **options):
        max_age = max_age or max(3 * settings.REMINDER_SCAN_SECONDS, 120)
        # shelve may add a suffix (.db, .dat) depending on the dbm module.
        candidates = [p for p in Path(schedule).parent.glob(Path(schedule).name + "*") if p.is_file()]
        if not candidates:
            raise CommandError(f"beat has written no schedule file at {schedule}: is it running?")
        age = time.time() - max(p.stat().st_mtime for p in candidates)
        if age > max_age:
            raise CommandError(
                f"beat's schedule file is {age:.0f} s old (more than {max_age} s): beat is stuck or stopped"
            )
        self.stdout.write(f"beat alive: schedule written {age:.0f} s ago")
