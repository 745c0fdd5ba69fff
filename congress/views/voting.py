"""Voting on phones (/m/polls/...): a logged-in deputy or member, or the holder of a one-time
voting code. One sheet with every item, a review step, one submit, then only "received"."""

import functools
import time

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, path, reverse
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
    """The voting code this phone holds ({"code", "meeting", "title", "at"}), if any and not
    older than a meeting's day."""
    value = request.COOKIES.get(CODE_COOKIE)
    held = _signed_code(value) if value else None
    if held is None or not isinstance(held.get("at"), int) or time.time() - held["at"] > CODE_COOKIE_AGE:
        return None
    return dict(held)


@functools.lru_cache(maxsize=4096)
def _signed_code(value: str) -> dict | None:
    """What a code cookie holds, or None if its signature is wrong. A signed value never
    changes, so each process checks a phone's cookie once (its sheet, then its taps)."""
    try:
        held = signing.loads(value, salt=CODE_SALT)
    except signing.BadSignature:
        return None
    return held if isinstance(held, dict) else None


def _voter(request, poll) -> voting.Voter | None:
    """Who votes from this browser in this poll: the voting code the phone holds (for a code
    poll of that meeting), else the logged-in deputy, else the deputy's code (代表码) the phone
    holds, which votes as its person."""
    held = held_code(request)
    if poll.electorate == Poll.Electorate.CODES:
        if held and held.get("meeting") == poll.meeting_id:
            return voting.Voter(code=held["code"])
        return None
    deputy = deputy_of(request.user)
    if deputy:
        return voting.Voter(deputy=deputy)
    if held and held.get("person") and held.get("meeting") == poll.meeting_id:
        return voting.Voter(code=held["code"])
    return None


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


def _received(pk: int, *, again: bool = False):
    """To "received": the ballot is in. A repeat (a double tap, a second phone) is told so in
    the URL: a hall's double taps should not cost a session write."""
    url = _received_url(get_script_prefix(), pk)
    return HttpResponseRedirect(url + "?again=1" if again else url)


@functools.lru_cache(maxsize=1024)
def _received_url(prefix: str, pk: int) -> str:
    """Reversed once per poll (and script prefix, which reverse() reads): a hall's every tap
    is answered with it."""
    return reverse("m:ballot_received", args=[pk])


def _sheet_poll(pk: int):
    return get_object_or_404(Poll.objects.only(*SHEET_FIELDS), pk=pk)


@never_cache
@require_http_methods(["GET", "POST"])
def ballot(request, pk):
    """The ballot sheet: fill in, review, confirm. The confirm is what a whole hall sends
    within a second or two when a poll is put to the vote: it is cast from the sheet kept while
    the poll is open (``selectors.ballot_sheet``), with no other read than the cast's own."""
    if request.method == "POST" and "confirm" in request.POST and "edit" not in request.POST:
        return _confirm(request, pk)
    poll = _sheet_poll(pk)
    voter = _voter(request, poll)
    if voter is None:
        return _no_voter(request, poll)
    if selectors.has_voted(poll, deputy=voter.deputy, code=voter.code):
        return _received(poll.pk, again=request.method == "POST")
    if poll.status != Poll.Status.OPEN:
        return render(request, "m/ballot_closed.html", {"poll": poll}, status=409)
    items = selectors.poll_items(poll)
    if request.method != "POST":
        return _sheet(request, poll, items, {})
    try:
        chosen = _chosen(request, poll, items)
    except voting.VotingError as exc:
        return _sheet(request, poll, items, {}, error=str(exc))
    if "edit" in request.POST:
        return _sheet(request, poll, items, chosen)
    try:
        choices = voting.clean_choices(poll, items, chosen)
    except voting.VotingError as exc:
        return _sheet(request, poll, items, chosen, error=str(exc))
    labels = {level["code"]: level["label"] for level in poll.levels}
    review = [(item, labels.get(choices.get(str(item.pk)), "")) for item in items]
    blanks = sum(1 for _item, label in review if not label)
    packed = voting.pack_choices(poll.levels, choices)
    return render(request, "m/ballot_review.html", {"poll": poll, "review": review, "packed": packed, "blanks": blanks})


def _confirm(request, pk):
    """Cast the confirmed sheet; a refusal shows the sheet again with the reason (or the
    closed page, when the poll closed meanwhile)."""
    sheet = selectors.ballot_sheet(pk) or _sheet_poll(pk)
    voter = _voter(request, sheet)
    if voter is None:
        return _no_voter(request, sheet)
    items = sheet.items if isinstance(sheet, selectors.BallotSheet) else selectors.poll_items(sheet)
    chosen = {}
    try:
        chosen = _chosen(request, sheet, items)
        voting.cast_ballot(sheet, voter, chosen, items=items)
    except voting.AlreadyVoted:
        return _received(pk, again=True)
    except voting.VotingError as exc:
        selectors.forget_ballot_sheet(pk)  # the database refused it: read the poll afresh
        poll = _sheet_poll(pk)
        if poll.status != Poll.Status.OPEN:
            return render(request, "m/ballot_closed.html", {"poll": poll}, status=409)
        return _sheet(request, poll, selectors.poll_items(poll), chosen, error=str(exc))
    return _received(pk)


def _chosen(request, poll, items) -> dict[str, str]:
    """The choices a POST carries, item id → level code (a blank item "" or absent): from the
    review page's one packed field, or from the sheet's radio buttons (item-<id>)."""
    packed = request.POST.get("ballot")
    if packed is None:
        return {str(item.pk): request.POST.get(f"item-{item.pk}", "") for item in items}
    return voting.unpack_choices(poll.levels, packed)  # a blank item is simply absent


def _no_voter(request, poll):
    if poll.electorate == Poll.Electorate.CODES:
        return redirect("m:code_entry")
    return _not_a_voter(request)


def _sheet(request, poll, items, chosen, error=None):
    rows = [(item, chosen.get(str(item.pk), "")) for item in items]
    return render(request, "m/ballot.html", {"poll": poll, "rows": rows, "levels": poll.levels, "error": error})


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
        held = {
            "code": code.strip().upper(),
            "meeting": found.meeting_id,
            "title": found.meeting.title,
            "at": int(time.time()),
        }
        if found.deputy_id is not None:
            held["person"] = True  # a deputy's code: it votes as its person
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
