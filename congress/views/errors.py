"""The pages a refused or failed request answers with, in Chinese and in the look of the surface
it was sent to (back office, deputy pages, unit portal, public site).

Django calls these for 400, 403, 404 and 500 (``handler400`` … in the root URLconf) and for a
failed CSRF check (``CSRF_FAILURE_VIEW``). A 4xx page is drawn with the surface's own layout;
should drawing it fail, the plain page is answered instead, so an error page never becomes a
500 of its own. The 500 page uses no database and no context processor: it must show even when
the database is what failed.
"""

import logging

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be read"),
        403: _("You may not open this page"),
        404: _("The page was not found"),
        500: _("The system met an error"),
    }


def _advice(status: int) -> str:
    return {
        400: _(
            "Something in the address or the form could not be read. Go back, check what was entered and try again."
        ),
        403: _("This login may not see this page or do this. Log in with the account that may, or go back."),
        404: _("The address may be mistyped, or the record was removed or is not yours to see."),
        500: _(
            "The request was not completed and nothing was half-done. Try again in a moment; if it happens again, "
            "tell the committee's office what you did and when."
        ),
    }[status]


def surface_of(request) -> str:
    """Which surface a path belongs to, by its first segment."""
    path = request.path_info or "/"
    if path.startswith("/admin/"):
        return "admin"
    if path.startswith("/m/"):
        return "m"
    if path.startswith("/unit/"):
        return "unit"
    return "public"


def _surface_template(request) -> str:
    surface = surface_of(request)
    user = getattr(request, "user", None)
    if surface == "unit":
        # The portal's menu is the liaison's; anybody else is shown the public layout.
        from congress.permissions import is_liaison

        if user is None or not is_liaison(user):
            surface = "public"
    return f"errors/{surface}.html"


def _context(request, status: int, exception=None) -> dict:
    context = {"status": status, "title": _titles()[status], "advice": _advice(status), "reason": ""}
    # A refusal raised with a message of its own (a bad parameter, a permission with a reason)
    # shows it; Django's own English messages (resolver details, "No Deputy matches…") do not.
    message = str(exception) if exception is not None and exception.args else ""
    if status in (400, 403) and message and _is_our_message(message):
        context["reason"] = message
    if surface_of(request) == "admin":
        from django.contrib import admin

        context.update(admin.site.each_context(request))
    return context


def _is_our_message(message: str) -> bool:
    """Messages of the project's own are in Chinese; anything else is a library's detail."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


def _render(request, status: int, exception=None) -> HttpResponse:
    try:
        template = loader.get_template(_surface_template(request))
        body = template.render(_context(request, status, exception), request)
    except Exception:  # noqa: BLE001 — an error page must not fail; the plain one says the same
        logger.exception("error page for %s could not be drawn with its surface's layout", status)
        return _plain(status)
    return HttpResponse(body, status=status)


def _plain(status: int) -> HttpResponse:
    template = loader.get_template("errors/plain.html")
    body = template.render({"status": status, "title": _titles()[status], "advice": _advice(status)})
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _render(request, 400, exception)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _render(request, 403, exception)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _render(request, 404, exception)


def server_error(request):
    return _plain(500)


@requires_csrf_token
def csrf_failure(request, reason=""):
    """A form sent without its CSRF token, or from a page kept open past its session."""
    return _render(request, 403, PermissionError(_("The form has expired. Reload the page and send it again.")))
