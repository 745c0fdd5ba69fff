"""The year in numbers (年度监督工作统计) as an Excel workbook: the totals, then one row per unit."""

from django.utils.translation import gettext as _

from congress import xlsx

from .selectors import YearInNumbers


def year_workbook(numbers: YearInNumbers) -> bytes:
    workbook = xlsx.Workbook()
    totals = workbook.sheet(
        _("Year in numbers"),
        [_("Supervision in %(year)s, in numbers") % {"year": numbers.year}, _("Number")],
        widths=[40, 12],
    )
    totals.extend([str(label), value] for label, value in year_rows(numbers))

    units = workbook.sheet(
        _("Per unit"),
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
        widths=[30],
        freeze_columns=1,
    )
    units.extend(
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
        for row in numbers.per_unit
    )
    return workbook.bytes()


def year_filename(year: int) -> str:
    """The download name, e.g. 年度监督工作统计-2026.xlsx."""
    return xlsx.filename(_("Supervision statistics"), year)


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
