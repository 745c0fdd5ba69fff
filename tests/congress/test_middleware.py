"""The project's auditlog middleware: the actor on the record, looked up only when needed."""

import os

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from congress.middleware import AuditlogMiddleware
from congress.models import Unit
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user_loader, seen):
    def load():
        seen.append("user")
        return user_loader()

    request = RequestFactory().post("/admin/congress/unit/")
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

    AuditlogMiddleware(edit)(_request(lambda: staff, seen))
    entry = LogEntry.objects.get_for_object(unit).order_by("-pk").first()
    assert entry.actor == staff
    assert entry.changes_dict["short_name"][1] == "水利局"


def test_a_request_that_writes_nothing_never_loads_the_user():
    seen = []
    AuditlogMiddleware(lambda request: None)(_request(AnonymousUser, seen))
    assert seen == []


def test_an_anonymous_write_has_no_actor():
    seen = []

    def create(request):
        Unit.objects.create(name="县审计局")
        return None

    AuditlogMiddleware(create)(_request(AnonymousUser, seen))
    entry = LogEntry.objects.filter(content_type__model="unit").order_by("-pk").first()
    assert entry.object_repr == "县审计局"
    assert entry.actor is None
    assert seen == ["user"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)")
def test_the_redis_cache_keeps_one_client_per_pool():
    from congress.cache import RedisCache

    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-kept-client"})
    try:
        assert cache._cache.get_client() is cache._cache.get_client()
        cache.set("sheet", {"items": [1, 2, 3]}, 30)
        assert cache.get("sheet") == {"items": [1, 2, 3]}
        assert cache.add("sheet", "other", 30) is False
        assert cache.add("n", 1, 30) is True
        assert cache.incr("n", 2) == 3
    finally:
        cache.delete_many(["sheet", "n"])


@pytest.mark.parametrize(
    ("body", "form"),
    [
        (b"a=1&b=2", {"a": "1", "b": "2"}),
        (b"a=1&a=2", {"a": "2"}),  # the last value of a name, as QueryDict.get gives
        (b"item-5=&confirm", {"item-5": "", "confirm": ""}),  # blanks kept
        (b"t=%E7%A1%AE%E8%AE%A4+%2B1&&", {"t": "确认 +1"}),
        (b"", {}),
    ],
)
def test_a_urlencoded_form_reads_as_django_reads_it(body, form):
    from django.http import QueryDict

    from congress.middleware import urlencoded_form

    assert urlencoded_form(body) == form
    django = QueryDict(body)
    assert {name: django.get(name) for name in django} == form


def test_a_form_django_should_judge_is_left_to_django(settings):
    from congress.middleware import urlencoded_form

    assert urlencoded_form(b"a=\xff") is None  # not UTF-8
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    assert urlencoded_form(b"a=1&b=2&c=3&d=4") is None  # Django refuses it with its own error


def test_a_confirm_answer_carries_what_djangos_cache_helpers_would_set(monkeypatch):
    """The kept caching headers of the confirm tap are those Django's helpers give a fresh
    answer in the same second, and they follow the clock to the next second."""
    import time

    from django.http import HttpResponseRedirect
    from django.utils.cache import add_never_cache_headers, patch_vary_headers

    from congress import middleware

    def django_would(at):
        monkeypatch.setattr(time, "time", lambda: at)
        response = HttpResponseRedirect("/m/polls/1/received/")
        add_never_cache_headers(response)
        patch_vary_headers(response, ("Cookie",))
        return {name: response.headers[name] for name in ("Expires", "Cache-Control", "Vary")}

    for at in (1_790_000_000.25, 1_790_000_000.75, 1_790_000_001.5):
        expected = django_would(at)
        assert dict(middleware.never_cache_headers()) == expected
    assert expected["Expires"] == "Mon, 21 Sep 2026 14:13:21 GMT"
    assert "no-store" in expected["Cache-Control"]
