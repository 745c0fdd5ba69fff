"""The public site (/): the latest publications, the columns (专栏), each publication's page,
the meeting videos and search. Views are thin: the selectors say what is public; the page
cache (media_publish.pages) serves a rendered page until something is published or withdrawn.

Cached pages are rendered without the request, so nothing personal can end up in them (no
messages, no CSRF token, no CSP nonce: the charts are drawn in the page as SVG, with no
script)."""

import hashlib

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from congress import selectors as congress
from congress.context_processors import committee

from .. import charts, pages, selectors, services
from ..files import serve_file
from ..models import Publication
from ..qr import share_qr

# Shared caches (nginx) may keep a page for a second; browsers ask again each time (and get a
# 304 while it has not changed).
CACHE_CONTROL = "public, max-age=0, s-maxage=1"


def _page(template: str, context: dict, path: str) -> str:
    context = {**committee(None), **context, "share_qr": share_qr(settings.SITE_URL + path)}
    return render_to_string(template, context)


def _serve(request, page_key: str, render_page) -> HttpResponse:
    """The cached page, or render it (``render_page`` returns html, status, shown_from,
    valid_until) and keep it."""
    entry = pages.get(page_key)
    if entry is None:
        html, status, shown_from, valid_until = render_page()
        etag = f'"{hashlib.blake2b(html.encode(), digest_size=12).hexdigest()}"' if html else ""
        pages.put(page_key, html, status=status, shown_from=shown_from, valid_until=valid_until, etag=etag)
        entry = pages.get(page_key) or {"html": html, "status": status, "etag": etag}
    if entry["html"] is None:
        raise Http404
    if entry["status"] == 200 and entry.get("etag") and request.META.get("HTTP_IF_NONE_MATCH") == entry["etag"]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(entry["html"], status=entry["status"])
    if entry.get("etag"):
        response["ETag"] = entry["etag"]
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_GET
def home(request):
    def render_page():
        now = timezone.now()
        context = {
            "latest": selectors.latest(now=now),
            "columns": selectors.public_columns(now),
            "recordings": selectors.recordings(now=now),
        }
        return _page("public/home.html", context, "/"), 200, None, selectors.next_release(now)

    return _serve(request, pages.key("home"), render_page)


@require_GET
def about(request):
    context = {**congress.public_registry(), "share_qr": share_qr(settings.SITE_URL + reverse("public:about"))}
    return render(request, "public/about.html", context)


@require_GET
def column_index(request):
    def render_page():
        now = timezone.now()
        context = {"columns": selectors.public_columns(now)}
        return _page("public/columns.html", context, reverse("public:columns")), 200, None, selectors.next_release(now)

    return _serve(request, pages.key("columns"), render_page)


@require_GET
def column(request, pk: int):
    def render_page():
        now = timezone.now()
        found = selectors.column(pk, now)
        if found is None:
            return None, 404, None, selectors.next_release(now)
        context = {"column": found, "publications": selectors.column_publications(found, now)}
        path = reverse("public:column", args=[pk])
        return _page("public/column.html", context, path), 200, None, selectors.next_release(now)

    return _serve(request, pages.key("column", pk), render_page)


KIND_TEMPLATES = {
    Publication.Kind.PLAN: "public/kinds/plan.html",
    Publication.Kind.SUBJECTS: "public/kinds/subjects.html",
    Publication.Kind.RESULTS: "public/kinds/results.html",
    Publication.Kind.RECTIFICATION: "public/kinds/rectification.html",
    Publication.Kind.SUGGESTIONS: "public/kinds/suggestions.html",
    Publication.Kind.RECORDING: "public/kinds/recording.html",
}


@require_GET
def publication(request, column: int, pk: int):
    """A publication's page: shown from its time until it is withdrawn; a withdrawn one answers
    410 with a notice and nothing of its content; a draft or another column's number, 404."""

    def render_page():
        found = selectors.publication(column, pk)
        if found is None or found.status == Publication.Status.DRAFT:
            return None, 404, None, None
        path = reverse("public:publication", args=[column, pk])
        if found.status == Publication.Status.WITHDRAWN:
            return _page("public/withdrawn.html", {}, path), 410, None, None
        context = {
            "publication": found,
            "c": found.content,
            "kind_template": KIND_TEMPLATES[found.kind],
            "charts": charts.for_publication(found),
            "siblings": selectors.column_publications(found.column),
        }
        # Kept until the next scheduled page appears (it may join the column's list below).
        return _page("public/publication.html", context, path), 200, found.publish_at, selectors.next_release()

    return _serve(request, pages.key("publication", column, pk), render_page)


@require_GET
def publication_file(request, column: int, pk: int, name: str):
    """The video, poster or plan document a public publication froze (never a newer file the
    staff uploaded since, never one of a draft or a withdrawn page)."""
    found = selectors.publication(column, pk)
    if found is None:
        raise Http404
    content = found.content
    if not selectors.is_public(found):
        # Staff previewing a draft see the files it would freeze; nobody else sees anything.
        if found.status != Publication.Status.DRAFT or not request.user.has_perm("media_publish.view_publication"):
            raise Http404
        try:
            content, _text = services.build(found)
        except services.PublicationError as exc:
            raise Http404 from exc
    path = content.get(name, "") if name in ("video", "poster", "document") else ""
    if not path:
        raise Http404
    return serve_file(request, path)


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:50]
    results = selectors.search(query) if query else []
    return render(
        request,
        "public/search.html",
        {"query": query, "results": results, "share_qr": share_qr(settings.SITE_URL + reverse("public:search"))},
    )
