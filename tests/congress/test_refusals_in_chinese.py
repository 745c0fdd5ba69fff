"""What the scanners found answering 500 answers a refusal in Chinese (issue 30): the deputy's
rating with a reply that is not a number, the audit trail filtered by a resource type that is
not a number, and an admin form re-shown with an autocomplete value that names no record. And
the error pages themselves: 400, 403, 404 and 500 in Chinese, in the look of the surface."""

import pytest
from django.test import Client
from django.urls import reverse

from congress.models import Attendance, DeputyGroup
from suggestions import services
from suggestions.models import Feedback
from tests.factories import (
    DeputyFactory,
    DeputyGroupFactory,
    MeetingFactory,
    TermFactory,
    UnitFactory,
    UserFactory,
    deputy_with_login,
    liaison_for,
)
from tests.forms import forms_of
from tests.suggestions import factories as f

pytestmark = pytest.mark.django_db


def _staff(**kwargs):
    return UserFactory(username="renda_bgs", is_staff=True, is_superuser=True, **kwargs)


def _replied_suggestion():
    lead = deputy_with_login(name="陈志刚")
    suggestion = f.draft(lead)
    services.submit_suggestion(suggestion, deputy=lead)
    office = f.staff_user()
    services.accept_suggestion(suggestion, by=office)
    unit = UnitFactory(name="县水利局")
    lead_row = services.assign_suggestion(suggestion, lead_unit=unit, by=office)[0]
    services.reply_suggestion(lead_row, category="A", text="已建成投入使用。", letter=f.letter(), by=liaison_for(unit))
    return lead, suggestion


@pytest.mark.parametrize("reply", ["abc", "-1", "1e9", "１２", "99999999999999999999", "1\x00"])
def test_a_rating_with_a_reply_that_is_not_a_record_number_is_refused_in_chinese(client, reply):
    lead, suggestion = _replied_suggestion()
    client.force_login(lead.user)
    response = client.post(reverse("suggestions:m_rate", args=[suggestion.pk]), {"reply": reply, "rating": "satisfied"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "无法识别" in page and "“reply”" in page
    assert not Feedback.objects.exists()


def test_the_audit_trail_filtered_by_a_resource_type_that_is_not_a_number_is_refused_in_chinese(client):
    client.force_login(_staff())
    url = reverse("admin:auditlog_logentry_changelist")
    assert client.get(url).status_code == 200
    response = client.get(url, {"resource_type": "abc"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "列表的筛选条件或搜索无法识别" in page and "无法读取请求" in page
    # A filter Django reads itself (a choice by number) is refused the same way, not sent to
    # the unfiltered list with ?e=1.
    response = client.get(reverse("admin:congress_deputy_changelist"), {"active__exact": "abc"})
    assert response.status_code == 400 and "列表的筛选条件或搜索无法识别" in response.content.decode()


def test_a_search_holding_control_characters_reads_the_rest(client):
    client.force_login(_staff())
    DeputyFactory(name="王秀兰")
    response = client.get(reverse("admin:congress_deputy_changelist"), {"q": "王秀\x00兰\x0b"})
    assert response.status_code == 200 and "王秀兰" in response.content.decode()


def test_an_admin_form_re_shown_with_an_autocomplete_value_that_names_no_record_says_so(client):
    client.force_login(_staff())
    term = TermFactory()
    group = DeputyGroupFactory(term=term, name="城关镇代表小组")
    for value in ("abc", "-5", "1\x0b", "999999", "99999999999999999999"):
        response = client.post(
            reverse("admin:congress_deputygroup_add"),
            {"term": term.pk, "name": "龙泉镇代表小组", "convener": value},
        )
        assert response.status_code == 200, value
        page = response.content.decode()
        assert "errornote" in page and ("选择一个有效的选项" in page or "不存在" in page), value
    assert list(DeputyGroup.objects.all()) == [group]

    deputy = DeputyFactory(group=group, name="刘淑珍")
    _re_shown(client, reverse("admin:congress_deputy_change", args=[deputy.pk]), {"group": "abc"})
    deputy.refresh_from_db()
    assert deputy.group == group

    meeting = MeetingFactory(title="第十七届人大常委会第二十次会议")
    _re_shown(
        client,
        reverse("admin:congress_meeting_change", args=[meeting.pk]),
        {"attendance-TOTAL_FORMS": "1", "attendance-0-deputy": "abc", "attendance-0-meeting": str(meeting.pk)},
    )
    assert not Attendance.objects.filter(meeting=meeting).exists()


def _re_shown(client, url, changes):
    """Send the change page's own form with ``changes``: it comes back with its error."""
    page = client.get(url)
    assert page.status_code == 200
    form = next(f for f in forms_of(page.content, url) if f.method == "post" and "csrfmiddlewaretoken" in f.names)
    data = {**form.data(), **{name: [value] for name, value in changes.items()}}
    response = client.post(url, data)
    assert response.status_code == 200, (url, response.status_code)
    assert "errornote" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "surface_mark"),
    [("/no-such-page/", "public-header"), ("/m/no-such-page/", "m-header"), ("/admin/no-such-page/", "breadcrumbs")],
)
def test_a_missing_page_is_a_chinese_404_in_the_look_of_its_surface(client, path, surface_mark):
    if path.startswith("/admin/"):
        client.force_login(_staff())
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "找不到这个页面" in page and surface_mark in page


def test_a_page_of_another_surface_is_a_chinese_403(client):
    client.force_login(liaison_for(UnitFactory(name="县教育局")))
    response = client.get(reverse("m:home"))
    assert response.status_code == 403
    assert "您无权打开这个页面" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_is_a_chinese_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "deputy", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "表单已过期" in page and "CSRF" not in page


def test_a_failure_is_a_chinese_500_drawn_without_the_database(rf):
    from congress.views import errors

    response = errors.server_error(rf.get("/m/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错了" in page and "<html" in page


def test_back_office_steps_given_a_word_where_an_id_belongs_are_refused_in_chinese(client):
    from evaluations.models import Topic
    from tests.evaluations.factories import work_campaign_in_meeting

    campaign, _poll, _voters = work_campaign_in_meeting(n_units=2, n_voters=2)
    client.force_login(_staff())
    topics_before = Topic.objects.count()
    steps = [
        (reverse("admin:evaluations_campaign_topics", args=[campaign.pk]), {"topic": ["abc", "1"], "title": "合并"}),
        (reverse("admin:evaluations_campaign_step", args=[campaign.pk, "ballot"]), {"meeting": "abc"}),
        (reverse("admin:evaluations_campaign_opinions", args=[campaign.pk]), {"step": "approve", "rectification": "x"}),
    ]
    for url, data in steps:
        response = client.post(url, data)
        assert response.status_code == 400, (url, response.status_code)
        assert "无法识别" in response.content.decode()
    assert Topic.objects.count() == topics_before


def test_planning_a_year_that_is_no_year_is_refused_in_chinese(client):
    """Found by the scanner: year=0 was a 500 (ValueError: year 0 is out of range)."""
    client.force_login(_staff())
    for year in ("0", "99999", "abc"):
        response = client.post(reverse("admin:oversight_activity_plan_year"), {"year": year})
        assert response.status_code == 400, year
        assert "无法识别" in response.content.decode()
