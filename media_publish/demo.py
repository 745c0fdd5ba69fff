"""The demo county's public site, loaded after the evaluations and suggestions demos: a column
per campaign; last year's work evaluation published stage by stage (plan, subjects, results,
rectification) with the meeting's video linked from the county television station and its
replays; this year's plans and subjects; and this year's suggestion statistics. Built through
the services, as staff would; loaded once."""

import datetime

from django.db import transaction
from django.utils import timezone

from congress.models import User

from .models import BroadcastSlot, Column, Publication, Recording
from .services import PublicationError, draft_publication, open_column, publish

DEMO_VIDEO_URL = "https://tv.qinghe.example.cn/vod/2025/renda-pingyi.html"
CHANNELS = ["清河县电视台综合频道", "清河县电视台公共频道"]
INTRO = {
    "work": "向社会公开部门工作评议的实施方案、评议对象、满意度测评结果和整改落实情况，接受人大代表和社会各界监督。",
    "duty": "公开述职评议的实施方案、述职对象和述职问题征集情况，欢迎社会各界关注、监督。",
}


def load_publication_demo(*, stdout=None) -> bool:
    from evaluations.models import Campaign

    if Column.objects.exists():
        return False
    staff = User.objects.filter(username="staff").first()
    campaigns = list(Campaign.objects.order_by("year", "kind"))
    if not campaigns or staff is None:
        return False
    published = 0
    with transaction.atomic():
        for order, campaign in enumerate(reversed(campaigns)):
            column = open_column(campaign, intro=INTRO.get(campaign.kind, ""), by=staff)
            Column.objects.filter(pk=column.pk).update(sort_order=order + 1)
            for kind in Publication.CAMPAIGN_KINDS:
                published += _publish(column, kind=kind, by=staff)
            if campaign.stage == Campaign.Stage.VERDICT and campaign.meeting_id:
                published += _recording(column, campaign, staff)
        published += _suggestions(staff)
    if stdout is not None:
        stdout.write(f"  公开：{Column.objects.count()}个专栏、{published}篇公开内容（含会议录像和建议办理统计）")
    return True


def _publish(column: Column, *, by, **fields) -> int:
    try:
        with transaction.atomic():
            publish(draft_publication(column, by=by, **fields), by=by)
    except PublicationError:
        return 0  # the stage is not reached yet (no results this year, say)
    return 1


def _recording(column: Column, campaign, staff) -> int:
    """The meeting's video on the county station's site, replayed on its two channels in the
    days after the meeting (held in December of the campaign's year)."""
    recorded = datetime.date(campaign.year, 12, 18)
    recording = Recording.objects.create(
        column=column,
        title=f"{campaign.title}会议实况",
        recorded_on=recorded,
        description="县人大常委会召开部门工作评议会议，被评议单位负责人报告工作，人大代表现场提问并进行满意度测评，"
        "测评结果当场公布。",
        embed_url=DEMO_VIDEO_URL,
        poster_alt="评议会议现场：被评议单位负责人在主席台报告工作",
    )
    first = timezone.make_aware(datetime.datetime.combine(recorded + datetime.timedelta(days=2), datetime.time(20, 0)))
    BroadcastSlot.objects.bulk_create(
        BroadcastSlot(
            recording=recording,
            channel=CHANNELS[i % 2],
            airs_at=first + datetime.timedelta(days=i, hours=-8 * (i % 2)),
            note="首播" if i == 0 else "重播",
        )
        for i in range(4)
    )
    return _publish(column, kind=Publication.Kind.RECORDING, recording=recording, by=staff)


def _suggestions(staff) -> int:
    from suggestions import services as suggestion_services
    from suggestions.models import Suggestion, YearStatistics

    year = timezone.localdate().year
    if not Suggestion.objects.filter(session__year=year, number__isnull=False).exists():
        return 0
    if not YearStatistics.objects.filter(year=year, published_at__isnull=False).exists():
        suggestion_services.publish_statistics(year, by=staff)
    column, _created = Column.objects.get_or_create(
        campaign=None,
        title="代表建议办理情况",
        defaults={"intro": "公开代表建议的交办、答复、办结和代表满意度情况，按承办单位统计。", "sort_order": 0},
    )
    return _publish(column, kind=Publication.Kind.SUGGESTIONS, year=year, by=staff)
