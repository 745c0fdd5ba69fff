"""Every write of the questionnaires: build, open, close, answer (online, by a deputy or the
public), enter paper questionnaires. Each checks the state, writes in one transaction, and
refuses bad input with a clear message in Chinese, writing nothing.

Answers arrive as ``{question id (str): [raw values]}``, as a form posts them: choice ids for
choice questions, a unit id for a unit question, a number for a rating, the words for text.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import CommissionSeat, Deputy, Unit
from congress.services import audit
from congress.validators import normalize_mobile

from .models import Answer, Question, Response, Survey


class SurveyError(Exception):
    """A questionnaire action refused; the message tells the person why, in Chinese."""


class SurveyClosed(SurveyError):
    pass


class TooManyResponses(SurveyError):
    pass


# --- lifecycle -------------------------------------------------------------------------


def open_survey(survey: Survey, *, by=None) -> Survey:
    """Open a draft questionnaire: it accepts answers from its opening time to its closing time."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != Survey.Status.DRAFT:
            raise SurveyError(_("Only a draft questionnaire can be opened."))
        if not survey.questions.exists():
            raise SurveyError(_("A questionnaire needs at least one question."))
        empty = [q.text for q in survey.questions.filter(kind__in=Question.CHOICE_KINDS) if not q.choices.exists()]
        if empty:
            raise SurveyError(_("These questions have no choices yet: %(questions)s") % {"questions": "、".join(empty)})
        if survey.audience == Survey.Audience.GROUP and not (
            survey.deputy_groups.exists() or survey.commissions.exists()
        ):
            raise SurveyError(_("Choose the deputy groups or commissions the questionnaire goes to."))
        if survey.closes_at <= timezone.now():
            raise SurveyError(_("The closing time has already passed; set a later one."))
        survey.status = Survey.Status.OPEN
        survey.save(update_fields=["status"])
        audit.record(survey, "open_survey", actor=by)
    return survey


def close_survey(survey: Survey, *, by=None) -> Survey:
    """Close an open questionnaire now (before its closing time, if need be)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != Survey.Status.OPEN:
            raise SurveyError(_("Only an open questionnaire can be closed."))
        survey.status = Survey.Status.CLOSED
        fields = ["status"]
        if survey.closes_at > timezone.now():
            survey.closes_at = timezone.now()
            fields.append("closes_at")
        survey.save(update_fields=fields)
        audit.record(survey, "close_survey", actor=by)
    return survey


# --- who may answer --------------------------------------------------------------------


def audience_deputies(survey: Survey):
    """The deputies a deputies' or group questionnaire goes to (active, of the current term)."""
    deputies = Deputy.objects.filter(active=True, term__is_current=True)
    if survey.audience == Survey.Audience.GROUP:
        in_groups = deputies.filter(group__in=survey.deputy_groups.all())
        seated = CommissionSeat.objects.filter(commission__in=survey.commissions.all()).values("deputy_id")
        deputies = deputies.filter(pk__in=in_groups.values("pk")) | deputies.filter(pk__in=seated)
    elif survey.audience == Survey.Audience.PUBLIC:
        return deputies.none()
    return deputies


def may_answer(survey: Survey, deputy: Deputy) -> bool:
    if survey.audience == Survey.Audience.PUBLIC:
        return True
    return audience_deputies(survey).filter(pk=deputy.pk).exists()


# --- answers ---------------------------------------------------------------------------


@dataclass
class Sheet:
    """A questionnaire's questions with their choices, read once and reused."""

    survey: Survey
    questions: list
    units: dict

    @classmethod
    def of(cls, survey: Survey) -> "Sheet":
        questions = list(
            survey.questions.prefetch_related("choices")
            .select_related("section")
            .order_by("section__sort_order", "section_id", "sort_order", "pk")
        )
        units = {}
        if any(q.kind == Question.Kind.UNIT for q in questions):
            units = {u.pk: u for u in Unit.objects.filter(active=True)}
        return cls(survey, questions, units)


def clean_answers(sheet: Sheet, data: dict) -> list[Answer]:
    """Check every answer against its question; return unsaved Answer rows, or raise
    SurveyError naming the question. Unknown questions, choices and units are refused."""
    known = {str(q.pk) for q in sheet.questions}
    unknown = [key for key, values in data.items() if key not in known and any(str(v).strip() for v in values)]
    if unknown:
        raise SurveyError(_("The form does not match this questionnaire. Reload the page and try again."))
    answers = []
    for number, question in enumerate(sheet.questions, start=1):
        values = [str(v).strip() for v in data.get(str(question.pk), []) if str(v).strip()]
        where = {"number": number, "question": question.text}
        if not values:
            if question.required:
                raise SurveyError(_("Question %(number)s (%(question)s) must be answered.") % where)
            continue
        if question.has_choices:
            by_id = {str(c.pk): c for c in question.choices.all()}
            if len(set(values)) != len(values) or any(v not in by_id for v in values):
                raise SurveyError(_("Question %(number)s (%(question)s): a choice is not one of the options.") % where)
            limit = question.pick_limit
            if limit is not None and len(values) > limit:
                raise SurveyError(
                    _("Question %(number)s (%(question)s): choose at most %(limit)d.") % {**where, "limit": limit}
                )
            answers += [Answer(question=question, choice=by_id[v]) for v in values]
            continue
        if len(values) > 1:
            raise SurveyError(_("Question %(number)s (%(question)s) takes one answer.") % where)
        value = values[0]
        if question.kind == Question.Kind.TEXT:
            if len(value) > question.max_length:
                raise SurveyError(
                    _("Question %(number)s (%(question)s): at most %(limit)d characters, this answer has %(length)d.")
                    % {**where, "limit": question.max_length, "length": len(value)}
                )
            answers.append(Answer(question=question, text=value))
        elif question.kind == Question.Kind.RATING:
            if not value.isdigit() or not 1 <= int(value) <= question.scale:
                raise SurveyError(
                    _("Question %(number)s (%(question)s): give a rating from 1 to %(scale)d.")
                    % {**where, "scale": question.scale}
                )
            answers.append(Answer(question=question, rating=int(value)))
        elif question.kind == Question.Kind.UNIT:
            unit = sheet.units.get(int(value)) if value.isdigit() else None
            if unit is None:
                raise SurveyError(_("Question %(number)s (%(question)s): choose one of the listed units.") % where)
            answers.append(Answer(question=question, unit=unit))
    return answers


def _write(response: Response, answers: list[Answer]) -> None:
    for answer in answers:
        answer.response = response
    Answer.objects.bulk_create(answers)


def _clean_contact(name: str, phone: str) -> tuple[str, str]:
    name = (name or "").strip()
    if len(name) > 30:
        raise SurveyError(_("The name is too long (at most 30 characters)."))
    phone = (phone or "").strip()
    if phone:
        try:
            phone = normalize_mobile(phone)
        except ValidationError as exc:
            raise SurveyError(exc.messages[0]) from exc
    return name, phone


def submit_response(survey: Survey, data: dict, *, deputy=None, name="", phone="", sheet=None) -> Response:
    """An online answer. A deputy's replaces their earlier answer while the questionnaire is
    open (one response each); a public one is new each time (limit abuse with ``check_public_limit``)."""
    sheet = sheet or Sheet.of(survey)
    with transaction.atomic():
        survey = Survey.objects.get(pk=survey.pk)
        if not survey.accepting():
            raise SurveyClosed(_("This questionnaire is closed and no longer accepts answers. Thank you."))
        if deputy is None and survey.for_deputies:
            raise SurveyError(_("This questionnaire is for deputies; open it through your personal link."))
        if deputy is not None and not may_answer(survey, deputy):
            raise SurveyError(_("This questionnaire was not sent to you."))
        answers = clean_answers(sheet, data)
        name, phone = _clean_contact(name, phone)
        if not answers:
            raise SurveyError(_("The questionnaire is empty: answer at least one question."))
        if deputy is None:
            response = Response.objects.create(survey=survey, name=name, phone=phone)
            _write(response, answers)
            return response
        existing = Response.objects.select_for_update().filter(survey=survey, deputy=deputy).first()
        if existing is not None:
            existing.answers.all().delete()
            existing.save(update_fields=["updated_at"])
            _write(existing, answers)
            return existing
        try:
            with transaction.atomic():
                response = Response.objects.create(survey=survey, deputy=deputy, name=deputy.name)
        except IntegrityError as exc:
            # The same deputy submitting from two phones at once: the database kept one.
            raise SurveyError(
                _("Your answer was already received; open the questionnaire again to change it.")
            ) from exc
        _write(response, answers)
    return response


def enter_paper_response(survey: Survey, data: dict, *, by, deputy=None, name="", phone="") -> Response:
    """Staff type in a paper questionnaire; it is marked as paper and counted with the rest.
    Paper may be typed in after closing (it was handed in on time), never into a draft."""
    sheet = Sheet.of(survey)
    with transaction.atomic():
        survey = Survey.objects.get(pk=survey.pk)
        if survey.status == Survey.Status.DRAFT:
            raise SurveyError(_("Open the questionnaire before typing in paper answers."))
        answers = clean_answers(sheet, data)
        name, phone = _clean_contact(name, phone)
        if not answers:
            raise SurveyError(_("The questionnaire is empty: answer at least one question."))
        if deputy is not None and Response.objects.filter(survey=survey, deputy=deputy).exists():
            raise SurveyError(_("%(name)s has already answered this questionnaire.") % {"name": deputy.name})
        response = Response.objects.create(
            survey=survey,
            deputy=deputy,
            name=deputy.name if deputy else name,
            phone=phone,
            channel=Response.Channel.PAPER,
            entered_by=by,
        )
        _write(response, answers)
        audit.record(survey, "enter_paper_response", actor=by, response=response.pk)
    return response


# --- abuse limits on public questionnaires ---------------------------------------------


def _key(kind: str, survey: Survey, value: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"surveys:{kind}:{survey.pk}:{digest}"


def _limits() -> tuple[int, int, int]:
    return (
        getattr(settings, "SURVEY_RESPONSES_PER_DEVICE", 3),
        getattr(settings, "SURVEY_RESPONSES_PER_NETWORK", 300),
        getattr(settings, "SURVEY_NETWORK_WINDOW_SECONDS", 3600),
    )


def check_public_limit(survey: Survey, *, device: str, network: str) -> None:
    """Refuse a public answer from a device that has already answered a few times, or from a
    network that has sent very many within the window. The per-network cap is generous: a
    whole village behind one connection must still get through."""
    per_device, per_network, _window = _limits()
    if cache.get(_key("device", survey, device), 0) >= per_device:
        raise TooManyResponses(_("This phone has already answered this questionnaire. Thank you."))
    if network and cache.get(_key("net", survey, network), 0) >= per_network:
        raise TooManyResponses(_("Too many answers from this network just now. Please try again in an hour."))


def count_public_response(survey: Survey, *, device: str, network: str) -> None:
    _per_device, _per_network, window = _limits()
    remaining = max(int((survey.closes_at - timezone.now()).total_seconds()), 60) + 86400
    for kind, value, timeout in (("device", device, remaining), ("net", network, window)):
        if not value:
            continue
        key = _key(kind, survey, value)
        if cache.add(key, 1, timeout):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout)
