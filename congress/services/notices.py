"""Notices (我的通知): marking them read. Reminders create them in services.reminders."""

from django.utils import timezone

from congress.models import Notice


def mark_read(user, notice_id: int) -> bool:
    """Mark one of the user's own notices read; another person's notice is left untouched."""
    return bool(
        Notice.objects.filter(pk=notice_id, recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    )


def mark_all_read(user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
