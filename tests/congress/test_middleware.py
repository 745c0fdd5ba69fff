"""The project's audit actor middleware: the actor on the record, looked up only when needed."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from congress.middleware import AuditActorMiddleware
from congress.models import Unit
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user_loader, seen):
    def load():
        seen.append("user")
        return user_loader()

    request = RequestFactory().post("/admin/congress/unit/", REMOTE_ADDR="10.20.30.40")
    request.user = SimpleLazyObject(load)
    return request


def test_an_edit_is_logged_with_the_staff_member_who_made_it():
    staff = UserFactory(roles=["staff"])
    unit = UnitFactory(name="县水利局")
    seen = []

    def edit(request):
        unit.short_name = "水利局"
        unit.save()
        return None

    AuditActorMiddleware(edit)(_request(lambda: staff, seen))
    entry = LogEntry.objects.get_for_object(unit).order_by("-pk").first()
    assert entry.actor == staff
    assert entry.remote_addr == "10.20.30.40"
    assert entry.changes_dict["short_name"][1] == "水利局"


def test_a_request_that_writes_nothing_never_loads_the_user():
    seen = []
    AuditActorMiddleware(lambda request: None)(_request(AnonymousUser, seen))
    assert seen == []


def test_an_anonymous_write_has_no_actor():
    seen = []

    def create(request):
        Unit.objects.create(name="县审计局")
        return None

    AuditActorMiddleware(create)(_request(AnonymousUser, seen))
    entry = LogEntry.objects.filter(content_type__model="unit").order_by("-pk").first()
    assert entry.object_repr == "县审计局"
    assert entry.actor is None
    assert seen == ["user"]
