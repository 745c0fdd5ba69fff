"""Every write of the publication: open a campaign's column, draft a publication, publish it
now or at a set time, republish it with fresh content, withdraw it, and release the scheduled
ones whose time has come. Each step checks the state, changes it in one transaction, writes an
audit entry and, once committed, makes the public site forget its cached pages."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.services import audit

from . import pages, snapshots
from .models import Column, Publication, Recording
from .snapshots import PublicationError

__all__ = [
    "PublicationError",
    "open_column",
    "draft_publication",
    "publish",
    "schedule",
    "republish",
    "withdraw",
    "release_due",
]

S = Publication.Status
K = Publication.Kind


def _changed() -> None:
    transaction.on_commit(pages.bump)


def column_title(campaign) -> str:
    return _("%(campaign)s column") % {"campaign": campaign.title}


def open_column(campaign, *, title: str = "", intro: str = "", by=None) -> Column:
    """The campaign's column (专栏), opened once: named after the campaign unless given a title."""
    with transaction.atomic():
        column = Column.objects.filter(campaign=campaign).first()
        if column is not None:
            return column
        column = Column.objects.create(campaign=campaign, title=title or column_title(campaign), intro=intro)
        audit.record(column, "open_column", actor=by)
    return column


def default_title(publication: Publication) -> str:
    column = publication.column
    if publication.kind == K.SUGGESTIONS:
        return _("Handling of deputies' suggestions in %(year)d") % {"year": publication.year}
    if publication.kind == K.RECORDING:
        return publication.recording.title
    campaign = column.campaign
    if publication.kind == K.SUBJECTS:
        if campaign.kind == "duty":
            return _("%(campaign)s: who reports and on which topics") % {"campaign": campaign.title}
        return _("%(campaign)s: units evaluated") % {"campaign": campaign.title}
    return _("%(campaign)s: %(stage)s") % {"campaign": campaign.title, "stage": publication.get_kind_display()}


def draft_publication(
    column: Column,
    *,
    kind: str,
    year: int | None = None,
    recording: Recording | None = None,
    title="",
    summary="",
    by=None,
) -> Publication:
    """A new draft: nothing of it is public until it is published."""
    publication = Publication(column=column, kind=kind, year=year, recording=recording, title=title, summary=summary)
    check_source(publication)
    try:
        publication.full_clean(exclude=["content", "search_text"])
    except ValidationError as exc:
        raise PublicationError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        publication.save()
        audit.record(publication, "draft_publication", actor=by, kind=kind)
    return publication


def check_source(publication: Publication) -> None:
    """A campaign's stage needs a campaign column; statistics need a year; a video its recording
    in the same column."""
    kind = publication.kind
    if kind in Publication.CAMPAIGN_KINDS and publication.column.campaign_id is None:
        raise PublicationError(_("This stage belongs to an evaluation campaign: choose the campaign's column."))
    if kind == K.SUGGESTIONS and not publication.year:
        raise PublicationError(_("Give the year of the suggestion statistics."))
    if kind == K.RECORDING:
        if publication.recording_id is None:
            raise PublicationError(_("Choose the recording to publish."))
        if publication.recording.column_id != publication.column_id:
            raise PublicationError(_("The recording belongs to another column."))


def build(publication: Publication) -> tuple[dict, str]:
    """The content the publication would show if published now (also the staff's preview)."""
    check_source(publication)
    kind = publication.kind
    if kind == K.SUGGESTIONS:
        return snapshots.suggestion_statistics(publication.year)
    if kind == K.RECORDING:
        return snapshots.recording(publication.recording)
    campaign = publication.column.campaign
    return {
        K.PLAN: snapshots.plan,
        K.SUBJECTS: snapshots.subjects,
        K.RESULTS: snapshots.results,
        K.RECTIFICATION: snapshots.rectification,
    }[kind](campaign)


def _locked(publication: Publication) -> Publication:
    return (
        Publication.objects.select_for_update(of=("self",))
        .select_related("column__campaign", "recording")
        .get(pk=publication.pk)
    )


def _freeze(publication: Publication) -> None:
    content, text = build(publication)
    publication.content = content
    publication.title = publication.title or default_title(publication)
    publication.search_text = "\n".join([publication.title, publication.summary, text])
    publication.version += 1


def _save(publication: Publication, fields: list[str]) -> None:
    try:
        with transaction.atomic():
            publication.save(update_fields=fields)
    except IntegrityError as exc:
        raise PublicationError(_("This stage already has a scheduled or published page.")) from exc


FROZEN = ["content", "title", "search_text", "version"]


def publish(publication: Publication, *, by=None) -> Publication:
    """Publish a draft (or a scheduled one) now: its content is frozen from what is decided
    today and it appears on the public site at once."""
    with transaction.atomic():
        publication = _locked(publication)
        if publication.status not in (S.DRAFT, S.SCHEDULED):
            raise PublicationError(
                _("Only a draft or a scheduled publication can be published; this one is “%(status)s”.")
                % {"status": publication.get_status_display()}
            )
        now = timezone.now()
        if publication.status == S.DRAFT:
            _freeze(publication)
        publication.status, publication.publish_at = S.PUBLISHED, now
        publication.published_at, publication.published_by = now, by
        _save(publication, [*FROZEN, "status", "publish_at", "published_at", "published_by"])
        audit.record(publication, "publish", actor=by, version=publication.version)
        _changed()
    return publication


def schedule(publication: Publication, *, at: datetime.datetime, by=None) -> Publication:
    """Set a draft to appear at ``at``: its content is frozen now (what staff checked is what
    appears), and the site shows it from that moment."""
    with transaction.atomic():
        publication = _locked(publication)
        if publication.status != S.DRAFT:
            raise PublicationError(
                _("Only a draft can be scheduled; this one is “%(status)s”.")
                % {"status": publication.get_status_display()}
            )
        if at <= timezone.now():
            raise PublicationError(_("The time to publish must be in the future; to publish now, publish it."))
        _freeze(publication)
        publication.status, publication.publish_at = S.SCHEDULED, at
        publication.published_by = by
        _save(publication, [*FROZEN, "status", "publish_at", "published_by"])
        audit.record(publication, "schedule", actor=by, at=at.isoformat(), version=publication.version)
        _changed()
    return publication


def republish(publication: Publication, *, by=None) -> Publication:
    """Refresh a published page with what stands today (rectification moves on, say): a new
    version of its content, published now."""
    with transaction.atomic():
        publication = _locked(publication)
        if publication.status != S.PUBLISHED:
            raise PublicationError(_("Only a published page can be republished."))
        _freeze(publication)
        publication.published_at, publication.published_by = timezone.now(), by
        _save(publication, [*FROZEN, "published_at", "published_by"])
        audit.record(publication, "republish", actor=by, version=publication.version)
        _changed()
    return publication


def withdraw(publication: Publication, *, reason: str, by=None) -> Publication:
    """Take a scheduled or published page off the site at once. The reason is required and kept,
    with the page's content, for the record."""
    reason = (reason or "").strip()
    if not reason:
        raise PublicationError(_("Give the reason for withdrawing it."))
    with transaction.atomic():
        publication = _locked(publication)
        if publication.status not in (S.SCHEDULED, S.PUBLISHED):
            raise PublicationError(
                _("Only a scheduled or published page can be withdrawn; this one is “%(status)s”.")
                % {"status": publication.get_status_display()}
            )
        was = publication.status
        publication.status = S.WITHDRAWN
        publication.withdrawn_at, publication.withdrawn_by, publication.withdraw_reason = timezone.now(), by, reason
        publication.version += 1
        publication.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason", "version"])
        audit.record(publication, "withdraw", actor=by, reason=reason, was=was)
        _changed()
    return publication


def release_due(*, now: datetime.datetime | None = None) -> int:
    """Mark the scheduled publications whose time has come as published (the site already
    shows them from their time; this puts it on the record). Safe to run twice."""
    now = now or timezone.now()
    released = 0
    for pk in Publication.objects.filter(status=S.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            publication = Publication.objects.select_for_update().get(pk=pk)
            if publication.status != S.SCHEDULED or publication.publish_at > now:
                continue
            publication.status, publication.published_at = S.PUBLISHED, publication.publish_at
            publication.save(update_fields=["status", "published_at"])
            audit.record(publication, "release", actor=None, at=publication.publish_at.isoformat())
            _changed()
            released += 1
    return released
