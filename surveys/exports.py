"""Every response of a questionnaire to Excel: one row per response, one column per question.
Written with openpyxl's write_only mode into a temporary file (memory stays flat however many
responses there are) and sent in chunks, so a large export streams to the browser."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from congress import xlsx

from .models import Answer, Response, Survey
from .services import Sheet


def _cell(answers: list[Answer]) -> str:
    parts = []
    for a in answers:
        if a.choice_id:
            parts.append(a.choice.label)
        elif a.unit_id:
            parts.append(a.unit.name)
        elif a.rating is not None:
            parts.append(a.rating)
        else:
            parts.append(a.text)
    if len(parts) == 1:
        return parts[0]
    return "；".join(str(p) for p in parts)


def rows(survey: Survey, responses=None) -> Iterator[list]:
    """The header, then one row per response (answers read in chunks of 500 responses)."""
    sheet = Sheet.of(survey)
    yield [
        _("No."),
        _("way of answering"),
        _("deputy group"),
        _("name"),
        _("telephone"),
        _("submitted at"),
        *[f"{n}. {q.text}" for n, q in enumerate(sheet.questions, start=1)],
    ]
    responses = responses if responses is not None else Response.objects.filter(survey=survey)
    responses = (
        responses.select_related("deputy__group")
        .prefetch_related("answers__choice", "answers__unit")
        .order_by("submitted_at", "pk")
    )
    channels = dict(Response.Channel.choices)
    for response in responses.iterator(chunk_size=500):
        by_question: dict[int, list[Answer]] = {}
        for a in response.answers.all():
            by_question.setdefault(a.question_id, []).append(a)
        deputy = response.deputy
        yield [
            response.pk,
            str(channels[response.channel]),
            str(deputy.group) if deputy and deputy.group else "",
            deputy.name if deputy else response.name,
            response.phone,
            timezone.localtime(response.submitted_at).replace(tzinfo=None),
            *[_cell(by_question.get(q.pk, [])) for q in sheet.questions],
        ]


def export_responses(survey: Survey, responses=None) -> Iterator[bytes]:
    """The workbook's bytes, in chunks."""
    workbook = xlsx.Workbook()
    produced = rows(survey, responses)
    sheet = workbook.sheet(survey.title or _("Questionnaire"), next(produced), widths=[8, 12, 14, 12, 14, 18])
    sheet.extend(produced)
    yield from workbook.chunks()


def export_filename(survey: Survey) -> str:
    """The download name, e.g. 代表履职满意度问卷-答卷-20261203-0915.xlsx."""
    return xlsx.filename(survey.title[:60], _("Responses"), timezone.localtime().strftime("%Y%m%d-%H%M"))
