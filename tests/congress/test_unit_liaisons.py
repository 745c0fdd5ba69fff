"""Liaison logins made with the units' import (issue 27: 27 liaisons were made by hand, one
without a role), and the first-login slip that reaches each liaison: a link that sets their
password once, as deputies get their personal login links."""

import re
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from congress.exports import export_roster
from congress.models import Role, Unit
from congress.services.accounts import first_login_url
from congress.services.imports import RosterRejected, import_roster
from tests import factories
from tests.congress.test_imports import problems_of, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["单位名称", "类别", "联络员", "联络员手机"]
User = get_user_model()


@pytest.fixture(autouse=True)
def term():
    return factories.TermFactory(is_current=True)


def liaisons():
    return User.objects.filter(groups__name=Role.LIAISON).order_by("username")


def test_the_units_import_makes_each_liaisons_login_with_its_role():
    rows = [
        ["县财政局", "政府组成部门", "黄海燕", "139 2231 0001"],
        ["县教育局", "政府组成部门", "周建军", "139-2231-0002"],
        ["县税务局", "垂直管理单位", "", ""],  # no liaison yet: no login
    ]

    result = import_roster("units", xlsx(HEADER, rows))

    assert result.created == 3 and list(result.made.values()) == [2]
    assert [(u.username, u.last_name, u.unit.name, u.has_usable_password()) for u in liaisons()] == [
        ("13922310001", "黄海燕", "县财政局", False),
        ("13922310002", "周建军", "县教育局", False),
    ]
    # The same file again makes nothing more; the export gives the liaisons back.
    again = import_roster("units", xlsx(HEADER, rows))
    assert (again.created, again.made) == (0, {}) and liaisons().count() == 2
    exported = BytesIO(export_roster("units"))
    cells = [c for row in load_workbook(exported).active.iter_rows(values_only=True) for c in row]
    assert "黄海燕" in cells and "13922310002" in cells


def test_a_liaisons_mobile_number_taken_by_another_units_login_is_refused():
    other = Unit.objects.create(name="县水利局", kind=Unit.Kind.DEPARTMENT, sort_order=1)
    factories.UserFactory(username="13922310001", phone="13922310001", unit=other, roles=["liaison"])
    rows = [
        ["县财政局", "政府组成部门", "黄海燕", "13922310001"],  # row 2: 县水利局's liaison
        ["县教育局", "政府组成部门", "周建军", ""],  # row 3: no number, no login
        ["县卫生健康局", "政府组成部门", "吴晓梅", "13922310003"],
        ["县民政局", "政府组成部门", "吴晓梅", "13922310003"],  # row 5: the same number as row 4
    ]

    with pytest.raises(RosterRejected) as excinfo:
        import_roster("units", xlsx(HEADER, rows))

    assert problems_of(excinfo) == [(2, "联络员手机"), (3, "联络员手机"), (5, "联络员手机")]
    assert Unit.objects.count() == 1 and liaisons().count() == 1


def test_the_slip_sets_the_liaisons_password_once_and_opens_the_unit_portal(settings):
    import_roster("units", xlsx(HEADER, [["县财政局", "政府组成部门", "黄海燕", "13922310001"]]))
    liaison = liaisons().get()
    path = re.sub(r"^https?://[^/]+", "", first_login_url(liaison))
    phone = Client()

    page = phone.get(path, follow=True)  # Django moves the token to the session, then shows the form
    assert "13922310001" in page.content.decode()
    done = phone.post(page.redirect_chain[-1][0], {"new_password1": "Caizheng-2026", "new_password2": "Caizheng-2026"})
    assert done.status_code == 302
    assert phone.get(done["Location"], follow=True).request["PATH_INFO"] == reverse("unit:home")
    liaison.refresh_from_db()
    assert liaison.check_password("Caizheng-2026")
    # Used once: the same link no longer sets anything.
    again = Client().get(path, follow=True)
    assert "form" not in again.context or not again.context.get("validlink")


def test_staff_print_the_slips_of_the_liaisons_without_a_password(admin_client):
    import_roster("units", xlsx(HEADER, [["县财政局", "政府组成部门", "黄海燕", "13922310001"]]))
    liaison = liaisons().get()
    page = admin_client.post(
        reverse("admin:congress_user_changelist"),
        {"action": "print_first_login_slips", "_selected_action": [liaison.pk]},
    )
    text = page.content.decode()
    assert page.status_code == 200 and "黄海燕" in text and "/accounts/first-login/" in text
