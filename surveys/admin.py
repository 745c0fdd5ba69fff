"""Back office of the questionnaires: the builder (sections, questions and their choices),
a preview exactly as respondents see it, opening and closing, paper entry, the results with
charts, the Excel export, the public 评议码 poster and the deputies' personal QR codes.
Every button calls a service."""

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

from congress import cleaning, xlsx
from congress.models import DeputyGroup
from congress.services import accounts

from . import exports, selectors, services
from .forms import posted_answers, sheet_sections
from .models import Choice, Question, Response, Section, Survey


class DraftOnlyInline:
    """Questions and choices change only while the questionnaire is a draft: once answers
    exist, changing what was asked would change what they mean."""

    def _draft(self, obj):
        survey = obj if isinstance(obj, Survey) or obj is None else obj.survey
        return survey is None or survey.status == Survey.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


class SectionInline(DraftOnlyInline, cleaning.TabularInline):
    model = Section
    extra = 0
    fields = ["sort_order", "title", "description"]


class QuestionForm(cleaning.ModelForm):
    choice_lines = forms.CharField(
        label=gettext_lazy("choices, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 28}),
        help_text=gettext_lazy("For single and multiple choice and topics questions."),
    )

    class Meta:
        model = Question
        fields = [
            "sort_order",
            "section",
            "kind",
            "text",
            "help_text",
            "required",
            "max_choices",
            "max_length",
            "scale",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "choice_lines" in self.fields:
            self.fields["choice_lines"].initial = "\n".join(c.label for c in self.instance.choices.all())
        if "section" in self.fields and self.instance.survey_id:
            self.fields["section"].queryset = Section.objects.filter(survey_id=self.instance.survey_id)

    def clean(self):
        data = super().clean()
        labels = [line.strip() for line in (data.get("choice_lines") or "").splitlines() if line.strip()]
        if len(set(labels)) != len(labels):
            self.add_error("choice_lines", _("Two choices have the same label."))
        if data.get("kind") in Question.CHOICE_KINDS and not labels:
            self.add_error("choice_lines", _("A choice question needs its choices."))
        if any(len(label) > 200 for label in labels):
            self.add_error("choice_lines", _("A choice is at most 200 characters."))
        data["choice_labels"] = labels
        return data


def sync_choices(question: Question, labels: list[str]) -> None:
    """Make the question's choices the given labels, in order (draft only)."""
    existing = {c.label: c for c in question.choices.all()}
    question.choices.exclude(label__in=labels).delete()
    for order, label in enumerate(labels):
        choice = existing.get(label)
        if choice is None:
            Choice.objects.create(question=question, label=label, sort_order=order)
        elif choice.sort_order != order:
            Choice.objects.filter(pk=choice.pk).update(sort_order=order)


class QuestionInline(DraftOnlyInline, cleaning.StackedInline):
    model = Question
    form = QuestionForm
    extra = 0
    fields = [
        ("sort_order", "section", "kind", "required"),
        "text",
        "help_text",
        "choice_lines",
        ("max_choices", "max_length", "scale"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("choices")


class SurveyForm(cleaning.ModelForm):
    class Meta:
        model = Survey
        fields = [
            "title",
            "intro",
            "audience",
            "deputy_groups",
            "commissions",
            "opens_at",
            "closes_at",
            "remind_days",
            "purpose",
        ]


@admin.register(Survey)
class SurveyAdmin(cleaning.ModelAdmin):
    form = SurveyForm
    list_display = ["title", "audience", "status", "opens_at", "closes_at", "response_count", "results_link"]
    list_filter = ["status", "audience"]
    search_fields = ["title", "code"]
    filter_horizontal = ["deputy_groups", "commissions"]
    inlines = [SectionInline, QuestionInline]
    readonly_fields = ["status", "code"]
    change_form_template = "admin/surveys/survey_change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_responses=Count("responses"))

    @admin.display(description=gettext_lazy("responses"), ordering="n_responses")
    def response_count(self, obj):
        return obj.n_responses

    @admin.display(description=gettext_lazy("results"))
    def results_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:surveys_survey_results", args=[obj.pk]), _("Results"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Question:
            for question_form in formset.forms:
                data = getattr(question_form, "cleaned_data", None)
                if not data or data.get("DELETE") or question_form.instance.pk is None:
                    continue
                sync_choices(question_form.instance, data.get("choice_labels", []))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/control/<str:action>/", wrap(self.control_view), name="surveys_survey_control"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="surveys_survey_preview"),
            path("<int:pk>/results/", wrap(self.results_view), name="surveys_survey_results"),
            path("<int:pk>/export/", wrap(self.export_view), name="surveys_survey_export"),
            path("<int:pk>/paper/", wrap(self.paper_view), name="surveys_survey_paper"),
            path("<int:pk>/poster/", wrap(self.poster_view), name="surveys_survey_poster"),
            path("<int:pk>/links/", wrap(self.links_view), name="surveys_survey_links"),
            *super().get_urls(),
        ]

    def _survey(self, request, pk, *, change=False) -> Survey:
        survey = get_object_or_404(Survey, pk=pk)
        allowed = self.has_change_permission(request, survey) if change else self.has_view_permission(request, survey)
        if not allowed:
            raise PermissionDenied
        return survey

    def control_view(self, request, pk, action):
        survey = self._survey(request, pk, change=True)
        if request.method != "POST":
            return redirect("admin:surveys_survey_change", survey.pk)
        actions = {
            "open": (services.open_survey, _("The questionnaire is open: it accepts answers until its closing time.")),
            "close": (services.close_survey, _("The questionnaire is closed; it accepts no more answers.")),
        }
        if action not in actions:
            raise PermissionDenied
        service, message = actions[action]
        try:
            service(survey, by=request.user)
        except services.SurveyError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:surveys_survey_change", survey.pk)

    def preview_view(self, request, pk):
        """The respondents' own page, with nothing to submit."""
        survey = self._survey(request, pk)
        sheet = services.Sheet.of(survey)
        public = survey.audience == Survey.Audience.PUBLIC
        return TemplateResponse(
            request,
            "surveys/answer.html",
            {
                "survey": survey,
                "sections": sheet_sections(sheet, {}),
                "preview": True,
                "disabled": False,
                "public": public,
                "contact": {},
                "layout": "surveys/public_base.html" if public else "m/base.html",
            },
        )

    def results_view(self, request, pk):
        survey = self._survey(request, pk)
        audience = request.GET.get("audience", "all")
        audience = audience if audience in selectors.AUDIENCE_FILTERS else "all"
        try:
            group = int(request.GET.get("group") or 0) or None
        except ValueError:
            group = None
        search = request.GET.get("q", "").strip()[:50]
        sheet = services.Sheet.of(survey)
        result = selectors.results(survey, audience=audience, group=group, sheet=sheet)
        for item in result["questions"]:
            if item.question.kind == Question.Kind.TEXT:
                item.entries = selectors.free_text(
                    survey, item.question, search=search, audience=audience, group=group, limit=100
                )
        audiences = [
            ("all", _("All respondents")),
            ("deputies", _("Deputies")),
            ("public", _("The public")),
            ("paper", _("Paper")),
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Results: %(title)s") % {"title": survey.title},
            "survey": survey,
            "opts": self.model._meta,
            "original": survey,
            "result": result,
            "charts": {f"chart-q{item.question.pk}": item.chart for item in result["questions"] if item.rows},
            "audience": audience,
            "audiences": audiences,
            "group": group,
            "groups": DeputyGroup.objects.filter(term__is_current=True).order_by("sort_order", "pk"),
            "search": search,
            "rates": selectors.response_rates(survey),
            "missing": selectors.not_answered(survey, group=group) if survey.for_deputies else [],
        }
        return TemplateResponse(request, "admin/surveys/results.html", context)

    def export_view(self, request, pk):
        survey = self._survey(request, pk)
        return xlsx.download(exports.export_responses(survey), exports.export_filename(survey))

    def paper_view(self, request, pk):
        """Type in one paper questionnaire at a time; the page comes back empty for the next."""
        survey = self._survey(request, pk, change=True)
        sheet = services.Sheet.of(survey)
        values, contact, error = {}, {"name": "", "phone": "", "deputy": ""}, None
        if request.method == "POST":
            post = cleaning.clean_post(request.POST, one_line=contact)
            values = posted_answers(sheet, post)
            contact = {k: post.get(k, "") for k in contact}
            deputy = None
            if contact["deputy"]:
                deputy = services.audience_deputies(survey).filter(pk=contact["deputy"]).first()
                if deputy is None:
                    error = _("Choose a deputy from the list.")
            if error is None:
                try:
                    services.enter_paper_response(
                        survey, values, by=request.user, deputy=deputy, name=contact["name"], phone=contact["phone"]
                    )
                except services.SurveyError as exc:
                    error = str(exc)
                else:
                    count = Response.objects.filter(survey=survey, channel=Response.Channel.PAPER).count()
                    self.message_user(
                        request,
                        _("The paper questionnaire was entered (%(count)d on paper so far).") % {"count": count},
                        messages.SUCCESS,
                    )
                    return redirect("admin:surveys_survey_paper", survey.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Enter a paper questionnaire: %(title)s") % {"title": survey.title},
            "survey": survey,
            "opts": self.model._meta,
            "original": survey,
            "sections": sheet_sections(sheet, values),
            "contact": contact,
            "error": error,
            "deputies": selectors.not_answered(survey) if survey.for_deputies else [],
        }
        return TemplateResponse(request, "admin/surveys/paper.html", context)

    def poster_view(self, request, pk):
        """A printable poster of a public questionnaire: its QR code and 评议码."""
        import segno

        survey = self._survey(request, pk)
        url = request.build_absolute_uri(reverse("surveys:public_answer", args=[survey.code]))
        context = {
            "survey": survey,
            "url": url,
            "entry_url": request.build_absolute_uri(reverse("surveys:public_entry")),
            "qr": segno.make(url, error="m").svg_data_uri(scale=10, border=2),
            "title": survey.title,
        }
        return TemplateResponse(request, "admin/surveys/poster.html", context)

    def links_view(self, request, pk):
        """A sheet of personal QR codes, one per deputy of the audience, each logging its
        deputy in straight onto this questionnaire."""
        import segno

        survey = self._survey(request, pk)
        target = reverse("surveys:answer", args=[survey.pk])
        deputies = services.audience_deputies(survey).select_related("group").order_by("group__sort_order", "pk")
        group = request.GET.get("group")
        if group and group.isdigit():
            deputies = deputies.filter(group_id=int(group))
        slips = []
        for deputy in deputies:
            url = f"{accounts.login_url(deputy)}?next={target}"
            slips.append({"deputy": deputy, "url": url, "qr": segno.make(url, error="m").svg_data_uri(scale=3)})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Personal QR codes: %(title)s") % {"title": survey.title},
            "slips": slips,
            "max_age_days": accounts.settings.DEPUTY_LINK_MAX_AGE_DAYS,
        }
        return TemplateResponse(request, "admin/congress/qr_sheet.html", context)


class ChoiceInline(DraftOnlyInline, cleaning.TabularInline):
    model = Choice
    extra = 0
    fields = ["sort_order", "label"]


@admin.register(Question)
class QuestionAdmin(cleaning.ModelAdmin):
    list_display = ["text", "survey", "kind", "required"]
    list_filter = ["kind"]
    search_fields = ["text", "survey__title"]
    list_select_related = ["survey"]
    inlines = [ChoiceInline]

    def has_module_permission(self, request):
        return False  # reached from its questionnaire


@admin.register(Response)
class ResponseAdmin(cleaning.ModelAdmin):
    list_display = ["pk", "survey", "deputy", "name", "channel", "submitted_at"]
    list_filter = ["channel", "survey"]
    search_fields = ["name", "deputy__name", "survey__title"]
    list_select_related = ["survey", "deputy"]
    date_hierarchy = "submitted_at"
    readonly_fields = ["survey", "deputy", "name", "phone", "channel", "entered_by", "submitted_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
