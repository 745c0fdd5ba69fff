"""Back office of the suggestions: the congress sessions with their handling periods, the
categories, and the suggestion board. A suggestion's page carries the workflow: intake (accept
or decline with a reason, related suggestions of other years to link), assignment to a lead
unit and co-units, extension decisions, key suggestions, supervision records and the follow-up
review; the list exports the handling table to Excel; the statistics page shows each unit's
figures and publishes a year. Every button calls a service."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import cleaning, xlsx
from congress.admin.documents import IssuedDocumentsMixin
from congress.models import Commission, Member, Unit

from . import exports, selectors, services
from .models import (
    Assignment,
    Category,
    CongressSession,
    RelatedProposal,
    Suggestion,
    SupervisionActivity,
    YearStatistics,
)


@admin.register(CongressSession)
class CongressSessionAdmin(cleaning.ModelAdmin):
    list_display = ["__str__", "year", "starts_on", "ends_on", "is_current", "reply_months", "extended_months"]
    fieldsets = [
        (None, {"fields": ["term", "number", "year", "starts_on", "ends_on", "is_current"]}),
        (
            gettext_lazy("Handling periods"),
            {
                "fields": [
                    ("reply_months", "extended_months", "rehandle_months"),
                    ("return_days", "co_unit_months"),
                    ("remind_days", "rate_remind_days"),
                ]
            },
        ),
    ]


@admin.register(Category)
class CategoryAdmin(cleaning.ModelAdmin):
    list_display = ["name", "sort_order", "active"]
    list_editable = ["sort_order", "active"]


@admin.register(YearStatistics)
class YearStatisticsAdmin(IssuedDocumentsMixin, cleaning.ModelAdmin):
    list_display = ["year", "weight_on_time", "weight_completed", "weight_satisfied", "published_at"]
    readonly_fields = ["published_at", "published_by"]


class AssignForm(cleaning.Form):
    lead_unit = forms.ModelChoiceField(label=gettext_lazy("Lead unit"), queryset=Unit.objects.filter(active=True))
    co_units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Co-unit"), queryset=Unit.objects.filter(active=True), required=False
    )


class KeyForm(cleaning.Form):
    supervisor = forms.ModelChoiceField(
        label=gettext_lazy("leader supervising"),
        queryset=Member.objects.filter(active=True).exclude(position=Member.Position.MEMBER).select_related("deputy"),
    )
    commission = forms.ModelChoiceField(
        label=gettext_lazy("commission following it"), queryset=Commission.objects.filter(active=True), required=False
    )
    handler = forms.CharField(label=gettext_lazy("government leader handling it"), max_length=50, required=False)
    decided_on = forms.DateField(label=gettext_lazy("chosen by the director's meeting on"), initial=datetime.date.today)


class ActivityForm(cleaning.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=SupervisionActivity.Kind.choices)
    happened_on = forms.DateField(label=gettext_lazy("date"), initial=datetime.date.today)
    participants = forms.CharField(label=gettext_lazy("participants"), max_length=300, required=False)
    findings = forms.CharField(label=gettext_lazy("findings"), widget=forms.Textarea(attrs={"rows": 3}))
    passed = forms.ChoiceField(
        label=gettext_lazy("passed"),
        choices=[("", "—"), ("yes", gettext_lazy("passed")), ("no", gettext_lazy("not passed"))],
        required=False,
    )


class RatingLateFilter(admin.SimpleListFilter):
    """Replies the lead deputy has not rated by the day it was due (the workbench's count)."""

    title = gettext_lazy("deputy's rating")
    parameter_name = "rating"

    def lookups(self, request, model_admin):
        return [("late", _("Rating late"))]

    def queryset(self, request, queryset):
        if self.value() == "late":
            return queryset.filter(pk__in=selectors.ratings_late().values("pk"))
        return queryset


@admin.register(Suggestion)
class SuggestionAdmin(IssuedDocumentsMixin, cleaning.ModelAdmin):
    list_display = ["code_display", "title", "lead_deputy", "category", "status", "is_key", "session"]
    list_filter = ["status", RatingLateFilter, "is_key", "between_sessions", "session", "category"]
    search_fields = ["title", "text", "lead_deputy__name"]
    list_select_related = ["lead_deputy", "category", "session__term"]
    readonly_fields = [
        "session",
        "between_sessions",
        "code_display",
        "lead_deputy",
        "title",
        "text",
        "category",
        "status",
        "is_key",
        "submitted_at",
        "decided_at",
        "decline_reason",
        "completed_at",
        "reviewed_at",
    ]
    fields = readonly_fields
    change_form_template = "admin/suggestions/suggestion_change_form.html"
    change_list_template = "admin/suggestions/suggestion_change_list.html"

    @admin.display(description=gettext_lazy("number"), ordering="number")
    def code_display(self, obj):
        return obj.code or "—"

    def has_add_permission(self, request):
        return False  # deputies write suggestions on their phones

    def documents_related(self, obj):
        # Each unit it was assigned to has its 交办函 and, while handling, its 督办函.
        return list(obj.assignments.select_related("unit").exclude(status=Assignment.Status.RETURNED))

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status__in=[Suggestion.Status.DRAFT])

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("export/", wrap(self.export_view), name="suggestions_suggestion_export"),
            path("statistics/", wrap(self.statistics_view), name="suggestions_suggestion_statistics"),
            path("<int:pk>/workflow/<str:action>/", wrap(self.workflow_view), name="suggestions_suggestion_workflow"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        suggestion = get_object_or_404(Suggestion, pk=object_id)
        extra_context = {
            **(extra_context or {}),
            **selectors.history(suggestion),
            "matter": selectors.matter_history(suggestion),
            "categories": Category.objects.filter(active=True),
            "assign_form": AssignForm(),
            "key_form": KeyForm(),
            "activity_form": ActivityForm(),
            "may_change": self.has_change_permission(request, suggestion),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_view(self, request, pk, action):
        suggestion = get_object_or_404(Suggestion, pk=pk)
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:suggestions_suggestion_change", pk)
        post, by = cleaning.clean_post(request.POST), request.user
        try:
            message = self._run(action, suggestion, post, by)
        except services.SuggestionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        except (
            ValueError,
            Category.DoesNotExist,
            Suggestion.DoesNotExist,
            Assignment.DoesNotExist,
            RelatedProposal.DoesNotExist,
        ):
            self.message_user(request, _("Please correct the form below."), messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:suggestions_suggestion_change", pk)

    def _run(self, action, suggestion, post, by) -> str:
        if action == "accept":
            category = Category.objects.get(pk=post["category"]) if post.get("category") else None
            services.accept_suggestion(suggestion, by=by, category=category)
            suggestion.refresh_from_db()
            return _("Accepted as %(code)s.") % {"code": suggestion.code}
        if action == "decline":
            services.decline_suggestion(suggestion, by=by, reason=post.get("reason", ""))
            return _("Not accepted; the deputy sees the reason.")
        if action in ("confirm_related", "dismiss_related"):
            proposal = RelatedProposal.objects.get(pk=int(post.get("proposal", "0")))
            if action == "confirm_related":
                services.confirm_related(proposal, suggestion=suggestion, by=by)
                return _("Confirmed: the same matter, now one history.")
            services.dismiss_related(proposal, suggestion=suggestion, by=by)
            return _("Dismissed: it will not be proposed again.")
        if action in ("link", "unlink"):
            other = Suggestion.objects.get(pk=int(post.get("other", "0")))
            (services.link_suggestions if action == "link" else services.unlink_suggestions)(suggestion, other, by=by)
            return _("Linked.") if action == "link" else _("Unlinked.")
        if action == "assign":
            form = AssignForm(post)
            if not form.is_valid():
                raise services.SuggestionError(_("Choose the lead unit."))
            services.assign_suggestion(
                suggestion, lead_unit=form.cleaned_data["lead_unit"], co_units=form.cleaned_data["co_units"], by=by
            )
            return _("Assigned; the units are told and the reply clock has started.")
        if action in ("approve_extension", "refuse_extension"):
            assignment = suggestion.assignments.get(pk=int(post.get("assignment", "0")))
            services.decide_extension(assignment, approve=action == "approve_extension", by=by)
            return _("The unit is told of the decision.")
        if action == "key":
            form = KeyForm(post)
            if not form.is_valid():
                raise services.SuggestionError(_("Choose the leader supervising it and the date of the meeting."))
            services.designate_key(suggestion, by=by, **form.cleaned_data)
            return _("Made a key suggestion; its tracking steps are scheduled.")
        if action == "activity":
            form = ActivityForm(post)
            if not form.is_valid():
                raise services.SuggestionError(_("Fill in the kind, date and findings."))
            data = form.cleaned_data
            common = {
                "happened_on": data["happened_on"],
                "findings": data["findings"],
                "participants": data["participants"],
                "by": by,
            }
            if data["kind"] == SupervisionActivity.Kind.FOLLOW_UP:
                if data["passed"] not in ("yes", "no"):
                    raise services.SuggestionError(_("Say whether the follow-up review passed."))
                services.review_suggestion(suggestion, passed=data["passed"] == "yes", **common)
            else:
                services.record_activity(suggestion, kind=data["kind"], **common)
            return _("Recorded.")
        if action == "tracking":
            item = suggestion.key.tracking.get(pk=int(post.get("item", "0")))
            services.record_tracking(item, text=post.get("text", ""), by=by)
            return _("Recorded.")
        raise PermissionDenied

    def _year(self, request) -> int:
        try:
            return int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            return timezone.localdate().year

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = self._year(request)
        suggestions = Suggestion.objects.filter(number__isnull=False, session__year=year)
        return xlsx.download(exports.export_handling_table(suggestions), exports.export_filename(year))

    def statistics_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = self._year(request)
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            publish = request.POST.get("action") == "publish"
            try:
                (services.publish_statistics if publish else services.withdraw_statistics)(year, by=request.user)
            except services.SuggestionError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request, _("Published.") if publish else _("Taken off the public site."), messages.SUCCESS
                )
            return redirect(f"{request.path}?year={year}")
        stats = YearStatistics.objects.filter(year=year).first()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Suggestion handling statistics %(year)s") % {"year": year},
            "opts": self.model._meta,
            "year": year,
            "rows": selectors.unit_statistics(year),
            "repeats": selectors.repeated_matters(year),
            "stats": stats,
            "board": selectors.office_board(),
            "years": sorted(set(CongressSession.objects.values_list("year", flat=True)), reverse=True),
        }
        return TemplateResponse(request, "admin/suggestions/statistics.html", context)
