"""Official documents in the back office: the county's own templates (uploaded, versioned,
previewed, with each kind's placeholders explained in Chinese), the issued documents, and on each
record's page the documents issued for it with buttons to preview and issue the next one."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import cleaning, documents, uploads
from congress.models import DocumentTemplate, IssuedDocument
from congress.services import documents as issuing

DOCX_MIME = uploads.DOCX.mime


def _docx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _record(kind: documents.DocumentKind, object_id: int):
    return get_object_or_404(kind.model_class(), pk=object_id)


def _need(request, *perms):
    if not all(request.user.has_perm(p) for p in perms):
        raise PermissionDenied


def _view_perm(kind: documents.DocumentKind) -> str:
    opts = kind.model_class()._meta
    return f"{opts.app_label}.view_{opts.model_name}"


class DocumentTemplateForm(cleaning.ModelForm):
    kind = forms.ChoiceField(label=gettext_lazy("kind of document"))

    class Meta:
        model = DocumentTemplate
        fields = ["kind", "file", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = documents.choices()

    def clean(self):
        data = super().clean()
        uploaded = data.get("file")
        kind = data.get("kind")
        if uploaded and kind:
            uploaded.seek(0)
            try:
                documents.check_template(documents.get(kind), uploaded.read())
            except documents.TemplateRefused as exc:
                self.add_error("file", str(exc))
            uploaded.seek(0)
        return data


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(cleaning.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["kind_name", "version", "active", "note", "uploaded_by", "uploaded_at", "preview_link"]
    list_filter = ["active"]
    change_list_template = "admin/congress/documenttemplate_change_list.html"

    @admin.display(description=gettext_lazy("kind of document"))
    def kind_name(self, obj):
        kind = documents.KINDS.get(obj.kind)
        return kind.name if kind else obj.kind

    @admin.display(description=gettext_lazy("preview"))
    def preview_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:congress_documenttemplate_preview", args=[obj.pk]), _("Preview")
        )

    def has_change_permission(self, request, obj=None):
        return False  # a template is replaced by a new version, never edited

    def has_delete_permission(self, request, obj=None):
        return False  # issued documents name the version they came from

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = issuing.upload_template(data["kind"], data["file"], by=request.user, note=data.get("note", ""))
        obj.pk = saved.pk
        obj.refresh_from_db()

    def changelist_view(self, request, extra_context=None):
        kinds = [
            {
                "kind": kind,
                "placeholders": kind.all_placeholders.items(),
                "active": DocumentTemplate.objects.filter(kind=kind.code, active=True).first(),
            }
            for kind in documents.KINDS.values()
        ]
        return super().changelist_view(request, {**(extra_context or {}), "kinds": kinds})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="congress_documenttemplate_preview"),
            path("default/<str:kind>/", wrap(self.default_view), name="congress_documenttemplate_default"),
            path("restore/<str:kind>/", wrap(self.restore_view), name="congress_documenttemplate_restore"),
        ] + super().get_urls()

    def preview_view(self, request, pk):
        """The template filled from the latest record of its kind, unnumbered."""
        _need(request, "congress.view_documenttemplate")
        template = get_object_or_404(DocumentTemplate, pk=pk)
        kind = documents.KINDS.get(template.kind) or self._no_kind()
        record = kind.model_class()._default_manager.order_by("-pk").first()
        if record is None:
            messages.warning(request, _("There is no record yet to preview a %(kind)s with.") % {"kind": kind.name})
            return redirect("admin:congress_documenttemplate_changelist")
        with template.file.open("rb") as handle:
            data = issuing.preview(kind.code, record, template_bytes=handle.read())
        return _docx_response(data, f"{kind.name}（预览 v{template.version}）.docx")

    def default_view(self, request, kind):
        """The default template shipped with the system, to start a county's own from."""
        _need(request, "congress.view_documenttemplate")
        found = documents.KINDS.get(kind) or self._no_kind()
        return _docx_response(found.default_path.read_bytes(), f"{found.name}（默认模板）.docx")

    def restore_view(self, request, kind):
        _need(request, "congress.add_documenttemplate")
        if request.method != "POST":
            raise Http404
        found = documents.KINDS.get(kind) or self._no_kind()
        issuing.restore_default_template(found.code, by=request.user)
        messages.success(request, _("%(kind)s: the default template is in use again.") % {"kind": found.name})
        return redirect("admin:congress_documenttemplate_changelist")

    @staticmethod
    def _no_kind():
        raise Http404


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(cleaning.ModelAdmin):
    list_display = ["number", "title", "addressee", "kind_name", "issued_by", "issued_at", "download"]
    list_filter = ["kind", "year"]
    list_select_related = ["issued_by"]
    search_fields = ["number", "title", "addressee"]
    fields = ["number", "kind_name", "title", "addressee", "unit", "file", "template_version", "issued_by", "issued_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("kind of document"))
    def kind_name(self, obj):
        return obj.kind_name

    @admin.display(description=gettext_lazy("document (.docx)"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.file.url, _("Download"))

    def has_add_permission(self, request):
        return False  # issued from the record's page

    def has_change_permission(self, request, obj=None):
        return False  # what was sent stays as it was sent

    def has_delete_permission(self, request, obj=None):
        return False  # numbers have no gaps

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("issue/<str:kind>/<int:object_id>/", wrap(self.issue_view), name="congress_issueddocument_issue"),
            path(
                "preview/<str:kind>/<int:object_id>/", wrap(self.preview_view), name="congress_issueddocument_preview"
            ),
        ] + super().get_urls()

    def _kind_and_record(self, request, kind_code, object_id):
        kind = documents.KINDS.get(kind_code)
        if kind is None:
            raise Http404
        _need(request, _view_perm(kind))
        return kind, _record(kind, object_id)

    def preview_view(self, request, kind, object_id):
        kind, record = self._kind_and_record(request, kind, object_id)
        _need(request, "congress.view_issueddocument")
        try:
            data = issuing.preview(kind.code, record)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_change_url(kind, record))
        return _docx_response(data, f"{kind.title(record)}（预览）.docx")

    def issue_view(self, request, kind, object_id):
        """Confirm, then issue: the next number of the kind and year, kept with the record."""
        kind, record = self._kind_and_record(request, kind, object_id)
        _need(request, "congress.add_issueddocument")
        if request.method == "POST":
            try:
                issued = issuing.issue_document(kind.code, record, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request, _("%(number)s %(title)s issued.") % {"number": issued.number, "title": issued.title}
                )
            return redirect(_change_url(kind, record))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Issue a %(kind)s") % {"kind": kind.name},
            "kind": kind,
            "record": record,
            "addressee": kind.addressee(record),
            "document_title": kind.title(record),
            "template": DocumentTemplate.objects.filter(kind=kind.code, active=True).first(),
            "preview_url": reverse("admin:congress_issueddocument_preview", args=[kind.code, record.pk]),
            "back_url": _change_url(kind, record),
            "opts": IssuedDocument._meta,
        }
        return TemplateResponse(request, "admin/congress/issue_document.html", context)


def _change_url(kind: documents.DocumentKind, record) -> str:
    """The back-office page the document is issued from: the record's own, or its owner's."""
    shown = kind.page(record)
    opts = shown._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[shown.pk])


def issued_for(record):
    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("issued_by")


def documents_panel(record, *, related=()):
    """The documents issued for ``record`` (and for ``related`` records shown on its page), with
    links to preview and issue each kind it has."""
    if record is None or record.pk is None:
        return "—"
    parts = []
    for item in [record, *related]:
        for kind in documents.kinds_for(type(item)):
            parts.append(
                format_html(
                    '<div class="issue-document"><strong>{}</strong>{} · <a href="{}">{}</a> · <a href="{}">{}</a></div>',
                    kind.name,
                    "" if item is record else format_html("（{}）", item),
                    reverse("admin:congress_issueddocument_preview", args=[kind.code, item.pk]),
                    _("Preview"),
                    reverse("admin:congress_issueddocument_issue", args=[kind.code, item.pk]),
                    _("Issue"),
                )
            )
        rows = issued_for(item)
        if rows:
            parts.append(
                format_html(
                    "<ul>{}</ul>",
                    format_html_join(
                        "",
                        '<li><a href="{}">{} {}</a> · {} · {} {}</li>',
                        (
                            (
                                d.file.url,
                                d.number,
                                d.title,
                                d.addressee,
                                d.issued_by or "—",
                                d.issued_at.strftime("%Y-%m-%d %H:%M"),
                            )
                            for d in rows
                        ),
                    ),
                )
            )
    return format_html_join("", "{}", ((p,) for p in parts))


class IssuedDocumentsMixin:
    """On a record's change page: the documents issued for it, and preview / issue links."""

    def documents_related(self, obj):
        """Related records shown on this page that have documents of their own."""
        return ()

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and "official_documents" not in fields:
            fields.append("official_documents")
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "official_documents"] if obj is not None else fields

    @admin.display(description=gettext_lazy("official documents"))
    def official_documents(self, obj):
        return documents_panel(obj, related=self.documents_related(obj))
