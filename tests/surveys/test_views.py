"""The pages: a deputy answers on the phone and edits; the public answers by 评议码 and is
limited per device; staff build, preview, open, type in paper, and read the results."""

import pytest
from django.urls import reverse

from congress.models import Unit
from congress.services import accounts
from surveys import services
from surveys.models import Response, Survey
from tests.factories import DeputyFactory, UserFactory, deputy_with_login
from tests.surveys.factories import answer_sheet, questions, topic_survey

pytestmark = pytest.mark.django_db


def form_data(survey, **kwargs) -> dict:
    return {f"q{key}": values for key, values in answer_sheet(survey, **kwargs).items()}


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="bangongshi", roles=["staff"]))
    return client


def test_a_deputy_answers_on_the_phone_and_then_edits(client):
    deputy = deputy_with_login(name="孙丽华")
    survey = topic_survey()
    client.force_login(deputy.user)
    url = reverse("surveys:answer", args=[survey.pk])

    listing = client.get(reverse("surveys:list")).content.decode()
    assert survey.title in listing and "待填写" in listing
    page = client.get(url).content.decode()
    assert "请选择您最关注的问题" in page and "至多选择3项" in page

    assert client.post(url, form_data(survey)).status_code == 302
    assert "已收到" in client.get(url).content.decode()
    client.post(url, form_data(survey, satisfied="较满意"))
    response = Response.objects.get(survey=survey, deputy=deputy)
    assert response.answers.get(question=questions(survey)["single"]).choice.label == "较满意"
    assert "已填写" in client.get(reverse("surveys:list")).content.decode()


def test_a_missing_required_answer_is_shown_and_kept_on_the_page(client):
    deputy = deputy_with_login()
    survey = topic_survey()
    client.force_login(deputy.user)
    data = form_data(survey, text="农村公路养护不到位")
    data.pop(f"q{questions(survey)['single'].pk}")
    page = client.post(reverse("surveys:answer", args=[survey.pk]), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "第1题（您对县政府组成部门的总体工作是否满意？）为必答题" in html
    assert "农村公路养护不到位" in html  # what was typed is not lost
    assert not Response.objects.exists()


def test_a_personal_link_leads_straight_to_the_questionnaire(client):
    deputy = DeputyFactory(name="周建华")
    survey = topic_survey()
    target = reverse("surveys:answer", args=[survey.pk])
    link = reverse("deputy_link_login", args=[accounts.login_token(deputy)]) + f"?next={target}"
    assert client.post(link).url == target
    elsewhere = reverse("deputy_link_login", args=[accounts.login_token(deputy)]) + "?next=//evil.example.com/m/"
    assert client.post(elsewhere).url == reverse("m:home")


def test_a_closed_questionnaire_says_so(client):
    deputy = deputy_with_login()
    survey = topic_survey()
    services.close_survey(survey)
    client.force_login(deputy.user)
    page = client.post(reverse("surveys:answer", args=[survey.pk]), form_data(survey))
    assert page.status_code == 409
    assert "本问卷已截止，不再接收答卷" in page.content.decode()
    assert not Response.objects.exists()


def test_the_public_answer_by_code_and_a_phone_is_limited(client, settings):
    settings.SURVEY_RESPONSES_PER_DEVICE = 1
    survey = topic_survey(audience=Survey.Audience.PUBLIC)
    url = reverse("surveys:public_answer", args=[survey.code])
    assert "您可以匿名填写" in client.get(url).content.decode()
    data = {**form_data(survey, text="希望增加城区公共停车位"), "name": "马红梅", "phone": "13912345678"}
    done = client.post(url, data)
    assert done.url == reverse("surveys:public_thanks", args=[survey.code])
    again = client.post(url, data)
    assert again.status_code == 400 and "这部手机已提交过本问卷" in again.content.decode()
    # A neighbour on the same connection (same address, a different phone) gets through.
    client.cookies.clear()
    assert client.post(url, data).status_code == 302
    assert Response.objects.filter(survey=survey, deputy=None).count() == 2
    assert client.get(reverse("surveys:public_entry"), {"code": survey.code.lower()}).url == url
    assert client.get(reverse("surveys:public_qr", args=[survey.code])).content.startswith(b"<svg")


def test_a_deputies_questionnaire_has_no_public_page(client):
    survey = topic_survey()
    assert client.get(reverse("surveys:public_answer", args=[survey.code])).status_code == 404


def test_staff_build_preview_open_and_enter_paper(staff_client):
    survey = topic_survey(audience=Survey.Audience.PUBLIC, open_now=False)
    change = reverse("admin:surveys_survey_change", args=[survey.pk])
    page = staff_client.get(change).content.decode()
    assert "满意\n较满意" in page  # the choices, one per line, in the builder
    preview = staff_client.get(reverse("admin:surveys_survey_preview", args=[survey.pk])).content.decode()
    assert "预览" in preview and "请选择您最关注的问题" in preview
    staff_client.post(reverse("admin:surveys_survey_control", args=[survey.pk, "open"]))
    survey.refresh_from_db()
    assert survey.status == "open"
    paper = reverse("admin:surveys_survey_paper", args=[survey.pk])
    assert staff_client.post(paper, {**form_data(survey), "name": "张桂兰"}).status_code == 302
    assert Response.objects.get(channel="paper").name == "张桂兰"
    poster = staff_client.get(reverse("admin:surveys_survey_poster", args=[survey.pk])).content.decode()
    assert survey.code in poster and "data:image/svg+xml" in poster


def test_the_builder_saves_choices_typed_one_per_line(staff_client):
    survey = topic_survey(open_now=False)
    single = questions(survey)["single"]
    change = reverse("admin:surveys_survey_change", args=[survey.pk])
    page = staff_client.get(change)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "title": survey.title,
            "audience": "deputies",
            "opens_at_0": survey.opens_at.strftime("%Y-%m-%d"),
            "opens_at_1": "08:00:00",
            "closes_at_0": survey.closes_at.strftime("%Y-%m-%d"),
            "closes_at_1": "18:00:00",
            "remind_days": 2,
        }
    )
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        prefix = fs.prefix
        data[f"{prefix}-TOTAL_FORMS"] = len(fs.forms)
        data[f"{prefix}-INITIAL_FORMS"] = len(fs.forms)
        for i, f in enumerate(fs.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if name == "id":
                    value = f.instance.pk
                if value is None or value is False:
                    continue
                data[f"{prefix}-{i}-{name}"] = value.pk if hasattr(value, "pk") else value
            if f.instance.pk == single.pk:
                data[f"{prefix}-{i}-choice_lines"] = "非常满意\n满意\n不满意"
    response = staff_client.post(change, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert [c.label for c in single.choices.all()] == ["非常满意", "满意", "不满意"]
    assert Unit.objects.exists()
