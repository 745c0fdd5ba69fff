"""The back office of year-round supervision: staff plan the calendar, record what was held,
check commitments, keep a special inquiry and take deliberation opinions from draft to
publication, every step through its button; the year in numbers in constant queries and to
Excel; leaders read only, liaisons and deputies kept out."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from congress.models import Meeting
from evaluations.models import Rectification
from oversight import services
from oversight.models import Activity, Commitment, Deliberation, InquiryQuestion, SpecialInquiry
from tests.factories import UnitFactory, UserFactory, deputy_with_login
from tests.oversight.builders import directors_meeting, paired_unit, standing_session

pytestmark = pytest.mark.django_db

ADMIN = "/admin/oversight"


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def p(client):
    paired = paired_unit()
    client.force_login(paired.staff)
    return paired


def this_year():
    return datetime.date.today().year  # noqa: DTZ011 - the same calendar year as the app's local date here


class TestCalendar:
    def test_staff_plan_the_year_for_every_unit_then_record_a_visit(self, client, p):
        UnitFactory(name="县交通运输局")
        response = client.post(f"{ADMIN}/activity/plan-year/", {"year": "2027"}, follow=True)
        assert "已安排2027年度监督活动38项" in messages_of(response)
        visit = Activity.objects.get(unit=p.unit, kind="visit", planned_on=datetime.date(2027, 1, 15))
        Activity.objects.filter(pk=visit.pk).update(planned_on=datetime.date(2026, 1, 15), year=2026)
        page = client.get(f"{ADMIN}/activity/{visit.pk}/change/").content.decode()
        assert "登记为已开展" in page and p.chair_member.deputy.name in page

        record = f"{ADMIN}/activity/{visit.pk}/record/"
        response = client.post(
            record, {"held_on": "2026-01-15", "findings": "", "members": [p.chair_member.pk]}, follow=True
        )
        assert "请记录开展日期和发现的问题" in messages_of(response)
        assert Activity.objects.get(pk=visit.pk).status == "planned"
        response = client.post(
            record,
            {
                "held_on": "2026-01-15",
                "findings": "实地查看清河堤防加固工程，进度滞后两周。",
                "follow_up": "督促倒排工期",
                "members": [p.chair_member.pk],
            },
            follow=True,
        )
        assert "已登记为已开展" in messages_of(response)
        visit.refresh_from_db()
        assert visit.status == "held" and list(visit.members.all()) == [p.chair_member]
        assert "实地查看清河堤防加固工程" in response.content.decode()

    def test_a_plan_is_cancelled_only_with_a_reason(self, client, p):
        services.plan_year(p.unit, year=2027)
        visit = Activity.objects.filter(unit=p.unit, kind="visit").first()
        response = client.post(f"{ADMIN}/activity/{visit.pk}/cancel/", {"reason": " "}, follow=True)
        assert "请说明取消理由" in messages_of(response)
        client.post(f"{ADMIN}/activity/{visit.pk}/cancel/", {"reason": "防汛任务，改期"})
        assert Activity.objects.get(pk=visit.pk).cancel_reason == "防汛任务，改期"


class TestCommitments:
    def test_the_commission_confirms_or_returns_a_reported_item(self, client, p):
        item = services.add_commitment(p.unit, year=2027, kind="livelihood", title="农村饮水安全巩固提升")
        services.update_progress(item, by=p.liaison, progress=100, text="工程完工")
        page = client.get(f"{ADMIN}/commitment/{item.pk}/change/").content.decode()
        assert "单位已报告该事项完成" in page and "工程完工" in page
        response = client.post(
            f"{ADMIN}/commitment/{item.pk}/check/", {"decision": "return", "comment": ""}, follow=True
        )
        assert "请说明不予确认完成的理由" in messages_of(response)
        client.post(f"{ADMIN}/commitment/{item.pk}/check/", {"decision": "return", "comment": "水质检测报告未提供"})
        item.refresh_from_db()
        assert item.state == Commitment.State.UNDERWAY and item.check_comment == "水质检测报告未提供"
        services.update_progress(item, by=p.liaison, progress=100, text="已补充水质检测报告")
        client.post(f"{ADMIN}/commitment/{item.pk}/check/", {"decision": "confirm"})
        assert Commitment.objects.get(pk=item.pk).state == Commitment.State.DONE

    def test_staff_post_a_commitment_from_the_add_form(self, client, p):
        data = {"unit": p.unit.pk, "year": 2027, "kind": "key_project", "title": "清河堤防加固工程", "sort_order": 0}
        client.post(f"{ADMIN}/commitment/add/", data)
        assert Commitment.objects.filter(unit=p.unit, title="清河堤防加固工程").count() == 1
        response = client.post(f"{ADMIN}/commitment/add/", data)
        assert response.status_code == 200 and "承诺事项 已经存在" in response.content.decode()
        assert Commitment.objects.count() == 1


class TestSpecialInquiry:
    def test_questions_are_recorded_then_the_inquiry_is_held(self, client, p):
        inquiry = services.plan_special_inquiry(
            topic="农村饮水安全", planned_on=datetime.date(2026, 6, 26), units=[p.unit], meeting=standing_session()
        )
        step = f"{ADMIN}/specialinquiry/{inquiry.pk}"
        response = client.post(f"{step}/do/hold/", {"held_on": "2026-06-26"}, follow=True)
        assert "请先记录询问的问题和回答" in messages_of(response)
        client.post(
            f"{step}/do/question/",
            {
                "asked_by": p.chair_member.deputy.pk,
                "unit": p.unit.pk,
                "question": "农村饮水工程水质检测是否全覆盖？",
                "answered_by": "县水利局局长",
                "answer": "已实现全覆盖。",
            },
        )
        client.post(f"{step}/do/hold/", {"held_on": "2026-06-26", "follow_up": "年底听取落实情况报告"})
        inquiry.refresh_from_db()
        assert inquiry.status == SpecialInquiry.Status.HELD and InquiryQuestion.objects.count() == 1
        assert "农村饮水工程水质检测是否全覆盖" in client.get(f"{step}/change/").content.decode()


class TestDeliberation:
    def test_from_the_add_form_to_publication(self, client, p):
        session = standing_session()
        directors = directors_meeting()
        client.post(
            f"{ADMIN}/deliberation/add/",
            {
                "meeting": session.pk,
                "report_title": "县人民政府关于农村饮水安全工作情况的报告",
                "unit": p.unit.pk,
                "deliberated_on": "2026-06-26",
                "report_months": 3,
            },
        )
        deliberation = Deliberation.objects.get()
        assert deliberation.rectification.report_months == 3
        step = f"{ADMIN}/deliberation/{deliberation.pk}"
        response = client.post(f"{step}/do/add/", {"finding": "水质检测不到位", "action": ""}, follow=True)
        assert "评议意见须写明存在问题和整改要求" in messages_of(response)
        client.post(
            f"{step}/do/add/", {"finding": "水质检测不到位", "action": "建立水质检测全覆盖制度", "target": "全覆盖"}
        )
        response = client.post(f"{step}/do/publish/", follow=True)
        assert "只有已交办的审议意见才能公开" in messages_of(response)
        client.post(f"{step}/do/approve/", {"meeting": directors.pk})
        client.post(f"{step}/do/deliver/")
        response = client.post(f"{step}/do/publish/", follow=True)
        assert "已在门户网站公开" in messages_of(response)
        deliberation.refresh_from_db()
        assert deliberation.rectification.status == Rectification.Status.DELIVERED and deliberation.published_at
        page = client.get(f"{step}/change/").content.decode()
        assert "水质检测不到位" in page and f"/admin/evaluations/rectification/{deliberation.rectification_id}/" in page


def county(n_units: int, n_items: int, *, first: int = 0):
    for u in range(first, first + n_units):
        unit = UnitFactory(name=f"县第{u}局")
        services.plan_year(unit, year=2026)
        for i in range(n_items):
            services.add_commitment(unit, year=2026, kind="commitment", title=f"承诺事项{i}")


def test_the_year_in_numbers_keeps_its_query_count_and_exports(client, p, django_assert_max_num_queries):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    county(2, 2)
    client.get(f"{ADMIN}/activity/year/?year=2026")
    small = count(f"{ADMIN}/activity/year/?year=2026")[0], count(f"{ADMIN}/activity/year/?year=2026&format=xlsx")[0]
    county(25, 8, first=2)
    with django_assert_max_num_queries(small[0]):
        page = client.get(f"{ADMIN}/activity/year/?year=2026")
    assert count(f"{ADMIN}/activity/year/?year=2026&format=xlsx")[0] == small[1]
    html = page.content.decode()
    assert "2026年度监督工作统计" in html and "县第26局" in html
    n, export = count(f"{ADMIN}/activity/year/?year=2026&format=xlsx")
    sheets = load_workbook(io.BytesIO(export.content)).worksheets
    totals = {row[0]: row[1] for row in sheets[0].iter_rows(values_only=True)}
    assert totals["公示承诺事项（项）"] == 2 * 2 + 25 * 8
    assert len(list(sheets[1].iter_rows())) == 1 + 1 + 27  # header, the paired unit, 27 more


class TestAccess:
    def test_liaisons_and_deputies_are_kept_out(self, client):
        p = paired_unit()
        deputy = deputy_with_login()
        for user in (p.liaison, deputy.user):
            client.force_login(user)
            for url in (f"{ADMIN}/activity/", f"{ADMIN}/activity/year/", f"{ADMIN}/commitment/"):
                response = client.get(url)
                assert response.status_code in (302, 403), url

    def test_leaders_read_but_do_not_record(self, client):
        p = paired_unit()
        services.plan_year(p.unit, year=2026)
        leader = UserFactory(username="leader-oversight", roles=["leader"])
        client.force_login(leader)
        assert client.get(f"{ADMIN}/activity/year/?year=2026").status_code == 200
        visit = Activity.objects.filter(unit=p.unit, kind="visit").first()
        response = client.post(f"{ADMIN}/activity/{visit.pk}/record/", {"held_on": "2026-01-15", "findings": "调研"})
        assert response.status_code == 403
        assert Activity.objects.get(pk=visit.pk).status == "planned"
        assert Meeting.objects.count() == 0
