"""The documents an evaluation sends (公文), filled from its records:

- the results report to the county party committee (评议结果报告, a Campaign): ranking, votes
  per level, satisfaction rate, verdict, counts passed and failed;
- the itemized opinions to a unit (评议意见书, or 审议意见书 for the committee's deliberation
  opinions: a Rectification) with the plan and report deadlines;
- the feedback letter to an evaluated unit (评议结果反馈函, a Subject);
- the interview notice (约谈通知, an Interview);
- the inquiry motion (质询案, an InquiryMotion) with its co-signing members.

Their names and placeholders are the committee's own words, in Chinese: staff who write their
own template use them as they read here (``{{ 主送机关 }}``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import documents
from congress.documents import layout
from congress.models.bodies import chinese_numeral

PARTY_COMMITTEE = "中共{county}委员会"


def _county() -> str:
    from congress.models import Committee

    committee = Committee.objects.first()
    return committee.county if committee else ""


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.2f}%"


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        value = timezone.localtime(value).date()
    return documents.chinese_date(value)


# -- the results report to the party committee --------------------------------------------


def report_context(campaign) -> dict:
    from . import selectors
    from .models import Result

    rows = selectors.results(campaign)
    levels = selectors.result_levels(campaign)
    ranking = [
        {
            "名次": str(r.rank) if r.rank else "—",
            "对象": r.subject.label,
            "票数": "，".join(f"{level['label']}{r.counts.get(level['code'], 0)}" for level in levels),
            "有效票": str(r.valid),
            "满意率": _percent(r.rate),
            "结果": r.get_verdict_display() if r.verdict != Result.Verdict.NONE else "—",
        }
        for r in rows
    ]
    passed = [r.subject.label for r in rows if r.verdict == Result.Verdict.PASS]
    failed = [r.subject.label for r in rows if r.verdict == Result.Verdict.FAIL]
    return {
        "主送机关": PARTY_COMMITTEE.format(county=_county()),
        "评议名称": campaign.title,
        "评议年度": str(campaign.year),
        "对象数": str(len(rows)),
        "通过数": str(len(passed)),
        "未通过数": str(len(failed)),
        "未通过对象": "、".join(failed) or "无",
        "排名": ranking,
    }


def _check_report(campaign) -> None:
    from .models import Result

    if not Result.objects.filter(subject__campaign=campaign, round=Result.Round.EVALUATION).exists():
        raise ValidationError(_("The campaign has no results yet: the report is issued after the tally."))


def build_report(document) -> None:
    layout.heading(document)
    layout.title(document, "关于{{ 评议名称 }}结果的报告")
    layout.addressee(document, "{{ 主送机关 }}")
    layout.paragraph(
        document,
        "根据县委批准的评议工作安排，县人大常委会组织开展了{{ 评议名称 }}。经调查了解、述职报告、询问互动，"
        "由常委会组成人员进行满意度测评，现将测评结果报告如下。",
    )
    layout.level_one(document, "一、测评结果")
    layout.paragraph(
        document,
        "本次共评议{{ 对象数 }}个对象，测评结果为通过的{{ 通过数 }}个，未通过的{{ 未通过数 }}个。各对象得票及排名如下：",
    )
    layout.loop_table(
        document,
        ["名次", "评议对象", "各等次票数", "有效票", "满意率", "结果"],
        ["{{ 行.名次 }}", "{{ 行.对象 }}", "{{ 行.票数 }}", "{{ 行.有效票 }}", "{{ 行.满意率 }}", "{{ 行.结果 }}"],
        loop="行 in 排名",
        widths_mm=[14, 34, 48, 18, 24, 18],
    )
    layout.level_one(document, "二、下一步工作")
    layout.paragraph(
        document,
        "测评结果未通过的对象（{{ 未通过对象 }}），常委会将形成评议意见交其限期整改，整改情况向常委会报告"
        "并进行再测评；连续两年未通过的，依法提出质询案并向县委提出处理建议。",
    )
    layout.paragraph(document, "特此报告。")
    layout.signature(document)


def _check_opinions(rectification) -> None:
    if not rectification.opinions.exists():
        raise ValidationError(_("The opinions have no items yet."))


# -- the itemized opinions to a unit --------------------------------------------------------


def opinions_name(rectification) -> str:
    return "评议意见书" if rectification.subject_id else "审议意见书"


def _clause(text: str) -> str:
    """A clause without its closing punctuation: the template adds 。 after it."""
    return (text or "").strip().rstrip("。；;.，,")


def opinions_context(rectification) -> dict:
    opinions = list(rectification.opinions.order_by("sort_order", "pk"))
    delivered = rectification.delivered_at is not None
    return {
        "主送机关": rectification.unit.name,
        "意见书名称": opinions_name(rectification),
        "标题": rectification.title,
        "意见条数": str(len(opinions)),
        "意见": [
            {
                "序号": chinese_numeral(i),
                "问题": _clause(o.finding),
                "要求": _clause(o.action),
                "目标": _clause(o.target),
                "期限": _date(o.deadline) if o.deadline else "",
            }
            for i, o in enumerate(opinions, start=1)
        ],
        "计划期限": _date(rectification.plan_due_at)
        if delivered
        else f"收到本意见书后{rectification.plan_months}个月内",
        "报告期限": _date(rectification.report_due_at)
        if delivered
        else f"收到本意见书后{rectification.report_months}个月内",
        "联系工委": rectification.commission.name if rectification.commission_id else "",
        "联系领导": rectification.leader.deputy.name if rectification.leader_id else "",
    }


def build_opinions(document) -> None:
    layout.heading(document)
    layout.title(document, "{{ 意见书名称 }}", blank_after=False)
    layout.paragraph(document, "（{{ 标题 }}）", align=layout.WD_ALIGN_PARAGRAPH.CENTER, font=layout.KAITI)
    layout.paragraph(document, "")
    layout.addressee(document, "{{ 主送机关 }}")
    layout.paragraph(
        document,
        "经县人大常委会主任会议研究，现将{{ 标题 }}的意见共{{ 意见条数 }}条交你单位，请逐条研究整改，"
        "于{{ 计划期限 }}前将整改计划报送县人大常委会，于{{ 报告期限 }}前报送整改情况报告。",
    )
    layout.control(document, "for 条 in 意见")
    layout.level_one(document, "{{ 条.序号 }}、{{ 条.问题 }}")
    layout.paragraph(
        document,
        "整改要求：{{ 条.要求 }}。{% if 条.目标 %}整改目标：{{ 条.目标 }}。{% endif %}"
        "{% if 条.期限 %}完成时限：{{ 条.期限 }}。{% endif %}",
    )
    layout.control(document, "endfor")
    layout.paragraph(
        document,
        "整改计划和整改报告须经单位主要负责人签字，通过单位门户逐条报送。整改情况将向社会公开，"
        "并由常委会组织再测评。{% if 联系工委 %}联系工委：{{ 联系工委 }}。{% endif %}",
    )
    layout.signature(document)


def _rectification_unit(rectification):
    return rectification.unit


# -- the feedback letter to an evaluated unit ----------------------------------------------


def feedback_context(subject) -> dict:
    from . import selectors
    from .models import Result

    result = subject.results.filter(round=Result.Round.EVALUATION).first()
    levels = selectors.result_levels(subject.campaign)
    ranked = Result.objects.filter(subject__campaign=subject.campaign, round=Result.Round.EVALUATION).count()
    return {
        "主送机关": subject.unit.name,
        "评议名称": subject.campaign.title,
        "评议对象": subject.label,
        "名次": str(result.rank) if result and result.rank else "—",
        "对象数": str(ranked),
        "票数": "，".join(f"{level['label']}{result.counts.get(level['code'], 0)}票" for level in levels)
        if result
        else "",
        "满意率": _percent(result.rate) if result else "—",
        "结果": result.get_verdict_display() if result else "",
        "是否通过": "是" if result and result.verdict == Result.Verdict.PASS else "否",
    }


def _check_feedback(subject) -> None:
    from .models import Result

    if not subject.results.filter(round=Result.Round.EVALUATION).exists():
        raise ValidationError(_("The subject has no result yet."))


def build_feedback(document) -> None:
    layout.heading(document, letter=True)
    layout.title(document, "关于{{ 评议名称 }}测评结果的反馈函")
    layout.addressee(document, "{{ 主送机关 }}")
    layout.paragraph(
        document,
        "在{{ 评议名称 }}中，县人大常委会组成人员对{{ 评议对象 }}进行了满意度测评。测评结果为：{{ 票数 }}，"
        "满意率{{ 满意率 }}，在{{ 对象数 }}个评议对象中位列第{{ 名次 }}名，测评结果为“{{ 结果 }}”。",
    )
    layout.paragraph(
        document,
        "{% if 是否通过 == '是' %}请你单位巩固评议成果，认真落实常委会提出的意见。"
        "{% else %}根据评议办法，常委会将形成评议意见交你单位限期整改，请做好整改准备。{% endif %}",
    )
    layout.paragraph(document, "特此函告。")
    layout.signature(document)


# -- the interview notice ----------------------------------------------------------------------


def interview_context(interview) -> dict:
    rect = interview.rectification
    official = interview.official
    return {
        "主送机关": rect.unit.name,
        "被约谈人": official.name if official else "",
        "被约谈人职务": official.position if official else "主要负责人",
        "约谈时间": _date(interview.held_on),
        "约谈人": interview.led_by.deputy.name if interview.led_by_id else "",
        "约谈事由": interview.reason,
        "整改事项": rect.title,
    }


def build_interview(document) -> None:
    layout.heading(document, letter=True)
    layout.title(document, "约谈通知")
    layout.addressee(document, "{{ 主送机关 }}")
    layout.paragraph(
        document,
        "因{{ 约谈事由 }}，根据县人大常委会评议工作有关规定，经主任会议研究，定于{{ 约谈时间 }}对你单位"
        "{{ 被约谈人职务 }}{{ 被约谈人 }}同志进行约谈{% if 约谈人 %}，由{{ 约谈人 }}同志主持{% endif %}。",
    )
    layout.paragraph(document, "约谈事项：{{ 整改事项 }}的落实情况。")
    layout.paragraph(
        document,
        "请被约谈人按时到县人大常委会机关参加约谈，并就整改不力的原因、下一步措施作出说明，"
        "约谈前将书面说明材料报送县人大常委会。",
    )
    layout.paragraph(document, "特此通知。")
    layout.signature(document)


# -- the inquiry motion ----------------------------------------------------------------------------


def motion_context(motion) -> dict:
    cosigners = list(motion.cosigners.order_by("pk"))
    return {
        "主送机关": "县人民代表大会常务委员会",
        "案由": motion.title,
        "被质询机关": motion.unit.name,
        "质询问题": [q.strip() for q in motion.questions.splitlines() if q.strip()],
        "联名人": [m.deputy.name for m in cosigners],
        "联名人数": str(len(cosigners)),
        "处理建议": motion.personnel_recommendation,
    }


def _check_motion(motion) -> None:
    if motion.cosigners.count() < 3:
        raise ValidationError(_("An inquiry motion needs at least three co-signing members."))


def build_motion(document) -> None:
    layout.heading(document)
    layout.title(document, "质询案")
    layout.paragraph(document, "案由：{{ 案由 }}", indent=False)
    layout.paragraph(document, "被质询机关：{{ 被质询机关 }}", indent=False)
    layout.level_one(document, "一、质询的问题")
    layout.control(document, "for 问题 in 质询问题")
    layout.paragraph(document, "{{ loop.index }}. {{ 问题 }}")
    layout.control(document, "endfor")
    layout.level_one(document, "二、质询要求")
    layout.paragraph(
        document, "请{{ 被质询机关 }}按主任会议决定的方式作出答复。{% if 处理建议 %}{{ 处理建议 }}{% endif %}"
    )
    layout.level_one(document, "三、联名提出人（{{ 联名人数 }}人）")
    layout.paragraph(document, "{{ 联名人|join('、') }}")
    layout.signature(document)


def register() -> None:
    from congress.documents import DocumentKind
    from congress.documents import register as add

    add(
        DocumentKind(
            code="evaluation_report",
            name="评议结果报告",
            model="evaluations.Campaign",
            word="报",
            placeholders={
                "主送机关": "主送机关，县委（如“中共清河县委员会”）",
                "评议名称": "评议活动名称，如“2025年度部门工作评议”",
                "评议年度": "评议年度",
                "对象数": "评议对象个数",
                "通过数": "测评通过的对象个数",
                "未通过数": "测评未通过的对象个数",
                "未通过对象": "未通过的对象名称，以顿号分隔；没有时为“无”",
                "排名": "测评排名表，每行有：名次、对象、票数（各等次票数）、有效票、满意率、结果；"
                "表格中写 {%tr for 行 in 排名 %} … {{ 行.对象 }} … {%tr endfor %}",
            },
            context=report_context,
            addressee=lambda c: PARTY_COMMITTEE.format(county=_county()),
            title=lambda c: f"关于{c.title}结果的报告",
            build=build_report,
            check=_check_report,
        )
    )
    add(
        DocumentKind(
            code="opinions",
            name="评议意见书／审议意见书",
            model="evaluations.Rectification",
            word="发",
            placeholders={
                "主送机关": "整改单位名称",
                "意见书名称": "“评议意见书”（评议）或“审议意见书”（常委会审议）",
                "标题": "意见的标题",
                "意见条数": "意见条数",
                "意见": "逐条意见，每条有：序号（一、二、三……）、问题、要求、目标、期限；写法 {%p for 条 in 意见 %} … {{ 条.问题 }} … {%p endfor %}",
                "计划期限": "整改计划报送期限（已送达的为日期，未送达的为“收到本意见书后1个月内”）",
                "报告期限": "整改报告报送期限",
                "联系工委": "负责跟踪的工作委员会",
                "联系领导": "负责跟踪的常委会领导",
            },
            context=opinions_context,
            addressee=lambda r: r.unit.name,
            title=lambda r: f"{opinions_name(r)}（{r.title}）",
            build=build_opinions,
            unit=_rectification_unit,
            check=_check_opinions,
        )
    )
    add(
        DocumentKind(
            code="evaluation_feedback",
            name="评议结果反馈函",
            model="evaluations.Subject",
            word="函",
            placeholders={
                "主送机关": "被评议单位名称",
                "评议名称": "评议活动名称",
                "评议对象": "评议对象（单位或述职人）",
                "名次": "测评名次",
                "对象数": "参加测评的对象个数",
                "票数": "各等次票数，如“满意20票，较满意5票，……”",
                "满意率": "满意率，如“86.67%”",
                "结果": "“通过”或“未通过”",
                "是否通过": "“是”或“否”，可用于 {% if 是否通过 == '是' %} … {% endif %}",
            },
            context=feedback_context,
            addressee=lambda s: s.unit.name,
            title=lambda s: f"关于{s.campaign.title}测评结果的反馈函",
            build=build_feedback,
            unit=lambda s: s.unit,
            check=_check_feedback,
        )
    )
    add(
        DocumentKind(
            code="interview_notice",
            name="约谈通知",
            model="evaluations.Interview",
            word="约",
            placeholders={
                "主送机关": "被约谈人所在单位",
                "被约谈人": "被约谈人姓名",
                "被约谈人职务": "被约谈人职务",
                "约谈时间": "约谈日期",
                "约谈人": "主持约谈的常委会领导",
                "约谈事由": "约谈事由",
                "整改事项": "所涉整改事项（意见标题）",
            },
            context=interview_context,
            addressee=lambda i: i.rectification.unit.name,
            title=lambda i: "约谈通知",
            build=build_interview,
            unit=lambda i: i.rectification.unit,
            page=lambda i: i.rectification,
        )
    )
    add(
        DocumentKind(
            code="inquiry_motion",
            name="质询案",
            model="evaluations.InquiryMotion",
            word="质",
            placeholders={
                "主送机关": "县人民代表大会常务委员会",
                "案由": "质询案标题",
                "被质询机关": "被质询机关名称",
                "质询问题": "质询的问题（逐条）；写法 {%p for 问题 in 质询问题 %}{{ 问题 }}{%p endfor %}",
                "联名人": "联名提出的常委会组成人员姓名（列表），如 {{ 联名人|join('、') }}",
                "联名人数": "联名人数",
                "处理建议": "向县委提出的人事处理建议",
            },
            context=motion_context,
            addressee=lambda m: m.unit.name,
            title=lambda m: f"质询案（{m.title}）",
            build=build_motion,
            unit=lambda m: m.unit,
            check=_check_motion,
        )
    )
