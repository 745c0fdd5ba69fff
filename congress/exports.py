"""Roster export to Excel: the same four lists the office imports (deputies, standing committee
members, units, officials), written in the same file format, so an exported workbook can be
edited and imported again, or kept as the term's record."""

from django.db.models import QuerySet

from congress import xlsx
from congress.services.imports import BOOL, Roster, roster_for


def _write(roster: Roster, queryset: QuerySet | None) -> tuple[bytes, int]:
    workbook = xlsx.Workbook()
    sheet = workbook.sheet(
        roster.title,
        [column.header for column in roster.COLUMNS],
        widths=[24 if column.type != BOOL else 14 for column in roster.COLUMNS],
    )
    count = sheet.extend(roster.export_rows(queryset))
    return workbook.bytes(), count


def export_roster_with_count(
    kind: str, queryset: QuerySet | None = None, *, full_id: bool = False
) -> tuple[bytes, int]:
    """The workbook of ``export_roster`` and the number of rows written."""
    from congress.models import Term

    roster = roster_for(kind, Term.objects.filter(is_current=True).first() if queryset is None else None)
    roster.full_id = full_id
    return _write(roster, queryset)


def export_roster(kind: str, queryset: QuerySet | None = None, *, full_id: bool = False) -> bytes:
    """An .xlsx workbook of the roster ``kind`` (any of ``imports.ROSTERS``): the records of
    ``queryset`` (by default the current term's), one a row, under the same Chinese headers the
    import reads. Citizen ID numbers are masked (371526********1234) unless ``full_id``, which
    callers give only to a user allowed to see them whole."""
    return export_roster_with_count(kind, queryset, full_id=full_id)[0]


def export_filename(kind: str) -> str:
    """The download name, e.g. 代表名册-2026-05-01.xlsx."""
    from django.utils import timezone

    return xlsx.filename(roster_for(kind).title, timezone.localdate().isoformat())


def export_poll_results(poll) -> bytes:
    """A closed poll's frozen tally as a workbook: one sheet for all voters, and one per voter
    group that voted, with counts per level, blanks, rate, score, rank and verdict."""
    from congress import selectors

    group_titles = {"all": "全体", "member": "常委会组成人员", "deputy": "人大代表"}
    workbook = xlsx.Workbook()
    levels = poll.levels
    for group, title in group_titles.items():
        results = selectors.poll_results(poll, group=group)
        if not results:
            continue
        header = ["名次", "测评对象", *[level["label"] for level in levels], "未填（弃权）", "有效票"]
        if poll.kind == "satisfaction":
            header += ["满意率", "测评得分"]
        header.append("结果")
        sheet = workbook.sheet(title, header, heading=poll.title, widths=[8, 30])
        for r in results:
            row = [r.rank, r.item.label, *[r.counts.get(level["code"], 0) for level in levels], r.blank, r.ballots]
            if poll.kind == "satisfaction":
                row += [float(r.rate) if r.rate is not None else "", float(r.score) if r.score is not None else ""]
            if poll.kind == "approval":
                row.append("通过" if r.passed else "未通过")
            else:
                row.append("满意" if r.passed else ("不满意" if r.passed is False else ""))
            sheet.append(row)
    return workbook.bytes()


def poll_results_filename(poll) -> str:
    """The download name, e.g. 2026年度满意度测评-测评结果.xlsx."""
    return xlsx.filename(poll.title[:60], "测评结果")
