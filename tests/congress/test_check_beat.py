"""beat's healthcheck: alive while its schedule file is fresh, unhealthy when it is old or
missing (beat stopped, stuck, or never started)."""

import os
import time

import pytest
from django.core.management import CommandError, call_command


def test_a_fresh_schedule_file_means_beat_is_alive(tmp_path, settings, capsys):
    settings.REMINDER_SCAN_SECONDS = 30
    schedule = tmp_path / "celerybeat-schedule"
    schedule.write_bytes(b"shelve")
    call_command("check_beat", schedule=str(schedule))
    assert "beat alive" in capsys.readouterr().out


def test_an_old_or_missing_schedule_file_is_unhealthy(tmp_path, settings):
    settings.REMINDER_SCAN_SECONDS = 30
    schedule = tmp_path / "celerybeat-schedule.db"  # dbm may add a suffix
    schedule.write_bytes(b"shelve")
    old = time.time() - 600
    os.utime(schedule, (old, old))
    with pytest.raises(CommandError, match="stuck or stopped"):
        call_command("check_beat", schedule=str(tmp_path / "celerybeat-schedule"))
    with pytest.raises(CommandError, match="no schedule file"):
        call_command("check_beat", schedule=str(tmp_path / "elsewhere" / "celerybeat-schedule"))
