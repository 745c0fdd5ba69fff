"""The public board (公示栏), no login: every unit's commitments and the supervision held on it at a
glance, one unit's board, and the deliberation opinions the committee published. Pages cost a
fixed number of queries however many units and items; drafts and personal details stay out."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress import public_cache
from oversight.models import Activity, Commitment
from oversight.selectors import board
from tests.factories import UnitFactory
from tests.oversight.factories import (
    activity_participants,
    commitments,
    county_units,
    deliberation,
    planned_year,
    this_year,
)
from tests.suggestions.factories import assigned

pytestmark = pytest.mark.django_db

BOARD = reverse("oversight:board")


def unit_board_url(unit, **query):
    url = reverse("oversight:unit_board", args=[unit.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def queries_for(client, url) -> int:
    client.get(url)  # warm the committee name's cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


class TestTheBoard:
    def test_every_active_unit_with_its_commitments_and_supervision(self, client):
        education, health, culture = county_units(3)
        UnitFactory(name="县粮食局", active=False, sort_order=99)
        items = commitments(education, 10)
        commitments(health, 4)
        planned_year(education, held=4)
        Activity.objects.filter(unit=education, status=Activity.Status.PLANNED, kind=Activity.Kind.VISIT).update(
            status=Activity.Status.CANCELLED
        )
        assigned(unit=education, title="关于增设城东小学学位的建议")
        page = client.get(BOARD)
        assert page.status_code == 200
        html = page.content.decode()
        assert "县教育局" in html and "县卫生健康局" in html and "县文化和旅游局" in html
        assert "县粮食局" not in html  # no longer supervised
        rows = {r.unit.name: r for r in page.context["rows"]}
        done = sum(c.state == Commitment.State.DONE for c in items)
        late = sum(c.expect_late for c in items)
        assert (rows["县教育局"].total, rows["县教育局"].done, rows["县教育局"].late) == (10, done, late)
        assert rows["县教育局"].suggestions == 1 and rows["县文化和旅游局"].total == 0
        assert rows["县教育局"].activities_held == 4
        assert f'href="{unit_board_url(education)}"' in html
        # A progress bar a screen reader can read, per unit.
        assert f'aria-label="县教育局平均进度" aria-valuenow="{rows["县教育局"].progress}"' in html
        totals = page.context["totals"]
        assert (totals["units"], totals["total"], totals["done"]) == (3, 14, page.context["totals"]["done"])
        assert totals["suggestions"] == 1 and totals["activities_held"] == 4
        assert "监督公示栏" in html and "逾期" in html

    def test_another_year_and_nonsense_years(self, client):
        (education,) = county_units(1)
        commitments(education, 3, year=this_year() - 1)
        assert client.get(BOARD).context["rows"][0].total == 0
        last = client.get(BOARD, {"year": this_year() - 1})
        assert last.context["year"] == this_year() - 1 and last.context["rows"][0].total == 3
        assert f'href="{unit_board_url(education, year=this_year() - 1)}"' in last.content.decode()
        for nonsense in ("abc", "99999", "-1", ""):
            assert client.get(BOARD, {"year": nonsense}).context["year"] == this_year()

    def test_printable_for_the_hall(self, client):
        county_units(2)
        html = client.get(BOARD).content.decode()
        assert "css/board.css" in html
        css = (settings.BASE_DIR / "static" / "css" / "board.css").read_text(encoding="utf-8")
        assert "@media print" in css and "size: A3 landscape" in css

    def test_27_units_with_20_items_each_keep_a_constant_query_count(
        self, client, django_assert_max_num_queries, django_capture_on_commit_callbacks
    ):
        def board_queries():
            client.get(BOARD)  # warm the committee name's cache
            with django_capture_on_commit_callbacks(execute=True):
                public_cache.forget("oversight")  # as a service does: the board is computed again
            with CaptureQueriesContext(connection) as captured:
                client.get(BOARD)
            return len(captured)

        units = county_units(27)
        commitments(units[0], 1)
        small = board_queries()

        for unit in units:
            commitments(unit, 20) if unit != units[0] else commitments(unit, 19, year=this_year() - 1)
            planned_year(unit, held=5)
        for unit in units[:3]:
            assigned(unit=unit)
        big = board_queries()
        assert big == small
        with django_capture_on_commit_callbacks(execute=True):
            public_cache.forget("oversight")
        with django_assert_max_num_queries(small):
            page = client.get(BOARD)
        assert len(page.context["rows"]) == 27
        assert sum(r.total for r in page.context["rows"]) == 26 * 20 + 1
        assert page.content.decode().count('class="board-row') == 27


class TestOneUnitsBoard:
    def test_commitments_by_kind_the_supervision_held_and_whats_next(self, client):
        (education,) = county_units(1)
        items = commitments(education, 20)
        activities = planned_year(education, held=2)
        member, deputy = activity_participants()
        activities[0].members.add(member)
        activities[0].deputies.add(deputy)
        suggestion, *_ = assigned(unit=education, title="关于增设城东小学学位的建议")
        page = client.get(unit_board_url(education))
        assert page.status_code == 200
        html = page.content.decode()
        for heading in ("承诺事项", "重要工作", "重点项目", "重大民生实事"):
            assert heading in html
        late = next(c for c in items if c.expect_late)
        assert f'id="commitment-{late.pk}"' in html
        assert html.count("board-item-late") == sum(c.expect_late for c in items)
        assert "正在核查" in html or "核查" in html  # an item reported done, being checked
        # The supervision held: date, kind, title and findings; the participants stay off the board.
        assert activities[0].held_on.strftime("%Y-%m-%d") in html and "实地查看了项目现场" in html
        assert "李建国" not in html and "王秀英" not in html
        assert "13912345678" not in html and "13987654321" not in html
        upcoming = page.context["page"].upcoming
        assert all(a.planned_on >= timezone.localdate() for a in upcoming)
        # Suggestions it leads: number, title and status, not who raised them.
        assert suggestion.title in html and suggestion.get_status_display() in html
        assert suggestion.lead_deputy.name not in html

    def test_only_published_deliberation_opinions(self, client):
        (education,) = county_units(1)
        published = deliberation(education)
        delivered = deliberation(education, published=False, report_title="关于学前教育发展情况的报告")
        draft = deliberation(education, published=None, report_title="关于职业教育发展情况的报告")
        html = client.get(unit_board_url(education)).content.decode()
        assert published.report_title in html
        assert reverse("oversight:deliberation", args=[published.pk]) in html
        assert delivered.report_title not in html and draft.report_title not in html

    def test_an_unknown_or_retired_unit_is_not_found(self, client):
        retired = UnitFactory(name="县粮食局", active=False)
        assert client.get(unit_board_url(retired)).status_code == 404
        assert client.get(reverse("oversight:unit_board", args=[retired.pk + 100])).status_code == 404

    def test_a_constant_query_count_as_items_grow(self, client, django_assert_max_num_queries):
        education, health = county_units(2)
        commitments(education, 2)
        planned_year(education, held=1)
        deliberation(education)
        small = queries_for(client, unit_board_url(education))

        Commitment.objects.filter(unit=education).delete()
        commitments(education, 20)
        Activity.objects.filter(unit=education, planned_on__lt=timezone.localdate()).update(
            status=Activity.Status.HELD, held_on=datetime.date(this_year(), 1, 15), findings="查阅台账。"
        )
        deliberation(education, report_title="关于学前教育发展情况的报告")
        for title in ("关于增设城东小学学位的建议", "关于化解城区学校大班额的建议", "关于农村学校教师补充的建议"):
            assigned(unit=education, title=title)
        commitments(health, 20)
        big = queries_for(client, unit_board_url(education))
        assert big == small
        with django_assert_max_num_queries(small):
            page = client.get(unit_board_url(education))
        assert sum(len(items) for _label, items in page.context["page"].groups) == 20
        assert len(page.context["page"].deliberations) == 2


class TestPublishedDeliberation:
    def test_its_opinions_item_by_item(self, client):
        (education,) = county_units(1)
        found = deliberation(education)
        page = client.get(reverse("oversight:deliberation", args=[found.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert found.report_title in html and "县教育局" in html
        for text in ("城乡学校办学条件差距仍然较大", "加大农村学校投入", "年内改造薄弱学校8所"):
            assert text in html
        assert html.count('role="progressbar"') == 2

    def test_unpublished_ones_are_not_found(self, client):
        (education,) = county_units(1)
        delivered = deliberation(education, published=False)
        draft = deliberation(education, published=None, report_title="关于职业教育发展情况的报告")
        for pk in (delivered.pk, draft.pk, draft.pk + 100):
            assert client.get(reverse("oversight:deliberation", args=[pk])).status_code == 404

    def test_the_board_itself_names_no_deliberation(self, client):
        (education,) = county_units(1)
        draft = deliberation(education, published=False)
        assert draft.report_title not in client.get(BOARD).content.decode()
        assert board(this_year())[0].unit == education


class TestTheBoardIsCached:
    def test_computed_once_then_forgotten_when_a_service_commits(
        self, client, django_assert_max_num_queries, django_capture_on_commit_callbacks
    ):
        from oversight import services

        education, health = county_units(2)
        commitments(education, 3)
        assert client.get(BOARD).context["rows"][0].total == 3
        with django_assert_max_num_queries(1):  # the committee name at most: the figures are kept
            client.get(BOARD)
        with django_capture_on_commit_callbacks(execute=True):
            services.add_commitment(
                education, year=this_year(), kind=Commitment.Kind.COMMITMENT, title="新建城东幼儿园"
            )
        rows = client.get(BOARD).context["rows"]  # at once
        assert (rows[0].unit, rows[0].total) == (education, 4)
        with django_capture_on_commit_callbacks(execute=True):
            assigned(unit=health, title="关于增设城东小学学位的建议")  # a suggestion assigned to a unit
        assert client.get(BOARD).context["rows"][1].suggestions == 1

    def test_the_board_the_year_page_and_its_workbook_count_alike(self, admin_client):
        from oversight.selectors import year_in_numbers

        education, health = county_units(2)
        for n in range(3):
            assigned(unit=education, title=f"关于第{n}件事项的建议")
        assigned(unit=health)
        rows = board(this_year())
        numbers = year_in_numbers(this_year())
        assert [r.suggestions for r in rows] == [3, 1] == [r.suggestions for r in numbers.per_unit]
        assert numbers.suggestions == 4
