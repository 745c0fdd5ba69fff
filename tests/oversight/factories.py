"""Year-round supervision data for the public board and the unit portal: the county's 27 units
with their commitments, a planned year with visits held, the suggestions they lead, and the
committee's deliberation opinions, published or still a draft."""

import datetime

from django.utils import timezone

from congress.models import Member, Unit
from evaluations.services import rectification as rect
from oversight import selectors, services
from oversight.models import Activity, Commitment, Deliberation
from tests.factories import UNIT_NAMES_27, DeputyFactory, MemberFactory, UnitFactory
from tests.oversight.builders import directors_meeting, standing_session

# Twenty items a unit commits to in a year, of every kind.
ITEMS = [
    (Commitment.Kind.COMMITMENT, "政务服务事项承诺时限压缩30%", "群众办事平均时限压缩30%以上"),
    (Commitment.Kind.COMMITMENT, "群众来信来访和12345热线工单按期办结", "按期办结率100%，满意率90%以上"),
    (Commitment.Kind.COMMITMENT, "落实首问负责、限时办结和责任追究制度", "全年无有效投诉"),
    (Commitment.Kind.COMMITMENT, "“一网通办”事项全覆盖", "可网办事项比例达到95%"),
    (Commitment.Kind.COMMITMENT, "优化营商环境专项整治", "企业开办时间压缩至1个工作日"),
    (Commitment.Kind.KEY_WORK, "人大代表建议和审议意见按期办结", "办结率100%，代表满意率95%以上"),
    (Commitment.Kind.KEY_WORK, "安全生产隐患排查整治", "重大隐患整改率100%"),
    (Commitment.Kind.KEY_WORK, "乡村振兴驻村帮扶", "帮扶村集体经济收入达到15万元"),
    (Commitment.Kind.KEY_WORK, "基层队伍能力提升培训", "全年培训干部职工600人次"),
    (Commitment.Kind.KEY_WORK, "法治政府建设", "行政复议纠错率下降到5%以下"),
    (Commitment.Kind.KEY_PROJECT, "县城雨污分流改造一期", "完成管网铺设18公里"),
    (Commitment.Kind.KEY_PROJECT, "县人民医院门诊综合楼建设", "年底主体封顶"),
    (Commitment.Kind.KEY_PROJECT, "新建城东小学", "秋季学期投入使用，新增学位1620个"),
    (Commitment.Kind.KEY_PROJECT, "清河堤防加固工程", "汛期前完成主体工程"),
    (Commitment.Kind.KEY_PROJECT, "县城至高铁站快速通道", "年底建成通车"),
    (Commitment.Kind.LIVELIHOOD, "老旧小区改造", "完成12个小区、1860户改造"),
    (Commitment.Kind.LIVELIHOOD, "农村饮水安全巩固提升", "新增受益人口2.3万人"),
    (Commitment.Kind.LIVELIHOOD, "县城停车难综合治理", "新增公共停车位1500个"),
    (Commitment.Kind.LIVELIHOOD, "乡镇敬老院提升改造", "改造敬老院5所，新增护理床位300张"),
    (Commitment.Kind.LIVELIHOOD, "城镇新增就业", "新增就业4500人，零就业家庭动态清零"),
]
FINDINGS = "实地查看了项目现场，查阅了工作台账，项目总体按计划推进，个别事项办理时间偏长。"
REPORT = "县人民政府关于全县义务教育优质均衡发展工作情况的报告"
OPINIONS = [
    ("城乡学校办学条件差距仍然较大", "加大农村学校投入，制定薄弱学校改造计划", "年内改造薄弱学校8所"),
    ("教师队伍结构性矛盾突出", "完善教师补充机制，推进县管校聘改革", "年内补充紧缺学科教师30名"),
]


def this_year() -> int:
    return selectors.this_year()


def county_units(n: int = 27) -> list[Unit]:
    return [
        UnitFactory(name=name, short_name=name.removeprefix("县"), sort_order=i)
        for i, name in enumerate(UNIT_NAMES_27[:n])
    ]


def commitments(unit: Unit, n: int = 20, *, year: int | None = None) -> list[Commitment]:
    """``n`` items of every kind and state: every fifth done, every seventh reported done and
    being checked, the rest under way; items with an October deadline are late by now."""
    year = year or this_year()
    today = timezone.localdate()
    rows = []
    for i in range(n):
        kind, title, target = ITEMS[i % len(ITEMS)]
        if i >= len(ITEMS):
            title = f"{title}（第{i // len(ITEMS) + 1}批）"
        state, progress = Commitment.State.UNDERWAY, 30 + (i * 7) % 60
        if i % 5 == 0:
            state, progress = Commitment.State.DONE, 100
        elif i % 7 == 0:
            state, progress = Commitment.State.REPORTED, 100
        rows.append(
            Commitment(
                unit=unit,
                year=year,
                kind=kind,
                title=title,
                target=target,
                due_on=datetime.date(year, 10, 31) if i % 3 == 0 else datetime.date(year, 12, 31),
                state=state,
                progress=progress,
                progress_note="按计划推进，已完成阶段性任务。",
                updated_at=timezone.now() - datetime.timedelta(days=(i % 4) * 15),
                sort_order=i,
            )
        )
        # An item due before today that is not done is late (as the board counts it).
        rows[-1].expect_late = state != Commitment.State.DONE and rows[-1].due_on < today
    return Commitment.objects.bulk_create(rows)


def planned_year(unit: Unit, *, year: int | None = None, held: int = 3) -> list[Activity]:
    """The unit's year planned at the seed's rhythm, with its first ``held`` activities held."""
    year = year or this_year()
    services.plan_year(unit, year=year)
    activities = list(Activity.objects.filter(unit=unit, year=year).order_by("planned_on", "pk"))
    for activity in activities[:held]:
        Activity.objects.filter(pk=activity.pk).update(
            status=Activity.Status.HELD, held_on=activity.planned_on, findings=FINDINGS
        )
    return list(Activity.objects.filter(unit=unit, year=year).order_by("planned_on", "pk"))


def deliberation(unit: Unit, *, published: bool = True, report_title: str = REPORT) -> Deliberation:
    """The standing committee's opinions on a report concerning ``unit``, delivered and (unless
    ``published`` is false) published; a draft when ``published`` is None."""
    session = standing_session()
    found = services.record_deliberation(
        meeting=session,
        report_title=report_title,
        unit=unit,
        deliberated_on=timezone.localdate() - datetime.timedelta(days=60),
    )
    for finding, action, target in OPINIONS:
        services.add_deliberation_opinion(found, finding=finding, action=action, target=target)
    if published is None:
        return found
    rect.approve_opinions(found.rectification, meeting=directors_meeting(session.term))
    rect.deliver_opinions(found.rectification)
    if published:
        services.publish_deliberation(found)
    found.refresh_from_db()
    return found


def activity_participants(term=None):
    """A member and a deputy who took part in a visit, with phone numbers the public never sees."""
    member = MemberFactory(position=Member.Position.MEMBER, deputy__name="李建国", deputy__phone="13912345678")
    deputy = DeputyFactory(name="王秀英", phone="13987654321", term=member.term)
    return member, deputy
