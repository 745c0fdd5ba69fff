"""Back office of the voting engine: draft a poll, open, close, announce, void; print voting
codes; enter paper ballots; export the results. Every button calls a service."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import cleaning, exports, models, selectors, xlsx
from congress.services import voting
from congress.views.screen import screen_url

from . import poll_rules


class PollItemInline(cleaning.TabularInline):
    model = models.PollItem
    extra = 3
    fields = ["sort_order", "label", "note"]

    def _draft(self, obj):
        return obj is None or obj.status == models.Poll.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


def _levels_shaped(levels) -> bool:
    """Whether the typed levels are a list of objects, each with a code and a label in text."""
    return isinstance(levels, list) and all(
        isinstance(level, dict) and all(isinstance(level.get(key), str) and level[key] for key in ("code", "label"))
        for level in levels
    )


class PollForm(poll_rules.PollRulesFormMixin, cleaning.ModelForm):
    """A poll set up in the committee's words: its levels picked from the standard sets (or a
    set the county has used before), its passing rule as the law writes it."""

    level_set, pass_rule, pass_percent = poll_rules.rule_fields().values()

    class Meta:
        model = models.Poll
        fields = [
            "meeting",
            "title",
            "kind",
            "electorate",
            "level_set",
            "levels",
            "pass_rule",
            "pass_percent",
            "sort_order",
        ]
        labels = {"levels": gettext_lazy("other levels (advanced)")}
        help_texts = {
            "levels": gettext_lazy(
                "Only for “Other levels”: a list such as "
                '[{"code": "satisfied", "label": "满意", "weight": 100, "satisfied": true}, …].'
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_rules()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and data.get("levels") and not _levels_shaped(data["levels"]):
            self.add_error(
                "levels",
                _(
                    "Write the levels as a list of objects, each with its code and label, e.g. "
                    '[{"code": "satisfied", "label": "满意", "satisfied": true}, …].'
                ),
            )
            return data
        data = self._clean_rules(data)
        if kind and data.get("levels") and "levels" not in self.errors:
            try:
                voting._check_levels(kind, data["levels"])
            except voting.VotingError as exc:
                self.add_error("level_set" if data.get("level_set") != poll_rules.WRITTEN else "levels", str(exc))
        return data


CONTROL_ACTIONS = {
    "open": (voting.open_poll, gettext_lazy("The poll is open: voters can vote now.")),
    "close": (voting.close_poll, gettext_lazy("The poll is closed and counted.")),
    "announce": (voting.announce_poll, gettext_lazy("The result is on the hall's screen.")),
}


@admin.register(models.Poll)
class PollAdmin(cleaning.ModelAdmin):
    form = PollForm
    list_display = ["title", "meeting", "kind", "status", "progress", "screen_link"]
    list_filter = ["status", "kind", "meeting"]
    search_fields = ["title", "meeting__title"]
    list_select_related = ["meeting"]
    autocomplete_fields = ["meeting"]
    inlines = [PollItemInline]
    change_form_template = "admin/congress/poll_change_form.html"
    readonly_fields = ["status", "eligible_count", "opened_at", "closed_at", "announced_at", "void_reason", "rerun_of"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_voted=Count("participations"))

    SET_UP = PollForm.Meta.fields  # what staff set up on a draft
    SHOWN_OPEN = ["meeting", "title", "kind", "electorate", "levels_display", "rule_display", "sort_order"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != models.Poll.Status.DRAFT:
            return [*self.SHOWN_OPEN, *self.readonly_fields]
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status != models.Poll.Status.DRAFT:
            return [*self.SHOWN_OPEN, *self.readonly_fields]
        return [*self.SET_UP, *self.readonly_fields]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and obj.status != models.Poll.Status.DRAFT:
            kwargs["form"] = cleaning.ModelForm  # nothing of the sheet is edited once opened
        return super().get_form(request, obj, **kwargs)

    @admin.display(description=gettext_lazy("passing rule"))
    def rule_display(self, obj):
        rule = poll_rules.rule_of(obj)
        words = dict(poll_rules.rule_fields()["pass_rule"].choices)[rule]
        if obj.kind == models.Poll.Kind.SATISFACTION:
            return f"{words}：{(obj.pass_ratio * 100).normalize():f}%"
        return words

    @admin.display(description=gettext_lazy("levels"))
    def levels_display(self, obj):
        return "、".join(
            f"{level['label']}（{level['weight']}）" if "weight" in level else level["label"] for level in obj.levels
        )

    @admin.display(description=gettext_lazy("voted / eligible"))
    def progress(self, obj):
        if obj.eligible_count is None:
            return "—"
        return f"{obj.n_voted} / {obj.eligible_count}"

    @admin.display(description=gettext_lazy("screen"))
    def screen_link(self, obj):
        return format_html('<a href="{}" target="_blank">{}</a>', screen_url(obj.meeting_id), _("Screen"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/control/<str:action>/", wrap(self.control_view), name="congress_poll_control"),
            path("<int:pk>/paper/", wrap(self.paper_view), name="congress_poll_paper"),
            path("<int:pk>/export/", wrap(self.export_view), name="congress_poll_export"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        poll = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if poll is not None:
            group = request.GET.get("group", "all")
            extra["poll_panel"] = self._panel(poll, group if group in ("all", "member", "deputy") else "all")
        return super().change_view(request, object_id, form_url, extra)

    def _panel(self, poll, group: str) -> dict:
        panel = {
            "progress": selectors.poll_progress(poll) if poll.eligible_count is not None else None,
            "group": group,
            "groups": [("all", _("All voters")), ("member", _("Members")), ("deputy", _("Deputies"))],
        }
        if poll.status == models.Poll.Status.OPEN:
            panel["yet_to_vote"] = selectors.voters_yet_to_vote(poll)
        if poll.status in (models.Poll.Status.CLOSED, models.Poll.Status.ANNOUNCED):
            panel["results"] = [
                {"result": r, "cells": [r.counts.get(level["code"], 0) for level in poll.levels]}
                for r in selectors.poll_results(poll, group=group)
            ]
            panel["levels"] = poll.levels
        return panel

    def _require_change(self, request, poll):
        if not self.has_change_permission(request, poll):
            raise PermissionDenied

    def control_view(self, request, pk, action):
        """Open / close / announce / void / rerun / fill with units: POST only, via services."""
        poll = get_object_or_404(models.Poll, pk=pk)
        self._require_change(request, poll)
        if request.method != "POST":
            return redirect("admin:congress_poll_change", poll.pk)
        target = poll
        try:
            if action in CONTROL_ACTIONS:
                service, message = CONTROL_ACTIONS[action]
                service(poll, by=request.user)
            elif action == "void":
                voting.void_poll(
                    poll, reason=cleaning.clean_text(request.POST.get("reason", ""), multiline=True), by=request.user
                )
                message = _("The poll is void; the reason is on the record.")
            elif action == "rerun":
                target = voting.rerun_poll(poll, by=request.user)
                message = _("A new draft with the same ballot sheet was made.")
            elif action == "fill_units":
                added = voting.add_unit_items(poll, models.Unit.objects.filter(active=True), by=request.user)
                message = _("%(count)d units were added to the ballot sheet.") % {"count": added}
            else:
                raise PermissionDenied
        except voting.VotingError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:congress_poll_change", target.pk)

    def paper_view(self, request, pk):
        """Enter paper ballots: tick who handed one in, then type the sheets, as many as voters."""
        poll = get_object_or_404(models.Poll.objects.select_related("meeting"), pk=pk)
        self._require_change(request, poll)
        items = list(poll.items.all())
        pending = selectors.voters_yet_to_vote(poll) if poll.status == models.Poll.Status.OPEN else []
        try:
            count = max(1, min(int(request.GET.get("n", request.POST.get("n", 1))), 200))
        except ValueError:
            count = 1
        if request.method == "POST":
            chosen = set(request.POST.getlist("voters"))
            voters = [entry.deputy for entry in pending if str(entry.deputy_id) in chosen]
            sheets = [
                {str(item.pk): request.POST.get(f"sheet-{i}-item-{item.pk}", "") for item in items}
                for i in range(count)
            ]
            try:
                entered = voting.enter_paper_ballots(poll, voters=voters, sheets=sheets, by=request.user)
            except voting.VotingError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request, _("%(count)d paper ballots were counted.") % {"count": entered}, messages.SUCCESS
                )
                return redirect("admin:congress_poll_change", poll.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Paper ballots: %(title)s") % {"title": poll.title},
            "poll": poll,
            "items": items,
            "levels": poll.levels,
            "pending": pending,
            "sheet_numbers": range(count),
            "count": count,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/congress/poll_paper.html", context)

    def export_view(self, request, pk):
        poll = get_object_or_404(models.Poll, pk=pk)
        if not self.has_view_permission(request, poll):
            raise PermissionDenied
        try:
            data = exports.export_poll_results(poll)
        except selectors.TallyHidden:
            self.message_user(request, _("The results can be exported once the poll is closed."), messages.ERROR)
            return redirect("admin:congress_poll_change", poll.pk)
        return xlsx.download(data, exports.poll_results_filename(poll))


class VoterCodesForm(cleaning.Form):
    HALL, NO_LOGIN, EVERYONE = "hall", "no_login", "everyone"
    who = forms.ChoiceField(
        label=gettext_lazy("Slips for"),
        choices=[
            (HALL, gettext_lazy("Hall slips naming nobody (for polls of code holders)")),
            (NO_LOGIN, gettext_lazy("A deputy's code for each voter of the meeting who has no login")),
            (EVERYONE, gettext_lazy("A deputy's code for each voter of the meeting")),
        ],
        initial=HALL,
        required=False,  # hall slips, as before there were deputies' codes
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "A deputy's code votes as its person in the polls of members and deputies: whoever "
            "votes with their link cannot vote again with the slip, and the other way round."
        ),
    )
    count = forms.IntegerField(
        label=gettext_lazy("How many codes"), min_value=1, max_value=2000, initial=50, required=False
    )

    def clean(self):
        data = super().clean()
        data["who"] = data.get("who") or self.HALL
        if data["who"] == self.HALL and not data.get("count"):
            self.add_error("count", _("Say how many hall slips to print."))
        return data


class MeetingVotingMixin:
    """Adds "print voting codes" to a meeting in the back office."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/voter-codes/",
                self.admin_site.admin_view(self.voter_codes_view),
                name="congress_meeting_voter_codes",
            ),
            *super().get_urls(),
        ]

    def _issue_codes(self, request, meeting, form):
        """(person or None, code) pairs for the slips, or None with the refusal on the form."""
        who = form.cleaned_data["who"]
        try:
            if who == VoterCodesForm.HALL:
                codes = voting.issue_voter_codes(meeting, form.cleaned_data["count"], by=request.user)
                return [(None, code) for code in codes]
            people = selectors.meeting_voters(meeting, without_login=who == VoterCodesForm.NO_LOGIN)
            return voting.issue_deputy_codes(meeting, people, by=request.user)
        except voting.VotingError as exc:
            form.add_error(None, str(exc))
            return None

    def voter_codes_view(self, request, pk):
        import segno

        meeting = get_object_or_404(models.Meeting, pk=pk)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        form = VoterCodesForm(request.POST or None)
        pairs = self._issue_codes(request, meeting, form) if request.method == "POST" and form.is_valid() else None
        if pairs is not None:
            slips = []
            for person, code in pairs:
                url = request.build_absolute_uri(reverse("m:code_login", args=[code]))
                qr = segno.make(url, error="m").svg_data_uri(scale=3)
                slips.append({"code": code, "name": person.name if person else "", "qr": qr})
            context = {
                **self.admin_site.each_context(request),
                "title": meeting.title,
                "meeting": meeting,
                "slips": slips,
            }
            return TemplateResponse(request, "admin/congress/voter_code_slips.html", context)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Print voting codes: %(title)s") % {"title": meeting.title},
            "form": form,
            "meeting": meeting,
            "issued": meeting.voter_codes.filter(revoked=False).count(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/congress/voter_codes.html", context)
