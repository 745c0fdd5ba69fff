"""The back office: intake with related suggestions of other years, assignment, extension and
key decisions, supervision records, statistics with publishing, and the handling table."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from suggestions import services, similarity
from suggestions.models import Assignment, CongressSession, Suggestion
from tests.factories import DeputyFactory, MemberFactory, UnitFactory, liaison_for
from tests.suggestions import factories as f

DRAINAGE_2016 = (
    "关于尽快建设南冲电排站的建议",
    "礼乐街道南冲片区地势低洼，每逢汛期暴雨，农田和村道大面积水浸，农户损失严重。建议尽快立项建设南冲电排站。",
)
DRAINAGE_2025 = (
    "关于加快推进南冲电排站建设解决礼乐片区水浸的建议",
    "南冲片区汛期水浸问题多年未解决，礼乐农户的农田年年被淹。恳请水利部门将南冲电排站建设列入今年计划，早日开工。",
)

pytestmark = pytest.mark.django_db
S = Suggestion.Status


@pytest.fixture
def staff(client):
    user = f.staff_user()
    client.force_login(user)
    return client


def workflow(client, suggestion, action, data):
    url = reverse("admin:suggestions_suggestion_workflow", args=[suggestion.pk, action])
    return client.post(url, data, follow=True).content.decode()


def test_intake_shows_the_earlier_year_links_it_and_assigns(staff):
    old_session = CongressSession.objects.create(
        term=f.current_session().term, number=1, year=2016, starts_on="2016-01-10", ends_on="2016-01-14"
    )
    old = Suggestion.objects.create(
        session=old_session,
        lead_deputy=DeputyFactory(),
        title=DRAINAGE_2016[0],
        text=DRAINAGE_2016[1],
        status=S.COMPLETED,
    )
    similarity.rebuild()  # as after importing past years
    new = f.submitted(title=DRAINAGE_2025[0], text=DRAINAGE_2025[1])
    page = staff.get(reverse("admin:suggestions_suggestion_change", args=[new.pk])).content.decode()
    assert "同一事项历年建议" in page and "系统提示" in page and DRAINAGE_2016[0] in page
    workflow(staff, new, "link", {"other": old.pk})
    page = workflow(staff, new, "accept", {"category": f.category().pk})
    assert "已立案，编号为第1号" in page
    page = workflow(staff, new, "decline", {"reason": "重复"})
    assert "只有已提交的建议才能不予立案" in page

    unit, co = UnitFactory(name="县水利局"), UnitFactory(name="县财政局")
    liaison = liaison_for(unit)
    page = workflow(staff, new, "assign", {"lead_unit": unit.pk, "co_units": [co.pk]})
    assert "已交办" in page
    lead = Assignment.objects.get(suggestion=new, role="lead")
    services.request_extension(lead, reason="需申请专项资金", by=liaison)
    workflow(staff, new, "approve_extension", {"assignment": lead.pk})
    lead.refresh_from_db()
    assert lead.extension == "approved"

    leader = MemberFactory(position="vice_director")
    page = workflow(
        staff, new, "key", {"supervisor": leader.pk, "decided_on": "2026-03-01", "handler": "副县长 陈志强"}
    )
    assert "已确定为重点建议" in page
    page = workflow(
        staff, new, "activity", {"kind": "unannounced", "happened_on": "2026-03-02", "findings": "施工现场无人"}
    )
    new.refresh_from_db()
    assert new.is_key and new.activities.get().kind == "unannounced"
    history = staff.get(reverse("admin:suggestions_suggestion_change", args=[new.pk])).content.decode()
    assert DRAINAGE_2016[0] in history and "暗访" in history


def test_statistics_are_published_and_the_handling_table_exported(staff, django_assert_max_num_queries):
    office = f.staff_user("bgs2")
    unit = UnitFactory(name="县水利局")
    for n in range(5):
        suggestion, lead, liaison = f.assigned(unit=unit, by=office, title=f"关于第{n}座电排站的建议")
        reply = services.reply_suggestion(lead, category="AB"[n % 2], text="已办理。", letter=f.letter(), by=liaison)
        services.rate_reply(
            reply, deputy=suggestion.lead_deputy, rating="satisfied" if n < 4 else "unsatisfied", comment="未解决"
        )
    year = suggestion.session.year
    url = reverse("admin:suggestions_suggestion_statistics") + f"?year={year}"
    with django_assert_max_num_queries(28):  # the units' figures and the matters asked again, each a fixed few
        page = staff.get(url).content.decode()
    assert "县水利局" in page and "80.0%" in page  # 4 of 5 satisfied
    staff.post(url, {"action": "publish"})
    assert "县水利局" in staff.get(reverse("suggestions:public_statistics"), follow=True).content.decode()

    response = staff.get(reverse("admin:suggestions_suggestion_export") + f"?year={year}")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "标题", "领衔代表")
    assert len(rows) == 6 and rows[1][0] == "第1号" and rows[1][5] == "县水利局"
    assert {r[10] for r in rows[1:]} == {"A", "B"}


def test_a_leader_reads_but_cannot_act(client):
    suggestion = f.submitted()
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="fuzhuren", roles=["leader"]))
    assert client.get(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])).status_code == 200
    url = reverse("admin:suggestions_suggestion_workflow", args=[suggestion.pk, "accept"])
    assert client.post(url, {"category": f.category().pk}).status_code == 403
    assert Suggestion.objects.get().status == S.SUBMITTED


def test_the_list_filters_by_session_in_the_same_queries_however_many_sessions(staff, django_assert_max_num_queries):
    """Each session is named by its term (第十七届…第三次会议): the list's session filter reads the
    terms with the sessions, not one query per session."""
    import datetime

    suggestion = f.submitted()
    session = suggestion.session
    url = reverse("admin:suggestions_suggestion_changelist")
    staff.get(url)
    with CaptureQueriesContext(connection) as few:
        staff.get(url)
    for number in range(1, 5):
        year = session.year - number
        CongressSession.objects.create(
            term=session.term,
            number=session.number - number,
            year=year,
            starts_on=datetime.date(year, 1, 10),
            ends_on=datetime.date(year, 1, 14),
        )
    with django_assert_max_num_queries(len(few)):
        page = staff.get(url).content.decode()
    assert page.count("人民代表大会第") >= 5  # every session offered by its full name
