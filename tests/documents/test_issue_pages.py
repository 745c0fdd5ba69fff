"""Every kind of document is issued through the back office from the page staff see it on: the
confirmation page answers, and issuing leads back to that page (an assignment's letters to its
suggestion's page, an interview's notice to its rectification's page)."""

import pytest
from django.utils import timezone

from congress import demo
from congress.documents import KINDS
from congress.models import IssuedDocument, User
from evaluations.models import InquiryMotion, Interview, Rectification
from suggestions.models import Assignment, YearStatistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    demo.load_demo()
    demo.load_extensions()
    YearStatistics.objects.get_or_create(year=timezone.localdate().year)
    rectification = Rectification.objects.order_by("pk").first()
    InquiryMotion.objects.create(unit=rectification.unit, title="关于整改不力的质询案", questions="为何屡查屡犯？")
    Interview.objects.create(
        rectification=rectification,
        held_on=timezone.localdate(),
        reason="整改计划逾期未报",
        record="（约谈后填写）",
    )
    client.force_login(User.objects.get(username="staff"))
    return client


def test_each_kind_has_a_confirmation_page_and_a_page_to_go_back_to(staff_client):
    for kind in KINDS.values():
        record = kind.model_class()._default_manager.order_by("pk").first()
        assert record is not None, f"the demo county has no record for {kind.code}"
        response = staff_client.get(f"/admin/congress/issueddocument/issue/{kind.code}/{record.pk}/")
        assert response.status_code == 200, kind.code
        back = kind.page(record)
        back_url = f"/admin/{back._meta.app_label}/{back._meta.model_name}/{back.pk}/change/"
        assert back_url in response.content.decode(), kind.code
        assert staff_client.get(back_url).status_code == 200, kind.code


@pytest.mark.parametrize("code", ["assignment_letter", "supervision_letter"])
def test_an_assignments_letter_is_issued_from_its_suggestions_page(staff_client, code):
    lead = Assignment.objects.filter(role="lead", status="active", due_at__isnull=False).order_by("pk").first()
    url = f"/admin/congress/issueddocument/issue/{code}/{lead.pk}/"
    suggestion_page = f"/admin/suggestions/suggestion/{lead.suggestion_id}/change/"
    assert staff_client.get(suggestion_page).status_code == 200
    assert url in staff_client.get(suggestion_page).content.decode()
    confirm = staff_client.get(url)
    assert confirm.status_code == 200 and lead.unit.name in confirm.content.decode()
    response = staff_client.post(url)
    assert response.status_code == 302 and response.url == suggestion_page
    if code == "assignment_letter":  # a 督办函 needs a late reply; refused, it still goes back
        issued = IssuedDocument.objects.get()
        assert issued.number in staff_client.get(suggestion_page).content.decode()
