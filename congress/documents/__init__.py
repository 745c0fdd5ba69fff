"""Official documents the committee sends (公文): the kinds, their templates, and rendering.

The institution knows no workflow: each app registers the kinds of document its records produce
(``register`` from its ``ready``): a code, the Chinese name, the placeholders a template may use
(documented in Chinese for the staff who write their own), how to fill them from a record, the
addressee, and how the default template is drawn (``congress.documents.layout``). Rendering is
docxtpl (Jinja2 over python-docx) over the kind's active template: the county's own uploaded
one (``DocumentTemplate``) or the default shipped with the system. Issuing, numbering and
keeping the document with its record is ``congress.services.documents``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext_lazy as _

# Placeholders every kind has, filled by the issuing service.
COMMON_PLACEHOLDERS = {
    "发文机关": "发文机关名称，如“清河县人民代表大会常务委员会”",
    "文号": "发文字号，如“清人常〔2026〕12号”（预览时为“（预览）”）",
    "成文日期": "成文日期，如“2026年12月3日”",
    "年度": "发文年度，如“2026”",
}


@dataclass(frozen=True)
class DocumentKind:
    """One kind of official document: ``code`` (stored), ``name`` (the Chinese words on the
    page and in the back office), ``word`` (the 机关代字 suffix of its number, e.g. 人常 gives
    清人常〔2026〕12号), the placeholders it fills (name → Chinese explanation), ``context`` (record
    → placeholder values), ``addressee`` (record → to whom it goes), ``unit`` (record → the
    unit whose liaisons may download it, or None), ``build`` (draws the default template),
    ``page`` (record → the record whose back-office page shows it and its documents: itself, or
    its owner when it has no page of its own, as an assignment shows on its suggestion's)."""

    code: str
    name: str
    model: str  # "app_label.ModelName" of the record it is issued for
    word: str
    placeholders: dict[str, str]
    context: Callable
    addressee: Callable
    build: Callable
    title: Callable
    unit: Callable = field(default=lambda record: None)
    check: Callable = field(default=lambda record: None)  # raises ValidationError when not ready
    page: Callable = field(default=lambda record: record)

    @property
    def all_placeholders(self) -> dict[str, str]:
        return {**COMMON_PLACEHOLDERS, **self.placeholders}

    @property
    def default_path(self) -> Path:
        from django.apps import apps

        app_label = self.model.split(".")[0]
        return Path(apps.get_app_config(app_label).path) / "document_templates" / f"{self.code}.docx"

    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    """Add a kind; its word must be its own, so that no two kinds can ever print the same number."""
    from django.core.exceptions import ImproperlyConfigured

    clash = next((k for k in KINDS.values() if k.word == kind.word and k.code != kind.code), None)
    if clash is not None:
        raise ImproperlyConfigured(f"document kinds {clash.code} and {kind.code} share the number word {kind.word!r}")
    KINDS[kind.code] = kind


def get(code: str) -> DocumentKind:
    return KINDS[code]


def kinds_for(model) -> list[DocumentKind]:
    label = model._meta.label
    return [k for k in KINDS.values() if k.model == label]


def choices():
    return [(k.code, k.name) for k in KINDS.values()]


class TemplateRefused(ValueError):
    pass


def undeclared(template_bytes: bytes) -> set[str]:
    """The placeholders a .docx template uses that its context must fill."""
    from docxtpl import DocxTemplate

    return set(DocxTemplate(io.BytesIO(template_bytes)).get_undeclared_template_variables())


def check_template(kind: DocumentKind, template_bytes: bytes) -> None:
    """Refuse a template that uses a placeholder the kind does not fill, naming it."""
    from jinja2 import TemplateSyntaxError

    try:
        used = undeclared(template_bytes)
    except TemplateSyntaxError as exc:
        raise TemplateRefused(_("The template's placeholders are not well formed: %(error)s") % {"error": exc}) from exc
    unknown = sorted(used - set(kind.all_placeholders))
    if unknown:
        raise TemplateRefused(
            _("Unknown placeholder(s) for %(kind)s: %(names)s. Allowed: %(allowed)s")
            % {
                "kind": kind.name,
                "names": "、".join(f"{{{{ {n} }}}}" for n in unknown),
                "allowed": "、".join(kind.all_placeholders),
            }
        )


def render(template_bytes: bytes, context: dict) -> bytes:
    """The document: the template with its placeholders filled."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(template_bytes))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def chinese_date(day) -> str:
    """成文日期 in the form GB/T 9704-2012 uses: 2026年12月3日 (Arabic numerals, no zero padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def may_download_issued(user, issued) -> bool:
    """Who besides the staff may download an issued document: the liaisons of its unit."""
    from congress.permissions import is_liaison

    return issued.unit_id is not None and is_liaison(user) and user.unit_id == issued.unit_id
