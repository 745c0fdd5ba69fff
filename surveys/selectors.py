"""Reads of the questionnaires: what a deputy has to answer, the results per question with
counts and shares, free text, response rates per deputy group. Aggregation is done by the
database: the number of queries does not grow with the number of responses."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from congress.models import Deputy

from .models import Answer, Question, Response, Survey
from .services import Sheet, audience_deputies

AUDIENCE_FILTERS = ("all", "deputies", "public", "paper")


def open_surveys_for(deputy) -> list[Survey]:
    """The questionnaires open now to this deputy, each with ``answered`` set (two queries)."""
    now = timezone.now()
    surveys = Survey.objects.filter(status=Survey.Status.OPEN, opens_at__lte=now, closes_at__gt=now).filter(
        Q(audience=Survey.Audience.DEPUTIES)
        | Q(audience=Survey.Audience.GROUP, deputy_groups=deputy.group_id)
        | Q(audience=Survey.Audience.GROUP, commissions__seats__deputy=deputy)
    )
    surveys = (
        surveys.distinct()
        .annotate(answered=Exists(Response.objects.filter(survey=OuterRef("pk"), deputy=deputy)))
        .order_by("closes_at", "pk")
    )
    return list(surveys)


def response_of(survey: Survey, deputy) -> Response | None:
    return Response.objects.filter(survey=survey, deputy=deputy).first()


def answers_of(response: Response | None) -> dict[str, list[str]]:
    """A stored response in the shape a form posts: {question id: [values]}."""
    values: dict[str, list[str]] = {}
    if response is None:
        return values
    for a in response.answers.all():
        if a.choice_id:
            value = str(a.choice_id)
        elif a.unit_id:
            value = str(a.unit_id)
        elif a.rating is not None:
            value = str(a.rating)
        else:
            value = a.text
        values.setdefault(str(a.question_id), []).append(value)
    return values


def filtered_responses(survey: Survey, *, audience: str = "all", group: int | None = None):
    responses = Response.objects.filter(survey=survey)
    if audience == "deputies":
        responses = responses.filter(deputy__isnull=False)
    elif audience == "public":
        responses = responses.filter(deputy__isnull=True)
    elif audience == "paper":
        responses = responses.filter(channel=Response.Channel.PAPER)
    if group:
        responses = responses.filter(deputy__group_id=group)
    return responses


@dataclass
class QuestionResult:
    number: int
    question: Question
    respondents: int = 0
    rows: list = field(default_factory=list)  # (label, count, share in %)
    average: float | None = None
    texts: int = 0

    @property
    def chart(self) -> dict:
        return {"labels": [r[0] for r in self.rows], "counts": [r[1] for r in self.rows]}


def results(survey: Survey, *, audience: str = "all", group: int | None = None, sheet=None) -> dict:
    """Counts and shares per question (a share is of the people who answered that question;
    a multiple choice's shares add up to more than 100%). A fixed number of queries."""
    sheet = sheet or Sheet.of(survey)
    responses = filtered_responses(survey, audience=audience, group=group)
    answers = Answer.objects.filter(response__in=responses.values("pk"))
    total = responses.count()
    channels = dict(responses.values_list("channel").annotate(n=Count("pk")).order_by())
    respondents = dict(answers.values_list("question_id").annotate(n=Count("response_id", distinct=True)).order_by())
    picks = {
        (q, c): n
        for q, c, n in answers.filter(choice__isnull=False)
        .values_list("question_id", "choice_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    units = {}
    for q, unit_name, n in (
        answers.filter(unit__isnull=False).values_list("question_id", "unit__name").annotate(n=Count("pk")).order_by()
    ):
        units.setdefault(q, []).append((unit_name, n))
    ratings = {
        (q, r): n
        for q, r, n in answers.filter(rating__isnull=False)
        .values_list("question_id", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    }

    def share(n, base):
        return round(100 * n / base, 1) if base else 0.0

    out = []
    for number, q in enumerate(sheet.questions, start=1):
        base = respondents.get(q.pk, 0)
        result = QuestionResult(number, q, respondents=base)
        if q.has_choices:
            result.rows = [
                (c.label, picks.get((q.pk, c.pk), 0), share(picks.get((q.pk, c.pk), 0), base)) for c in q.choices.all()
            ]
        elif q.kind == Question.Kind.UNIT:
            result.rows = [(name, n, share(n, base)) for name, n in sorted(units.get(q.pk, []), key=lambda r: -r[1])]
        elif q.kind == Question.Kind.RATING:
            counts = [ratings.get((q.pk, r), 0) for r in range(1, q.scale + 1)]
            result.rows = [(str(r), n, share(n, base)) for r, n in zip(range(1, q.scale + 1), counts, strict=True)]
            result.average = (
                round(sum(r * n for r, n in zip(range(1, q.scale + 1), counts, strict=True)) / base, 2)
                if base
                else None
            )
        else:
            result.texts = base
        out.append(result)
    return {"total": total, "channels": channels, "questions": out}


def free_text(survey: Survey, question: Question, *, search: str = "", audience="all", group=None, limit=200):
    """The words people wrote for a text question, newest first, optionally containing ``search``."""
    responses = filtered_responses(survey, audience=audience, group=group)
    answers = Answer.objects.filter(question=question, response__in=responses.values("pk")).exclude(text="")
    if search:
        answers = answers.filter(text__icontains=search)
    return list(answers.select_related("response__deputy").order_by("-response__submitted_at", "-pk")[:limit])


def response_rates(survey: Survey) -> list[dict]:
    """Per deputy group: deputies the questionnaire went to, and how many answered (one query)."""
    if not survey.for_deputies:
        return []
    answered = Response.objects.filter(survey=survey, deputy=OuterRef("pk"))
    rows = (
        audience_deputies(survey)
        .annotate(answered=Exists(answered))
        .values("group_id", "group__name")
        .annotate(total=Count("pk", distinct=True), done=Count("pk", distinct=True, filter=Q(answered=True)))
        .order_by("group__sort_order", "group_id")
    )
    return [{**row, "rate": round(100 * row["done"] / row["total"], 1) if row["total"] else 0.0} for row in rows]


def not_answered(survey: Survey, *, group: int | None = None) -> list[Deputy]:
    """The deputies who have not answered yet (for reminders and phone calls)."""
    if not survey.for_deputies:
        return []
    deputies = audience_deputies(survey).filter(~Exists(Response.objects.filter(survey=survey, deputy=OuterRef("pk"))))
    if group:
        deputies = deputies.filter(group_id=group)
    return list(deputies.select_related("group").order_by("group__sort_order", "pk"))
