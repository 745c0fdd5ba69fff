"""Deputies answer on their phones (/m/surveys/): one page with every question, big tap
targets, no script needed. The answer is saved on submit and may be changed until closing."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from congress.permissions import deputy_of, deputy_required

from .. import selectors, services
from ..forms import posted_answers, sheet_sections
from ..models import Survey


@deputy_required
def survey_list(request):
    deputy = deputy_of(request.user)
    return render(request, "surveys/m_list.html", {"surveys": selectors.open_surveys_for(deputy)})


@never_cache
@deputy_required
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    deputy = deputy_of(request.user)
    survey = get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), pk=pk)
    if not services.may_answer(survey, deputy):
        return render(
            request,
            "surveys/closed.html",
            {"survey": survey, "reason": _("This questionnaire was not sent to you.")},
            status=403,
        )
    if not survey.accepting():
        return render(request, "surveys/closed.html", {"survey": survey, "reason": _closed_reason(survey)}, status=409)
    sheet = services.Sheet.of(survey)
    response = selectors.response_of(survey, deputy)
    error = None
    if request.method == "POST":
        values = posted_answers(sheet, request.POST)
        try:
            services.submit_response(survey, values, deputy=deputy, sheet=sheet)
        except services.SurveyError as exc:
            error = str(exc)
        else:
            if response is None:
                messages.success(
                    request, _("Thank you: your answer was received. You may change it until the questionnaire closes.")
                )
            else:
                messages.success(request, _("Your answer was updated."))
            return redirect("surveys:answer", pk=survey.pk)
    else:
        values = selectors.answers_of(response)
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "sections": sheet_sections(sheet, values),
            "response": response,
            "error": error,
            "layout": "m/base.html",
        },
        status=400 if error else 200,
    )


def _closed_reason(survey: Survey) -> str:
    from django.utils import timezone

    if survey.status == Survey.Status.OPEN and survey.opens_at > timezone.now():
        return _("This questionnaire is not open yet.")
    return _("This questionnaire is closed and no longer accepts answers. Thank you.")
