"""The hall's screen (/screen/<meeting>/): for the projector. While a poll is open it shows
how many have voted out of how many may; once announced, the tally. Refreshed by htmx every
1.5 s from a fragment cached for a second, so a hall of phones costs one render a second."""

import json
import math

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.cache import never_cache

from congress import selectors
from congress.models import Meeting
from congress.permissions import may_watch_screen, screen_token

# The announced tally shows at most this many rows at once, in type large enough for the back
# row; a longer tally is split into pages of equal size that the screen turns in turn.
ROWS_PER_PAGE = 10

# As django.utils.html.json_script: the JSON sits inside a <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def screen_url(meeting_id: int) -> str:
    return reverse("screen:meeting", args=[meeting_id, screen_token(meeting_id)])


def _meeting(meeting_id, token):
    if not may_watch_screen(meeting_id, token):
        raise Http404
    return get_object_or_404(Meeting, pk=meeting_id)


def screen(request, meeting_id, token):
    meeting = _meeting(meeting_id, token)
    return render(request, "screen/screen.html", {"meeting": meeting, "token": token, "fragment": _fragment(meeting)})


@never_cache
def state(request, meeting_id, token):
    return HttpResponse(_fragment(_meeting(meeting_id, token)))


def _fragment(meeting) -> str:
    # Keyed by the poll and its status, so a status change shows at once; the count within a
    # status is at most a second old.
    poll = selectors.poll_on_screen(meeting)
    key = f"congress:screen:{meeting.pk}:{poll.pk if poll else 0}:{poll.status if poll else ''}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("screen/_state.html", _state(meeting, poll))
        cache.set(key, html, 1)
    return html


def _state(meeting, poll) -> dict:
    context = {"meeting": meeting, "poll": poll}
    if poll is None:
        return context
    context["progress"] = selectors.poll_progress(poll)
    if poll.status == poll.Status.ANNOUNCED:
        results = selectors.poll_results(poll, audience="public", ranked=True)
        labels = {level["code"]: level["label"] for level in poll.levels}
        pages = max(1, math.ceil(len(results) / ROWS_PER_PAGE))
        per_page = max(1, math.ceil(len(results) / pages))
        context["levels"] = poll.levels
        context["rows"] = [
            {"result": r, "cells": [r.counts.get(level["code"], 0) for level in poll.levels], "page": n // per_page}
            for n, r in enumerate(results)
        ]
        context["pages"] = [{"index": i, "number": i + 1} for i in range(pages)]
        context["rows_per_page"] = per_page
        context["chart"] = json.dumps(
            {
                "items": [r.item.label for r in results],
                "series": [
                    {"name": labels[level["code"]], "data": [r.counts.get(level["code"], 0) for r in results]}
                    for level in poll.levels
                ],
            },
            ensure_ascii=False,
        ).translate(JSON_SCRIPT_ESCAPES)
    return context


urlpatterns = [
    path("<int:meeting_id>/<str:token>/", screen, name="meeting"),
    path("<int:meeting_id>/<str:token>/state/", state, name="state"),
]
