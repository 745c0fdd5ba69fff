"""The year in numbers (年度监督工作统计) as an Excel workbook: the totals, then one row per unit."""

import io

from django.utils.translation import gettext as _

from .selectors import YearInNumbers


def year_workbook(numbers: YearInNumbers) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet, texts):
        cells = []
        for text in texts:
            cell = WriteOnlyCell(sheet, value=str(text))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    totals = workbook.create_sheet(_("Year in numbers"))
    header(totals, [_("Supervision in %(year)s, in numbers") % {"year": numbers.year}, _("Number")])
    for label, value in year_rows(numbers):
        totals.append([str(label), value])

    units = workbook.create_sheet(_("Per unit"))
    units.freeze_panes = "B2"
    header(
        units,
        [
            _("unit"),
            _("Commitments"),
            _("Done"),
            _("Late"),
            _("Mean progress (%)"),
            _("Research visits held"),
            _("Activities held"),
            _("Activities planned"),
            _("Suggestions led"),
        ],
    )
    for row in numbers.per_unit:
        units.append(
            [
                row.unit.name,
                row.total,
                row.done,
                row.late,
                row.progress,
                row.visits_held,
                row.activities_held,
                row.activities_planned,
                row.suggestions,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def year_rows(n: YearInNumbers) -> list[tuple[str, int]]:
    """The year's figures in the order the committee reports them."""
    return [
        (_("Research visits and inspections held"), n.visits),
        (_("Inquiries and appointments held"), n.inquiries),
        (_("Special reports heard"), n.special_reports),
        (_("Year-end evaluations held"), n.evaluations_held),
        (_("Special inquiries held"), n.special_inquiries),
        (_("Questions put at special inquiries"), n.inquiry_questions),
        (_("Units evaluated"), n.units_evaluated),
        (_("Commitments posted"), n.commitments),
        (_("Commitments done"), n.commitments_done),
        (_("Deliberation opinions delivered"), n.deliberations),
        (_("Deliberation opinion items"), n.deliberation_items),
        (_("Deliberation opinion items done"), n.deliberation_items_done),
        (_("Suggestions led by the units"), n.suggestions),
        (_("Planned activities not yet recorded"), n.activities_overdue),
    ]
