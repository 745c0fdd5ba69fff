"""Roster workbooks uploaded in the back office: kept as uploaded (RosterUpload) so that the
file staff previewed is the file they confirm, and the office can download it marked."""

from __future__ import annotations

from io import BytesIO

from django.db import transaction
from django.utils import timezone

from congress.models import RosterUpload
from congress.services import audit

from . import ImportResult, RosterPlan, import_roster, preview_roster, roster_for
from .marks import marked_copy

# A county's roster is tens of kilobytes; far larger is not a roster.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def store_upload(kind: str, uploaded, *, by) -> RosterUpload:
    """Keep a workbook staff uploaded for roster ``kind``, to be previewed and confirmed."""
    roster_for(kind)  # an unknown kind is a programming error
    upload = RosterUpload.objects.create(
        kind=kind,
        file_name=(getattr(uploaded, "name", "") or "roster.xlsx")[:200],
        content=uploaded.read(),
        uploaded_by=by,
    )
    audit.record(upload, "upload_roster", actor=by, kind=kind)
    return upload


def preview_upload(upload: RosterUpload, *, create_missing: bool = False) -> RosterPlan:
    return preview_roster(upload.kind, BytesIO(bytes(upload.content)), create_missing=create_missing)


def import_upload(upload: RosterUpload, *, by, create_missing: bool) -> ImportResult:
    """Import a previewed upload once staff confirm it (with the records it names that are
    not on file, when they confirm those too): every row or none."""
    with transaction.atomic():
        upload = RosterUpload.objects.select_for_update().get(pk=upload.pk)
        result = import_roster(upload.kind, BytesIO(bytes(upload.content)), by=by, create_missing=create_missing)
        upload.imported_at = timezone.now()
        upload.result = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "made": result.made,
        }
        upload.save(update_fields=["imported_at", "result"])
    return result


def marked_upload(upload: RosterUpload, plan: RosterPlan | None, problems) -> bytes | None:
    """The uploaded workbook with ``problems`` marked (see marks.marked_copy)."""
    return marked_copy(BytesIO(bytes(upload.content)), problems, plan.sheet if plan else None)
