"""Voting on phones (/m/polls/...): a logged-in deputy or member, or the holder of a one-time
voting code. One sheet with every item, a review step, one submit, then only "received"."""

import functools
import time

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from congress import selectors
from congress.models import Poll, VoterCode
from congress.permissions import deputy_of
from congress.services import voting

# A scanned voting code is kept in a signed cookie of its own, not in the session: the phone
# holds it (as it holds the slip), and the hall's confirm taps read it without a cache or
# database read. A code is valid for one meeting's day; a revoked code is refused when it votes.
CODE_COOKIE = "voter_code"
CODE_SALT = "congress.voting.code"
CODE_COOKIE_AGE = 12 * 3600
# What the ballot page needs of a poll (the hot path of a hall voting at once).
SHEET_FIELDS = ("id", "meeting_id", "title", "kind", "status", "electorate", "levels", "opened_at", "code_cutoff")


def held_code(request) -> dict | None:
    """The voting code this phone holds ({"code", "meeting", "title"}), if any.

    A cookie's signature is checked once per process (a phone's second and third tap, and its
    sheet before them, do not check it again); its age is checked every time."""
    value = request.COOKIES.get(CODE_COOKIE)
    checked = _signed_code(value) if value else None
    if checked is None:
        return None
    held, signed_at = checked
    if time.time() - signed_at > CODE_COOKIE_AGE:
        return None
    return dict(held)


@functools.lru_cache(maxsize=4096)
def _signed_code(value: str) -> tuple[dict, int] | None:
    """What a code cookie holds and when it was signed, or None if its signature is wrong."""
    try:
        held = signing.loads(value, salt=CODE_SALT)
    except signing.BadSignature:
        return None
    return held, signing.b62_decode(value.rsplit(":", 2)[1])  # "payload:timestamp:signature"


def _voter(request, poll) -> voting.Voter | None:
    """Who votes from this browser in this poll: the voting code the phone holds (for a code
    poll of that meeting), else the logged-in deputy."""
    if poll.electorate == Poll.Electorate.CODES:
        held = held_code(request)
        if held and held.get("meeting") == poll.meeting_id:
            return voting.Voter(code=held["code"])
        return None
    deputy = deputy_of(request.user)
    return voting.Voter(deputy=deputy) if deputy else None


def _not_a_voter(request):
    """Where a browser with no vote here goes: to the login page when nobody is logged in; a
    logged-in person who is no deputy (a liaison, staff) is told so (the login page would only
    send them back here)."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    return render(request, "m/not_a_voter.html", status=403)


@never_cache
def poll_list(request):
    """The polls open to this voter now, and whether each has been answered."""
    deputy = deputy_of(request.user)
    held = held_code(request)
    if deputy is None and not held:
        return _not_a_voter(request)
    polls = selectors.open_polls_for(deputy=deputy, code=held["code"] if held else None)
    return render(
        request, "m/polls.html", {"polls": polls, "deputy": deputy, "code_meeting": held and held.get("title")}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def ballot(request, pk):
    # A confirm tap was first offered to cast_confirm by BallotConfirmMiddleware; what comes
    # here is everything else, which this view answers in full.
    poll = get_object_or_404(Poll.objects.only(*SHEET_FIELDS), pk=pk)
    voter = _voter(request, poll)
    if voter is None:
        if poll.electorate == Poll.Electorate.CODES:
            return redirect("m:code_entry")
        return _not_a_voter(request)
    if selectors.has_voted(poll, deputy=voter.deputy, code=voter.code):
        received = reverse("m:ballot_received", args=[poll.pk])
        return redirect(received + "?again=1" if request.method == "POST" else received)
    if poll.status != Poll.Status.OPEN:
        return render(request, "m/ballot_closed.html", {"poll": poll}, status=409)
    items = selectors.poll_items(poll)
    levels = poll.levels
    chosen = (
        {str(item.pk): request.POST.get(f"item-{item.pk}", "") for item in items} if request.method == "POST" else {}
    )
    error = None
    if request.method == "POST" and "edit" not in request.POST:
        try:
            choices = voting.clean_choices(poll, items, chosen)
        except voting.VotingError as exc:
            error = str(exc)
        else:
            if "confirm" in request.POST:
                try:
                    voting.cast_ballot(poll, voter, choices, items=items)
                except voting.AlreadyVoted:
                    # The "already received" notice travels in the URL: a double tap in a
                    # full hall should not cost a session write.
                    return redirect(reverse("m:ballot_received", args=[poll.pk]) + "?again=1")
                except voting.VotingError as exc:
                    error = str(exc)
                else:
                    return redirect("m:ballot_received", pk=poll.pk)
            else:
                labels = {level["code"]: level["label"] for level in levels}
                review = [(item, labels.get(choices.get(str(item.pk)), "")) for item in items]
                blanks = sum(1 for _item, label in review if not label)
                return render(
                    request,
                    "m/ballot_review.html",
                    {"poll": poll, "review": review, "chosen": chosen, "blanks": blanks},
                )
    rows = [(item, chosen.get(str(item.pk), "")) for item in items]
    return render(request, "m/ballot.html", {"poll": poll, "rows": rows, "levels": levels, "error": error})


def cast_confirm(request, pk, form):
    """The confirm tap of a whole hall at once, on its shortest way: the kept sheet of the
    opened poll, the voter from the code's cookie (or the session), the sheet's ``form`` as
    read from the body, and the cast (on PostgreSQL one statement, which also tells a second
    tap from a first). Anything but a cast or a repeat (not open, not eligible, a bad sheet)
    returns None and takes the ordinary way (``ballot``), which says why. Called by
    ``BallotConfirmMiddleware``, before the rest of the middleware."""
    sheet = selectors.ballot_sheet(pk)
    if sheet is None:
        return None
    voter = _voter(request, sheet)
    if voter is None:
        return None
    chosen = {key: form.get(name, "") for name, key in sheet.fields}
    received = sheet.received_url
    try:
        voting.cast_ballot(sheet, voter, chosen, items=sheet.items)
    except voting.AlreadyVoted:
        # The "already received" notice travels in the URL: a double tap in a full hall
        # should not cost a session write.
        return HttpResponseRedirect(received + "?again=1")
    except voting.VotingError:
        selectors.forget_ballot_sheet(pk)
        return None
    return HttpResponseRedirect(received)


@never_cache
def ballot_received(request, pk):
    """After voting: says only that the ballot was received, never what it said."""
    poll = get_object_or_404(Poll, pk=pk)
    voter = _voter(request, poll)
    if voter is None or not selectors.has_voted(poll, deputy=voter.deputy, code=voter.code):
        raise Http404
    return render(request, "m/ballot_received.html", {"poll": poll, "again": "again" in request.GET})


@never_cache
@require_http_methods(["GET", "POST"])
def code_entry(request, code=None):
    """A voting code from a slip: scanned (the QR holds /m/v/<code>/) or typed in."""
    code = code or request.POST.get("code", "")
    if code:
        found = (
            VoterCode.objects.filter(digest=voting.code_digest(code), revoked=False).select_related("meeting").first()
        )
        if found is None:
            messages.error(request, _("This voting code is not valid. Check the letters on your slip."))
            return redirect("m:code_entry")
        held = {"code": code.strip().upper(), "meeting": found.meeting_id, "title": found.meeting.title}
        response = redirect("m:polls")
        response.set_cookie(
            CODE_COOKIE,
            signing.dumps(held, salt=CODE_SALT, compress=True),
            max_age=CODE_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response
    return render(request, "m/code_entry.html")


urlpatterns = [
    path("polls/", poll_list, name="polls"),
    path("polls/<int:pk>/", ballot, name="ballot"),
    path("polls/<int:pk>/received/", ballot_received, name="ballot_received"),
    path("code/", code_entry, name="code_entry"),
    path("v/<str:code>/", code_entry, name="code_login"),
]
