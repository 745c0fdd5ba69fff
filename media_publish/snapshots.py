"""What a publication freezes when staff publish it: the content of its page, read from the
other apps through their selectors, as plain JSON. Only what was decided and meant for the
public goes in: no ballots or who cast them, no staff comments or internal notes, no phone
numbers; people appear by name and post only.

Each builder returns (content, text for search) or raises PublicationError saying, in the
committee's words, why the stage cannot be published yet.
"""

from decimal import Decimal

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from congress import formats
from evaluations import selectors as evaluations
from evaluations.models import Campaign, Opinion, Rectification, Result
from suggestions import selectors as suggestions

from .validators import embeds_as_video


class PublicationError(Exception):
    """A publication step refused, with the reason to show staff."""


def _num(value: Decimal | None, places: int = 2) -> float | None:
    return None if value is None else round(float(value), places)


def _text(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _campaign_head(campaign: Campaign) -> dict:
    return {
        "campaign": campaign.title,
        "year": campaign.year,
        "campaign_kind": campaign.get_kind_display(),
    }


def plan(campaign: Campaign) -> tuple[dict, str]:
    """The implementation plan (实施方案): the year's phases with their dates and the plan
    document, if one is attached."""
    phases = [
        {"name": str(p.get_kind_display()), "starts": p.starts_on.isoformat(), "ends": p.ends_on.isoformat()}
        for p in campaign.phases.all()
    ]
    if not phases and not campaign.plan_document:
        raise PublicationError(_("The campaign has neither phases nor an implementation plan document yet."))
    content = {
        **_campaign_head(campaign),
        "phases": phases,
        "document": campaign.plan_document.name if campaign.plan_document else "",
        "document_label": _("Implementation plan") if campaign.plan_document else "",
    }
    return content, _text(campaign.title, *(p["name"] for p in phases))


def subjects(campaign: Campaign) -> tuple[dict, str]:
    """The subjects (评议对象) in order of reporting, each with its assigned topics (点题)."""
    rows = list(evaluations.subject_rows(campaign).prefetch_related("topics"))
    if not rows:
        raise PublicationError(_("The campaign has no confirmed subjects yet."))
    items = []
    for s in rows:
        items.append(
            {
                "label": s.label,
                "unit": s.unit.name,
                "official": s.official.name if s.official_id else "",
                "post": s.official.position if s.official_id else "",
                "topics": [t.title for t in sorted(s.topics.all(), key=lambda t: t.pk) if t.merged_into_id is None],
            }
        )
    content = {**_campaign_head(campaign), "subjects": items}
    return content, _text(campaign.title, *(_text(i["label"], i["unit"], *i["topics"]) for i in items))


def _result_rows(campaign: Campaign, round_: str, levels: list[dict]) -> list[dict]:
    rows = []
    for r in evaluations.results(campaign, round=round_):
        rows.append(
            {
                "label": r.subject.label,
                "unit": r.subject.unit.name,
                "counts": [int((r.counts or {}).get(level["code"], 0)) for level in levels],
                "valid": r.valid,
                "blank": r.blank,
                "rate": _num(r.rate, 4),
                "rate_pct": "" if r.rate is None else formats.percent_text(r.rate).rstrip("%"),
                "score": _num(r.score),
                "score_text": "" if r.score is None else f"{float(r.score):.2f}",
                "rank": r.rank,
                "verdict": r.verdict,
                "verdict_label": str(r.get_verdict_display()),
            }
        )
    return rows


def results(campaign: Campaign) -> tuple[dict, str]:
    """The satisfaction results (满意度测评结果) as decided: per subject the count of each level,
    the valid and blank ballots, the satisfaction rate, the score, the rank and the verdict; and
    the re-evaluation's, once decided. Totals only: no ballot and no voter."""
    if campaign.stage != Campaign.Stage.VERDICT or campaign.decided_at is None:
        raise PublicationError(_("The results of this campaign are not decided yet."))
    levels = [{"code": lv["code"], "label": lv["label"]} for lv in evaluations.result_levels(campaign)]
    rows = _result_rows(campaign, Result.Round.EVALUATION, levels)
    if not rows:
        raise PublicationError(_("The results of this campaign are not decided yet."))
    content = {
        **_campaign_head(campaign),
        "decided_on": timezone.localtime(campaign.decided_at).date().isoformat(),
        "levels": levels,
        "rows": rows,
        "reevaluation": _result_rows(campaign, Result.Round.REEVALUATION, levels),
        "passed": sum(1 for r in rows if r["verdict"] == Result.Verdict.PASS),
        "failed": sum(1 for r in rows if r["verdict"] == Result.Verdict.FAIL),
    }
    return content, _text(campaign.title, *(r["label"] for r in rows))


def rectification(campaign: Campaign) -> tuple[dict, str]:
    """The rectification progress (整改落实情况) of the campaign's subjects whose opinions were
    delivered: each item's finding, the action required, the target, the deadline, its state
    and progress. The staff's review comments stay in the back office."""
    today = timezone.localdate()
    groups: dict[int, dict] = {}
    for item in evaluations.ledger(include_done=True):
        rect = item.rectification
        subject = rect.subject
        if subject is None or subject.campaign_id != campaign.pk:
            continue
        group = groups.setdefault(
            rect.pk,
            {
                "label": subject.label,
                "unit": rect.unit.name,
                "order": subject.sort_order,
                "status": str(rect.get_status_display()),
                "closed": rect.status == Rectification.Status.CLOSED,
                "items": [],
            },
        )
        done = item.state == Opinion.State.DONE
        group["items"].append(
            {
                "order": item.sort_order,
                "finding": item.finding,
                "action": item.action,
                "target": item.target,
                "deadline": item.deadline.isoformat() if item.deadline else "",
                "state": str(item.step_label),
                "done": done,
                "late": not done and item.deadline is not None and item.deadline < today,
                "progress": 100 if done else item.progress,
            }
        )
    if not groups:
        raise PublicationError(_("No opinions of this campaign have been delivered to a unit yet."))
    units = sorted(groups.values(), key=lambda g: (g["order"], g["label"]))
    for group in units:
        group["items"].sort(key=lambda i: i["order"])
        for number, entry in enumerate(group["items"], start=1):
            entry["number"] = number
        group["done"] = sum(1 for i in group["items"] if i["done"])
        group["total"] = len(group["items"])
    content = {
        **_campaign_head(campaign),
        "as_of": today.isoformat(),
        "units": units,
        "done": sum(g["done"] for g in units),
        "total": sum(g["total"] for g in units),
    }
    return content, _text(campaign.title, *(_text(g["label"], *(i["finding"] for i in g["items"])) for g in units))


def suggestion_statistics(year: int) -> tuple[dict, str]:
    """The year's handling of deputies' suggestions per lead unit, as the suggestions office
    published it: received, replied on time, completion rate, A/B/C/D shares, satisfaction."""
    rows = suggestions.published_statistics(year)
    if rows is None:
        raise PublicationError(
            _("The suggestions office has not published the statistics of %(year)d yet.") % {"year": year}
        )
    units = [
        {
            "unit": r.unit,
            "received": r.received,
            "on_time": r.on_time,
            "on_time_rate": r.on_time_rate,
            "completion_rate": r.completion_rate,
            "shares": [share for _c, share in r.shares],
            "satisfaction_rate": r.satisfaction_rate,
            "rated": r.rated,
            "score": r.score,
        }
        for r in rows
    ]
    content = {
        "year": year,
        "units": units,
        "received": sum(u["received"] for u in units),
        "completed": sum(r.completed for r in rows),
    }
    return content, _text(str(year), *(u["unit"] for u in units))


def recording(rec) -> tuple[dict, str]:
    """A meeting's video as it stands: the file or the station's link, the poster and the
    broadcast schedule of its replays."""
    slots = []
    for slot in rec.slots.all():
        local = timezone.localtime(slot.airs_at)
        slots.append(
            {
                "channel": slot.channel,
                "date": local.date().isoformat(),
                "weekday": dateformat.format(local, "l"),
                "time": local.strftime("%H:%M"),
                "note": slot.note,
            }
        )
    content = {
        "title": rec.title,
        "recorded_on": rec.recorded_on.isoformat(),
        "meeting": rec.meeting.title if rec.meeting_id else "",
        "description": rec.description,
        "video": rec.video.name if rec.video else "",
        "embed_url": rec.embed_url,
        "embed_as_video": bool(rec.embed_url) and embeds_as_video(rec.embed_url),
        "poster": rec.poster.name if rec.poster else "",
        "poster_alt": rec.poster_alt or rec.title,
        "slots": slots,
    }
    return content, _text(rec.title, rec.description, content["meeting"], *(s["channel"] for s in slots))
