"""Results of the demo county's 800 deputies: counts and shares per question, response rates by
deputy group, a results page whose query count does not grow with the responses, and an Excel
export that streams."""

import io
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from congress.models import Deputy, Unit
from surveys import selectors
from surveys.models import Answer, Response
from tests.factories import DeputyGroupFactory, TermFactory, UserFactory, faker, mobile
from tests.surveys.factories import TOPICS, questions, topic_survey

pytestmark = pytest.mark.django_db
QUERIES_OF_THE_RESULTS_PAGE = 19
WORDS = ["加快城区停车场建设", "改善农村饮水安全", "提高基层医疗服务水平", "优化营商环境", "解决学位紧张问题"]


def deputies_answering(survey, n: int, *, groups: int = 4, answered: float = 1.0, seed: int = 7) -> list[Deputy]:
    """``n`` deputies in ``groups`` deputy groups; a share of them answer (bulk, realistic)."""
    rng = random.Random(seed)
    term = TermFactory()
    group_rows = [DeputyGroupFactory(term=term) for _ in range(groups)]
    start = Deputy.objects.count()
    deputies = Deputy.objects.bulk_create(
        Deputy(
            term=term,
            name=f"{faker.name()}{i}",
            gender=rng.choice("MF"),
            level="county",
            occupation="farmer",
            phone=mobile(70000000 + start + i),
            group=group_rows[i % groups],
        )
        for i in range(n)
    )
    qs = questions(survey)
    single = list(qs["single"].choices.all())
    topics = list(qs["topics"].choices.all())
    units = list(Unit.objects.all())
    responders = deputies[: int(n * answered)]
    responses = Response.objects.bulk_create(
        Response(survey=survey, deputy=d, name=d.name, channel="paper" if i % 10 == 0 else "online")
        for i, d in enumerate(responders)
    )
    answers = []
    for r in responses:
        answers.append(Answer(response=r, question=qs["single"], choice=rng.choice(single)))
        answers.append(Answer(response=r, question=qs["rating"], rating=rng.randint(1, 5)))
        answers.append(Answer(response=r, question=qs["unit"], unit=rng.choice(units)))
        answers += [Answer(response=r, question=qs["topics"], choice=c) for c in rng.sample(topics, 3)]
        answers.append(Answer(response=r, question=qs["text"], text=rng.choice(WORDS)))
    Answer.objects.bulk_create(answers, batch_size=2000)
    return deputies


def test_counts_and_shares_per_question():
    survey = topic_survey()
    deputies_answering(survey, 40)
    result = selectors.results(survey)
    assert result["total"] == 40
    by_kind = {r.question.kind: r for r in result["questions"]}
    assert sum(n for _label, n, _share in by_kind["single"].rows) == 40
    assert round(sum(share for *_rest, share in by_kind["single"].rows)) == 100
    assert [row[0] for row in by_kind["topics"].rows] == TOPICS
    assert sum(n for _label, n, _share in by_kind["topics"].rows) == 120  # three topics each
    assert 1 <= by_kind["rating"].average <= 5
    assert by_kind["text"].texts == 40
    found = selectors.free_text(survey, by_kind["text"].question, search="停车")
    assert found and all("停车" in a.text for a in found)


def test_response_rate_per_deputy_group_and_who_has_not_answered():
    survey = topic_survey()
    deputies = deputies_answering(survey, 20, groups=2, answered=0.5)
    rates = selectors.response_rates(survey)
    assert [(r["total"], r["done"], r["rate"]) for r in rates] == [(10, 5, 50.0), (10, 5, 50.0)]
    missing = selectors.not_answered(survey)
    assert {d.pk for d in missing} == {d.pk for d in deputies[10:]}


def results_queries(client, survey, **params) -> int:
    url = reverse("admin:surveys_survey_results", args=[survey.pk])
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url, params)
    assert page.status_code == 200
    return len(ctx.captured_queries)


def test_results_of_800_responses_take_as_many_queries_as_of_8(client, django_assert_max_num_queries):
    client.force_login(UserFactory(username="tongji", roles=["staff"]))
    few = topic_survey(title="述职问题征集（试填）")
    deputies_answering(few, 8, seed=1)
    many = topic_survey(title="2026年度述职问题调查问卷")
    deputies_answering(many, 800, groups=12, seed=2)

    results_queries(client, few)  # warm up: the session and the user's permissions
    small = results_queries(client, few)
    with django_assert_max_num_queries(small):
        page = client.get(reverse("admin:surveys_survey_results", args=[many.pk]))
    html = page.content.decode()
    assert "800" in html and 'class="survey-chart"' in html and 'id="chart-q' in html
    large = results_queries(client, many)
    assert large == small == QUERIES_OF_THE_RESULTS_PAGE, {"8 responses": small, "800 responses": large}
    group = Deputy.objects.filter(survey_responses__survey=many).last().group_id
    assert results_queries(client, many, audience="deputies", group=group, q="停车") == small


def test_the_excel_export_of_800_responses_streams(client):
    client.force_login(UserFactory(username="daochu", roles=["staff"]))
    survey = topic_survey()
    deputies_answering(survey, 800, groups=12)
    response = client.get(reverse("admin:surveys_survey_export", args=[survey.pk]))
    assert response.status_code == 200
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 1
    book = load_workbook(io.BytesIO(b"".join(chunks)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 801
    header = rows[0]
    assert header[:3] == ("编号", "填写方式", "代表小组")
    assert any(q.startswith("4. 请选择您最关注的问题") for q in header if q)
    topics_col = next(i for i, h in enumerate(header) if h and h.startswith("4. "))
    assert rows[1][topics_col].count("；") == 2


def test_a_formula_typed_by_the_public_is_exported_as_text(client):
    from surveys import exports, services
    from surveys.models import Survey

    survey = topic_survey(audience=Survey.Audience.PUBLIC)
    data = {
        str(questions(survey)["single"].pk): [str(questions(survey)["single"].choices.first().pk)],
        str(questions(survey)["rating"].pk): ["3"],
        str(questions(survey)["topics"].pk): [str(questions(survey)["topics"].choices.first().pk)],
        str(questions(survey)["text"].pk): ['=HYPERLINK("http://evil.example.com")'],
    }
    services.submit_response(survey, data)
    book = load_workbook(io.BytesIO(b"".join(exports.export_responses(survey))))
    cell = next(c for c in book.active[2] if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s"
