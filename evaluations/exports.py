"""The results as an Excel table (测评结果汇总表), for the report to the county party committee
and for the files."""

import io

from django.utils.translation import gettext as _

from congress import formats

from . import selectors
from .models import Campaign, Result


def results_workbook(campaign: Campaign) -> bytes:
    """One sheet: rank, subject, counts per level, valid and blank ballots, satisfaction rate,
    score and verdict, best first; the re-evaluation's results on a sheet of their own once there
    are any; a last sheet with the topics assigned to each subject."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    title = _("%(campaign)s: satisfaction results") % {"campaign": campaign.title}
    _results_sheet(workbook, _("Results"), title, selectors.results(campaign), selectors.result_levels(campaign))
    again = selectors.results(campaign, round=Result.Round.REEVALUATION)
    if again:
        round_ = Result.Round.REEVALUATION
        title = _("%(campaign)s: re-evaluation results") % {"campaign": campaign.title}
        _results_sheet(workbook, str(round_.label), title, again, selectors.result_levels(campaign, round=round_))
    topics = workbook.create_sheet(_("Assigned topics"))
    topics.append([str(_("Subject")), str(_("Assigned topics"))])
    for subject in campaign.subjects.prefetch_related("topics").order_by("sort_order", "pk"):
        topics.append([subject.label, "；".join(t.title for t in subject.topics.all())])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _results_sheet(workbook, name: str, heading: str, rows: list[Result], levels: list[dict]) -> None:
    """One sheet of results: rank, subject, counts per level, valid and blank ballots, rate
    (written as on the pages, two decimals), score and verdict (通过 / 未通过)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(name)
    sheet.freeze_panes = "C3"
    bold = Font(bold=True)
    title = WriteOnlyCell(sheet, value=heading)
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    header = [
        _("Rank"),
        _("Subject"),
        *[level["label"] for level in levels],
        _("Valid ballots"),
        _("Left blank"),
        _("Satisfaction rate"),
        _("Score"),
        _("Verdict"),
    ]
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for r in rows:
        rate = WriteOnlyCell(sheet, value=float(r.rate) if r.rate is not None else None)
        rate.number_format = formats.EXCEL_RATE_FORMAT
        sheet.append(
            [
                r.rank,
                r.subject.label,
                *[r.counts.get(level["code"], 0) for level in levels],
                r.valid,
                r.blank,
                rate,
                float(r.score) if r.score is not None else None,
                str(r.get_verdict_display()),
            ]
        )


def verdict_counts(rows: list[Result]) -> dict[str, int]:
    return {v: sum(1 for r in rows if r.verdict == v) for v in Result.Verdict.values}


def ledger_workbook(rows) -> bytes:
    """The rectification ledger (整改台账) as one sheet, late items first."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rectification ledger"))
    sheet.freeze_panes = "A2"
    header = [
        _("unit"),
        _("rectification"),
        _("finding"),
        _("action required"),
        _("target"),
        _("deadline"),
        _("state"),
        _("progress (%)"),
        _("Returned with"),
        _("Days late"),
        _("liaison commission"),
        _("responsible leader"),
    ]
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for item in rows:
        r = item.rectification
        deadline = WriteOnlyCell(sheet, value=item.deadline)
        deadline.number_format = "yyyy-mm-dd"
        sheet.append(
            [
                r.unit.name,
                r.title,
                _text(item.finding),
                _text(item.action),
                _text(item.target),
                deadline,
                str(item.step_label),
                item.progress,
                _text(getattr(item, "returned_comment", "")),
                item.days_late or None,
                r.commission.name if r.commission else "",
                r.leader.deputy.name if r.leader else "",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(value: str) -> str:
    # Text typed by people is never a formula in the reader's Excel.
    return "'" + value if value.startswith(("=", "+", "-", "@")) else value
