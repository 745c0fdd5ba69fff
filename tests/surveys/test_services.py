"""Answering questionnaires: once per deputy, editable until closing, validated on the server,
nothing stored from a bad submission, paper counted, the public limited per device."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from surveys import selectors, services
from surveys.models import Answer, Response, Survey
from tests.factories import DeputyFactory, DeputyGroupFactory, UserFactory
from tests.surveys.factories import answer_sheet, questions, topic_survey

pytestmark = pytest.mark.django_db


def test_a_deputy_answers_once_and_can_edit_until_closing():
    deputy = DeputyFactory(name="王建国")
    survey = topic_survey()
    first = services.submit_response(survey, answer_sheet(survey, satisfied="满意"), deputy=deputy)
    again = services.submit_response(
        survey, answer_sheet(survey, satisfied="不满意", text="希望回应城区学位紧张问题"), deputy=deputy
    )
    assert again.pk == first.pk
    assert Response.objects.filter(survey=survey).count() == 1
    single = questions(survey)["single"]
    assert list(Answer.objects.filter(question=single).values_list("choice__label", flat=True)) == ["不满意"]
    assert Answer.objects.get(response=first, question=questions(survey)["text"]).text == "希望回应城区学位紧张问题"

    with (
        time_machine.travel(survey.closes_at + timedelta(minutes=1)),
        pytest.raises(services.SurveyClosed, match="已截止"),
    ):
        services.submit_response(survey, answer_sheet(survey, satisfied="较满意"), deputy=deputy)
    assert list(Answer.objects.filter(question=single).values_list("choice__label", flat=True)) == ["不满意"]


def test_one_response_per_deputy_is_a_database_rule():
    from django.db import IntegrityError, transaction

    deputy = DeputyFactory()
    survey = topic_survey()
    Response.objects.create(survey=survey, deputy=deputy)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, deputy=deputy)


def test_a_closed_questionnaire_refuses_answers_with_a_clear_message():
    survey = topic_survey(audience=Survey.Audience.PUBLIC)
    services.close_survey(survey)
    with pytest.raises(services.SurveyClosed) as exc:
        services.submit_response(survey, answer_sheet(survey))
    assert str(exc.value) == "本问卷已截止，不再接收答卷。感谢您的关注。"
    assert not Response.objects.exists()


def test_a_questionnaire_before_its_opening_time_accepts_nothing():
    survey = topic_survey(audience=Survey.Audience.PUBLIC)
    Survey.objects.filter(pk=survey.pk).update(opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(services.SurveyClosed):
        services.submit_response(survey, answer_sheet(survey))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s, d: d.pop(str(questions(s)["single"].pk)), "第1题"),
        (lambda s, d: d.__setitem__(str(questions(s)["single"].pk), ["999999"]), "不是本题的选项"),
        (
            lambda s, d: d.__setitem__(
                str(questions(s)["single"].pk), [str(c.pk) for c in questions(s)["single"].choices.all()[:2]]
            ),
            "至多选择1项",
        ),
        (
            lambda s, d: d.__setitem__(
                str(questions(s)["topics"].pk), [str(c.pk) for c in questions(s)["topics"].choices.all()[:4]]
            ),
            "至多选择3项",
        ),
        (lambda s, d: d.__setitem__(str(questions(s)["text"].pk), ["问" * 201]), "至多200字"),
        (lambda s, d: d.__setitem__(str(questions(s)["rating"].pk), ["6"]), "1到5"),
        (lambda s, d: d.__setitem__(str(questions(s)["unit"].pk), ["abc"]), "所列单位"),
        (lambda s, d: d.__setitem__("424242", ["1"]), "与本问卷不符"),
        (
            lambda s, d: d.__setitem__(
                str(questions(s)["single"].pk), [str(questions(s)["topics"].choices.first().pk)]
            ),
            "不是本题的选项",
        ),
    ],
    ids=[
        "required",
        "unknown-choice",
        "two-on-single",
        "too-many-topics",
        "oversized",
        "rating",
        "unit",
        "question",
        "foreign-choice",
    ],
)
def test_malformed_or_incomplete_submissions_are_refused_and_store_nothing(mutate, message):
    deputy = DeputyFactory()
    survey = topic_survey()
    data = answer_sheet(survey, text="加强农村道路养护")
    mutate(survey, data)
    with pytest.raises(services.SurveyError) as exc:
        services.submit_response(survey, data, deputy=deputy)
    assert message in str(exc.value)
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_a_bad_edit_keeps_the_earlier_answer():
    deputy = DeputyFactory()
    survey = topic_survey()
    services.submit_response(survey, answer_sheet(survey), deputy=deputy)
    bad = answer_sheet(survey)
    bad[str(questions(survey)["rating"].pk)] = ["0"]
    with pytest.raises(services.SurveyError):
        services.submit_response(survey, bad, deputy=deputy)
    assert Answer.objects.filter(question=questions(survey)["rating"]).get().rating == 4


def test_group_questionnaire_goes_only_to_its_groups():
    group = DeputyGroupFactory(name="城关镇代表小组")
    inside = DeputyFactory(group=group)
    outside = DeputyFactory()
    survey = topic_survey(audience=Survey.Audience.GROUP, open_now=False)
    survey.deputy_groups.add(group)
    services.open_survey(survey)
    services.submit_response(survey, answer_sheet(survey), deputy=inside)
    with pytest.raises(services.SurveyError, match="未发送给您"):
        services.submit_response(survey, answer_sheet(survey), deputy=outside)
    assert [s.pk for s in selectors.open_surveys_for(inside)] == [survey.pk]
    assert selectors.open_surveys_for(outside) == []


def test_a_deputies_questionnaire_needs_a_deputy():
    survey = topic_survey()
    with pytest.raises(services.SurveyError, match="个人链接"):
        services.submit_response(survey, answer_sheet(survey))


def test_paper_entries_count_with_the_rest():
    staff = UserFactory(roles=["staff"])
    survey = topic_survey(audience=Survey.Audience.PUBLIC)
    services.submit_response(survey, answer_sheet(survey, satisfied="满意"), name="李秀英", phone="13912345678")
    services.enter_paper_response(survey, answer_sheet(survey, satisfied="不满意"), by=staff, name="张桂兰")
    services.close_survey(survey)
    # Paper handed in on time may be typed in after closing.
    services.enter_paper_response(survey, answer_sheet(survey, satisfied="满意"), by=staff)
    paper = Response.objects.filter(channel="paper")
    assert paper.count() == 2 and all(r.entered_by == staff for r in paper)
    result = selectors.results(survey)
    assert result["total"] == 3
    assert result["channels"] == {"online": 1, "paper": 2}
    single = next(r for r in result["questions"] if r.question.kind == "single")
    assert ("满意", 2, 66.7) in single.rows and ("不满意", 1, 33.3) in single.rows
    assert selectors.results(survey, audience="paper")["total"] == 2


def test_paper_entry_refuses_a_deputy_who_already_answered():
    staff = UserFactory(roles=["staff"])
    deputy = DeputyFactory(name="赵志强")
    survey = topic_survey()
    services.submit_response(survey, answer_sheet(survey), deputy=deputy)
    with pytest.raises(services.SurveyError, match="赵志强"):
        services.enter_paper_response(survey, answer_sheet(survey), by=staff, deputy=deputy)


def test_a_public_phone_number_is_checked():
    survey = topic_survey(audience=Survey.Audience.PUBLIC)
    with pytest.raises(services.SurveyError, match="手机号"):
        services.submit_response(survey, answer_sheet(survey), phone="12345")
    assert not Response.objects.exists()


def test_public_respondents_are_limited_per_device_without_blocking_a_shared_network(settings):
    settings.SURVEY_RESPONSES_PER_DEVICE = 1
    settings.SURVEY_RESPONSES_PER_NETWORK = 300
    survey = topic_survey(audience=Survey.Audience.PUBLIC)
    village = "223.104.3.17"  # one mobile carrier address for a whole village
    services.check_public_limit(survey, device="phone-1", network=village)
    services.count_public_response(survey, device="phone-1", network=village)
    with pytest.raises(services.TooManyResponses, match="已提交"):
        services.check_public_limit(survey, device="phone-1", network=village)
    # 200 neighbours behind the same connection still get through.
    for n in range(2, 202):
        services.check_public_limit(survey, device=f"phone-{n}", network=village)
        services.count_public_response(survey, device=f"phone-{n}", network=village)


def test_a_network_flooding_answers_is_stopped(settings):
    settings.SURVEY_RESPONSES_PER_NETWORK = 5
    survey = topic_survey(audience=Survey.Audience.PUBLIC)
    for n in range(5):
        services.check_public_limit(survey, device=f"bot-{n}", network="10.0.0.9")
        services.count_public_response(survey, device=f"bot-{n}", network="10.0.0.9")
    with pytest.raises(services.TooManyResponses):
        services.check_public_limit(survey, device="bot-new", network="10.0.0.9")
    services.check_public_limit(survey, device="bot-new", network="10.0.0.10")


def test_opening_refuses_an_empty_or_unfinished_questionnaire():
    now = timezone.now()
    survey = Survey.objects.create(title="空问卷", opens_at=now, closes_at=now + timedelta(days=3))
    with pytest.raises(services.SurveyError, match="至少需要一道题"):
        services.open_survey(survey)
    survey.questions.create(kind="single", text="您是否了解述职评议？")
    with pytest.raises(services.SurveyError, match="您是否了解述职评议"):
        services.open_survey(survey)
