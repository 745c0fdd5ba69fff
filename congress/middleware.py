"""Middleware of the project's own."""

import functools
import time
from importlib import import_module
from urllib.parse import unquote_plus

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.conf import settings
from django.contrib import auth
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.datastructures import MultiValueDict
from django.utils.functional import SimpleLazyObject


class AuditlogMiddleware(_AuditlogMiddleware):
    """django-auditlog's middleware, looking the actor up only when an entry is written.

    The original reads ``request.user`` on every request, which loads the session and the
    user even for requests that write nothing (a public page, a phone's vote). The lazy actor
    is resolved by auditlog's own check (``isinstance(actor, User)``) when a log entry is
    saved, and is None for an anonymous request as before.
    """

    def get_extra_data(self, request):
        data = {
            "remote_addr": self._get_remote_addr(request),
            "remote_port": self._get_remote_port(request),
            "actor": SimpleLazyObject(lambda: self._get_actor(request)),
        }
        return data


class BallotConfirmMiddleware:
    """The confirm tap of a hall voting at once, answered right after SecurityMiddleware.

    When a meeting closes its poll, a thousand phones confirm within a second or two, most of
    them two or three times (a double tap, a retry). Only those POSTs (to a ballot sheet, with
    "confirm") are taken here; what they need of the rest of the stack is done here the same
    way: the session and the logged-in user for a personal vote (read only, and only then: a
    voting code is in a cookie of its own), Django's own CSRF check, and no caching of the
    answer. The view's ``cast_confirm`` then casts, or
    says that this voter's ballot was already received. Anything else (a refusal with a reason
    to show, a bad sheet) goes on through the whole stack to the ordinary view, which shows it.
    Nothing about ballots is audited, so skipping auditlog's middleware loses nothing.

    The sheet's form is read here from the body in one pass (the same values Django's
    ``request.POST`` would give: the last of each name), because building a QueryDict of a
    27-item sheet cost more than the rest of the tap; ``request.POST`` is left for Django to
    parse again if the tap goes on to the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore
        self.prefix = reverse("m:polls")  # every ballot sheet is under the list of polls
        self._resolved = {}  # path -> kwargs of the ballot sheet it names, or None

    def __call__(self, request):
        if request.method == "POST" and request.path_info.startswith(self.prefix):
            response = self._confirm(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _sheet_kwargs(self, path):
        """The ballot-sheet view's arguments for this path, or None (kept per path: a hall
        posts to one sheet)."""
        from congress.views import voting

        try:
            return self._resolved[path]
        except KeyError:
            pass
        try:
            match = resolve(path)
        except Resolver404:
            kwargs = None
        else:
            kwargs = match.kwargs if match.func is voting.ballot else None
        if len(self._resolved) > 1024:
            self._resolved.clear()
        self._resolved[path] = kwargs
        return kwargs

    def _confirm(self, request):
        from congress.views import voting

        kwargs = self._sheet_kwargs(request.path_info)
        if kwargs is None:
            return None
        read_here = request.content_type == "application/x-www-form-urlencoded"  # a phone's form
        form = urlencoded_form(request.body) if read_here else request.POST
        if form is None or "confirm" not in form or "edit" in form:
            return None
        if read_here:
            request._post, request._files = form, MultiValueDict()  # what the CSRF check reads
        request.session = self.session_store(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        request.user = SimpleLazyObject(lambda: auth.get_user(request))
        self.csrf.process_request(request)
        refused = self.csrf.process_view(request, voting.ballot, (), kwargs)
        if refused is not None:
            return refused
        response = voting.cast_confirm(request, form=form, **kwargs)
        if response is None:
            if read_here:
                del request._post, request._files  # the view reads the body again, as Django does
            return None
        for name, value in never_cache_headers():  # a fresh redirect: nothing of its own to merge
            response.headers[name] = value
        return response


def never_cache_headers() -> tuple[tuple[str, str], ...]:
    """What the ordinary view's answer would carry about caching: ``never_cache``'s headers
    and the ``Vary: Cookie`` of a session read. Made by Django's own helpers once a second and
    kept for that second, since the Expires date they set is the current second and the rest
    never changes (formatting that date on every tap cost about 5 % of a confirm)."""
    return _never_cache_headers_in(int(time.time()))


@functools.lru_cache(maxsize=1)
def _never_cache_headers_in(second: int) -> tuple[tuple[str, str], ...]:
    probe = HttpResponse()
    add_never_cache_headers(probe)
    patch_vary_headers(probe, ("Cookie",))
    return tuple((name, probe.headers[name]) for name in ("Expires", "Cache-Control", "Vary"))


def urlencoded_form(body: bytes) -> dict[str, str] | None:
    """A form body (application/x-www-form-urlencoded) as {name: last value}, as Django's
    QueryDict would read it, or None when Django should read it (too many fields, not UTF-8)."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return None
    pairs = text.split("&") if text else []
    if settings.DATA_UPLOAD_MAX_NUMBER_FIELDS is not None and len(pairs) > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:
        return None
    form = {}
    for pair in pairs:
        if not pair:
            continue
        name, _, value = pair.partition("=")
        if "%" in pair or "+" in pair:
            name, value = unquote_plus(name), unquote_plus(value)
        form[name] = value
    return form
