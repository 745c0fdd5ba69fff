"""Back office after the verdict: each campaign's opinions page (itemized opinions per subject,
approval by the director's meeting, delivery, re-evaluation), the review of plans and reports
item by item, the rectification ledger (整改台账) with its Excel export, interviews (约谈) and
inquiry motions (质询案). Every button calls a service."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from congress import cleaning, pages, params, xlsx
from congress.admin.documents import IssuedDocumentsMixin
from congress.admin.refusals import RefusalKeepsTheForm
from congress.models import Commission, Meeting, Member
from congress.selectors import current_run, unit_liaisons
from congress.services import accounts

from .. import exports, selectors
from ..models import Campaign, InquiryMotion, Interview, Opinion, Rectification, Subject, Submission
from ..services import EvaluationError, meeting
from ..services import rectification as rect


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


class OpinionForm(cleaning.Form):
    subject = forms.ModelChoiceField(queryset=Subject.objects.none(), label=gettext_lazy("subject"))
    finding = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "cols": 60}), label=gettext_lazy("finding"))
    action = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}), label=gettext_lazy("action required")
    )
    target = forms.CharField(required=False, max_length=300, label=gettext_lazy("target"))
    deadline = forms.DateField(
        required=False, label=gettext_lazy("deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, campaign, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.filter(campaign=campaign).order_by("sort_order", "pk")


def _warn_if_nobody_told(model_admin, request, rectification) -> None:
    """After a delivery: a unit without a liaison was told nothing; say so, and where to add one."""
    if not selectors.liaison_ids(rectification.unit_id):
        model_admin.message_user(
            request,
            _(
                "%(unit)s has no liaison: nobody there was told of the opinions. Add its liaison below, "
                "and the delivery notice goes out to them."
            )
            % {"unit": rectification.unit.name},
            messages.WARNING,
        )


def opinions_view(model_admin, request, pk):
    """A campaign's follow-up: opinions per subject and the buttons that move them on."""
    _need(request, "evaluations.view_rectification")
    campaign = get_object_or_404(Campaign, pk=pk)
    form = OpinionForm(campaign, request.POST or None)
    if request.method == "POST":
        _need(request, "evaluations.change_rectification")
        action = request.POST.get("step", "add")
        try:
            if action == "add":
                if not form.is_valid():
                    raise EvaluationError(_("Fill in the subject, the finding and the action required."))
                data = form.cleaned_data
                rect.add_opinion(
                    data["subject"],
                    finding=data["finding"],
                    action=data["action"],
                    target=data["target"],
                    deadline=data["deadline"],
                    by=request.user,
                )
                done = _("The opinion is added.")
            elif action in ("approve", "deliver"):
                rectification = get_object_or_404(Rectification, pk=params.record_id(request.POST, "rectification", 0))
                if action == "approve":
                    directors = get_object_or_404(Meeting, pk=params.record_id(request.POST, "meeting", 0))
                    rect.approve_opinions(rectification, meeting=directors, by=request.user)
                    done = _("The opinions are approved.")
                else:
                    rect.deliver_opinions(rectification, by=request.user)
                    done = _("The opinions are delivered; the unit's clocks have started.")
                    _warn_if_nobody_told(model_admin, request, rectification)
            elif action == "add_liaison":
                _need(request, "congress.add_user")
                rectification = get_object_or_404(Rectification, pk=params.record_id(request.POST, "rectification", 0))
                post = cleaning.clean_post(request.POST)
                try:
                    user = accounts.add_liaison(
                        rectification.unit, name=post.get("name", ""), phone=post.get("phone", ""), by=request.user
                    )
                except accounts.AccountError as exc:
                    raise EvaluationError(str(exc)) from exc
                if rectification.status != Rectification.Status.DRAFTING and rectification.delivered_at:
                    rect.tell_liaisons_again(rectification, by=request.user)
                done = _("%(name)s is the liaison of %(unit)s now.") % {
                    "name": user.get_full_name(),
                    "unit": rectification.unit.name,
                }
            elif action == "reevaluate":
                hall = get_object_or_404(Meeting, pk=params.record_id(request.POST, "meeting", 0))
                meeting.start_reevaluation(campaign, hall, by=request.user)
                done = _("The re-evaluation ballot is drawn up.")
            elif action == "decide_reevaluation":
                meeting.decide_reevaluation(campaign, by=request.user)
                done = _("The re-evaluation results are decided.")
            else:
                raise EvaluationError(_("Unknown action."))
        except EvaluationError as exc:
            model_admin.message_user(request, str(exc), messages.ERROR)
        else:
            model_admin.message_user(request, done, messages.SUCCESS)
            return redirect("admin:evaluations_campaign_opinions", campaign.pk)
    subjects = list(
        Subject.objects.filter(campaign=campaign)
        .select_related("unit", "rectification")
        .prefetch_related("results", "rectification__opinions")
        .order_by("sort_order", "pk")
    )
    meetings = Meeting.objects.filter(term=campaign.term).order_by("-starts_at")
    staffed = unit_liaisons([s.unit_id for s in subjects])  # one query for every unit on the page
    for s in subjects:
        s.without_liaison = s.unit_id not in staffed
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Campaign._meta,
        "campaign": campaign,
        "title": _("Opinions and rectification"),
        "subjects": subjects,
        "form": form,
        "directors_meetings": [m for m in meetings if m.kind == Meeting.Kind.DIRECTORS],
        "evaluation_meetings": [m for m in meetings if m.kind in (Meeting.Kind.EVALUATION, Meeting.Kind.STANDING)],
        "reevaluation_poll": current_run(campaign.reevaluation_poll),
        "flagged": selectors.failed_twice(campaign),
    }
    return TemplateResponse(request, "admin/evaluations/opinions.html", context)


class OpinionInline(cleaning.TabularInline):
    model = Opinion
    extra = 0
    fields = ["sort_order", "finding", "action", "target", "deadline", "item_step", "progress"]
    readonly_fields = ["item_step", "progress"]

    @admin.display(description=gettext_lazy("state"))
    def item_step(self, obj):
        return obj.step_label if obj.pk else "—"

    def _drafting(self, obj):
        return obj is not None and obj.status == Rectification.Status.DRAFTING

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return self._drafting(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._drafting(obj) and super().has_delete_permission(request, obj)


class InterviewInline(cleaning.StackedInline):
    model = Interview
    extra = 0
    fields = ["held_on", "official", "led_by", "reason", "record", "reported_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


# The rectification report is due 2 months after delivery, or 3 where the county so decides.
REPORT_MONTHS = [(2, gettext_lazy("2 months")), (3, gettext_lazy("3 months"))]


class RectificationForm(cleaning.ModelForm):
    """The rules of the deadlines, set while the opinions are drafted: the plan in a month, the
    report in 2 or 3 (some counties give 3), counted from delivery."""

    report_months = forms.TypedChoiceField(
        label=gettext_lazy("report due (months after delivery)"), choices=REPORT_MONTHS, coerce=int
    )

    class Meta:
        model = Rectification
        fields = ["title", "commission", "leader", "plan_months", "report_months"]

    def clean(self):
        data = super().clean()
        plan, report = data.get("plan_months"), data.get("report_months")
        if plan and report and report <= plan:
            self.add_error("report_months", _("The report is due after the plan."))
        return data


class AwaitingReviewFilter(admin.SimpleListFilter):
    """Rectifications with a plan or report handed in and not yet reviewed (the workbench's count)."""

    title = gettext_lazy("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("waiting", _("Awaiting review"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(pk__in=selectors.awaiting_review().values("pk"))
        return queryset


@admin.register(Rectification)
class RectificationAdmin(IssuedDocumentsMixin, cleaning.ModelAdmin):
    list_display = ["title", "unit", "status", "plan_due_at", "report_due_at", "review_links"]
    list_filter = [AwaitingReviewFilter, "status", "commission"]
    list_select_related = ["unit"]
    search_fields = ["title", "unit__name"]
    form = RectificationForm
    fields = [
        "title",
        "unit",
        "commission",
        "leader",
        "status",
        "plan_months",
        "report_months",
        "delivered_at",
        "plan_due_at",
        "report_due_at",
    ]
    readonly_fields = ["unit", "status", "delivered_at", "plan_due_at", "report_due_at"]

    def get_readonly_fields(self, request, obj=None):
        fixed = [*super().get_readonly_fields(request, obj)]
        if obj is not None and obj.delivered_at is not None:  # the clocks run from delivery
            fixed += ["plan_months", "report_months"]
        return fixed

    inlines = [OpinionInline, InterviewInline]
    change_form_template = "admin/evaluations/rectification_change_form.html"
    change_list_template = "admin/evaluations/rectification_change_list.html"

    actions = ["deliver_selected"]

    def has_add_permission(self, request):
        return False  # opinions start from a campaign's results

    @admin.action(description=gettext_lazy("Deliver the selected approved opinions to their units"))
    def deliver_selected(self, request, queryset):
        """One action for the day's deliveries: each approved rectification is delivered by the
        service (its clocks start); each one refused is named with the reason."""
        _need(request, "evaluations.change_rectification")
        delivered, refused = [], []
        for rectification in queryset.select_related("unit").order_by("pk"):
            try:
                rect.deliver_opinions(rectification, by=request.user)
            except EvaluationError as exc:
                refused.append(f"{rectification.title}：{exc}")
            else:
                delivered.append(rectification)
                _warn_if_nobody_told(self, request, rectification)
        if delivered:
            self.message_user(
                request,
                ngettext(
                    "%(n)d rectification delivered; its clocks have started.",
                    "%(n)d rectifications delivered; their clocks have started.",
                    len(delivered),
                )
                % {"n": len(delivered)},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    def documents_related(self, obj):
        return list(obj.interviews.all())  # each interview has its notice (约谈通知)

    @admin.display(description=gettext_lazy("rectification submissions"))
    def review_links(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:evaluations_rectification_change", args=[obj.pk]), _("Open")
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = get_object_or_404(Rectification, pk=object_id)
        extra = {
            "submissions": obj.submissions.select_related("submitted_by").prefetch_related("items__opinion"),
            "interview_form": InterviewForm(),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("ledger/", wrap(self.ledger_view), name="evaluations_rectification_ledger"),
            path("<int:pk>/review/<int:submission>/", wrap(self.review_view), name="evaluations_rectification_review"),
            path("<int:pk>/interview/", wrap(self.interview_view), name="evaluations_rectification_interview"),
        ] + super().get_urls()

    def review_view(self, request, pk, submission):
        _need(request, "evaluations.view_submission")
        rectification = get_object_or_404(Rectification, pk=pk)
        submission = get_object_or_404(Submission, pk=submission, rectification=rectification)
        if request.method == "POST":
            _need(request, "evaluations.change_submission")
            # return_<item id> ticked, comment_<item id> its reason; an id that is not one refuses all.
            post = cleaning.clean_post(request.POST)
            returned = {}
            for key in post:
                if key.startswith("return_"):
                    raw = key.removeprefix("return_")
                    item = params.record_id({key: raw}, key)
                    if item is not None:
                        returned[item] = post.get(f"comment_{raw}", "")
            try:
                rect.review_submission(submission, by=request.user, returned=returned, comment=post.get("comment", ""))
            except EvaluationError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Returned to the unit with your comments.") if returned else _("Accepted."),
                    messages.SUCCESS,
                )
                return redirect("admin:evaluations_rectification_change", rectification.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": rectification,
            "submission": submission,
            "items": submission.items.select_related("opinion"),
            "title": _("Review: %(what)s") % {"what": submission.get_kind_display()},
        }
        return TemplateResponse(request, "admin/evaluations/review.html", context)

    def interview_view(self, request, pk):
        _need(request, "evaluations.add_interview")
        rectification = get_object_or_404(Rectification, pk=pk)
        form = InterviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                rect.record_interview(rectification, by=request.user, **form.cleaned_data)
            except EvaluationError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("The interview is recorded."), messages.SUCCESS)
        elif request.method == "POST":
            self.message_user(request, _("Fill in the date, the reason and the record."), messages.ERROR)
        return redirect("admin:evaluations_rectification_change", rectification.pk)

    def ledger_view(self, request):
        _need(request, "evaluations.view_rectification")
        commission_id = params.record_id(request.GET, "commission")
        view = params.choice(request.GET, "view", selectors.LEDGER_VIEWS, default="")
        items = selectors.ledger_view(view, commission_id=commission_id)
        if request.GET.get("format") == "xlsx":
            rows = selectors.ledger_rows(exports.ledger_export_items(items).iterator(chunk_size=2000))
            return xlsx.download(exports.ledger_workbook(rows), exports.ledger_filename())
        found = pages.page(request, items)
        found.object_list = list(selectors.ledger_rows(found.object_list))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Rectification ledger"),
            "page": found,
            "rows": found.object_list,
            "total": found.paginator.count,
            "late": items.filter(on_time=0).count(),
            "commissions": Commission.objects.filter(active=True).order_by("sort_order", "pk"),
            "commission": commission_id,
            "view": view,
        }
        return TemplateResponse(request, "admin/evaluations/ledger.html", context)


class InterviewForm(cleaning.Form):
    held_on = forms.DateField(
        label=gettext_lazy("held on"), initial=datetime.date.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "cols": 60}), label=gettext_lazy("reason"))
    record = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), label=gettext_lazy("record of the interview")
    )


class InquiryMotionForm(cleaning.ModelForm):
    class Meta:
        model = InquiryMotion
        fields = ["subject", "unit", "title", "questions", "cosigners", "personnel_recommendation"]


@admin.register(InquiryMotion)
class InquiryMotionAdmin(RefusalKeepsTheForm, IssuedDocumentsMixin, cleaning.ModelAdmin):
    form = InquiryMotionForm
    list_display = ["title", "unit", "status", "mode", "filed_at"]
    list_filter = ["status"]
    autocomplete_fields = ["unit", "subject"]
    filter_horizontal = ["cosigners"]
    change_form_template = "admin/evaluations/inquirymotion_change_form.html"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "cosigners" in form.base_fields:
            form.base_fields["cosigners"].queryset = Member.objects.filter(active=True).select_related("deputy")
        return form

    def get_readonly_fields(self, request, obj=None):
        own = ["subject", "unit", "title", "questions", "cosigners", "personnel_recommendation"] if obj else []
        return [*own, *super().get_readonly_fields(request, obj)]

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        motion = rect.file_inquiry_motion(
            unit=data["unit"],
            title=data["title"],
            questions=data["questions"],
            cosigners=list(data["cosigners"]),
            subject=data.get("subject"),
            personnel_recommendation=data.get("personnel_recommendation", ""),
            by=request.user,
        )
        obj.pk = motion.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        pass  # the service sets the co-signers

    refused_by = (EvaluationError,)  # the service's refusal comes back on the form, typing kept

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            "directors_meetings": Meeting.objects.filter(kind=Meeting.Kind.DIRECTORS).order_by("-starts_at"),
            "modes": InquiryMotion.Mode.choices,
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/step/<str:action>/", wrap(self.step_view), name="evaluations_inquirymotion_step"),
        ] + super().get_urls()

    def step_view(self, request, pk, action):
        _need(request, "evaluations.change_inquirymotion")
        motion = get_object_or_404(InquiryMotion, pk=pk)
        if request.method == "POST":
            try:
                if action == "decide":
                    directors = get_object_or_404(Meeting, pk=params.record_id(request.POST, "meeting", 0))
                    rect.decide_inquiry_motion(
                        motion, mode=request.POST.get("mode", ""), meeting=directors, by=request.user
                    )
                elif action == "answer":
                    rect.record_inquiry_answer(
                        motion,
                        answer=cleaning.clean_text(request.POST.get("answer", ""), multiline=True),
                        by=request.user,
                    )
            except EvaluationError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("Saved."), messages.SUCCESS)
        return redirect("admin:evaluations_inquirymotion_change", motion.pk)
