"""The back office's one place for the county's rosters (名册导入导出) and the setting-up page
(系统初始化).

A roster comes in in three steps: upload the office's workbook, read the preview (what every
row will do, by the sheet's own row numbers; the records it names that are not on file; the
columns not recognised; every problem, with the marked copy to download), then confirm. Every
roster is exported from the same page, citizen ID numbers masked unless the user may see them
whole (``congress.view_full_id_number``) and asks for them.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from congress import cleaning, models, selectors, xlsx
from congress.exports import export_filename, export_roster
from congress.models import RosterUpload
from congress.services import imports
from congress.services.imports import uploads

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FULL_ID_PERMISSION = "congress.view_full_id_number"

# Each roster in the interface, in the order a county brings them in. "Units" alone is also a
# count elsewhere (the board's 单位数): the roster's name has a context of its own.
ROSTER_LABELS = {
    "groups": _("Deputy groups"),
    "deputies": _("Deputies (county and township)"),
    "members": _("Standing committee members"),
    "commissions": _("Commissions"),
    "seats": _("Commission seats"),
    "units": pgettext_lazy("roster", "Units"),
    "liaisons": _("Unit liaisons"),
    "officials": _("Officials"),
}
ROSTER_NOTES = {
    "groups": _("Optional: deputy groups named in the deputies' roster can be created with it."),
    "deputies": _("The register as the office keeps it; groups not yet on file are listed for you to confirm."),
    "members": _("Deputies already imported, named by mobile number or citizen ID number."),
    "commissions": _("Special and working commissions, offices."),
    "seats": _("Who sits on which commission: commissions and deputies already imported."),
    "units": _(
        "Liaison leaders (members) and commissions already imported; with the columns 联络员 and 联络员手机, "
        "each unit's liaison gets a login (print their first-login slips from the users' list)."
    ),
    "liaisons": _("A login for each liaison, named by the mobile number; units not on file are listed to confirm."),
    "officials": _("The heads of the units; units not on file are listed to confirm."),
}


def _permission(kind: str, action: str) -> str:
    opts = imports.ROSTERS[kind].model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def may_import(user, kind: str) -> bool:
    return user.has_perms([_permission(kind, "add"), _permission(kind, "change")])


def may_export(user, kind: str) -> bool:
    return user.has_perm(_permission(kind, "view"))


def has_id_numbers(kind: str) -> bool:
    return any(c.type == imports.ID_NUMBER for c in imports.ROSTERS[kind].COLUMNS)


def column_hint(column: imports.Column) -> str:
    """What a cell of ``column`` may hold, for the upload page."""
    if column.type in (imports.CHOICE, imports.BOOL):
        return column.label_list()
    if column.type == imports.DATE:
        return gettext("A date, e.g. 2024-03-01")
    if column.type == imports.MONTH:
        return gettext("A date, or a year and month such as 1962.01")
    if column.type == imports.MOBILE:
        return gettext("A mobile number; spaces and dashes are fine")
    if column.type == imports.ID_NUMBER:
        return gettext("18 characters with the check digit; an old 15-digit number is converted")
    if column.type == imports.EMAIL:
        return gettext("An email address")
    if column.type == imports.REF:
        return (
            gettext("A name already on file") if not column.creatable else gettext("A name; new ones after you confirm")
        )
    return ""


class RosterUploadForm(cleaning.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > uploads.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 5 MB; it is not a roster."))
        return upload


def _kind_or_404(kind: str) -> str:
    if kind not in imports.ROSTERS:
        raise Http404
    return kind


class RosterViews:
    """The pages, bound to the admin site (its login, its context, its URL namespace)."""

    def __init__(self, site):
        self.site = site

    def urls(self):
        view = self.site.admin_view
        return [
            path("rosters/", view(self.index), name="rosters"),
            path("rosters/<str:kind>/import/", view(self.upload), name="roster_import"),
            path("rosters/<str:kind>/export/", view(self.export), name="roster_export"),
            path("rosters/uploads/<int:pk>/", view(self.preview), name="roster_preview"),
            path("rosters/uploads/<int:pk>/marked/", view(self.marked), name="roster_marked"),
            path("setup/", view(self.setup), name="setup"),
        ]

    def _context(self, request, title, **extra):
        return {**self.site.each_context(request), "title": title, **extra}

    def index(self, request):
        """Every roster: import it, export it."""
        rows = [
            {
                "kind": kind,
                "label": ROSTER_LABELS[kind],
                "note": ROSTER_NOTES[kind],
                "may_import": may_import(request.user, kind),
                "may_export": may_export(request.user, kind),
                "full_id": has_id_numbers(kind) and request.user.has_perm(FULL_ID_PERMISSION),
            }
            for kind in imports.ROSTERS
        ]
        if not any(r["may_import"] or r["may_export"] for r in rows):
            raise PermissionDenied
        recent = RosterUpload.objects.select_related("uploaded_by").defer("content")[:10]
        return TemplateResponse(
            request,
            "admin/congress/rosters.html",
            self._context(request, _("Rosters: import and export"), rows=rows, recent=recent, labels=ROSTER_LABELS),
        )

    def upload(self, request, kind):
        """Upload a workbook for ``kind``; it is kept and previewed before anything is written."""
        kind = _kind_or_404(kind)
        if not may_import(request.user, kind):
            raise PermissionDenied
        if request.method == "POST":
            form = RosterUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = uploads.store_upload(kind, form.cleaned_data["file"], by=request.user)
                return HttpResponseRedirect(reverse(f"{self.site.name}:roster_preview", args=[upload.pk]))
        else:
            form = RosterUploadForm()
        roster = imports.roster_for(kind)
        columns = [
            {"header": c.header, "aliases": "、".join(c.aliases), "required": c.required, "hint": column_hint(c)}
            for c in roster.COLUMNS
        ]
        return TemplateResponse(
            request,
            "admin/congress/roster_import.html",
            self._context(
                request,
                _("Import %(name)s from Excel") % {"name": ROSTER_LABELS[kind]},
                kind=kind,
                form=form,
                columns=columns,
                note=ROSTER_NOTES[kind],
                may_export=may_export(request.user, kind),
            ),
        )

    def preview(self, request, pk):
        """What the upload will do; confirm (with the missing records, if any) to import it."""
        upload = get_object_or_404(RosterUpload, pk=pk)
        if not may_import(request.user, upload.kind):
            raise PermissionDenied
        plan, problems, result = None, [], None
        if request.method == "POST" and upload.imported_at is None:
            create_missing = request.POST.get("create_missing") == "on"
            try:
                result = uploads.import_upload(upload, by=request.user, create_missing=create_missing)
            except imports.RosterRejected as exc:
                plan, problems = exc.plan, exc.problems
            else:
                messages.success(
                    request,
                    gettext("Imported %(name)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                    % {
                        "name": ROSTER_LABELS[upload.kind],
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                for label, count in result.made.items():
                    messages.success(
                        request, gettext("Also created: %(count)d %(label)s.") % {"count": count, "label": label}
                    )
                return HttpResponseRedirect(reverse(f"{self.site.name}:setup"))
        if plan is None and not problems:
            try:
                plan = uploads.preview_upload(upload)
                problems = plan.problems
            except imports.RosterRejected as exc:
                problems = exc.problems
        by_row = {}
        for problem in problems:
            by_row.setdefault(problem.row, []).append(problem)
        rows = []
        for row in plan.rows if plan else []:
            rows.append({"row": row, "pending": [p.column for p in by_row.pop(row.row, [])]})
        refused = [(row, found) for row, found in sorted(by_row.items()) if row]
        context = self._context(
            request,
            _("Preview: %(name)s") % {"name": ROSTER_LABELS[upload.kind]},
            upload=upload,
            kind_label=ROSTER_LABELS[upload.kind],
            plan=plan,
            rows=rows,
            refused=refused,
            file_problems=by_row.get(0, []),
            problems=problems,
            blocking=[p for p in problems if not p.unconfirmed],
            only_unconfirmed=bool(problems) and all(p.unconfirmed for p in problems),
        )
        return TemplateResponse(request, "admin/congress/roster_preview.html", context)

    def marked(self, request, pk):
        """The uploaded workbook with its bad cells marked and the reasons in comments."""
        upload = get_object_or_404(RosterUpload, pk=pk)
        if not may_import(request.user, upload.kind):
            raise PermissionDenied
        try:
            plan = uploads.preview_upload(upload)
            problems = plan.problems
        except imports.RosterRejected as exc:
            plan, problems = None, exc.problems
        content = uploads.marked_upload(upload, plan, problems)
        if content is None:
            raise Http404
        stem = upload.file_name.rsplit(".", 1)[0]
        return xlsx.download(content, xlsx.filename(stem, "标注"))

    def export(self, request, kind):
        """The whole roster; ID numbers whole only for a user allowed and asking for it."""
        kind = _kind_or_404(kind)
        if not may_export(request.user, kind):
            raise PermissionDenied
        full_id = request.GET.get("full_id") == "1"
        if full_id and not request.user.has_perm(FULL_ID_PERMISSION):
            raise PermissionDenied
        return xlsx.download(export_roster(kind, full_id=full_id), export_filename(kind))

    def setup(self, request):
        """The setting-up page: what the county has configured, what is missing, and the
        import for each."""
        if not request.user.is_staff:
            raise PermissionDenied
        site = self.site.name
        items = []
        for entry in selectors.setup_checklist():
            key = entry["key"]
            item = {**entry, "label": SETUP_LABELS[key], "done": bool(entry["count"])}
            if key == "committee":
                item["action_url"] = (
                    reverse(f"{site}:congress_committee_change", args=[entry["object"].pk])
                    if entry["object"]
                    else reverse(f"{site}:congress_committee_add")
                )
            elif key == "term":
                item["action_url"] = (
                    reverse(f"{site}:congress_term_changelist")
                    if entry["object"]
                    else reverse(f"{site}:congress_term_add")
                )
            elif key == "channels":
                item["done"] = entry["email"] or entry["sms"]
            if key in imports.ROSTERS:
                if may_import(request.user, key):
                    item["import_url"] = reverse(f"{site}:roster_import", args=[key])
                model = imports.ROSTERS[key].model
                opts = (models.Commission if key == "seats" else model)._meta  # seats are edited in commissions
                if request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
                    item["list_url"] = reverse(f"{site}:{opts.app_label}_{opts.model_name}_changelist")
            items.append(item)
        needs_term = not items[1]["done"]
        return TemplateResponse(
            request,
            "admin/congress/setup.html",
            self._context(
                request,
                _("Setting up"),
                items=items,
                needs_term=needs_term,
                missing=sum(1 for i in items if not i["done"]),
            ),
        )


SETUP_LABELS = {
    "committee": _("The standing committee"),
    "term": _("Current term"),
    "groups": ROSTER_LABELS["groups"],
    "deputies": ROSTER_LABELS["deputies"],
    "members": ROSTER_LABELS["members"],
    "commissions": ROSTER_LABELS["commissions"],
    "seats": ROSTER_LABELS["seats"],
    "units": ROSTER_LABELS["units"],
    "liaisons": ROSTER_LABELS["liaisons"],
    "officials": ROSTER_LABELS["officials"],
    "channels": _("Reminder channels"),
}
