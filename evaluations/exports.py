"""The results as an Excel table (测评结果汇总表), for the report to the county party committee
and for the files."""

from django.utils.translation import gettext as _

from congress import formats, xlsx

from . import selectors
from .models import Campaign, Result


def results_workbook(campaign: Campaign) -> bytes:
    """One sheet: rank, subject, counts per level, valid and blank ballots, satisfaction rate,
    score and verdict, best first; the re-evaluation's results on a sheet of their own once there
    are any; a last sheet with the topics assigned to each subject."""
    workbook = xlsx.Workbook()
    title = _("%(campaign)s: satisfaction results") % {"campaign": campaign.title}
    _results_sheet(workbook, _("Results"), title, selectors.results(campaign), selectors.result_levels(campaign))
    again = selectors.results(campaign, round=Result.Round.REEVALUATION)
    if again:
        round_ = Result.Round.REEVALUATION
        title = _("%(campaign)s: re-evaluation results") % {"campaign": campaign.title}
        _results_sheet(workbook, str(round_.label), title, again, selectors.result_levels(campaign, round=round_))
    topics = workbook.sheet(_("Assigned topics"), [_("Subject"), _("Assigned topics")], widths=[30, 80])
    for subject in campaign.subjects.prefetch_related("topics").order_by("sort_order", "pk"):
        topics.append([subject.label, "；".join(t.title for t in subject.topics.all())])
    return workbook.bytes()


def results_filename(campaign: Campaign) -> str:
    """The download name, e.g. 2026年度工作评议-测评结果.xlsx."""
    return xlsx.filename(campaign.title[:60], _("Results"))


def _results_sheet(workbook: xlsx.Workbook, name: str, heading: str, rows: list[Result], levels: list[dict]) -> None:
    """One sheet of results: rank, subject, counts per level, valid and blank ballots, rate
    (written as on the pages, two decimals), score and verdict (通过 / 未通过)."""
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
    rate_column = len(header) - 3
    sheet = workbook.sheet(
        name,
        header,
        heading=heading,
        widths=[8, 30],
        freeze_columns=2,
        formats={rate_column: formats.EXCEL_RATE_FORMAT},
    )
    for r in rows:
        sheet.append(
            [
                r.rank,
                r.subject.label,
                *[r.counts.get(level["code"], 0) for level in levels],
                r.valid,
                r.blank,
                float(r.rate) if r.rate is not None else None,
                float(r.score) if r.score is not None else None,
                str(r.get_verdict_display()),
            ]
        )


def verdict_counts(rows: list[Result]) -> dict[str, int]:
    return {v: sum(1 for r in rows if r.verdict == v) for v in Result.Verdict.values}


# What the ledger's workbook writes of each item, and nothing more (a rectification's subject,
# campaign, and the people's other fields are not read for it).
LEDGER_RELATED = ("rectification__unit", "rectification__commission", "rectification__leader__deputy")
LEDGER_FIELDS = (
    "finding",
    "action",
    "target",
    "deadline",
    "state",
    "progress",
    "rectification__title",
    "rectification__unit__name",
    "rectification__commission__name",
    "rectification__leader__deputy__name",
)


def ledger_export_items(items):
    """The ledger's query (``selectors.ledger_items``) narrowed to what ``ledger_workbook``
    writes: the same items in the same order, with fewer columns and joins to read."""
    return items.select_related(None).select_related(*LEDGER_RELATED).only(*LEDGER_FIELDS)


def ledger_workbook(rows) -> bytes:
    """The rectification ledger (整改台账) as one sheet, late items first."""
    workbook = xlsx.Workbook()
    step_labels = {}  # a step's words, translated once
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
    sheet = workbook.sheet(_("Rectification ledger"), header, widths=[24, 30, 40, 40, 40, 12])
    for item in rows:
        r, step = item.rectification, item.step
        sheet.append(
            [
                r.unit.name,
                r.title,
                item.finding,
                item.action,
                item.target,
                item.deadline,
                step_labels.get(step) or step_labels.setdefault(step, str(step.label)),
                item.progress,
                getattr(item, "returned_comment", ""),
                item.days_late or None,
                r.commission.name if r.commission else "",
                r.leader.deputy.name if r.leader else "",
            ]
        )
    return workbook.bytes()


def ledger_filename() -> str:
    """The download name, e.g. 整改台账-20261203.xlsx."""
    from django.utils import timezone

    return xlsx.filename(_("Rectification ledger"), timezone.localdate().strftime("%Y%m%d"))
