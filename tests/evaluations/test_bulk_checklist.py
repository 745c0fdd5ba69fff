"""A survey team's day entered at once: the whole 一听取三核查五征求 checklist ticked in one save."""

import pytest
from django.urls import reverse

from evaluations.models import Campaign, ChecklistItem
from evaluations.services import investigation, planning
from tests.congress.test_hostile_exports import admin_form_post, form_errors
from tests.evaluations.factories import YEAR, approved_plan, units
from tests.factories import TermFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    client.force_login(UserFactory(username="bangongshi", roles=["staff"], is_superuser=True))
    return client


def subject_under_investigation():
    term = TermFactory()
    unit_list = units(1)
    approved_plan(term, unit_list)
    campaign = planning.create_campaign(year=YEAR, kind=Campaign.Kind.WORK, term=term)
    (subject,) = investigation.take_planned_units(campaign)
    return subject


def test_the_whole_checklist_in_one_save_each_point_with_its_notes(office):
    subject = subject_under_investigation()
    points = list(subject.checklist.order_by("sort_order"))
    assert len(points) == 9 and not any(p.done for p in points)
    url = reverse("admin:evaluations_subject_change", args=[subject.pk])
    row_notes = {"checklist-0-notes": "听取县教育局工作汇报，局长到会", "checklist-2-notes": "核查12345热线投诉43件"}
    saved = admin_form_post(office, url, {**row_notes, "tick_all": "on", "tick_notes": "按计划完成"})
    assert saved.status_code == 302, form_errors(saved)
    points = list(subject.checklist.order_by("sort_order"))
    assert all(p.done and p.done_on for p in points)
    assert points[0].notes == "听取县教育局工作汇报，局长到会"
    assert points[2].notes == "核查12345热线投诉43件"
    assert {p.notes for p in points[3:]} == {"按计划完成"}


def test_points_without_notes_refuse_the_batch_and_name_them(office):
    subject = subject_under_investigation()
    first, second = subject.checklist.order_by("sort_order")[:2]
    url = reverse("admin:evaluations_subject_change", args=[subject.pk])
    response = admin_form_post(office, url, {"tick": [str(first.pk), str(second.pk)]})
    assert response.status_code == 302
    page = office.get(response["Location"]).content.decode()
    assert "请写明以下事项" in page and str(first.get_point_display()) in page
    assert not ChecklistItem.objects.filter(subject=subject, done=True).exists()


def test_the_service_ticks_several_points_in_one_go(django_assert_max_num_queries):
    subject = subject_under_investigation()
    points = list(subject.checklist.all())
    with django_assert_max_num_queries(12):
        investigation.tick_checklist_points(subject, {p.pk: f"第{n}项已完成" for n, p in enumerate(points)}, by=None)
    assert ChecklistItem.objects.filter(subject=subject, done=True).count() == 9
