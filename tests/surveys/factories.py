"""Questionnaires with realistic content: the topic collection for the duty evaluation of
2026 (述职问题调查问卷) and a public opinion questionnaire on the county's units."""

from datetime import timedelta

from django.utils import timezone

from congress.models import Unit
from surveys.models import Choice, Question, Section, Survey
from surveys.services import open_survey
from tests.factories import UNIT_NAMES_27

TOPICS = [
    "义务教育优质均衡发展",
    "农村人居环境整治",
    "城区停车难问题",
    "基层医疗服务能力",
    "营商环境优化",
    "农村饮水安全",
    "养老服务体系建设",
]


def topic_survey(*, audience=Survey.Audience.DEPUTIES, open_now=True, days=7, title=None, **kwargs) -> Survey:
    """述职问题调查问卷: every kind of question, in two sections."""
    now = timezone.now()
    survey = Survey.objects.create(
        title=title or "2026年度县人大常委会述职评议问题调查问卷",
        intro="请各位代表结合日常走访和群众反映，提出希望述职人员重点回应的问题。",
        audience=audience,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=days),
        **kwargs,
    )
    general = Section.objects.create(survey=survey, title="一、总体评价", sort_order=1)
    topics = Section.objects.create(survey=survey, title="二、问题征集", sort_order=2)
    q = Question.objects.create
    single = q(
        survey=survey, section=general, kind="single", text="您对县政府组成部门的总体工作是否满意？", sort_order=1
    )
    for i, label in enumerate(["满意", "较满意", "基本满意", "不满意"]):
        Choice.objects.create(question=single, label=label, sort_order=i)
    q(survey=survey, section=general, kind="rating", text="请为县政务服务中心的服务打分", scale=5, sort_order=2)
    units = list(Unit.objects.filter(active=True))
    if not units:
        Unit.objects.bulk_create(Unit(name=name, sort_order=i) for i, name in enumerate(UNIT_NAMES_27[:8]))
    q(survey=survey, section=general, kind="unit", text="您认为最需要改进工作的单位是", required=False, sort_order=3)
    pick = q(
        survey=survey,
        section=topics,
        kind="topics",
        text="请选择您最关注的问题（至多三项）",
        max_choices=3,
        sort_order=1,
    )
    for i, label in enumerate(TOPICS):
        Choice.objects.create(question=pick, label=label, sort_order=i)
    multi = q(
        survey=survey, section=topics, kind="multiple", text="您了解述职评议的渠道有", required=False, sort_order=2
    )
    for i, label in enumerate(["电视新闻", "微信公众号", "代表小组活动", "报纸"]):
        Choice.objects.create(question=multi, label=label, sort_order=i)
    q(
        survey=survey,
        section=topics,
        kind="text",
        text="您希望述职人员重点回应的问题",
        max_length=200,
        required=False,
        sort_order=3,
    )
    if open_now:
        open_survey(survey)
        survey.refresh_from_db()
    return survey


def questions(survey) -> dict:
    """The questions by kind."""
    return {q.kind: q for q in survey.questions.all()}


def answer_sheet(survey, *, satisfied="满意", rating=4, topics=("城区停车难问题", "农村饮水安全"), text="") -> dict:
    """A valid filled-in sheet as a form posts it."""
    qs = questions(survey)
    data = {
        str(qs["single"].pk): [str(qs["single"].choices.get(label=satisfied).pk)],
        str(qs["rating"].pk): [str(rating)],
        str(qs["topics"].pk): [str(qs["topics"].choices.get(label=t).pk) for t in topics],
    }
    if text:
        data[str(qs["text"].pk)] = [text]
    return data
