"""The questionnaires' deadline source for the reminder engine: deputies who have not answered
are reminded ``remind_days`` before closing, once (the engine's log keys it by questionnaire
and reminder time, so a changed closing time brings one new reminder, never a repeat)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.selectors import deputy_ref
from congress.services.reminders import DeadlineSource, Message

from .models import Response, Survey

KIND = "surveys.survey.unanswered"


def _open_for_deputies():
    return Survey.objects.filter(
        status=Survey.Status.OPEN,
        audience__in=[Survey.Audience.DEPUTIES, Survey.Audience.GROUP],
        remind_at__isnull=False,
        closes_at__gt=timezone.now(),
    )


def _recipients(batch: list) -> dict[int, list[int]]:
    """The deputies of each questionnaire who have not answered it, login or not (one query each)."""
    from .services import audience_deputies

    result = {}
    for survey in batch:
        answered = Response.objects.filter(survey=survey, deputy=OuterRef("pk"))
        result[survey.pk] = [
            deputy_ref(pk) for pk in audience_deputies(survey).filter(~Exists(answered)).values_list("pk", flat=True)
        ]
    return result


def _message(survey: Survey) -> Message:
    when = date_format(timezone.localtime(survey.closes_at), "DATETIME_FORMAT")
    return Message(
        title=_("Please answer the questionnaire: %(title)s") % {"title": survey.title},
        body=_("The questionnaire “%(title)s” closes at %(when)s and you have not answered it yet.")
        % {"title": survey.title, "when": when},
        url=reverse("surveys:answer", args=[survey.pk]),
    )


SOURCE = DeadlineSource(
    kind=KIND,
    label=gettext_lazy("Questionnaire not yet answered"),
    model=Survey,
    due_field="remind_at",
    recipients=_recipients,
    message=_message,
    queryset=_open_for_deputies,
)
