"""The documents the handling of deputies' suggestions sends (公文), filled from its records:

- the assignment letter (交办函, an Assignment) to a handling unit: the suggestion, its lead
  deputy, the unit's part (主办 or 协办) and the deadline of its reply or views;
- the supervision letter (督办函, an Assignment) chasing a unit whose reply is due or late;
- the year's handling report (代表建议办理情况报告, the YearStatistics of a year): counts and
  rates per unit, from the one statistics selector.

Placeholders are the committee's words, in Chinese (``{{ 建议标题 }}``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import documents
from congress.documents import layout


def _date(value) -> str:
    if value is None:
        return ""
    return documents.chinese_date(timezone.localtime(value).date() if hasattr(value, "astimezone") else value)


def _suggestion_code(suggestion) -> str:
    if not suggestion.number:
        return ""
    return f"闭会第{suggestion.number}号" if suggestion.between_sessions else f"第{suggestion.number}号"


def assignment_context(assignment) -> dict:
    from .models import Assignment

    suggestion = assignment.suggestion
    others = (
        Assignment.objects.filter(suggestion=suggestion, round=assignment.round)
        .exclude(pk=assignment.pk)
        .exclude(status=Assignment.Status.RETURNED)
        .select_related("unit")
        .order_by("role", "pk")
    )
    lead = next((a.unit.name for a in others if a.role == Assignment.Role.LEAD), "")
    is_lead = assignment.role == Assignment.Role.LEAD
    due = assignment.due_at if is_lead else assignment.views_due_at
    now = timezone.now()
    late_days = (now - due).days if due and due < now else 0
    return {
        "主送机关": assignment.unit.name,
        "建议编号": _suggestion_code(suggestion),
        "建议标题": suggestion.title,
        "领衔代表": suggestion.lead_deputy.name,
        "附议代表": "、".join(
            c.deputy.name for c in suggestion.cosigners.filter(status="confirmed").select_related("deputy")
        ),
        "办理方式": "主办" if is_lead else "协办",
        "主办单位": assignment.unit.name if is_lead else lead,
        "协办单位": "、".join(a.unit.name for a in others if a.role == Assignment.Role.CO) if is_lead else "",
        "交办日期": _date(assignment.assigned_at),
        "办理期限": _date(due),
        "逾期天数": str(late_days),
        "建议内容": suggestion.text,
    }


def _title_of(suggestion) -> str:
    code = _suggestion_code(suggestion)
    return f"{code}《{suggestion.title}》" if code else f"《{suggestion.title}》"


def build_assignment(document) -> None:
    layout.heading(document, letter=True)
    layout.title(document, "关于交办代表建议的函")
    layout.addressee(document, "{{ 主送机关 }}")
    layout.paragraph(
        document,
        "现将{{ 领衔代表 }}代表{% if 附议代表 %}（附议：{{ 附议代表 }}）{% endif %}提出的{{ 建议编号 }}建议"
        "《{{ 建议标题 }}》交你单位{{ 办理方式 }}。{% if 办理方式 == '主办' %}{% if 协办单位 %}协办单位：{{ 协办单位 }}。{% endif %}"
        "请认真研究办理，做好办前沟通、办中联系、办后反馈，于{{ 办理期限 }}前书面答复代表，并抄送县人大常委会。"
        "{% else %}主办单位为{{ 主办单位 }}，请于{{ 办理期限 }}前将协办意见送主办单位。{% endif %}",
    )
    layout.paragraph(document, "如认为不属于你单位职责范围，请在收到本函之日起10日内说明理由退回，逾期视为同意承办。")
    layout.paragraph(document, "特此函告。")
    layout.signature(document)


def build_supervision(document) -> None:
    layout.heading(document, letter=True)
    layout.title(document, "关于督促办理代表建议的函")
    layout.addressee(document, "{{ 主送机关 }}")
    layout.paragraph(
        document,
        "{{ 交办日期 }}交你单位{{ 办理方式 }}的{{ 领衔代表 }}代表提出的{{ 建议编号 }}建议《{{ 建议标题 }}》，"
        "办理期限为{{ 办理期限 }}，{% if 逾期天数 != '0' %}现已逾期{{ 逾期天数 }}天{% else %}期限将至{% endif %}，"
        "尚未答复代表。",
    )
    layout.paragraph(
        document,
        "请你单位高度重视，主要负责人亲自过问，加快办理进度，抓紧与代表沟通，尽快书面答复代表并抄送县人大常委会。"
        "办理情况将纳入年度办理工作考核并向社会公开。",
    )
    layout.paragraph(document, "特此函告。")
    layout.signature(document)


def _check_supervision(assignment) -> None:
    from .models import Assignment

    if assignment.status != Assignment.Status.ACTIVE or assignment.due_at is None:
        raise ValidationError(_("Only a suggestion still being handled is chased with a supervision letter."))
    if assignment.role != Assignment.Role.LEAD:
        raise ValidationError(_("The supervision letter goes to the lead unit, which replies."))


def report_context(statistics) -> dict:
    from . import selectors

    rows = selectors.unit_statistics(statistics.year)
    received = sum(r.received for r in rows)
    replied = sum(r.replied for r in rows)
    on_time = sum(r.on_time for r in rows)
    completed = sum(r.completed for r in rows)
    rated = sum(r.rated for r in rows)
    satisfied = sum(r.satisfied for r in rows)
    rate = selectors.UnitStats.rate
    return {
        "主送机关": "县人民代表大会常务委员会",
        "办理年度": str(statistics.year),
        "建议总数": str(received),
        "已答复数": str(replied),
        "按时答复率": f"{rate(on_time, received)}%",
        "办结率": f"{rate(completed, received)}%",
        "满意率": f"{rate(satisfied, rated)}%",
        "单位数": str(len(rows)),
        "单位": [
            {
                "名次": str(i),
                "单位": r.unit,
                "件数": str(r.received),
                "按时答复率": f"{r.on_time_rate}%",
                "办结率": f"{r.completion_rate}%",
                "满意率": f"{r.satisfaction_rate}%",
                "得分": f"{r.score}",
            }
            for i, r in enumerate(rows, start=1)
        ],
    }


def _check_report(statistics) -> None:
    from . import selectors

    if not selectors.unit_statistics(statistics.year):
        raise ValidationError(_("No suggestion of that year has been assigned yet."))


def build_report(document) -> None:
    layout.heading(document)
    layout.title(document, "关于{{ 办理年度 }}年度代表建议办理情况的报告")
    layout.addressee(document, "{{ 主送机关 }}")
    layout.paragraph(
        document,
        "{{ 办理年度 }}年度，县人民代表大会代表提出的建议共{{ 建议总数 }}件，交{{ 单位数 }}个单位主办，"
        "已答复{{ 已答复数 }}件，按时答复率{{ 按时答复率 }}，办结率{{ 办结率 }}，代表满意率{{ 满意率 }}。"
        "各承办单位办理情况如下：",
    )
    layout.loop_table(
        document,
        ["名次", "承办单位", "件数", "按时答复率", "办结率", "满意率", "得分"],
        [
            "{{ 行.名次 }}",
            "{{ 行.单位 }}",
            "{{ 行.件数 }}",
            "{{ 行.按时答复率 }}",
            "{{ 行.办结率 }}",
            "{{ 行.满意率 }}",
            "{{ 行.得分 }}",
        ],
        loop="行 in 单位",
        widths_mm=[14, 38, 14, 26, 20, 22, 22],
    )
    layout.paragraph(
        document,
        "下一步，常委会将继续加强对代表建议办理工作的督办，对满意率较低的单位开展“回头看”，"
        "推动代表建议从“答复型”向“落实型”转变。",
    )
    layout.paragraph(document, "特此报告。")
    layout.signature(document)


ASSIGNMENT_PLACEHOLDERS = {
    "主送机关": "承办单位名称",
    "建议编号": "建议编号，如“第12号”或“闭会第3号”",
    "建议标题": "建议标题",
    "领衔代表": "领衔代表姓名",
    "附议代表": "附议代表姓名，以顿号分隔",
    "办理方式": "“主办”或“协办”",
    "主办单位": "主办单位名称",
    "协办单位": "协办单位名称，以顿号分隔（主办单位的函中）",
    "交办日期": "交办日期",
    "办理期限": "答复期限（主办）或协办意见期限（协办）",
    "逾期天数": "已逾期天数，未逾期为“0”",
    "建议内容": "建议全文",
}


def register() -> None:
    from congress.documents import DocumentKind
    from congress.documents import register as add

    add(
        DocumentKind(
            code="assignment_letter",
            name="交办函",
            model="suggestions.Assignment",
            word="办函",
            placeholders=ASSIGNMENT_PLACEHOLDERS,
            context=assignment_context,
            addressee=lambda a: a.unit.name,
            title=lambda a: f"关于交办{_title_of(a.suggestion)}建议的函",
            build=build_assignment,
            unit=lambda a: a.unit,
            page=lambda a: a.suggestion,
        )
    )
    add(
        DocumentKind(
            code="supervision_letter",
            name="督办函",
            model="suggestions.Assignment",
            word="督函",
            placeholders=ASSIGNMENT_PLACEHOLDERS,
            context=assignment_context,
            addressee=lambda a: a.unit.name,
            title=lambda a: f"关于督促办理{_title_of(a.suggestion)}建议的函",
            build=build_supervision,
            unit=lambda a: a.unit,
            check=_check_supervision,
            page=lambda a: a.suggestion,
        )
    )
    add(
        DocumentKind(
            code="suggestion_report",
            name="代表建议办理情况报告",
            model="suggestions.YearStatistics",
            word="建",
            placeholders={
                "主送机关": "县人民代表大会常务委员会",
                "办理年度": "办理年度",
                "建议总数": "交办的建议件数",
                "已答复数": "已答复件数",
                "按时答复率": "按时答复率，如“85.0%”",
                "办结率": "办结率",
                "满意率": "代表满意率（满意和基本满意）",
                "单位数": "主办单位个数",
                "单位": "各承办单位一行，有：名次、单位、件数、按时答复率、办结率、满意率、得分；"
                "表格中写 {%tr for 行 in 单位 %} … {{ 行.单位 }} … {%tr endfor %}",
            },
            context=report_context,
            addressee=lambda s: "县人民代表大会常务委员会",
            title=lambda s: f"关于{s.year}年度代表建议办理情况的报告",
            build=build_report,
            check=_check_report,
        )
    )
