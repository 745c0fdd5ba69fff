"""Reads of the public site: only what is public now. A publication is public from its time
(``publish_at``, checked at every read, so a scheduled one appears at its time even before the
beat marks it published) until it is withdrawn; a draft never is. A column is public once one
of its publications is. Every list here costs a fixed number of queries."""

import datetime

from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone

from .models import Column, Publication

S = Publication.Status
SEARCH_LIMIT = 50


def visible(now: datetime.datetime | None = None):
    now = now or timezone.now()
    return Publication.objects.filter(status__in=[S.SCHEDULED, S.PUBLISHED], publish_at__lte=now)


def next_release(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the next scheduled publication appears (so a cached list knows when it expires)."""
    now = now or timezone.now()
    return Publication.objects.filter(status=S.SCHEDULED, publish_at__gt=now).aggregate(t=Min("publish_at"))["t"]


def _listed(queryset):
    return queryset.select_related("column").defer("content", "search_text").order_by("-publish_at", "-pk")


def latest(limit: int = 12, *, now=None) -> list[Publication]:
    return list(_listed(visible(now))[:limit])


def public_columns(now=None) -> list[Column]:
    """Columns with at least one public publication, newest campaign first."""
    shown = visible(now).filter(column=OuterRef("pk"))
    return list(Column.objects.filter(Exists(shown)).select_related("campaign").order_by("sort_order", "-pk"))


def column(pk: int, now=None) -> Column | None:
    return Column.objects.filter(pk=pk).filter(Exists(visible(now).filter(column=OuterRef("pk")))).first()


def column_publications(column: Column, now=None) -> list[Publication]:
    return list(_listed(visible(now).filter(column=column)).order_by("kind", "-year", "-publish_at"))


def publication(column_pk: int, pk: int) -> Publication | None:
    """The publication at this address, whatever its state (the view decides what to show):
    None when the numbers do not match (another column's publication)."""
    return Publication.objects.select_related("column").filter(pk=pk, column_id=column_pk).first()


def is_public(publication: Publication, now=None) -> bool:
    now = now or timezone.now()
    return publication.status in (S.SCHEDULED, S.PUBLISHED) and publication.publish_at <= now


def search(query: str, now=None) -> list[Publication]:
    """Public publications whose title or content mentions ``query`` (each word, in any order)."""
    words = [w for w in (query or "").split() if w][:5]
    if not words:
        return []
    found = visible(now)
    for word in words:
        found = found.filter(Q(title__icontains=word) | Q(search_text__icontains=word))
    return list(_listed(found)[:SEARCH_LIMIT])


def recordings(limit: int = 4, now=None) -> list[Publication]:
    """The latest public meeting videos, with their frozen content (poster and its description)."""
    found = visible(now).filter(kind=Publication.Kind.RECORDING).select_related("column")
    return list(found.defer("search_text").order_by("-publish_at", "-pk")[:limit])
