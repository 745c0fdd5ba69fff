"""Back office of year-round supervision: the units' commitments and the commission's check, the
supervision calendar (plan the year, record what was held, cancel with a reason), a unit's year
for its year-end evaluation, special inquiries with their questions and answers, deliberation
opinions (drafted, approved, delivered and published through the one rectification mechanism)
and the year in numbers with its Excel. Every button calls a service."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import cleaning, params, xlsx
from congress.models import Deputy, Meeting, Member, Unit
from evaluations.models import Rectification
from evaluations.services import EvaluationError
from evaluations.services import rectification as rect

from . import exports, selectors, services
from .models import Activity, Commitment, Deliberation, SpecialInquiry
from .services import OversightError


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else selectors.this_year()


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


# --- commitments ------------------------------------------------------------------------------


@admin.register(Commitment)
class CommitmentAdmin(cleaning.ModelAdmin):
    list_display = ["title", "unit", "year", "kind", "due_on", "progress_bar", "state", "late"]
    list_filter = ["year", "kind", "state", "unit__liaison_commission"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "year", "kind", "title", "detail", "target", "due_on", "sort_order"]
    change_form_template = "admin/oversight/commitment_change_form.html"
    actions = ["confirm_done"]

    @admin.display(description=gettext_lazy("progress (%)"), ordering="progress")
    def progress_bar(self, obj):
        return format_html('<progress max="100" value="{}"></progress> {}%', obj.progress, obj.progress)

    @admin.display(description=gettext_lazy("late"), boolean=True)
    def late(self, obj):
        return obj.state != Commitment.State.DONE and obj.due_on is not None and obj.due_on < timezone.localdate()

    def get_readonly_fields(self, request, obj=None):
        return ["unit", "year", "kind"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = services.add_commitment(
            data["unit"],
            year=data["year"],
            kind=data["kind"],
            title=data["title"],
            detail=data.get("detail", ""),
            target=data.get("target", ""),
            due_on=data.get("due_on"),
            by=request.user,
        )
        obj.pk = created.pk

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"updates": Commitment.objects.get(pk=object_id).updates.select_related("by")} if object_id else {}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/check/", wrap(self.check_view), name="oversight_commitment_check"),
        ] + super().get_urls()

    def check_view(self, request, pk):
        _need(request, "oversight.change_commitment")
        commitment = get_object_or_404(Commitment, pk=pk)
        if request.method == "POST":
            confirmed = request.POST.get("decision") == "confirm"
            try:
                services.check_commitment(
                    commitment,
                    by=request.user,
                    confirmed=confirmed,
                    comment=cleaning.clean_text(request.POST.get("comment", ""), multiline=True),
                )
            except OversightError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Confirmed as done.") if confirmed else _("Returned to the unit with your comment."),
                    messages.SUCCESS,
                )
        return redirect("admin:oversight_commitment_change", commitment.pk)

    @admin.action(description=gettext_lazy("Confirm the selected items reported done"), permissions=["change"])
    def confirm_done(self, request, queryset):
        done = 0
        for commitment in queryset.filter(state=Commitment.State.REPORTED):
            services.check_commitment(commitment, by=request.user, confirmed=True)
            done += 1
        self.message_user(request, _("%(n)s items confirmed as done.") % {"n": done}, messages.SUCCESS)


# --- the supervision calendar -----------------------------------------------------------------


class ActivityForm(cleaning.ModelForm):
    class Meta:
        model = Activity
        fields = ["unit", "kind", "title", "planned_on"]
        widgets = {"planned_on": forms.DateInput(attrs={"type": "date"})}


@admin.register(Activity)
class ActivityAdmin(cleaning.ModelAdmin):
    form = ActivityForm
    list_display = ["planned_on", "unit", "kind", "title", "status", "held_on", "overdue", "commission"]
    list_filter = ["year", "kind", "status", "commission"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit", "commission"]
    autocomplete_fields = ["unit"]
    date_hierarchy = "planned_on"
    change_form_template = "admin/oversight/activity_change_form.html"
    change_list_template = "admin/oversight/activity_change_list.html"

    @admin.display(description=gettext_lazy("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.status == Activity.Status.PLANNED and obj.planned_on < timezone.localdate()

    def get_readonly_fields(self, request, obj=None):
        return ["unit", "kind", "title", "planned_on"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return  # a plan is recorded or cancelled through its buttons, never edited
        data = form.cleaned_data
        created = services.plan_activity(
            data["unit"], kind=data["kind"], planned_on=data["planned_on"], title=data["title"], by=request.user
        )
        obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        pass

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except OversightError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:oversight_activity_add")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        activity = get_object_or_404(Activity.objects.select_related("unit"), pk=object_id)
        extra = {
            "people": _people_choices(activity.unit),
            "today": timezone.localdate(),
            "participants": (list(activity.members.select_related("deputy")), list(activity.deputies.all())),
        }
        if activity.kind == Activity.Kind.EVALUATION:
            extra["record"] = selectors.unit_year(activity.unit, activity.year)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("plan-year/", wrap(self.plan_year_view), name="oversight_activity_plan_year"),
            path("year/", wrap(self.year_view), name="oversight_activity_year"),
            path("unit/<int:unit>/<int:year>/", wrap(self.unit_year_view), name="oversight_activity_unit_year"),
            path("<int:pk>/record/", wrap(self.record_view), name="oversight_activity_record"),
            path("<int:pk>/cancel/", wrap(self.cancel_view), name="oversight_activity_cancel"),
        ] + super().get_urls()

    def plan_year_view(self, request):
        _need(request, "oversight.add_activity")
        if request.method == "POST":
            year = params.integer(request.POST, "year", selectors.this_year(), minimum=2000, maximum=2100)
            added = 0
            for unit in Unit.objects.filter(active=True).order_by("sort_order", "pk"):
                added += len(services.plan_year(unit, year=year, by=request.user))
            self.message_user(
                request,
                _("%(n)s activities planned for %(year)s.") % {"n": added, "year": year},
                messages.SUCCESS,
            )
        return redirect("admin:oversight_activity_changelist")

    def record_view(self, request, pk):
        _need(request, "oversight.change_activity")
        activity = get_object_or_404(Activity, pk=pk)
        if request.method == "POST":
            members = Member.objects.filter(pk__in=_ids(request.POST.getlist("members")))
            deputies = Deputy.objects.filter(pk__in=_ids(request.POST.getlist("deputies")))
            try:
                services.record_activity(
                    activity,
                    held_on=_date(request.POST.get("held_on")),
                    findings=cleaning.clean_text(request.POST.get("findings", ""), multiline=True),
                    follow_up=cleaning.clean_text(request.POST.get("follow_up", ""), multiline=True),
                    members=list(members),
                    deputies=list(deputies),
                    by=request.user,
                )
            except OversightError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("Recorded as held."), messages.SUCCESS)
        return redirect("admin:oversight_activity_change", activity.pk)

    def cancel_view(self, request, pk):
        _need(request, "oversight.change_activity")
        activity = get_object_or_404(Activity, pk=pk)
        if request.method == "POST":
            try:
                services.cancel_activity(
                    activity,
                    reason=cleaning.clean_text(request.POST.get("reason", ""), multiline=True),
                    by=request.user,
                )
            except OversightError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("Cancelled."), messages.SUCCESS)
        return redirect("admin:oversight_activity_change", activity.pk)

    def unit_year_view(self, request, unit, year):
        _need(request, "oversight.view_activity")
        unit = get_object_or_404(Unit, pk=unit)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("%(unit)s in %(year)s") % {"unit": unit.name, "year": year},
            "record": selectors.unit_year(unit, year),
        }
        return TemplateResponse(request, "admin/oversight/unit_year.html", context)

    def year_view(self, request):
        _need(request, "oversight.view_activity")
        year = _year(request)
        numbers = selectors.year_in_numbers(year)
        if request.GET.get("format") == "xlsx":
            return xlsx.download(exports.year_workbook(numbers), exports.year_filename(year))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Supervision in %(year)s, in numbers") % {"year": year},
            "numbers": numbers,
            "rows": exports.year_rows(numbers),
            "year": year,
            "years": range(selectors.this_year(), selectors.this_year() - 5, -1),
        }
        return TemplateResponse(request, "admin/oversight/year.html", context)

    def changelist_view(self, request, extra_context=None):
        extra = {"this_year": selectors.this_year()}
        return super().changelist_view(request, {**(extra_context or {}), **extra})


def _people_choices(unit: Unit) -> dict:
    """Members and deputies to pick as participants: the liaison commission's first."""
    members = list(Member.objects.filter(active=True).select_related("deputy").order_by("sort_order", "pk"))
    seats = set()
    if unit.liaison_commission_id:
        seats = set(unit.liaison_commission.seats.values_list("deputy_id", flat=True))
    members.sort(key=lambda m: m.deputy_id not in seats)
    deputies = list(Deputy.objects.filter(pk__in=seats).exclude(member__isnull=False).order_by("name"))
    return {"members": members, "deputies": deputies}


# --- special inquiries ------------------------------------------------------------------------


class SpecialInquiryForm(cleaning.ModelForm):
    class Meta:
        model = SpecialInquiry
        fields = ["topic", "planned_on", "meeting", "units", "follow_up"]
        widgets = {"planned_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "meeting" in self.fields:
            self.fields["meeting"].queryset = Meeting.objects.filter(kind=Meeting.Kind.STANDING)


@admin.register(SpecialInquiry)
class SpecialInquiryAdmin(cleaning.ModelAdmin):
    form = SpecialInquiryForm
    list_display = ["topic", "planned_on", "status", "held_on", "question_count"]
    list_filter = ["year", "status"]
    search_fields = ["topic"]
    filter_horizontal = ["units"]
    change_form_template = "admin/oversight/specialinquiry_change_form.html"

    @admin.display(description=gettext_lazy("questions"))
    def question_count(self, obj):
        return obj.questions.count()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("questions")

    def get_readonly_fields(self, request, obj=None):
        return ["topic", "planned_on", "meeting", "units"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = services.plan_special_inquiry(
            topic=data["topic"],
            planned_on=data["planned_on"],
            units=list(data["units"]),
            meeting=data.get("meeting"),
            by=request.user,
        )
        obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        inquiry = get_object_or_404(SpecialInquiry, pk=object_id)
        extra = {
            "questions": inquiry.questions.select_related("asked_by", "unit"),
            "askers": Deputy.objects.filter(member__active=True).order_by("member__sort_order", "pk"),
            "inquiry_units": inquiry.units.order_by("sort_order", "pk"),
            "today": timezone.localdate(),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/do/<slug:step>/", wrap(self.step_view), name="oversight_specialinquiry_step"),
        ] + super().get_urls()

    def step_view(self, request, pk, step):
        _need(request, "oversight.change_specialinquiry")
        inquiry = get_object_or_404(SpecialInquiry, pk=pk)
        if request.method == "POST":
            post = cleaning.clean_post(request.POST, one_line=("answered_by",))
            try:
                if step == "question":
                    asker = Deputy.objects.filter(pk__in=_ids([post.get("asked_by")])).first()
                    if asker is None:
                        raise OversightError(_("Choose who asked."))
                    unit = Unit.objects.filter(pk__in=_ids([post.get("unit")])).first()
                    services.record_inquiry_question(
                        inquiry,
                        asked_by=asker,
                        question=post.get("question", ""),
                        unit=unit,
                        answered_by=post.get("answered_by", ""),
                        answer=post.get("answer", ""),
                        by=request.user,
                    )
                elif step == "hold":
                    held_on = _date(post.get("held_on"))
                    if held_on is None:
                        raise OversightError(_("Give the date it was held."))
                    services.hold_special_inquiry(
                        inquiry, held_on=held_on, follow_up=post.get("follow_up", ""), by=request.user
                    )
            except OversightError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("Saved."), messages.SUCCESS)
        return redirect("admin:oversight_specialinquiry_change", inquiry.pk)


# --- deliberation opinions ---------------------------------------------------------------------


class DeliberationForm(cleaning.ModelForm):
    report_months = forms.IntegerField(
        label=gettext_lazy("report due (months after delivery)"), min_value=2, max_value=6, initial=2
    )

    class Meta:
        model = Deliberation
        fields = ["meeting", "report_title", "unit", "deliberated_on"]
        widgets = {"deliberated_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "meeting" in self.fields:
            self.fields["meeting"].queryset = Meeting.objects.filter(kind=Meeting.Kind.STANDING)


@admin.register(Deliberation)
class DeliberationAdmin(cleaning.ModelAdmin):
    form = DeliberationForm
    list_display = ["report_title", "unit", "deliberated_on", "handling", "published"]
    list_filter = ["rectification__status"]
    search_fields = ["report_title", "unit__name"]
    list_select_related = ["unit", "rectification"]
    autocomplete_fields = ["unit"]
    change_form_template = "admin/oversight/deliberation_change_form.html"

    @admin.display(description=gettext_lazy("handling"))
    def handling(self, obj):
        return obj.rectification.get_status_display()

    @admin.display(description=gettext_lazy("published"), boolean=True)
    def published(self, obj):
        return obj.published_at is not None

    def get_fields(self, request, obj=None):
        return ["meeting", "report_title", "unit", "deliberated_on"] + ([] if obj else ["report_months"])

    def get_readonly_fields(self, request, obj=None):
        return ["meeting", "report_title", "unit", "deliberated_on"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        created = services.record_deliberation(
            meeting=data["meeting"],
            report_title=data["report_title"],
            unit=data["unit"],
            deliberated_on=data["deliberated_on"],
            report_months=data["report_months"],
            by=request.user,
        )
        obj.pk = created.pk

    def change_view(self, request, object_id, form_url="", extra_context=None):
        deliberation = get_object_or_404(Deliberation.objects.select_related("rectification"), pk=object_id)
        extra = {
            "opinions": deliberation.rectification.opinions.order_by("sort_order"),
            "directors_meetings": Meeting.objects.filter(kind=Meeting.Kind.DIRECTORS).order_by("-starts_at"),
            "rectification_url": reverse(
                "admin:evaluations_rectification_change", args=[deliberation.rectification_id]
            ),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/do/<slug:step>/", wrap(self.step_view), name="oversight_deliberation_step"),
        ] + super().get_urls()

    def step_view(self, request, pk, step):
        _need(request, "oversight.change_deliberation")
        deliberation = get_object_or_404(Deliberation.objects.select_related("rectification"), pk=pk)
        rectification: Rectification = deliberation.rectification
        post = cleaning.clean_post(request.POST)
        if request.method == "POST":
            try:
                if step == "add":
                    services.add_deliberation_opinion(
                        deliberation,
                        finding=post.get("finding", ""),
                        action=post.get("action", ""),
                        target=post.get("target", ""),
                        deadline=_date(post.get("deadline")),
                        by=request.user,
                    )
                    done = _("Opinion added.")
                elif step == "approve":
                    meeting = Meeting.objects.filter(pk__in=_ids([post.get("meeting")])).first()
                    if meeting is None:
                        raise OversightError(_("Choose the director's meeting."))
                    rect.approve_opinions(rectification, meeting=meeting, by=request.user)
                    done = _("Approved by the director's meeting.")
                elif step == "deliver":
                    rect.deliver_opinions(rectification, by=request.user)
                    done = _("Delivered to %(unit)s; the clocks have started.") % {"unit": deliberation.unit.name}
                elif step == "publish":
                    services.publish_deliberation(deliberation, by=request.user)
                    done = _("Published on the public site.")
                else:
                    raise OversightError(_("Unknown step."))
            except (OversightError, EvaluationError) as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:oversight_deliberation_change", deliberation.pk)
