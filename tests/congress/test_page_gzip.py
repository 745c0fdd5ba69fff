"""Pages are compressed on the embedded default (no proxy in front): HTML and JSON, padded
against length attacks by Django's GZipMiddleware; files streamed to the client (downloads,
videos with byte ranges) and anything not text are sent as they are."""

import gzip
import io

import pytest
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from congress.middleware import PageGZipMiddleware

pytestmark = pytest.mark.django_db


def test_installed_first_after_security_without_a_proxy():
    assert settings.MIDDLEWARE[1] == "congress.middleware.PageGZipMiddleware"


def test_a_public_page_arrives_compressed(client):
    response = client.get("/about/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert html.startswith("<!doctype html>") and 'lang="zh-hans"' in html
    assert len(response.content) < len(html.encode()) / 2


def test_the_same_page_plain_to_a_client_without_gzip(client):
    response = client.get("/about/")
    assert not response.has_header("Content-Encoding")
    assert response.content.decode().startswith("<!doctype html>")


@pytest.mark.parametrize(
    "make",
    [
        lambda: FileResponse(io.BytesIO(b"%PDF-1.7 " + b"x" * 5000), content_type="application/pdf"),
        lambda: HttpResponse(b"\x00" * 5000, content_type="video/mp4"),
        lambda: HttpResponse(b"<svg>" + b" " * 5000 + b"</svg>", content_type="image/svg+xml"),
    ],
    ids=["download", "video", "svg-image"],
)
def test_files_and_non_text_answers_are_left_alone(make):
    request = RequestFactory().get("/files/x", HTTP_ACCEPT_ENCODING="gzip")
    response = PageGZipMiddleware(lambda r: make())(request)
    assert not response.has_header("Content-Encoding")


def test_a_text_answer_made_by_a_view_is_compressed():
    request = RequestFactory().get("/x", HTTP_ACCEPT_ENCODING="gzip")
    body = '{"ok": true, "rows": [' + ",".join(["1"] * 2000) + "]}"
    response = PageGZipMiddleware(lambda r: HttpResponse(body, content_type="application/json"))(request)
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).decode() == body
