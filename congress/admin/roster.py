"""Roster import and export buttons for the back office's registry lists.

``RosterAdminMixin`` adds two pages to a ModelAdmin's changelist: an upload page that imports
an .xlsx roster through ``congress.services.imports`` (all rows or none, with a table of every
problem), and a download of the changelist's filtered records as the same .xlsx format.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from congress.exports import export_filename, export_roster
from congress.services import imports

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def column_hint(column: imports.Column) -> str:
    """What a cell of ``column`` may hold, for the upload page."""
    if column.type in (imports.CHOICE, imports.BOOL):
        return column.label_list()
    if column.type == imports.DATE:
        return gettext("A date, e.g. 2024-03-01")
    if column.type == imports.MOBILE:
        return gettext("An 11-digit mobile number")
    if column.type == imports.EMAIL:
        return gettext("An email address")
    if column.type == imports.REF:
        return gettext("A name already on file")
    return ""


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class RosterAdminMixin:
    """Put before ``admin.ModelAdmin`` in the bases and name the roster: ``roster_kind``."""

    roster_kind: str = ""
    change_list_template = "admin/congress/roster_change_list.html"

    def _roster_url_name(self, action: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{action}"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.roster_import_view),
                name=self._roster_url_name("import"),
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.roster_export_view),
                name=self._roster_url_name("export"),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        site = self.admin_site.name
        if self.has_add_permission(request):
            extra_context["roster_import_url"] = reverse(f"{site}:{self._roster_url_name('import')}")
        if self.has_view_permission(request):
            url = reverse(f"{site}:{self._roster_url_name('export')}")
            extra_context["roster_export_url"] = f"{url}?{request.GET.urlencode()}" if request.GET else url
        return super().changelist_view(request, extra_context)

    def roster_import_view(self, request):
        """Upload a roster workbook; on refusal list every problem, on success go back to the list."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        problems = None
        if request.method == "POST":
            form = RosterUploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    result = imports.import_roster(self.roster_kind, form.cleaned_data["file"], by=request.user)
                except imports.RosterRejected as exc:
                    problems = exc.problems
                else:
                    self.message_user(
                        request,
                        gettext("Imported %(count)d %(name)s.")
                        % {"count": result.created, "name": self.opts.verbose_name_plural},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")
                    )
        else:
            form = RosterUploadForm()
        roster = imports.roster_for(self.roster_kind)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import %(name)s from Excel") % {"name": self.opts.verbose_name_plural},
            "opts": self.opts,
            "form": form,
            "problems": problems,
            "columns": [{"header": c.header, "required": c.required, "hint": column_hint(c)} for c in roster.COLUMNS],
            "has_view_permission": self.has_view_permission(request),
            "roster_export_url": reverse(f"{self.admin_site.name}:{self._roster_url_name('export')}"),
        }
        return TemplateResponse(request, "admin/congress/roster_import.html", context)

    def roster_export_view(self, request):
        """Download the list as shown: the changelist's filters and search apply."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            queryset = self.get_queryset(request)
        content = export_roster(self.roster_kind, queryset)
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=export_filename(self.roster_kind)
        )
        return response
