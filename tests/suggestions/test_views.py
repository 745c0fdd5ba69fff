"""The pages: a deputy writes, keeps a draft, submits with a co-signer, follows and rates; a
liaison signs, replies and logs contacts; the public reads published statistics. Access: a
deputy sees only suggestions they signed, a unit only what was assigned to it, the public
only published years. Lists cost a bounded number of queries."""

import re

import pytest
from django.urls import reverse

from suggestions import services
from suggestions.models import Suggestion
from tests.factories import UnitFactory, deputy_with_login, liaison_for
from tests.suggestions import factories as f

pytestmark = pytest.mark.django_db
S = Suggestion.Status


def test_a_deputy_keeps_a_draft_then_submits_with_a_cosigner(client):
    f.current_session()
    lead = deputy_with_login(name="孙丽华")
    deputy_with_login(name="周建国")
    client.force_login(lead.user)
    data = {"title": f.DRAINAGE_TITLE, "text": "", "category": f.category().pk, "cosigner_names": "周建国", "save": "1"}
    response = client.post(reverse("suggestions:m_new"), data)
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302 and suggestion.status == S.DRAFT
    assert "草稿已保存" in client.get(response.url).content.decode()

    data.pop("save")
    page = client.post(reverse("suggestions:m_edit", args=[suggestion.pk]), {**data, "submit": "1"})
    assert page.status_code == 400 and "请说明情况和建议（至少20个字）" in page.content.decode()
    assert Suggestion.objects.get().status == S.DRAFT

    page = client.post(
        reverse("suggestions:m_edit", args=[suggestion.pk]), {**data, "text": f.DRAINAGE_TEXT, "submit": "1"}
    )
    assert page.status_code == 302
    assert Suggestion.objects.get().status == S.COSIGNING
    listing = client.get(reverse("suggestions:m_list")).content.decode()
    assert f.DRAINAGE_TITLE in listing and "待附议" in listing


def test_an_unknown_cosigner_name_is_refused_and_nothing_is_written(client):
    f.current_session()
    lead = deputy_with_login(name="孙丽华")
    client.force_login(lead.user)
    page = client.post(
        reverse("suggestions:m_new"),
        {"title": f.DRAINAGE_TITLE, "text": f.DRAINAGE_TEXT, "category": f.category().pk, "cosigner_names": "张无忌"},
    )
    assert page.status_code == 400 and "没有名为张无忌的在任代表" in page.content.decode()
    assert not Suggestion.objects.exists()


def test_the_cosigner_confirms_on_their_phone_and_the_lead_rates_the_reply(client):
    lead, cosigner = deputy_with_login(name="陈志刚"), deputy_with_login(name="刘淑珍")
    suggestion = f.draft(lead, cosigners=[cosigner])
    services.submit_suggestion(suggestion, deputy=lead)
    client.force_login(cosigner.user)
    assert "邀请您附议" in client.get(reverse("suggestions:m_list")).content.decode()
    client.post(reverse("suggestions:m_cosign", args=[suggestion.pk]), {"answer": "confirm"})
    assert suggestion.cosigners.get().status == "confirmed"

    office = f.staff_user()
    services.accept_suggestion(suggestion, by=office)
    unit = UnitFactory(name="县水利局")
    liaison = liaison_for(unit)
    lead_row = services.assign_suggestion(suggestion, lead_unit=unit, by=office)[0]
    services.reply_suggestion(lead_row, category="A", text="已建成投入使用。", letter=f.letter(), by=liaison)

    # The co-signer sees the reply but cannot rate it; the lead deputy rates.
    page = client.get(reverse("suggestions:m_detail", args=[suggestion.pk])).content.decode()
    assert "已建成投入使用" in page and "您对答复是否满意" not in page
    client.force_login(lead.user)
    page = client.get(reverse("suggestions:m_detail", args=[suggestion.pk])).content.decode()
    assert "您对答复是否满意" in page
    reply = suggestion.replies.get()
    response = client.post(
        reverse("suggestions:m_rate", args=[suggestion.pk]), {"reply": reply.pk, "rating": "unsatisfied"}, follow=True
    )
    assert "请说明不满意的原因" in response.content.decode()
    client.post(reverse("suggestions:m_rate", args=[suggestion.pk]), {"reply": reply.pk, "rating": "satisfied"})
    suggestion.refresh_from_db()
    assert suggestion.status == S.COMPLETED


def test_a_deputy_sees_only_suggestions_they_signed(client):
    mine = f.submitted(deputy_with_login(name="王秀兰"))
    other = f.submitted(deputy_with_login(name="李建华"), title="关于增设城关镇公交站点的建议")
    client.force_login(mine.lead_deputy.user)
    listing = client.get(reverse("suggestions:m_list")).content.decode()
    assert mine.title in listing and other.title not in listing
    assert client.get(reverse("suggestions:m_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("suggestions:m_cosign", args=[other.pk]), {"answer": "confirm"}).status_code == 404
    # A unit liaison is not a deputy.
    client.force_login(liaison_for(UnitFactory()))
    assert client.get(reverse("suggestions:m_list")).status_code == 403


def test_a_unit_sees_only_what_was_assigned_to_it_and_replies(client):
    suggestion, lead_row, liaison = f.assigned()
    stranger = liaison_for(UnitFactory(name="县民政局"))
    client.force_login(stranger)
    assert suggestion.title not in client.get(reverse("suggestions:unit_list")).content.decode()
    assert client.get(reverse("suggestions:unit_detail", args=[suggestion.pk])).status_code == 404
    assert client.post(reverse("suggestions:unit_action", args=[suggestion.pk, "sign"])).status_code == 404

    client.force_login(liaison)
    assert suggestion.title in client.get(reverse("suggestions:unit_list")).content.decode()
    assert "1 件待办理" in client.get(reverse("unit:home")).content.decode()
    client.post(reverse("suggestions:unit_action", args=[suggestion.pk, "sign"]))
    page = client.post(
        reverse("suggestions:unit_action", args=[suggestion.pk, "reply"]), {"category": "A", "text": "已解决"}
    )
    assert page.status_code == 400 and "此项为必填项" in page.content.decode()
    client.post(
        reverse("suggestions:unit_action", args=[suggestion.pk, "reply"]),
        {"category": "B", "text": "已列入明年计划", "letter": f.letter()},
    )
    suggestion.refresh_from_db()
    assert suggestion.status == S.REPLIED and suggestion.replies.get().category == "B"
    # A deputy is not a liaison.
    client.force_login(suggestion.lead_deputy.user)
    assert client.get(reverse("suggestions:unit_list")).status_code == 403


def test_the_public_sees_only_published_statistics(client, django_capture_on_commit_callbacks):
    suggestion, lead_row, liaison = f.assigned()
    year = suggestion.session.year
    assert client.get(reverse("suggestions:public_statistics_year", args=[year])).status_code == 404
    assert "尚未公布" in client.get(reverse("suggestions:public_statistics")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # shown at once, although the pages are cached
        services.publish_statistics(year, by=f.staff_user())
    page = client.get(reverse("suggestions:public_statistics"), follow=True).content.decode()
    assert "县水利局" in page and f.DRAINAGE_TITLE not in page
    assert re.search(
        rf"<title>代表建议办理情况 · {year} · (\S*人民代表大会常务委员会|人大常委会)</title>", page
    )  # as other pages


def test_public_statistics_are_computed_once_and_forgotten_when_withdrawn(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    suggestion, lead_row, liaison = f.assigned()
    year = suggestion.session.year
    url = reverse("suggestions:public_statistics_year", args=[year])
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_statistics(year, by=f.staff_user())
    assert "县水利局" in client.get(url).content.decode()
    with django_assert_max_num_queries(1):  # the session's user at most; the figures from the cache
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_statistics(year, by=f.staff_user())
    assert client.get(url).status_code == 404  # at once


def test_home_tiles_and_lists_are_bounded_in_queries(client, django_assert_max_num_queries):
    office = f.staff_user()
    deputy = deputy_with_login(name="张伟")
    unit = UnitFactory(name="县水利局")
    liaison = liaison_for(unit)
    for n in range(12):
        suggestion, *_ = f.assigned(deputy, unit=unit, by=office, title=f"关于第{n}件事项的建议")
    client.force_login(deputy.user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("suggestions:m_list"))
    assert page.content.decode().count("关于第") == 12
    with django_assert_max_num_queries(14):
        assert "我的建议" in client.get(reverse("m:home")).content.decode()
    client.force_login(liaison)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("suggestions:unit_list")).content.decode().count("关于第") == 12
    with django_assert_max_num_queries(14):
        client.get(reverse("unit:home"))
    with django_assert_max_num_queries(30):
        client.get(reverse("suggestions:unit_detail", args=[suggestion.pk]))


def test_the_deputys_and_the_units_lists_are_paged(client, django_assert_max_num_queries):
    office = f.staff_user()
    deputy = deputy_with_login(name="张伟")
    unit = UnitFactory(name="县水利局")
    liaison = liaison_for(unit)
    for n in range(53):
        f.assigned(deputy, unit=unit, by=office, title=f"关于第{n}件事项的建议")
    client.force_login(deputy.user)
    with django_assert_max_num_queries(12):  # as with twelve: a page, not the years
        first = client.get(reverse("suggestions:m_list")).content.decode()
    assert first.count("关于第") == 20 and "关于第52件事项的建议" in first  # newest first
    assert 'href="?page=2" rel="next"' in first and "第 1 / 3 页（共 53 条）" in first
    third = client.get(reverse("suggestions:m_list") + "?page=3").content.decode()
    assert third.count("关于第") == 13 and "关于第0件事项的建议" in third
    client.force_login(liaison)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("suggestions:unit_list") + "?show=all").content.decode()
    assert first.count("关于第") == 50 and 'href="?show=all&amp;page=2" rel="next"' in first
    second = client.get(reverse("suggestions:unit_list") + "?show=all&page=2").content.decode()
    assert second.count("关于第") == 3
