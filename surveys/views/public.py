"""Public questionnaires by 评议码 (/s/<code>/): reached from a QR code on a poster or a news
page, answered anonymously or with a name and phone. Each phone carries a signed random
device id (a cookie) so abuse is limited per device, and more loosely per network."""

import uuid

import segno
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from congress import cleaning

from .. import services
from ..forms import posted_answers, sheet_sections
from ..models import Survey
from .deputy import _closed_reason

DEVICE_COOKIE = "sv_device"
DEVICE_SALT = "surveys.device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _public_survey(code: str) -> Survey:
    return get_object_or_404(
        Survey.objects.filter(audience=Survey.Audience.PUBLIC).exclude(status=Survey.Status.DRAFT), code=code.upper()
    )


def _device(request) -> tuple[str, bool]:
    """This phone's device id from its signed cookie, or a new one (True when new)."""
    try:
        return request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_SALT), False
    except (KeyError, signing.BadSignature):
        return uuid.uuid4().hex, True


def _network(request) -> str:
    # REMOTE_ADDR is the client as the server sees it; behind the production proxy the
    # proxy sets it (gunicorn's forwarded-allow-ips), never a header the client controls.
    return request.META.get("REMOTE_ADDR", "")


@never_cache
@require_http_methods(["GET", "POST"])
def public_answer(request, code):
    survey = _public_survey(code)
    if not survey.accepting():
        return render(
            request,
            "surveys/closed.html",
            {"survey": survey, "reason": _closed_reason(survey), "layout": "surveys/public_base.html"},
            status=409,
        )
    device, new_device = _device(request)
    sheet = services.Sheet.of(survey)
    error = None
    values = {}
    contact = {"name": "", "phone": ""}
    if request.method == "POST":
        post = cleaning.clean_post(request.POST, one_line=("name", "phone"))
        values = posted_answers(sheet, post)
        contact = {"name": post.get("name", ""), "phone": post.get("phone", "")}
        network = _network(request)
        try:
            services.check_public_limit(survey, device=device, network=network)
            services.submit_response(survey, values, sheet=sheet, **contact)
        except services.SurveyError as exc:
            error = str(exc)
        else:
            services.count_public_response(survey, device=device, network=network)
            response = redirect("surveys:public_thanks", code=survey.code)
            _set_device(response, device)
            return response
    response = render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "sections": sheet_sections(sheet, values),
            "error": error,
            "contact": contact,
            "public": True,
            "layout": "surveys/public_base.html",
        },
        status=400 if error else 200,
    )
    if new_device:
        _set_device(response, device)
    return response


def _set_device(response, device: str) -> None:
    response.set_signed_cookie(
        DEVICE_COOKIE, device, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax"
    )


def public_thanks(request, code):
    survey = _public_survey(code)
    return render(request, "surveys/thanks.html", {"survey": survey})


def public_entry(request):
    """Type a 评议码 read off a poster."""
    code = request.GET.get("code", "").strip().upper()
    if code:
        if (
            Survey.objects.filter(audience=Survey.Audience.PUBLIC, code=code)
            .exclude(status=Survey.Status.DRAFT)
            .exists()
        ):
            return redirect("surveys:public_answer", code=code)
        return render(
            request,
            "surveys/entry.html",
            {"error": _("No questionnaire has this code. Check the letters on the poster.")},
            status=404,
        )
    return render(request, "surveys/entry.html")


def public_qr(request, code):
    """The QR code of a public questionnaire, as SVG, for posters and news pages."""
    survey = _public_survey(code)
    if survey.audience != Survey.Audience.PUBLIC:
        raise Http404
    url = request.build_absolute_uri(reverse("surveys:public_answer", args=[survey.code]))
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response
