"""Middleware of the project's own."""

from auditlog.context import set_actor
from axes.helpers import get_client_ip_address
from django.utils.functional import SimpleLazyObject, lazy


def _actor(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


# The client's address as axes reads it (behind the proxy too), also read only when an entry is
# saved: a lazy string is turned into text by the field when the entry is written.
_lazy_address = lazy(get_client_ip_address, str)


class AuditActorMiddleware:
    """Who did it, for the field changes django-auditlog logs during a request.

    Uses auditlog's own ``set_actor`` with the actor left lazy: it is resolved (the session
    and the user read) only when a log entry is saved, by auditlog's check that the actor is a
    user. A request that writes nothing audited (a public page, a phone's vote) reads neither,
    nor works out the client's address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = SimpleLazyObject(lambda: _actor(request))
        with set_actor(actor, remote_addr=_lazy_address(request)):
            return self.get_response(request)
