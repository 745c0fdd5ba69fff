"""The project's URLs plus /bench/minimal/, for bench/public only (served through
benchsettings.py): the smallest Django view there is, answering the results page's own bytes,
so that it differs from the results page only by what the page's view does."""

from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from congress.urls import urlpatterns as project_urlpatterns

PAYLOAD = Path(__file__).resolve().parents[1] / "results" / "public" / "payload.html"
_payload: list[bytes] = []


def minimal(request):
    if not _payload:
        _payload.append(PAYLOAD.read_bytes())
    return HttpResponse(_payload[0], content_type="text/html; charset=utf-8")


# Last, so that resolving it walks the project's patterns as the public pages' addresses do.
urlpatterns = [*project_urlpatterns, path("bench/minimal/", minimal)]
