"""Middleware of the project's own."""

from importlib import import_module

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.conf import settings
from django.contrib import auth
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
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
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore
        self.prefix = reverse("m:polls")  # every ballot sheet is under the list of polls

    def __call__(self, request):
        if request.method == "POST" and request.path_info.startswith(self.prefix):
            response = self._confirm(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _confirm(self, request):
        from congress.views import voting

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.func is not voting.ballot or "confirm" not in request.POST or "edit" in request.POST:
            return None
        request.session = self.session_store(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        request.user = SimpleLazyObject(lambda: auth.get_user(request))
        self.csrf.process_request(request)
        refused = self.csrf.process_view(request, match.func, match.args, match.kwargs)
        if refused is not None:
            return refused
        response = voting.cast_confirm(request, **match.kwargs)
        if response is not None:
            add_never_cache_headers(response)
            patch_vary_headers(response, ("Cookie",))
        return response
