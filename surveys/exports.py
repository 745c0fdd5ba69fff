"""Every response of a questionnaire to Excel: one row per response, one column per question.
Written with openpyxl's write_only mode into a temporary file (memory stays flat however many
responses there are) and sent in chunks, so a large export streams to the browser."""

import tempfile
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Answer, Response, Survey
from .services import Sheet

CHUNK = 16 * 1024


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
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(survey.title[:31].replace("/", "-") or "问卷")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    produced = rows(survey, responses)
    header = []
    for title in next(produced):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in produced:
        cells = []
        for value in row:
            if hasattr(value, "hour"):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm"
                cells.append(cell)
            elif isinstance(value, str) and value.startswith("="):
                # Text, never a formula: what the public typed must not run in the reader's Excel.
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk
