"""Demo suggestions for the demo county (清河县), loaded by ``manage.py load_demo`` through the
institution's demo extensions: the current congress session with its categories, and a dozen
suggestions at every step (one waiting for the demo deputy's rating, several with the 教育局
whose liaison is the demo ``liaison`` login, one returned, one key suggestion, one declined,
and the drainage station asked for again after an earlier year). Written through the services,
so every record is one the system itself could have made. Idempotent."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from congress.models import Deputy, Member, Term, Unit, User

CATEGORIES = ["城乡建设", "农业农村", "教育卫生", "社会保障", "经济发展", "生态环境", "政法综合"]
# (title, text, category, lead unit, how far it goes)
ITEMS = [
    (
        "关于尽快建设城关镇南关电排站的建议",
        "城关镇南关片区地势低洼，每逢汛期暴雨农田和村道大面积水浸，农户损失严重。建议县水利局尽快立项建设南关电排站。",
        "农业农村",
        "县水利局",
        "rated",
    ),
    (
        "关于解决城关一小大班额问题的建议",
        "城关第一小学部分班级学生超过六十人，教室拥挤，建议新建教学楼、合理划分学区，化解大班额。",
        "教育卫生",
        "县教育局",
        "replied",
    ),
    (
        "关于改善乡村学校寄宿条件的建议",
        "石门乡中心学校宿舍为上世纪建筑，冬季无暖气，建议纳入薄弱学校改造计划。",
        "教育卫生",
        "县教育局",
        "assigned",
    ),
    (
        "关于增加城区幼儿园学位的建议",
        "新城区入园难问题突出，建议新建公办幼儿园，扶持普惠性民办幼儿园。",
        "教育卫生",
        "县教育局",
        "assigned",
    ),
    (
        "关于加强农村中小学校车安全管理的建议",
        "部分乡镇仍有非营运车辆接送学生，建议完善校车线路并加强监管。",
        "教育卫生",
        "县教育局",
        "completed",
    ),
    (
        "关于整治人民路占道经营的建议",
        "人民路沿街商户和流动摊贩占道经营，早晚高峰交通拥堵，建议规划临时疏导点。",
        "城乡建设",
        "县城市管理局",
        "assigned",
    ),
    (
        "关于开通龙泉镇至县城公交线路的建议",
        "龙泉镇群众到县城就医办事出行不便，建议开通城乡公交线路。",
        "城乡建设",
        "县住房和城乡建设局",
        "returned",
    ),
    (
        "关于提升桃源乡卫生院服务能力的建议",
        "桃源乡卫生院医生不足、设备陈旧，建议引进医务人员并更新设备。",
        "教育卫生",
        "县卫生健康局",
        "key",
    ),
    ("关于调整本人工作岗位的建议", "本人在单位工作多年，希望调整到离家较近的岗位。", "政法综合", None, "declined"),
    (
        "关于规范农村生活垃圾处理的建议",
        "白沙镇农村垃圾收集点设置不足，垃圾随意倾倒焚烧，建议完善收运体系。",
        "生态环境",
        None,
        "submitted",
    ),
]


def _letter() -> ContentFile:
    """A one-page A4 PDF, as a scanned signed letter would arrive (it opens in any reader)."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "答复函（演示）"})
    out = BytesIO()
    writer.write(out)
    return ContentFile(out.getvalue(), name="答复函.pdf")


def load_suggestions_demo(*, stdout=None) -> bool:
    from . import services
    from .models import Category, CongressSession, Suggestion

    if CongressSession.objects.exists() or Suggestion.objects.exists():
        return False
    term = Term.objects.filter(is_current=True).first()
    deputy = Deputy.objects.filter(user__username="deputy").first()
    staff = User.objects.filter(username="staff").first()
    if term is None or deputy is None or staff is None:
        return False
    today = timezone.localdate()
    with transaction.atomic():
        for i, name in enumerate(CATEGORIES):
            Category.objects.get_or_create(name=name, defaults={"sort_order": i})
        CongressSession.objects.create(
            term=term,
            number=5,
            year=today.year,
            starts_on=datetime.date(today.year, 1, 8),
            ends_on=datetime.date(today.year, 1, 11),
            is_current=True,
        )
        others = list(Deputy.objects.filter(term=term, active=True, level="county").exclude(pk=deputy.pk)[:20])
        vice = Member.objects.filter(term=term, position=Member.Position.VICE_DIRECTOR, active=True).first()
        for n, (title, text, category, unit_name, stage) in enumerate(ITEMS):
            lead = deputy if n < 3 else others[n]
            cosigners = [others[(n + 1) % len(others)]]
            s = services.save_draft(
                lead, title=title, text=text, category=Category.objects.get(name=category), cosigners=cosigners
            )
            services.submit_suggestion(s, deputy=lead)
            services.respond_to_cosign(s, deputy=cosigners[0], confirm=True)
            if stage == "submitted":
                continue
            if stage == "declined":
                services.decline_suggestion(
                    s, by=staff, reason="属个人事项，不属于代表建议范围，已转有关部门作来信处理。"
                )
                continue
            services.accept_suggestion(s, by=staff)
            if stage == "returned":
                wrong = Unit.objects.get(name="县住房和城乡建设局")
                lead_row = services.assign_suggestion(s, lead_unit=wrong, by=staff)[0]
                services.return_assignment(lead_row, reason="城乡公交线路由交通运输部门负责。", by=None)
                continue
            unit = Unit.objects.get(name=unit_name)
            lead_row = services.assign_suggestion(s, lead_unit=unit, by=staff)[0]
            if stage == "key" and vice:
                services.designate_key(s, supervisor=vice, decided_on=today, handler="副县长 王建国", by=staff)
            if stage in ("replied", "rated", "completed"):
                reply = services.reply_suggestion(
                    lead_row, category="A", text="经研究，已列入本年度计划并组织实施。", letter=_letter(), by=None
                )
                if stage in ("rated", "completed"):
                    services.rate_reply(reply, deputy=lead, rating="satisfied", comment="办理认真，感谢。")
    if stdout is not None:
        stdout.write(f"  代表建议：{len(ITEMS)} 件（含待评价、待办理、重点建议、退回和不予立案）")
    return True
