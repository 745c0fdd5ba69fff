"""The setting-up page (系统初始化): what a new county has set up and what is missing, with the
import of each roster; ID numbers masked for staff without the permission."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from congress.admin.rosters import ROSTER_LABELS
from congress.models import Deputy
from congress.services.imports import import_roster
from tests import factories
from tests.congress.workbooks import deputies_workbook, id_number

pytestmark = pytest.mark.django_db


def test_an_empty_county_sees_everything_missing(client, django_assert_max_num_queries):
    client.force_login(factories.UserFactory(roles=["staff"]))
    with django_assert_max_num_queries(30):
        response = client.get(reverse("admin:setup"))
    assert response.status_code == 200
    items = {i["key"]: i for i in response.context["items"]}
    assert not any(i["done"] for i in items.values())
    assert response.context["needs_term"]
    assert reverse("admin:congress_term_add") in response.text
    assert "系统初始化" in response.text


def test_a_county_with_its_roster_sees_it_set_up(client):
    term = factories.TermFactory(number=18)
    import_roster("deputies", deputies_workbook(), create_missing=True)
    client.force_login(factories.UserFactory(roles=["staff"]))
    items = {i["key"]: i for i in client.get(reverse("admin:setup")).context["items"]}
    assert items["term"]["done"] and items["deputies"]["count"] == 7 and items["groups"]["count"] == 4
    assert not items["members"]["done"]
    assert items["members"]["import_url"] == reverse("admin:roster_import", args=["members"])
    assert term


def test_id_numbers_are_masked_unless_the_user_may_see_them(client):
    factories.TermFactory(number=18)
    import_roster("deputies", deputies_workbook(), create_missing=True)
    deputy = Deputy.objects.get(name="张伟")
    full = id_number(datetime.date(1962, 1, 15), 1)
    staff = factories.UserFactory(roles=["staff"])
    client.force_login(staff)
    page = client.get(reverse("admin:congress_deputy_change", args=[deputy.pk])).text
    assert full not in page and "371526********" + full[-4:] in page
    assert client.get(reverse("admin:roster_export", args=["deputies"]) + "?full_id=1").status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_full_id_number"))
    client.force_login(type(staff).objects.get(pk=staff.pk))
    assert full in client.get(reverse("admin:congress_deputy_change", args=[deputy.pk])).text
    assert client.get(reverse("admin:roster_export", args=["deputies"]) + "?full_id=1").status_code == 200


def test_each_roster_is_named_by_its_name_not_a_count():
    """The msgid "Units" is both a roster's name (单位) and the board's count (单位数): the preview
    heading of each roster names the roster."""
    with translation.override("zh-hans"):
        names = {kind: str(label) for kind, label in ROSTER_LABELS.items()}
        assert names["units"] == "单位"
        assert translation.gettext("Units") == "单位数"  # the count keeps its own word
        headings = {translation.gettext("Preview: %(name)s") % {"name": name} for name in names.values()}
    assert len(headings) == len(ROSTER_LABELS)
    assert not any(name.endswith("数") for name in names.values()), names
