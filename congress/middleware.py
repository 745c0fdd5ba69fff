"""Middleware of the project's own."""

from contextvars import ContextVar

from axes.helpers import get_client_ip_address
from django.middleware.gzip import GZipMiddleware

# The request being answered, for the audit trail's entries written while it is.
_current_request: ContextVar = ContextVar("congress_audit_request", default=None)


class AuditActorMiddleware:
    """Who did it, for the field changes django-auditlog logs during a request.

    The request is only noted here; :func:`name_the_actor`, run as each log entry is saved,
    reads the logged-in user and the client's address from it. A request that writes nothing
    audited (a public page, a phone's vote) reads neither the session nor the user, and costs
    no more than setting a context variable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def name_the_actor(sender, instance, **kwargs):
    """``pre_save`` of auditlog's LogEntry: an entry written during a request, that names no
    actor yet, names the logged-in user (none for an anonymous request) and the client's address
    as axes reads it (behind the proxy too)."""
    request = _current_request.get()
    if request is None or instance.pk is not None:
        return
    if instance.actor_id is None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            instance.actor = user
            instance.actor_email = getattr(user, "email", None) or None
    if not instance.remote_addr:
        instance.remote_addr = get_client_ip_address(request)


class PageGZipMiddleware(GZipMiddleware):
    """Compresses the pages Django renders (HTML, JSON, text) on the embedded default, where no
    proxy sits in front; behind nginx (BEHIND_PROXY) nginx compresses and this is not installed.
    Files are left alone: static files come precompressed from WhiteNoise, and downloads
    (streamed, with byte ranges for videos) must keep their length. Django's GZipMiddleware
    pads each response against BREACH-style length attacks."""

    COMPRESSIBLE = ("text/", "application/json", "application/javascript")

    def process_response(self, request, response):
        if response.streaming or not response.get("Content-Type", "").startswith(self.COMPRESSIBLE):
            return response
        return super().process_response(request, response)
