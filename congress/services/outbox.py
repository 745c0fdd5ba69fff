"""The outbox: reminders on their way to people, by every channel each person has.

``queue`` runs inside the reminder scan's transaction and writes, for each person a reminder
is for, a Notice where they have a login and one Delivery row per channel (the in-app notice,
SMS to their mobile number, email to their address), or one ``unreachable`` row saying why
nothing could reach them. The rows are keyed (reminder, person, channel), so a reminder is
queued once however often or concurrently the scan runs.

``deliver_due`` is the delivery pass: it claims due rows (SELECT ... FOR UPDATE SKIP LOCKED on
PostgreSQL, so two workers never take the same row; on SQLite the write transaction is
exclusive), hands each to its provider and marks it sent only once the provider accepted it.
A failure that may pass is retried with growing waits; a permanent one is marked failed with
the provider's reason. A worker killed mid-delivery leaves its rows claimed until the claim
runs out; the next pass (the beat's sweep) takes them again, and the provider's idempotency
key (where it has one) keeps the message single. SMS wait for the morning at night (unless
urgent) and beyond a number's daily cap.
"""

import logging
import smtplib
import uuid
from datetime import datetime, time, timedelta
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import selectors, sms
from congress.models import Delivery, Notice
from congress.services import audit

logger = logging.getLogger(__name__)

Channel = Delivery.Channel
Status = Delivery.Status


# --- queueing (inside the scan's transaction) -------------------------------------------------


def link_for(person: selectors.Person, url: str) -> str:
    """The link a person follows from an SMS or email. A deputy's link is their personal signed
    link (no login or password needed) that opens the very page; to a page of the back office
    they cannot open, it opens their own deputy pages instead."""
    if not url:
        return ""
    if url.startswith("http"):
        return url
    if person.deputy is not None and (url.startswith("/m/") or not person.back_office):
        from congress.services.accounts import login_url

        target = url if url.startswith("/m/") else "/m/"
        return f"{login_url(person.deputy)}?next={quote(target)}"
    return settings.SITE_URL + url


def queue(log, message, people: list[selectors.Person], *, now: datetime) -> tuple[list[Notice], list[Delivery]]:
    """The notices and the outbox rows of one reminder (``log``) to ``people`` (each person
    once), for the scan to create in bulk with those of its whole batch: one row per person
    and channel, which the unique key (reminder, person, channel) guarantees."""
    notices, rows = [], []
    for person in people:
        base = {
            "reminder": log,
            "person_key": person.key,
            "person_name": person.name[:60],
            "deputy": person.deputy,
            "user_id": person.user_id,
            "title": message.title[:200],
            "urgent": message.urgent,
            "next_attempt_at": now,
        }
        link = link_for(person, message.url)
        text = "".join(part for part in (message.title, "。" if message.body else "", message.body) if part)
        if link:
            text = f"{text} {link}"
        base["link"] = link
        if person.user_id:
            notices.append(
                Notice(
                    recipient_id=person.user_id, title=message.title, body=message.body, url=message.url, reminder=log
                )
            )
            rows.append(
                Delivery(
                    **{**base, "link": message.url}, channel=Channel.INAPP, status=Status.SENT, sent_at=now, attempts=1
                )
            )
        if person.phone:
            rows.append(Delivery(**base, channel=Channel.SMS, address=person.phone, text=text))
        if person.email:
            rows.append(Delivery(**base, channel=Channel.EMAIL, address=person.email, text=text))
        if not (person.user_id or person.phone or person.email):
            rows.append(
                Delivery(
                    **base,
                    channel=Channel.NONE,
                    status=Status.UNREACHABLE,
                    reason=_("No login, no mobile number and no email address"),
                )
            )
    return notices, rows


# --- delivering -------------------------------------------------------------------------------


def deliver_due(*, now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """One delivery pass: every row due by ``now``, batch by batch. Returns counts by outcome."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "held": 0}
    provider = None
    while True:
        now_ = now or timezone.now()
        token, rows = _claim(now_, limit or settings.OUTBOX_BATCH_SIZE)
        if not rows:
            return counts
        for row in rows:
            if row.channel == Channel.SMS and provider is None:
                provider = sms.provider()
            counts[_deliver(row, token, now or timezone.now(), provider)] += 1


def _claim(now: datetime, limit: int) -> tuple[uuid.UUID, list[Delivery]]:
    """Take up to ``limit`` due rows for this pass: open and due, and not held by a live claim."""
    token = uuid.uuid4()
    due = Delivery.objects.filter(status__in=Delivery.OPEN, next_attempt_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit])
        if not ids:
            return token, []
        # Guarded by the same conditions: on SQLite the write transaction is exclusive, on
        # PostgreSQL the rows are locked; either way no other pass holds them now.
        Delivery.objects.filter(pk__in=ids).update(
            status=Status.SENDING,
            claim=token,
            claimed_until=now + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS),
        )
    return token, list(Delivery.objects.filter(claim=token).order_by("id"))


def _finish(row: Delivery, token: uuid.UUID, **fields) -> bool:
    """Record the outcome of a row this pass still holds (a pass whose claim ran out and was
    taken over records nothing)."""
    return bool(Delivery.objects.filter(pk=row.pk, claim=token).update(claim=None, claimed_until=None, **fields))


def _morning(now: datetime, *, next_day: bool = False) -> datetime:
    local = timezone.localtime(now)
    day = local.date()
    end = settings.SMS_QUIET_HOURS[1]
    if next_day or local.hour >= end:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(end)), timezone.get_current_timezone())


def in_quiet_hours(now: datetime) -> bool:
    start, end = settings.SMS_QUIET_HOURS
    hour = timezone.localtime(now).hour
    return hour >= start or hour < end


def _sent_today(phone: str, now: datetime) -> int:
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return Delivery.objects.filter(
        channel=Channel.SMS, address=phone, status__in=Delivery.REACHED, sent_at__gte=midnight
    ).count()


def _deliver(row: Delivery, token: uuid.UUID, now: datetime, provider) -> str:
    if row.channel == Channel.SMS and not row.urgent:
        if in_quiet_hours(now):
            _finish(
                row, token, status=Status.HELD, next_attempt_at=_morning(now), reason=_("Night: sent in the morning")
            )
            return "held"
        if _sent_today(row.address, now) >= settings.SMS_DAILY_CAP:
            _finish(
                row,
                token,
                status=Status.HELD,
                next_attempt_at=_morning(now, next_day=True),
                reason=_("The number's daily SMS cap is reached: sent tomorrow morning"),
            )
            return "held"
    attempts = row.attempts + 1
    try:
        if row.channel == Channel.SMS:
            provider_id = provider.send(
                sms.Sms(
                    phone=row.address,
                    text=row.text,
                    params=_sms_params(row),
                    kind=row.reminder.kind,
                    key=row.key,
                )
            )
        elif row.channel == Channel.EMAIL:
            provider_id = _send_email(row)
        else:  # in-app and none are settled when queued; nothing to send
            _finish(row, token, status=Status.SENT if row.channel == Channel.INAPP else Status.UNREACHABLE)
            return "sent"
    except (sms.PermanentError, smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        _finish(row, token, status=Status.FAILED, attempts=attempts, reason=str(exc)[:300])
        logger.warning("delivery %s failed for good: %s", row.pk, exc)
        return "failed"
    except (sms.TransientError, OSError, smtplib.SMTPException) as exc:
        if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            _finish(row, token, status=Status.FAILED, attempts=attempts, reason=str(exc)[:300])
            return "failed"
        wait = min(settings.OUTBOX_RETRY_SECONDS * 2 ** (attempts - 1), 6 * 3600)
        _finish(
            row,
            token,
            status=Status.QUEUED,
            attempts=attempts,
            next_attempt_at=now + timedelta(seconds=wait),
            reason=str(exc)[:300],
        )
        logger.info("delivery %s: %s; retried in %ss", row.pk, exc, wait)
        return "retry"
    finished = _finish(
        row, token, status=Status.SENT, attempts=attempts, provider_id=provider_id[:100], sent_at=now, reason=""
    )
    if finished and row.channel == Channel.EMAIL and row.user_id:
        Notice.objects.filter(reminder_id=row.reminder_id, recipient_id=row.user_id).update(emailed_at=now)
    return "sent"


def _sms_params(row: Delivery) -> tuple[str, ...]:
    """The template's parameters: what the reminder is about, and the link."""
    return (row.title, row.link)


def _send_email(row: Delivery) -> str:
    message_id = f"<{row.key}@{settings.SITE_URL.split('://')[-1].split('/')[0].split(':')[0]}>"
    email = EmailMessage(row.title, row.text, None, [row.address], headers={"Message-ID": message_id})
    email.send(fail_silently=False)
    return message_id


# --- receipts and staff actions ---------------------------------------------------------------


def pull_receipts() -> int:
    """Record the provider's delivery reports (where it gives them): delivered, or failed with
    its reason. Returns the rows updated."""
    provider = sms.provider()
    updated = 0
    for receipt in provider.receipts():
        rows = Delivery.objects.filter(channel=Channel.SMS, provider_id=receipt.provider_id, status=Status.SENT)
        if receipt.delivered:
            updated += rows.update(status=Status.DELIVERED, delivered_at=timezone.now())
        else:
            updated += rows.update(
                status=Status.FAILED, reason=_("Not delivered: %(reason)s") % {"reason": receipt.reason}
            )
    return updated


def retry(deliveries, *, by=None, urgent: bool = False) -> int:
    """Staff send failed or held deliveries again, now (``urgent``: at night too). Rows that
    reached their person or are being sent are left alone."""
    ids = [d.pk for d in deliveries]
    with transaction.atomic():
        rows = Delivery.objects.filter(pk__in=ids, status__in=[Status.FAILED, Status.HELD, Status.QUEUED]).exclude(
            channel__in=[Channel.INAPP, Channel.NONE]
        )
        changes = {"status": Status.QUEUED, "next_attempt_at": timezone.now(), "attempts": 0, "reason": ""}
        if urgent:
            changes["urgent"] = True
        picked = list(rows.select_for_update())
        count = Delivery.objects.filter(pk__in=[r.pk for r in picked]).update(**changes)
        for row in picked:
            audit.record(row, "retry_delivery", actor=by, urgent=urgent)
        transaction.on_commit(enqueue)
    return count


def enqueue() -> None:
    """Ask a worker to deliver now. If the broker is down the rows wait for the sweep."""
    from congress.tasks import deliver_outbox

    try:
        deliver_outbox.delay()
    except Exception as exc:  # noqa: BLE001 - any broker failure: the sweep delivers later
        logger.warning("could not queue the delivery task (%s); the sweep will deliver", exc)
