"""Roster import and export buttons on the back office's registry lists.

``RosterAdminMixin`` adds to a ModelAdmin's changelist a link to the roster's import (the one
upload → preview → confirm of ``congress.admin.rosters``) and a download of the changelist's
filtered records in the same .xlsx format, citizen ID numbers masked.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse

from congress import xlsx
from congress.exports import export_filename, export_roster

from .rosters import may_import


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
        if may_import(request.user, self.roster_kind):
            extra_context["roster_import_url"] = reverse(f"{site}:roster_import", args=[self.roster_kind])
        if self.has_view_permission(request):
            url = reverse(f"{site}:{self._roster_url_name('export')}")
            extra_context["roster_export_url"] = f"{url}?{request.GET.urlencode()}" if request.GET else url
        return super().changelist_view(request, extra_context)

    def roster_import_view(self, request):
        """The list's import is the one in the rosters' page."""
        if not may_import(request.user, self.roster_kind):
            raise PermissionDenied
        return HttpResponseRedirect(reverse(f"{self.admin_site.name}:roster_import", args=[self.roster_kind]))

    def roster_export_view(self, request):
        """Download the list as shown: the changelist's filters and search apply."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            queryset = self.get_queryset(request)
        return xlsx.download(export_roster(self.roster_kind, queryset), export_filename(self.roster_kind))
