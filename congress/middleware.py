"""Middleware of the project's own."""

from auditlog.context import set_actor
from axes.helpers import get_client_ip_address
from django.utils.functional import SimpleLazyObject


def _actor(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class AuditActorMiddleware:
    """Who did it, for the field changes django-auditlog logs during a request.

    Uses auditlog's own ``set_actor`` with the actor left lazy: it is resolved (the session
    and the user read) only when a log entry is saved, by auditlog's check that the actor is a
    user. A request that writes nothing audited (a public page, a phone's vote) reads neither.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with set_actor(SimpleLazyObject(lambda: _actor(request)), remote_addr=get_client_ip_address(request)):
            return self.get_response(request)
