"""Every input of the back office has a name (congress.admin_names): the inputs of a tabular
inline's rows and of an editable list's rows are named by their column, a file input by its
label. The browser test (tests/e2e/test_accessibility_office.py) runs axe-core on every kind of
back-office page; these say the same of the HTML the server sends, in a second."""

import re

import pytest
from django.urls import reverse

from congress.models import Attendance
from suggestions.models import Category
from tests.factories import UserFactory, meeting_with_attendees

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    client.force_login(UserFactory(username="boss", is_superuser=True, is_staff=True))
    return client


def tag(html: str, element_id: str) -> str:
    found = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{element_id}"[^>]*>', html)
    assert found, f"no #{element_id}"
    return found.group(0)


def test_a_tabular_inlines_row_inputs_and_delete_box_are_named_by_their_column(office):
    meeting, _ = meeting_with_attendees(2)
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    html = office.get(reverse("admin:congress_meeting_change", args=[meeting.pk])).content.decode()
    # The labels a sighted user reads in the columns' headings; the wrapped relation's select too.
    assert 'aria-label="人大代表"' in tag(html, "id_attendance-0-deputy")
    assert 'aria-label="状态"' in tag(html, "id_attendance-0-status")
    assert 'aria-label="缺席原因"' in tag(html, "id_attendance-1-reason")
    assert 'aria-label="删除"' in tag(html, "id_attendance-1-DELETE")
    assert "aria-label" not in tag(html, "id_attendance-0-id")  # hidden: nothing to say


def test_an_editable_lists_row_inputs_are_named_by_their_column(office):
    Category.objects.create(name="城乡建设")
    html = office.get(reverse("admin:suggestions_category_changelist")).content.decode()
    assert 'aria-label="排序"' in tag(html, "id_form-0-sort_order")
    assert 'aria-label="有效"' in tag(html, "id_form-0-active")


def test_a_file_input_is_named_by_its_label(office):
    html = office.get(reverse("admin:congress_documenttemplate_add")).content.decode()
    assert 'aria-label="模板（.docx）"' in tag(html, "id_file")


def test_the_admin_pages_load_the_script_that_names_the_autocomplete_boxes(office):
    html = office.get(reverse("admin:index")).content.decode()
    assert re.search(r'<script src="[^"]*js/admin[^"]*\.js" defer', html)
