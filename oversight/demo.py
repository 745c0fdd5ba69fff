"""Year-round supervision for the demo county, loaded after the county and its evaluations: each
of the 27 units with its commitments on the board, its supervision calendar with what was held
so far this year (one visit left unrecorded, so the reminder has work), a special inquiry held,
and the committee's deliberation opinions on a report, delivered and published. Built through
the services, as staff and liaisons would; idempotent (nothing when this year's calendar exists)."""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from congress.models import CommissionSeat, Deputy, Meeting, Member, Official, Role, Term, Unit, User
from congress.services import accounts
from congress.validators import normalize_mobile

from . import services
from .models import Activity, Commitment

GENERIC = [
    (Commitment.Kind.COMMITMENT, "政务服务事项承诺时限压缩30%", "群众办事平均时限压缩30%以上"),
    (Commitment.Kind.COMMITMENT, "群众来信来访和12345热线工单按期办结", "按期办结率100%，满意率90%以上"),
    (Commitment.Kind.COMMITMENT, "落实首问负责、限时办结和责任追究制度", "全年无有效投诉"),
    (Commitment.Kind.KEY_WORK, "人大代表建议和审议意见按期办结", "办结率100%，代表满意率95%以上"),
]
SPECIFIC = {
    "县教育局": [
        (Commitment.Kind.KEY_PROJECT, "新建城东小学", "秋季学期投入使用，新增学位1620个"),
        (Commitment.Kind.LIVELIHOOD, "化解城区学校大班额", "城区小学班额不超过45人"),
        (Commitment.Kind.KEY_WORK, "乡村学校教师补充", "补充紧缺学科教师30名"),
    ],
    "县卫生健康局": [
        (Commitment.Kind.KEY_PROJECT, "县人民医院门诊综合楼建设", "年底主体封顶"),
        (Commitment.Kind.LIVELIHOOD, "村卫生室标准化建设", "新建改建村卫生室40个"),
    ],
    "县住房和城乡建设局": [
        (Commitment.Kind.LIVELIHOOD, "老旧小区改造", "完成12个小区、1860户改造"),
        (Commitment.Kind.KEY_PROJECT, "县城雨污分流改造一期", "完成管网铺设18公里"),
    ],
    "县水利局": [
        (Commitment.Kind.LIVELIHOOD, "农村饮水安全巩固提升", "新增受益人口2.3万人"),
        (Commitment.Kind.KEY_PROJECT, "清河堤防加固工程", "汛期前完成主体工程"),
    ],
    "县交通运输局": [
        (Commitment.Kind.LIVELIHOOD, "农村公路提档升级", "改造农村公路120公里"),
        (Commitment.Kind.KEY_PROJECT, "县城至高铁站快速通道", "年底建成通车"),
    ],
    "县城市管理局": [
        (Commitment.Kind.LIVELIHOOD, "县城停车难综合治理", "新增公共停车位1500个"),
    ],
    "县民政局": [
        (Commitment.Kind.LIVELIHOOD, "乡镇敬老院提升改造", "改造敬老院5所，新增护理床位300张"),
    ],
    "县人力资源和社会保障局": [
        (Commitment.Kind.LIVELIHOOD, "城镇新增就业", "新增就业4500人，零就业家庭动态清零"),
    ],
}
FINDINGS = [
    "实地查看了重点项目现场，项目总体按计划推进。",
    "座谈听取了服务对象意见，群众对窗口服务总体满意，反映个别事项办理时间偏长。",
    "查阅了工作台账，12345热线工单按期办结，少数回访不及时。",
]
DELIBERATION_REPORT = "县人民政府关于全县义务教育优质均衡发展工作情况的报告"
DELIBERATION_ITEMS = [
    ("城乡学校办学条件差距仍然较大", "加大农村学校投入，制定薄弱学校改造计划", "年内改造薄弱学校8所"),
    ("教师队伍结构性矛盾突出", "完善教师补充机制，推进县管校聘改革", "年内补充紧缺学科教师30名"),
    ("课后服务质量有待提升", "丰富课后服务内容，规范收费", "课后服务覆盖率100%"),
]


def load_oversight_demo(*, stdout=None) -> bool:
    term = Term.objects.filter(is_current=True).first()
    today = timezone.localdate()
    year = today.year
    if term is None or Activity.objects.filter(year=year).exists():
        return False
    units = list(Unit.objects.filter(active=True).select_related("liaison_commission").order_by("sort_order", "pk"))
    seats = _commission_people()
    staff = User.objects.filter(groups__name="staff").first()
    with transaction.atomic():
        for n, unit in enumerate(units):
            _commitments(unit, year, today, n)
            services.plan_year(unit, year=year, by=staff)
            members, deputies = seats.get(unit.liaison_commission_id, ([], []))
            for activity in Activity.objects.filter(unit=unit, year=year, planned_on__lt=today).order_by("planned_on"):
                # One visit is left unrecorded: the calendar shows it overdue and reminds it.
                if (
                    unit.name == "县水利局"
                    and activity.kind == Activity.Kind.VISIT
                    and activity.planned_on.month == (today - datetime.timedelta(days=20)).month
                ):
                    continue
                services.record_activity(
                    activity,
                    held_on=activity.planned_on,
                    findings=FINDINGS[activity.planned_on.month % len(FINDINGS)],
                    follow_up="形成调研报告，反馈单位抓好落实。",
                    members=members[:3],
                    deputies=deputies[:2],
                    by=staff,
                )
        _special_inquiry(term, year, units, staff)
        _deliberation(term, year, staff)
    if stdout is not None:
        stdout.write(f"  全年监督：27个单位{year}年度承诺事项和监督日历、专题询问1次、审议意见1件（已公开）")
    return True


def _commission_people() -> dict[int, tuple[list[Member], list[Deputy]]]:
    people: dict[int, tuple[list[Member], list[Deputy]]] = {}
    for seat in CommissionSeat.objects.select_related("deputy__member").order_by("commission_id", "pk"):
        members, deputies = people.setdefault(seat.commission_id, ([], []))
        member = getattr(seat.deputy, "member", None)
        (members.append(member) if member is not None else deputies.append(seat.deputy))
    return people


def _liaison_phone(unit: Unit) -> str:
    """A mobile number on an allocated segment, the same for the unit on every load, and held
    by nobody else in the registry (reminders reach a liaison by SMS)."""
    from congress.demo import MOBILE_PREFIXES

    rng = random.Random(f"liaison-{unit.name}")  # noqa: S311 - demo data, not a secret
    while True:
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        try:
            normalize_mobile(phone)
        except ValidationError:
            continue
        taken = (
            User.objects.filter(phone=phone).exists()
            or Deputy.objects.filter(phone=phone).exists()
            or Official.objects.filter(phone=phone).exists()
        )
        if not taken:
            return phone


def _liaison(unit: Unit) -> User:
    """The unit's liaison (联络员), who reports its progress; units other than the demo login's
    get an account without a password (staff can set one)."""
    liaison = User.objects.filter(unit=unit, is_active=True).first()
    if liaison is None:
        liaison = User(
            username=f"liaison-{unit.pk}",
            last_name=unit.short_name or unit.name,
            first_name="联络员",
            unit=unit,
            phone=_liaison_phone(unit),
        )
        liaison.set_unusable_password()
        liaison.save()
        accounts.grant_role(liaison, Role.LIAISON)
    return liaison


def _commitments(unit: Unit, year: int, today: datetime.date, n: int) -> None:
    liaison = _liaison(unit)
    items = SPECIFIC.get(unit.name, []) + GENERIC
    for i, (kind, title, target) in enumerate(items):
        due = datetime.date(year, 12, 31) if i % 3 else datetime.date(year, 10, 31)
        commitment = services.add_commitment(unit, year=year, kind=kind, title=title, target=target, due_on=due)
        progress = min(100, 40 + 15 * ((i + n) % 5))
        services.update_progress(commitment, by=liaison, progress=progress, text="按计划推进，已完成阶段性任务。")
        if progress == 100 and (i + n) % 2 == 0:
            services.check_commitment(commitment, by=None, confirmed=True)


def _special_inquiry(term: Term, year: int, units: list[Unit], staff) -> None:
    session = Meeting.objects.filter(term=term, kind=Meeting.Kind.STANDING).order_by("starts_at").first()
    asked = list(Member.objects.filter(active=True).select_related("deputy").order_by("sort_order", "pk")[:3])
    questioned = [u for u in units if u.name in ("县教育局", "县财政局")]
    if session is None or len(asked) < 3 or len(questioned) < 2:
        return
    day = datetime.date(year, 6, 26)
    inquiry = services.plan_special_inquiry(
        topic="义务教育优质均衡发展", planned_on=day, units=questioned, meeting=session, by=staff
    )
    qa = [
        (
            asked[0],
            questioned[0],
            "城区学校大班额问题什么时候能够化解？",
            "县教育局局长",
            "今年秋季城东小学投入使用后，城区小学班额控制在45人以内。",
        ),
        (
            asked[1],
            questioned[1],
            "教育经费“两个只增不减”是否落实？",
            "县财政局局长",
            "今年教育支出同比增长8.2%，生均公用经费按标准足额拨付。",
        ),
        (
            asked[2],
            questioned[0],
            "农村学校教师补充有什么具体措施？",
            "县教育局局长",
            "年内通过公开招聘和县管校聘补充紧缺学科教师30名。",
        ),
    ]
    for member, unit, question, answered_by, answer in qa:
        services.record_inquiry_question(
            inquiry, asked_by=member.deputy, question=question, unit=unit, answered_by=answered_by, answer=answer
        )
    services.hold_special_inquiry(
        inquiry, held_on=day, follow_up="询问意见已交县人民政府研究处理，年底听取落实情况报告。"
    )


def _deliberation(term: Term, year: int, staff) -> None:
    from evaluations.services import rectification as rect

    session = Meeting.objects.filter(term=term, kind=Meeting.Kind.STANDING).order_by("starts_at").first()
    directors = Meeting.objects.filter(term=term, kind=Meeting.Kind.DIRECTORS).order_by("starts_at").first()
    education = Unit.objects.filter(name="县教育局").first()
    if session is None or directors is None or education is None:
        return
    deliberation = services.record_deliberation(
        meeting=session,
        report_title=DELIBERATION_REPORT,
        unit=education,
        deliberated_on=datetime.date(year, 6, 26),
        by=staff,
    )
    for finding, action, target in DELIBERATION_ITEMS:
        services.add_deliberation_opinion(deliberation, finding=finding, action=action, target=target, by=staff)
    rect.approve_opinions(deliberation.rectification, meeting=directors, by=staff)
    rect.deliver_opinions(deliberation.rectification, by=staff)
    services.publish_deliberation(deliberation, by=staff)
