"""Who may do what on each surface. Checked on the server, in views and selectors."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from congress.models import Role


def is_back_office(user) -> bool:
    return user.is_active and user.is_staff


def deputy_of(user):
    """The Deputy record of a logged-in deputy (or member), else None."""
    if not user.is_authenticated:
        return None
    try:
        deputy = user.deputy
    except user.__class__.deputy.RelatedObjectDoesNotExist:
        return None
    return deputy if deputy.active else None


def is_liaison(user) -> bool:
    return user.is_authenticated and user.unit_id is not None and user.groups.filter(name=Role.LIAISON).exists()


def _surface_required(test):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


deputy_required = _surface_required(lambda user: deputy_of(user) is not None)
liaison_required = _surface_required(is_liaison)


SCREEN_SALT = "congress.hall-screen"


def screen_token(meeting_id: int) -> str:
    """The key in a hall screen's address: the projector needs no login, but only someone the
    staff gave the address can watch a meeting's count and tally."""
    from django.core import signing

    return signing.Signer(salt=SCREEN_SALT).signature(str(meeting_id))


def may_watch_screen(meeting_id: int, token: str) -> bool:
    import hmac

    return hmac.compare_digest(screen_token(meeting_id), token or "")
