"""Back office of the evaluations: the term plan with its coverage, each campaign's dashboard
(phases, subjects, what is late, what comes next, and the buttons for the next step), the topic
ranking with merge proposals, the meeting page (agenda, questions, the satisfaction poll) and the
results with their documents (Excel, the report to the party committee, feedback letters).
Every button calls a service; plain records (teams, symposiums, content) are edited as forms."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from congress import cleaning, formats, params, widgets, xlsx
from congress.admin import poll_rules
from congress.admin.documents import IssuedDocumentsMixin
from congress.admin.refusals import RefusalKeepsTheForm
from congress.models import Committee, Deputy, Meeting, Member, Term, Unit
from congress.selectors import current_run
from surveys.models import Survey

from .. import exports, selectors
from ..models import (
    Campaign,
    CampaignSurvey,
    Candidate,
    ChecklistItem,
    ContentItem,
    Evidence,
    Phase,
    PlanEntry,
    Question,
    Result,
    Subject,
    SurveyReport,
    SurveyTeam,
    Symposium,
    TermPlan,
    Topic,
)
from ..services import EvaluationError, investigation, meeting, planning, topics
from . import rectification


def _refuse_unless(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


# --- the term plan ------------------------------------------------------------------------


class PlanEntryForm(cleaning.ModelForm):
    """One line of the plan. A saved line shows its unit as text (a line is a unit's year: to
    plan another unit, add a line or tick it above); a new line chooses it from the list."""

    class Meta:
        model = PlanEntry
        fields = ["year", "unit", "commission", "leader", "deadline"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("unit")
        if field is not None and self.instance.pk is not None:
            field.disabled = True
            field.widget = widgets.Shown(self.instance.unit.name)


class PlanEntryInline(cleaning.TabularInline):
    """A plan's lines, one row each. The unit, commission and leader are plain lists read once
    per page and shared by every row (the county's 27 units, its commissions and members):
    an autocomplete widget would query once per row and field, over a hundred queries for a
    term's plan."""

    model = PlanEntry
    form = PlanEntryForm
    extra = 1
    fields = ["year", "unit", "commission", "leader", "deadline"]
    shared_choices = ("unit", "commission")  # and the leader's, made in get_formset

    def get_queryset(self, request):
        # Each row's names: the unit's in the form, and all three where the rows are shown
        # read-only (a leader views the plan).
        return super().get_queryset(request).select_related("unit", "commission", "leader__deputy")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in self.shared_choices and field is not None:
            # Each row's form copies the field; the list keeps the copies from querying again.
            field.choices = list(field.choices)
        return field

    def get_formset(self, request, obj=None, **kwargs):
        """The responsible leader is chosen among the plan's term's director's meeting (主任会议:
        director, vice-directors, secretary-general), and any leader a line already names: not
        among every member of every term, a list that grows with the years and is drawn again in
        each of a term's thirty rows."""
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("leader")
        if field is not None:
            term = obj.term_id if obj is not None else Term.objects.filter(is_current=True).values("pk")[:1]
            named = PlanEntry.objects.filter(plan=obj).values("leader") if obj is not None else []
            field.queryset = (
                Member.objects.filter(Q(term=term, active=True) & ~Q(position=Member.Position.MEMBER) | Q(pk__in=named))
                .select_related("deputy")
                .order_by("sort_order", "pk")
            )
            field.choices = list(field.choices)
        for name in ("unit", "commission", "leader"):
            # No add / change / view buttons beside the lists in each of thirty rows: commissions
            # and members are kept on their own pages.
            field = formset.form.base_fields.get(name)
            if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
                field.widget = field.widget.widget
        year = getattr(request, "plan_year", None)
        if year is not None and "year" in formset.form.base_fields:
            formset.form.base_fields["year"].initial = year  # a new row goes on the year shown
        return formset


class TermPlanForm(cleaning.ModelForm):
    """The plan, and many of its rows at once: the units ticked, put on one year (the rows are
    also in the table below, one by one)."""

    schedule_units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "plan-units"}),
        label=gettext_lazy("Units to put on a year"),
        help_text=gettext_lazy("Tick the units evaluated in the year below; each gets a row of the plan."),
    )
    schedule_year = forms.IntegerField(
        label=gettext_lazy("in the year"), min_value=2000, max_value=2100, required=False
    )
    schedule_deadline = forms.DateField(label=gettext_lazy("done by"), required=False)

    class Meta:
        model = TermPlan
        fields = ["term", "title", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "schedule_units" in self.fields:
            self.fields["schedule_units"].queryset = Unit.objects.filter(active=True).order_by("sort_order", "pk")
            self.fields["schedule_year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        if data.get("schedule_units") and not data.get("schedule_year"):
            self.add_error("schedule_year", _("Give the year, such as 2026."))
        return data


@admin.register(TermPlan)
class TermPlanAdmin(cleaning.ModelAdmin):
    form = TermPlanForm
    list_display = ["title", "term", "status", "entry_count"]
    inlines = [PlanEntryInline]
    change_form_template = "admin/evaluations/termplan_change_form.html"
    fieldsets = [
        (None, {"fields": ["term", "title", "note"]}),
        (gettext_lazy("Rows in bulk"), {"fields": ["schedule_units", ("schedule_year", "schedule_deadline")]}),
    ]

    def get_changeform_initial_data(self, request):
        """The current term, and the plan's usual title."""
        initial = super().get_changeform_initial_data(request)
        term = Term.objects.filter(is_current=True).first()
        if term is not None:
            initial.setdefault("term", term.pk)
            initial.setdefault(
                "title", _("Work evaluation plan of the %(number)sth standing committee") % {"number": term.number}
            )
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        data = form.cleaned_data
        if data.get("schedule_units"):
            try:
                added = planning.schedule_units(
                    form.instance,
                    list(data["schedule_units"]),
                    year=data["schedule_year"],
                    deadline=data.get("schedule_deadline"),
                    by=request.user,
                )
            except EvaluationError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext("%(n)d unit put on %(year)s.", "%(n)d units put on %(year)s.", added)
                    % {"n": added, "year": data["schedule_year"]},
                    messages.SUCCESS,
                )

    def response_add(self, request, obj, post_url_continue=None):
        """To the plan's page: its coverage and the approval are there."""
        if "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return redirect("admin:evaluations_termplan_change", obj.pk)

    @admin.display(description=gettext_lazy("entries"))
    def entry_count(self, obj):
        return obj.entries.count()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The plan's coverage over the whole term, and its rows edited one year at a time
        (``?year=``; the form posts back to the same address, so the year saved is the year
        shown)."""
        plan = get_object_or_404(TermPlan, pk=object_id)
        years = selectors.plan_by_year(plan)
        # Read by get_formset_kwargs and the inline's get_formset within this request.
        request.plan_year = selectors.plan_year_shown(years, request.GET.get("year"))
        term = plan.term
        year_links = sorted({*range(term.start_date.year, term.end_date.year + 1), *years, request.plan_year})
        extra = {
            "uncovered": selectors.uncovered_units(plan),
            "years": years,
            "plan_year": request.plan_year,
            "year_links": [(y, len(years.get(y, ()))) for y in year_links],
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        year = getattr(request, "plan_year", None)
        if isinstance(inline, PlanEntryInline) and year is not None:
            kwargs["queryset"] = kwargs["queryset"].filter(year=year)
        return kwargs

    def response_change(self, request, obj):
        """Back to the year that was being edited, when staff stay on the page."""
        response = super().response_change(request, obj)
        year = getattr(request, "plan_year", None)
        if year is not None and response.status_code == 302 and "_continue" in request.POST:
            response["Location"] += ("&" if "?" in response["Location"] else "?") + f"year={year}"
        return response

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/approve/", wrap(self.approve_view), name="evaluations_termplan_approve"),
        ] + super().get_urls()

    def approve_view(self, request, pk):
        _refuse_unless(request, "evaluations.change_termplan")
        plan = get_object_or_404(TermPlan, pk=pk)
        if request.method == "POST":
            try:
                planning.approve_plan(
                    plan, by=request.user, accept_uncovered=bool(request.POST.get("accept_uncovered"))
                )
            except EvaluationError as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                self.message_user(request, _("The plan is approved."), messages.SUCCESS)
        return redirect("admin:evaluations_termplan_change", plan.pk)


# --- campaigns ----------------------------------------------------------------------------


class PhaseInline(cleaning.TabularInline):
    model = Phase
    extra = 0
    fields = ["kind", "starts_on", "ends_on", "completed_on"]
    readonly_fields = ["kind"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CampaignSurveyInline(cleaning.TabularInline):
    model = CampaignSurvey
    extra = 0
    fields = ["survey", "purpose", "subject"]
    readonly_fields = ["survey", "purpose", "subject"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CampaignForm(cleaning.ModelForm):
    report_months = forms.TypedChoiceField(
        label=gettext_lazy("rectification report due (months)"),
        choices=rectification.REPORT_MONTHS,
        coerce=int,
        initial=2,
        help_text=gettext_lazy("After the opinions are delivered: 2 months, or 3 as some counties decide."),
    )

    pass_rule = forms.ChoiceField(
        label=gettext_lazy("verdict rule"), choices=poll_rules.RATE_RULE_CHOICES, required=False
    )
    pass_percent = poll_rules.percent_field()

    class Meta:
        model = Campaign
        fields = [
            "year",
            "kind",
            "title",
            "plan_document",
            "levels",
            "pass_rule",
            "pass_percent",
            "electorate",
            "plan_months",
            "report_months",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the rule in words, as the satisfaction poll will apply it (过半数 unless changed)
        self.initial.setdefault("pass_rule", poll_rules.rule_of(self.instance))
        self.initial.setdefault("pass_percent", poll_rules.percent_of(self.instance.pass_ratio))
        if "title" in self.fields and not self.instance.pk:
            self.fields["title"].required = False  # the service names it: 2026年度部门工作评议
            self.fields["title"].help_text = _("Left empty: the year and the kind, such as “2026 work evaluation”.")

    def clean(self):
        data = super().clean()
        percent = data.get("pass_percent") or Decimal(self.instance.pass_ratio) * 100
        if percent >= 100:
            self.add_error("pass_percent", _("A satisfaction rate below 100%."))
        else:
            self.instance.pass_ratio = (percent / 100).quantize(Decimal("0.001"))
            rule = data.get("pass_rule") or poll_rules.rule_of(self.instance)
            self.instance.pass_strictly = poll_rules.RATE_RULES[rule]
        plan, report = data.get("plan_months"), data.get("report_months")
        if plan and report and report <= plan:
            self.add_error("report_months", _("The report is due after the plan."))
        return data


# What a step says when the service tells of a different outcome than its usual one.
NO_BALLOT_NEEDED = gettext_lazy(
    "Only last year's failed subjects are candidates: they report by rule, without a ballot, and are this "
    "year's subjects."
)

STEPS = {
    # action: (service call, message on success)
    "start_topics": (
        lambda c, r, p: topics.start_topic_collection(c, by=r.user),
        gettext_lazy("Topic collection has started."),
    ),
    "harvest": (
        lambda c, r, p: topics.harvest_topics(c, by=r.user),
        gettext_lazy("Answers and symposium notes are in the topic list."),
    ),
    "ballot": (
        lambda c, r, p: (
            topics.put_candidates_to_ballot(
                c, get_object_or_404(Meeting, pk=params.record_id(p, "meeting", 0)), by=r.user
            )
            or NO_BALLOT_NEEDED
        ),
        gettext_lazy("The ballot on candidates is drawn up; open it at the director's meeting."),
    ),
    "confirm": (lambda c, r, p: topics.confirm_subjects(c, by=r.user), gettext_lazy("The subjects are confirmed.")),
    "take_units": (
        lambda c, r, p: investigation.take_planned_units(c, by=r.user),
        gettext_lazy("The planned units are this year's subjects."),
    ),
    "start_meeting": (
        lambda c, r, p: meeting.start_meeting(
            c, get_object_or_404(Meeting, pk=params.record_id(p, "meeting", 0)), by=r.user
        ),
        gettext_lazy("The satisfaction ballot is drawn up; open it after the questions."),
    ),
    "decide": (lambda c, r, p: meeting.decide_results(c, by=r.user), gettext_lazy("The results are decided.")),
    "attach_survey": (
        lambda c, r, p: topics.attach_survey(c, get_object_or_404(Survey, pk=p.get("survey") or 0), by=r.user),
        gettext_lazy("The questionnaire now collects topics for this evaluation."),
    ),
}


@admin.register(Campaign)
class CampaignAdmin(IssuedDocumentsMixin, cleaning.ModelAdmin):
    form = CampaignForm
    list_display = ["title", "year", "kind", "stage", "dashboard_link"]
    list_filter = ["kind", "stage", "year"]
    inlines = [PhaseInline, CampaignSurveyInline]
    change_form_template = "admin/evaluations/campaign_change_form.html"

    @admin.display(description=gettext_lazy("dashboard"))
    def dashboard_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:evaluations_campaign_dashboard", args=[obj.pk]), _("Dashboard")
        )

    def get_changeform_initial_data(self, request):
        """A new evaluation is this year's."""
        return {"year": timezone.localdate().year, **super().get_changeform_initial_data(request)}

    def get_readonly_fields(self, request, obj=None):
        own = ["year", "kind"] if obj else []
        return [*own, *super().get_readonly_fields(request, obj)]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = planning.create_campaign(year=obj.year, kind=obj.kind, title=obj.title, by=request.user)
        chosen = [
            "plan_document",
            "levels",
            "pass_ratio",
            "pass_strictly",
            "electorate",
            "plan_months",
            "report_months",
        ]
        for name in chosen:
            setattr(created, name, getattr(obj, name))
        created.save(update_fields=chosen)
        obj.pk = created.pk
        obj.refresh_from_db()

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except EvaluationError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:evaluations_campaign_changelist")

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:evaluations_campaign_dashboard", obj.pk)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/dashboard/", wrap(self.dashboard_view), name="evaluations_campaign_dashboard"),
            path("<int:pk>/step/<str:action>/", wrap(self.step_view), name="evaluations_campaign_step"),
            path("<int:pk>/topics/", wrap(self.topics_view), name="evaluations_campaign_topics"),
            path("<int:pk>/meeting/", wrap(self.meeting_view), name="evaluations_campaign_meeting"),
            path("<int:pk>/results/", wrap(self.results_view), name="evaluations_campaign_results"),
            path("<int:pk>/results.xlsx", wrap(self.export_view), name="evaluations_campaign_export"),
            path("<int:pk>/report/", wrap(self.report_view), name="evaluations_campaign_report"),
            path("<int:pk>/letters/", wrap(self.letters_view), name="evaluations_campaign_letters"),
            path("<int:pk>/opinions/", wrap(self.opinions_view), name="evaluations_campaign_opinions"),
        ] + super().get_urls()

    def opinions_view(self, request, pk):
        return rectification.opinions_view(self, request, pk)

    def _campaign(self, request, pk, *, change=False) -> Campaign:
        _refuse_unless(request, "evaluations.change_campaign" if change else "evaluations.view_campaign")
        return get_object_or_404(Campaign, pk=pk)

    def _context(self, request, campaign, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "campaign": campaign,
            "title": title,
            **extra,
        }

    def dashboard_view(self, request, pk):
        campaign = self._campaign(request, pk)
        board = selectors.dashboard(campaign)
        meetings = Meeting.objects.filter(term=campaign.term).order_by("-starts_at")
        attached = CampaignSurvey.objects.values("survey")
        context = self._context(
            request,
            campaign,
            _("Dashboard"),
            board=board,
            directors_meetings=[m for m in meetings if m.kind == Meeting.Kind.DIRECTORS],
            evaluation_meetings=[m for m in meetings if m.kind in (Meeting.Kind.EVALUATION, Meeting.Kind.STANDING)],
            free_surveys=Survey.objects.exclude(pk__in=attached).order_by("-pk")[:50],
            candidates=selectors.candidate_list(campaign),
            candidate_poll=current_run(campaign.candidate_poll),
            satisfaction_poll=current_run(campaign.satisfaction_poll),
        )
        return TemplateResponse(request, "admin/evaluations/dashboard.html", context)

    def step_view(self, request, pk, action):
        campaign = self._campaign(request, pk, change=True)
        if request.method != "POST" or action not in STEPS:
            return redirect("admin:evaluations_campaign_dashboard", campaign.pk)
        call, done = STEPS[action]
        try:
            outcome = call(campaign, request, request.POST)
        except EvaluationError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, str(outcome if outcome is NO_BALLOT_NEEDED else done), messages.SUCCESS)
        return redirect(request.POST.get("next") or reverse("admin:evaluations_campaign_dashboard", args=[campaign.pk]))

    def topics_view(self, request, pk):
        campaign = self._campaign(request, pk)
        if request.method == "POST":
            _refuse_unless(request, "evaluations.change_topic")
            chosen = list(Topic.objects.filter(campaign=campaign, pk__in=params.record_ids(request.POST, "topic")))
            target = next((t for t in chosen if str(t.pk) == request.POST.get("target")), chosen[0] if chosen else None)
            try:
                if target is None:
                    raise EvaluationError(_("Choose at least one other topic to merge into this one."))
                topics.merge_topics(
                    target, chosen, title=cleaning.clean_text(request.POST.get("title", "")), by=request.user
                )
            except EvaluationError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("The topics are merged."), messages.SUCCESS)
            return redirect("admin:evaluations_campaign_topics", campaign.pk)
        context = self._context(
            request,
            campaign,
            _("Topics"),
            rows=selectors.topic_rows(campaign),
            pairs=selectors.near_duplicate_topics(campaign)[:30],
        )
        return TemplateResponse(request, "admin/evaluations/topics.html", context)

    def meeting_view(self, request, pk):
        campaign = self._campaign(request, pk)
        form = QuestionForm(campaign, request.POST or None)
        if request.method == "POST":
            _refuse_unless(request, "evaluations.add_question")
            if form.is_valid():
                try:
                    meeting.record_question(by=request.user, **form.cleaned_data)
                except EvaluationError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
                else:
                    self.message_user(request, _("The question is recorded."), messages.SUCCESS)
                    return redirect("admin:evaluations_campaign_meeting", campaign.pk)
        subjects = list(
            Subject.objects.filter(campaign=campaign)
            .select_related("unit", "official", "survey_report", "team")
            .prefetch_related("topics", "questions__asker")
            .order_by("sort_order", "pk")
        )
        context = self._context(
            request,
            campaign,
            _("Evaluation meeting"),
            subjects=subjects,
            form=form,
            poll=current_run(campaign.satisfaction_poll),
        )
        return TemplateResponse(request, "admin/evaluations/meeting.html", context)

    def _results_context(self, request, campaign, title):
        rows = selectors.results(campaign)
        levels = selectors.result_levels(campaign)
        for r in rows:
            r.level_counts = [r.counts.get(level["code"], 0) for level in levels]
            r.level_pairs = list(zip(levels, r.level_counts, strict=True))
        again = selectors.results(campaign, round=Result.Round.REEVALUATION)
        again_levels = selectors.result_levels(campaign, round=Result.Round.REEVALUATION)
        for r in again:
            r.level_counts = [r.counts.get(level["code"], 0) for level in again_levels]
        return self._context(
            request,
            campaign,
            title,
            rows=rows,
            rows_total=len(rows),
            levels=levels,
            verdicts=exports.verdict_counts(rows),
            reevaluation_rows=again,
            reevaluation_levels=again_levels,
            committee=Committee.objects.first(),
        )

    def results_view(self, request, pk):
        campaign = self._campaign(request, pk)
        return TemplateResponse(
            request, "admin/evaluations/results.html", self._results_context(request, campaign, _("Results"))
        )

    def export_view(self, request, pk):
        campaign = self._campaign(request, pk)
        return xlsx.download(exports.results_workbook(campaign), exports.results_filename(campaign))

    def report_view(self, request, pk):
        campaign = self._campaign(request, pk)
        context = self._results_context(request, campaign, _("Report to the county party committee"))
        return TemplateResponse(request, "admin/evaluations/report.html", context)

    def letters_view(self, request, pk):
        campaign = self._campaign(request, pk)
        context = self._results_context(request, campaign, _("Feedback letters"))
        subject = request.GET.get("subject")
        if subject:
            context["rows"] = [r for r in context["rows"] if str(r.subject_id) == subject]
        return TemplateResponse(request, "admin/evaluations/letters.html", context)


class QuestionForm(cleaning.Form):
    """A question put at the meeting: to whom, by whom, and the answer given."""

    subject = forms.ModelChoiceField(queryset=Subject.objects.none(), label=gettext_lazy("subject"))
    asker = forms.ModelChoiceField(queryset=Deputy.objects.none(), required=False, label=gettext_lazy("asked by"))
    asker_name = forms.CharField(required=False, max_length=50, label=gettext_lazy("asked by (if not a deputy)"))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), label=gettext_lazy("question asked"))
    answered_by = forms.CharField(required=False, max_length=50, label=gettext_lazy("answered by"))
    answer = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), label=gettext_lazy("answer given")
    )

    def __init__(self, campaign, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.filter(campaign=campaign).order_by("sort_order", "pk")
        askers = Deputy.objects.filter(active=True, term=campaign.term)
        if campaign.meeting_id:
            askers = askers.filter(attendance__meeting=campaign.meeting_id) | askers.filter(member__isnull=False)
        self.fields["asker"].queryset = askers.distinct().order_by("name")


# --- topics, candidates, teams, subjects --------------------------------------------------


@admin.register(Topic)
class TopicAdmin(cleaning.ModelAdmin):
    list_display = ["title", "category", "unit", "campaign", "merged_into"]
    list_editable = ["category", "unit"]
    list_filter = ["campaign", "category"]
    list_select_related = ["unit", "campaign", "merged_into"]
    search_fields = ["title"]
    autocomplete_fields = ["unit"]

    def get_readonly_fields(self, request, obj=None):
        return ["campaign"] if obj else []


@admin.register(Symposium)
class SymposiumAdmin(cleaning.ModelAdmin):
    list_display = ["held_on", "group", "sector", "participants", "campaign"]
    list_filter = ["campaign"]
    autocomplete_fields = ["group"]


class CandidateForm(cleaning.ModelForm):
    class Meta:
        model = Candidate
        fields = ["campaign", "official", "unit", "topics", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:  # absent for a view-only user
            self.fields["unit"].required = False
        if "topics" in self.fields:
            self.fields["topics"].queryset = Topic.objects.filter(merged_into=None).select_related("campaign")


@admin.register(Candidate)
class CandidateAdmin(RefusalKeepsTheForm, cleaning.ModelAdmin):
    form = CandidateForm
    list_display = ["__str__", "campaign", "carried_over", "status"]
    list_filter = ["campaign", "status", "carried_over"]
    autocomplete_fields = ["official", "unit"]
    filter_horizontal = ["topics"]

    def get_readonly_fields(self, request, obj=None):
        return ["campaign", "official", "unit"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = topics.propose_candidate(
            obj.campaign,
            official=form.cleaned_data.get("official"),
            unit=form.cleaned_data.get("unit"),
            topics=form.cleaned_data.get("topics") or [],
            reason=form.cleaned_data.get("reason", ""),
            by=request.user,
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    refused_by = (EvaluationError,)  # the service's refusal comes back on the form, typing kept


class SurveyTeamForm(cleaning.ModelForm):
    class Meta:
        model = SurveyTeam
        fields = ["campaign", "name", "leader", "members", "deputies", "experts"]

    def clean_leader(self):
        leader = self.cleaned_data["leader"]
        if leader.position != Member.Position.VICE_DIRECTOR:
            raise forms.ValidationError(_("A survey team is led by a vice-director."))
        return leader


@admin.register(SurveyTeam)
class SurveyTeamAdmin(cleaning.ModelAdmin):
    form = SurveyTeamForm
    list_display = ["name", "leader", "campaign"]
    list_filter = ["campaign"]
    autocomplete_fields = ["leader", "members", "deputies"]


class ChecklistInline(cleaning.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["point", "done", "done_on", "notes"]
    readonly_fields = ["point", "done", "done_on"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class ContentItemInline(cleaning.TabularInline):
    model = ContentItem
    extra = 0
    fields = ["kind", "title", "notes"]
    fk_name = "subject"

    def has_add_permission(self, request, obj=None):
        return False


class QuestionInline(cleaning.StackedInline):
    model = Question
    extra = 0
    fields = ["asker", "asker_name", "text", "answered_by", "answer"]
    readonly_fields = ["asker", "asker_name"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ResultInline(cleaning.TabularInline):
    model = Result
    extra = 0
    fields = ["round", "rank", "valid", "blank", "rate", "score", "verdict"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SubjectSurveyInline(cleaning.TabularInline):
    model = CampaignSurvey
    fk_name = "subject"
    extra = 0
    fields = ["survey", "purpose"]
    readonly_fields = ["survey", "purpose"]
    can_delete = False
    verbose_name_plural = gettext_lazy("Opinion questionnaires (背靠背)")

    def has_add_permission(self, request, obj=None):
        return False


class SubjectActionsForm(cleaning.ModelForm):
    """Ticking a checklist point and adding own content items go through the services."""

    tick = forms.ModelMultipleChoiceField(
        queryset=ChecklistItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Tick checklist points"),
        help_text=gettext_lazy(
            "Tick every point done; each keeps the notes written on its row of the checklist, or else the notes below."
        ),
    )
    tick_all = forms.BooleanField(required=False, label=gettext_lazy("Tick every point not yet done"))
    tick_notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}), label=gettext_lazy("notes")
    )
    new_item_kind = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *[(k, v) for k, v in ContentItem.Kind.choices if k != "common"]],
        label=gettext_lazy("Add content item"),
    )
    new_item_title = forms.CharField(required=False, max_length=200, label=gettext_lazy("title"))
    opinion_survey = forms.ModelChoiceField(
        queryset=Survey.objects.none(),
        required=False,
        label=gettext_lazy("Attach an opinion questionnaire (背靠背)"),
    )

    class Meta:
        model = Subject
        fields = ["label", "team", "written_report", "sort_order", "topics"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            return
        choices = {
            "tick": lambda: self.instance.checklist.filter(done=False),
            "team": lambda: SurveyTeam.objects.filter(campaign=self.instance.campaign_id),
            "topics": lambda: Topic.objects.filter(campaign=self.instance.campaign_id, merged_into=None),
            "opinion_survey": lambda: Survey.objects.exclude(pk__in=CampaignSurvey.objects.values("survey")).order_by(
                "-pk"
            ),
        }
        # A view-only user (a leader) gets the form without its fields: nothing to narrow.
        for name, queryset in choices.items():
            if name in self.fields:
                self.fields[name].queryset = queryset()


@admin.register(Subject)
class SubjectAdmin(IssuedDocumentsMixin, cleaning.ModelAdmin):
    form = SubjectActionsForm
    list_display = ["label", "campaign", "sort_order", "team", "carried_over"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "team"]
    search_fields = ["label"]
    filter_horizontal = ["topics"]
    inlines = [ChecklistInline, ContentItemInline, SubjectSurveyInline, QuestionInline, ResultInline]

    change_form_template = "admin/evaluations/subject_change_form.html"

    def has_add_permission(self, request):
        return False  # subjects come from the ballot or the term plan

    def response_change(self, request, obj):
        """Saved: back to the campaign's dashboard, where the other subjects are."""
        response = super().response_change(request, obj)
        if any(key in request.POST for key in ("_continue", "_addanother", "_saveasnew")):
            return response
        return redirect("admin:evaluations_campaign_dashboard", obj.campaign_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        subject = get_object_or_404(Subject.objects.select_related("campaign"), pk=object_id)
        extra = {"previous": selectors.previous_rectification(subject)}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        data = form.cleaned_data
        try:
            if data.get("new_item_kind"):
                investigation.add_content_item(
                    obj, kind=data["new_item_kind"], title=data.get("new_item_title", ""), by=request.user
                )
            if data.get("opinion_survey"):
                topics.attach_survey(
                    obj.campaign,
                    data["opinion_survey"],
                    purpose=CampaignSurvey.Purpose.OPINION,
                    subject=obj,
                    by=request.user,
                )
        except EvaluationError as exc:
            self.message_user(request, str(exc), messages.ERROR)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the rows' notes first
        data = form.cleaned_data
        ticked = list(data.get("tick") or [])
        if data.get("tick_all"):
            ticked = list(form.instance.checklist.filter(done=False))
        if not ticked:
            return
        shared = data.get("tick_notes", "")
        written = dict(ChecklistItem.objects.filter(pk__in=[i.pk for i in ticked]).values_list("pk", "notes"))
        try:
            done = investigation.tick_checklist_points(
                form.instance, {i.pk: written.get(i.pk) or shared for i in ticked}, by=request.user
            )
        except EvaluationError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(
                request,
                ngettext("%(n)d checklist point ticked.", "%(n)d checklist points ticked.", len(done))
                % {"n": len(done)},
                messages.SUCCESS,
            )


class EvidenceInline(cleaning.TabularInline):
    model = Evidence
    extra = 1
    fields = ["title", "file"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(cleaning.ModelAdmin):
    """A checklist point's page, to attach its evidence files."""

    fields = ["subject", "point", "done", "done_on", "notes"]
    readonly_fields = ["subject", "point", "done", "done_on"]
    inlines = [EvidenceInline]

    def has_module_permission(self, request):
        return False

    def has_add_permission(self, request):
        return False


class SurveyReportForm(cleaning.ModelForm):
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.filter(kind=Meeting.Kind.DIRECTORS), label=gettext_lazy("submitted to")
    )

    class Meta:
        model = SurveyReport
        fields = ["subject", "summary", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Reports go to the director's meeting most recently held or planned.
        latest = Meeting.objects.filter(kind=Meeting.Kind.DIRECTORS).order_by("-starts_at", "-pk").first()
        if latest is not None:
            self.fields["meeting"].initial = latest.pk


@admin.register(SurveyReport)
class SurveyReportAdmin(RefusalKeepsTheForm, cleaning.ModelAdmin):
    """Submitting a survey report closes the subject's investigation: done through the service."""

    form = SurveyReportForm
    list_display = ["subject", "submitted_at", "submitted_to"]
    list_filter = ["subject__campaign"]
    autocomplete_fields = ["subject"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        if obj is None:
            return super().get_fields(request, obj)  # the form, with the meeting to submit to
        return ["subject", "summary", "file", "submitted_to", "submitted_at"]  # a submitted report, read only

    def save_model(self, request, obj, form, change):
        report = investigation.submit_survey_report(
            form.cleaned_data["subject"],
            summary=form.cleaned_data["summary"],
            meeting=form.cleaned_data["meeting"],
            file=form.cleaned_data.get("file"),
            by=request.user,
        )
        obj.pk = report.pk

    def response_add(self, request, obj, post_url_continue=None):
        """Back to the campaign's dashboard, where the next subject waits."""
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            _("The survey report on %(subject)s is submitted.") % {"subject": obj.subject.label},
            messages.SUCCESS,
        )
        return redirect("admin:evaluations_campaign_dashboard", obj.subject.campaign_id)

    refused_by = (EvaluationError,)  # the service's refusal comes back on the form, typing kept


@admin.register(Result)
class ResultAdmin(cleaning.ModelAdmin):
    list_display = ["subject", "round", "rank", "satisfaction_rate", "score", "verdict"]
    list_filter = ["subject__campaign", "round", "verdict"]
    list_select_related = ["subject"]
    fields = [
        "subject",
        "round",
        "poll",
        "counts_by_level",
        "valid",
        "blank",
        "satisfaction_rate",
        "score",
        "rank",
        "verdict",
    ]
    readonly_fields = ["counts_by_level", "satisfaction_rate"]

    @admin.display(description=gettext_lazy("satisfaction rate"), ordering="rate")
    def satisfaction_rate(self, obj):
        return formats.percent_text(obj.rate)

    @admin.display(description=gettext_lazy("counts per level"))
    def counts_by_level(self, obj):
        """The counts under the poll's own level names (满意 11、较满意 0 …), not its codes."""
        return "、".join(f"{level['label']} {obj.counts.get(level['code'], 0)}" for level in obj.poll.levels)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
