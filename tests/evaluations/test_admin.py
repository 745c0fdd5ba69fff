"""The evaluations' back office: pages bounded in queries whatever the number of subjects,
access refused to the wrong roles, and the buttons going through the services."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.services import voting
from evaluations.models import Campaign, PlanEntry, TermPlan
from tests.evaluations.factories import S, U, vote, work_campaign_in_meeting
from tests.factories import UnitFactory, UserFactory, deputy_with_login, liaison_for

pytestmark = pytest.mark.django_db


def decided_campaign(n_units):
    campaign, poll, voters = work_campaign_in_meeting(n_units=n_units, n_voters=3)
    vote(poll, voters, [[S] * n_units, [S] * n_units, [U] * n_units])
    voting.close_poll(poll)
    from evaluations.services import meeting

    meeting.decide_results(campaign)
    return campaign


def pages(campaign):
    base = f"/admin/evaluations/campaign/{campaign.pk}/"
    return [
        base + "dashboard/",
        base + "meeting/",
        base + "results/",
        base + "report/",
        base + "letters/",
        f"/admin/evaluations/subject/?campaign__id__exact={campaign.pk}",
        f"/admin/evaluations/result/?subject__campaign__id__exact={campaign.pk}",
    ]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_campaign_pages_keep_a_constant_query_count_as_subjects_grow(client, django_assert_max_num_queries):
    client.force_login(UserFactory(username="staff-q", roles=["staff"]))
    small = decided_campaign(2)
    for url in pages(small):  # the first request of a session warms caches (content types, session)
        client.get(url)
    small_counts = [count_queries(client, url) for url in pages(small)]
    big = decided_campaign_in_next_year(12)  # the same term, the next year
    big_counts = [count_queries(client, url) for url in pages(big)]
    assert big_counts == small_counts, list(zip(pages(big), small_counts, big_counts, strict=True))
    with django_assert_max_num_queries(30):
        client.get(pages(big)[0])


def decided_campaign_in_next_year(n_units):
    from congress.models import Meeting
    from evaluations.services import investigation, meeting, planning
    from tests.evaluations.factories import finish_investigation

    small = Campaign.objects.get()
    plan = TermPlan.objects.get(term=small.term)
    units = [UnitFactory() for _ in range(n_units)]
    PlanEntry.objects.bulk_create(PlanEntry(plan=plan, unit=u, year=small.year + 1) for u in units)
    campaign = planning.create_campaign(year=small.year + 1, kind="work", term=small.term)
    investigation.take_planned_units(campaign)
    finish_investigation(campaign, Meeting.objects.get(kind=Meeting.Kind.DIRECTORS))
    Campaign.objects.filter(pk=campaign.pk).update(electorate="attendees")
    campaign.refresh_from_db()
    poll = meeting.start_meeting(campaign, small.meeting)
    voting.open_poll(poll)
    voters = [a.deputy for a in small.meeting.attendance.select_related("deputy")]
    vote(poll, voters, [[S] * n_units, [S] * n_units, [U] * n_units])
    voting.close_poll(poll)
    meeting.decide_results(campaign)
    return campaign


def test_deputies_and_liaisons_cannot_reach_the_evaluations(client):
    campaign, _poll, _voters = work_campaign_in_meeting(n_units=1, n_voters=1)
    for user in [deputy_with_login().user, liaison_for()]:
        client.force_login(user)
        for url in pages(campaign):
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (user, url)


def test_leaders_read_but_cannot_take_a_step(client):
    campaign, _poll, _voters = work_campaign_in_meeting(n_units=1, n_voters=1)
    client.force_login(UserFactory(username="leader-q", roles=["leader"]))
    assert client.get(pages(campaign)[0]).status_code == 200
    response = client.post(f"/admin/evaluations/campaign/{campaign.pk}/step/decide/")
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.stage == Campaign.Stage.MEETING


def test_a_step_refused_out_of_turn_shows_why_and_changes_nothing(client):
    campaign, _poll, _voters = work_campaign_in_meeting(n_units=1, n_voters=1)
    client.force_login(UserFactory(username="staff-r", roles=["staff"]))
    response = client.post(f"/admin/evaluations/campaign/{campaign.pk}/step/decide/", follow=True)
    assert "满意度测评目前为“投票中”状态，请先关闭并计票。" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.stage == Campaign.Stage.MEETING


def test_plan_page_warns_about_uncovered_units_before_approval(client):
    from tests.factories import TermFactory

    term = TermFactory()
    covered = UnitFactory(name="县教育局")
    UnitFactory(name="县水利局")
    plan = TermPlan.objects.create(term=term, title="评议规划")
    PlanEntry.objects.create(plan=plan, unit=covered, year=2026)
    client.force_login(UserFactory(username="staff-p", roles=["staff"]))
    page = client.get(f"/admin/evaluations/termplan/{plan.pk}/change/").content.decode()
    assert "1个单位本届任期内未安排评议" in page and "县水利局" in page
    response = client.post(f"/admin/evaluations/termplan/{plan.pk}/approve/", follow=True)
    assert "如仍要批准，请确认" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"
    client.post(f"/admin/evaluations/termplan/{plan.pk}/approve/", {"accept_uncovered": "1"})
    plan.refresh_from_db()
    assert plan.status == "approved"


def test_the_subject_page_shows_its_checklist_content_and_questionnaires(client):
    campaign, _poll, _voters = work_campaign_in_meeting(n_units=1, n_voters=1)
    subject = campaign.subjects.get()
    client.force_login(UserFactory(username="staff-s", roles=["staff"]))
    page = client.get(f"/admin/evaluations/subject/{subject.pk}/change/").content.decode()
    for text in ["听取单位工作汇报", "征求纪检和行风监督员意见", "背靠背意见征询问卷", "关联背靠背意见征询问卷"]:
        assert text in page


def test_a_leader_reads_the_plan_in_the_same_queries_whatever_the_number_of_entries(client):
    """A leader sees the plan's rows read-only: each row's unit, commission and leader are read
    with the rows, not one query per row and field."""
    from tests.factories import CommissionFactory, MemberFactory, TermFactory

    term = TermFactory()
    unit_list = [UnitFactory(name=f"县第{i}局") for i in range(12)]
    leader = MemberFactory(deputy__term=term, deputy__name="周建国", position="vice_director")
    commission = CommissionFactory(name="财政经济工作委员会")
    client.force_login(UserFactory(username="leader-e", roles=["leader"]))
    plan = TermPlan.objects.create(term=term, title="评议规划")
    url = f"/admin/evaluations/termplan/{plan.pk}/change/"

    def add_entries(units):
        PlanEntry.objects.bulk_create(
            PlanEntry(plan=plan, unit=u, year=2026, leader=leader, commission=commission) for u in units
        )

    add_entries(unit_list[:2])
    client.get(url)  # the session's first request warms the caches
    small = count_queries(client, url)
    add_entries(unit_list[2:])
    assert count_queries(client, url) == small
    page = client.get(url).content.decode()
    assert "<select" not in page.split('id="entries-group"')[1].split("</fieldset>")[0]  # read-only rows
    assert all(unit.name in page for unit in unit_list)
    assert page.count("周建国") >= 12 and page.count("财政经济工作委员会") >= 12


def test_plan_page_reads_its_lists_once_whatever_the_number_of_entries(client):
    from tests.factories import MemberFactory, TermFactory

    term = TermFactory()
    unit_list = [UnitFactory(name=f"县第{i}局") for i in range(12)]
    leader = MemberFactory(deputy__term=term)
    client.force_login(UserFactory(username="staff-e", roles=["staff"]))
    plan = TermPlan.objects.create(term=term, title="评议规划")
    url = f"/admin/evaluations/termplan/{plan.pk}/change/"

    def add_entries(units):
        PlanEntry.objects.bulk_create(PlanEntry(plan=plan, unit=u, year=2026, leader=leader) for u in units)

    add_entries(unit_list[:2])
    client.get(url)  # the session's first request warms the caches
    small = count_queries(client, url)
    add_entries(unit_list[2:])
    assert count_queries(client, url) == small
    page = client.get(url).content.decode()
    rows = page.split('id="entries-group"')[1].split('id="entries-empty"')[0]
    for unit in unit_list:  # every saved row shows its unit as text, its leader chosen in a list
        assert f'<div class="readonly">{unit}</div>' in rows
    assert rows.count(f'<option value="{leader.pk}" selected>') == len(unit_list)
    new_row = re.search(r'<select name="entries-12-unit"[^>]*>(.*?)</select>', rows, re.S).group(1)
    assert all(f'<option value="{unit.pk}">{unit}</option>' in new_row for unit in unit_list)  # a new row chooses


def test_plan_leaders_are_the_terms_directors_meeting_and_those_already_named(client):
    """The responsible leader (责任领导) is chosen among the plan's term's director, vice-directors
    and secretary-general; an ordinary member or another term's leader is not offered, unless a
    line already names them (the line stays valid when the plan is saved)."""
    from tests.factories import MemberFactory, TermFactory

    term = TermFactory()
    old_term = TermFactory(
        number=16, start_date=datetime.date(2016, 12, 1), end_date=datetime.date(2021, 11, 30), is_current=False
    )
    vice = MemberFactory(deputy__term=term, deputy__name="周建国", position="vice_director")
    member = MemberFactory(deputy__term=term, deputy__name="吴海燕", position="member")
    named = MemberFactory(deputy__term=term, deputy__name="郑志刚", position="member")
    other = MemberFactory(term=old_term, deputy__term=old_term, deputy__name="王德明", position="vice_director")
    unit = UnitFactory(name="县民政局")
    plan = TermPlan.objects.create(term=term, title="评议规划")
    entry = PlanEntry.objects.create(plan=plan, unit=unit, year=2026, leader=named)
    client.force_login(UserFactory(username="staff-l", roles=["staff"]))
    url = f"/admin/evaluations/termplan/{plan.pk}/change/"
    page = client.get(url).content.decode()
    offered = re.search(r'<select name="entries-0-leader"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert f'<option value="{vice.pk}">' in offered and f'<option value="{named.pk}" selected>' in offered
    assert f'<option value="{member.pk}"' not in offered and f'<option value="{other.pk}"' not in offered

    prefix = "entries"
    data = {
        "term": str(term.pk), "title": plan.title, "note": "",
        f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-id": str(entry.pk), f"{prefix}-0-plan": str(plan.pk), f"{prefix}-0-year": "2027",
        f"{prefix}-0-unit": str(unit.pk), f"{prefix}-0-commission": "", f"{prefix}-0-leader": str(named.pk),
        f"{prefix}-0-deadline": "",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry.refresh_from_db()
    assert entry.year == 2027 and entry.leader == named
    data[f"{prefix}-0-leader"] = str(member.pk)  # not offered: refused, nothing written
    assert client.post(url, data).status_code == 200
    entry.refresh_from_db()
    assert entry.leader == named


def test_the_plan_is_edited_one_year_at_a_time(client):
    """A term's plan (thirty rows) is edited one year at a time: the page shows every year's
    coverage, and the table of lists holds only the year asked for (this year's, or the next
    planned one, by default). A save on one year leaves the other years' rows as they were and
    comes back to the same year."""
    from tests.factories import TermFactory

    term = TermFactory(start_date=datetime.date(2022, 1, 10), end_date=datetime.date(2026, 12, 31))
    units = [UnitFactory(name=name) for name in ("县财政局", "县教育局", "县水利局", "县民政局", "县审计局")]
    plan = TermPlan.objects.create(term=term, title="评议规划")
    rows = {
        unit.name: PlanEntry.objects.create(plan=plan, unit=unit, year=year)
        for unit, year in zip(units, [2024, 2024, 2025, 2025, 2025], strict=True)
    }
    client.force_login(UserFactory(username="staff-y", roles=["staff"]))
    url = f"/admin/evaluations/termplan/{plan.pk}/change/"

    def shown(page):
        table = page.split('id="entries-group"')[1].split("</fieldset>")[0]
        initial = int(re.search(r'name="entries-INITIAL_FORMS" value="(\d+)"', page).group(1))
        years = re.findall(r'name="entries-(\d+)-year" value="(\d+)"', table)
        return sorted(int(y) for i, y in years if int(i) < initial)  # the saved rows, not the new one

    page = client.get(url + "?year=2024").content.decode()
    assert shown(page) == [2024, 2024]
    coverage = page.split('id="plan-coverage"')[1].split("</table>")[0]
    assert all(name in coverage for name in rows)  # every year's units in the coverage
    years = page.split('id="plan-years"')[1].split("</nav>")[0]
    assert '<strong aria-current="page">2024（2）</strong>' in years
    assert '<a href="?year=2025">2025（3）</a>' in years and '<a href="?year=2022">2022（0）</a>' in years
    # The new row goes on the year shown.
    assert re.search(r'name="entries-2-year" value="2024"', page)

    # By default this year or the next planned one; here (2026 or later) none is to come: the last.
    default = shown(client.get(url).content.decode())
    assert default == [2025, 2025, 2025]
    assert shown(client.get(url + "?year=nonsense").content.decode()) == default

    # Save the 2025 page with one row moved to the commission-less 2026; 2024's rows untouched.
    entries = list(PlanEntry.objects.filter(plan=plan, year=2025).order_by("unit__sort_order", "unit_id"))
    data = {"term": str(term.pk), "title": plan.title, "note": "", "_continue": "1",
            "entries-TOTAL_FORMS": str(len(entries)), "entries-INITIAL_FORMS": str(len(entries)),
            "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for i, entry in enumerate(entries):
        data |= {f"entries-{i}-id": str(entry.pk), f"entries-{i}-plan": str(plan.pk),
                 f"entries-{i}-year": "2026" if i == 0 else "2025", f"entries-{i}-unit": str(entry.unit_id),
                 f"entries-{i}-commission": "", f"entries-{i}-leader": "", f"entries-{i}-deadline": ""}  # fmt: skip
    data["entries-1-unit"] = str(units[0].pk)  # a saved row's unit is shown, not chosen: ignored
    response = client.post(url + "?year=2025", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].endswith("year=2025")
    assert sorted(plan.entries.values_list("year", flat=True)) == [2024, 2024, 2025, 2025, 2026]
    assert sorted(plan.entries.values_list("unit__name", flat=True)) == sorted(rows)


def test_the_year_shown_by_default():
    from evaluations.selectors import plan_year_shown

    today = datetime.date(2026, 3, 1)
    assert plan_year_shown([2025, 2026, 2027], None, today) == 2026  # this year
    assert plan_year_shown([2024, 2027, 2028], None, today) == 2027  # the next planned
    assert plan_year_shown([2023, 2024], "", today) == 2024  # the last, none to come
    assert plan_year_shown([], None, today) == 2026  # a new plan: this year
    assert plan_year_shown([2026], "2029", today) == 2029  # asked, even with no rows yet
    assert plan_year_shown([2026], "１２", today) == plan_year_shown([2026], "1800", today) == 2026
