"""Issuing official documents (发文) and keeping the county's own templates.

``issue_document`` draws the document of a kind for a record from the kind's active template,
gives it the next number of its kind and year (文号), keeps the .docx as sent with the record
(``IssuedDocument``, downloadable with the record's access rules) and writes the audit entry,
all in one transaction. The number comes from the kind's counter row for the year, locked with
``select_for_update`` for the rest of the transaction: two staff issuing at once wait for each
other and get consecutive numbers; a failure rolls the number back with everything else, so
numbers have no gaps and no repeats.

``upload_template`` checks a county's own template (a Word .docx) against the placeholders its
kind fills, refusing it with the unknown placeholder named, and makes it the kind's next
version in use; ``preview`` draws a document without numbering or keeping it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import documents
from congress.models import Committee, DocumentCounter, DocumentTemplate, IssuedDocument
from congress.services import audit

PREVIEW_NUMBER = "（预览）"


def active_template(kind: documents.DocumentKind) -> tuple[bytes, int]:
    """The kind's template in use and its version: the county's own, or the default (0)."""
    own = DocumentTemplate.objects.filter(kind=kind.code, active=True).first()
    if own is not None:
        with own.file.open("rb") as handle:
            return handle.read(), own.version
    return kind.default_path.read_bytes(), 0


def issuer() -> tuple[str, str]:
    """The issuing body's name and its document code (机关代字)."""
    committee = Committee.objects.first()
    if committee is None:
        return _("People's Congress Standing Committee"), "人常"
    code = committee.document_code or (committee.county[:1] + "人常")
    return committee.name, code


def document_number(kind: documents.DocumentKind, year: int, serial: int) -> str:
    """文号: 机关代字 + the kind's word, the year in 〔〕, the serial, 号 (清人常函〔2026〕12号)."""
    return f"{issuer()[1]}{kind.word}〔{year}〕{serial}号"


def context(kind: documents.DocumentKind, record, *, number: str, day: datetime.date) -> dict:
    return {
        "发文机关": issuer()[0],
        "文号": number,
        "成文日期": documents.chinese_date(day),
        "年度": str(day.year),
        **kind.context(record),
    }


def preview(kind_code: str, record, *, template_bytes: bytes | None = None) -> bytes:
    """The document as it would be issued today, unnumbered and not kept."""
    kind = documents.get(kind_code)
    if template_bytes is None:
        template_bytes, _version = active_template(kind)
    day = timezone.localdate()
    return documents.render(template_bytes, context(kind, record, number=PREVIEW_NUMBER, day=day))


def _next_serial(kind_code: str, year: int) -> int:
    """Lock the kind's counter for the year (created the first time) and take its next number."""
    try:
        with transaction.atomic():
            DocumentCounter.objects.get_or_create(kind=kind_code, year=year)
    except IntegrityError:
        pass  # created by someone issuing at the same moment: lock theirs
    counter = DocumentCounter.objects.select_for_update().get(kind=kind_code, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def issue_document(kind_code: str, record, *, by=None) -> IssuedDocument:
    """Issue the document of ``kind_code`` for ``record``: numbered, drawn from the template in
    use, kept with the record, on the audit trail."""
    kind = documents.get(kind_code)
    if record._meta.label != kind.model:
        raise ValidationError(_("A %(kind)s is not issued for this record.") % {"kind": kind.name})
    kind.check(record)
    day = timezone.localdate()
    template_bytes, version = active_template(kind)
    with transaction.atomic():
        serial = _next_serial(kind.code, day.year)
        number = document_number(kind, day.year, serial)
        body = documents.render(template_bytes, context(kind, record, number=number, day=day))
        title = kind.title(record)
        from django.contrib.contenttypes.models import ContentType

        issued = IssuedDocument(
            kind=kind.code,
            year=day.year,
            serial=serial,
            number=number,
            title=title[:300],
            addressee=kind.addressee(record)[:300],
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            unit=kind.unit(record),
            template_version=version,
            issued_by=by if by is not None and by.is_authenticated else None,
        )
        issued.file.save(f"{number}{title}.docx"[:120], ContentFile(body), save=False)
        issued.save()
        audit.record(record, "issue_document", actor=by, kind=kind.code, number=number, document=issued.pk)
    return issued


def upload_template(kind_code: str, uploaded, *, by=None, note: str = "") -> DocumentTemplate:
    """Make a county's own .docx the template in use for ``kind_code`` (the next version),
    refusing one that uses a placeholder the kind does not fill (named in the message)."""
    kind = documents.get(kind_code)
    uploaded.seek(0)
    data = uploaded.read()
    try:
        documents.check_template(kind, data)
    except documents.TemplateRefused as exc:
        raise ValidationError(str(exc), code="unknown_placeholder") from exc
    uploaded.seek(0)
    with transaction.atomic():
        previous = list(DocumentTemplate.objects.select_for_update().filter(kind=kind.code).order_by("-version"))
        DocumentTemplate.objects.filter(kind=kind.code, active=True).update(active=False)
        template = DocumentTemplate(
            kind=kind.code,
            version=(previous[0].version + 1) if previous else 1,
            note=note,
            active=True,
            uploaded_by=by if by is not None and by.is_authenticated else None,
        )
        template.file.save(getattr(uploaded, "name", "template.docx") or "template.docx", uploaded, save=False)
        template.save()
        audit.record(template, "upload_document_template", actor=by, kind=kind.code, version=template.version)
    return template


def restore_default_template(kind_code: str, *, by=None) -> None:
    """Go back to the template shipped with the system (the county's versions are kept)."""
    kind = documents.get(kind_code)
    with transaction.atomic():
        for template in DocumentTemplate.objects.select_for_update().filter(kind=kind.code, active=True):
            template.active = False
            template.save(update_fields=["active"])
            audit.record(template, "restore_default_template", actor=by, kind=kind.code)
