"""The unit portal's suggestions (/unit/suggestions/): sign for them, return a misassignment,
ask for an extension, send co-unit views, log contacts with the deputy, reply, and record the
unit's steps of a key suggestion's tracking. A liaison sees only what was assigned to the unit."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress import pages
from congress.permissions import liaison_required

from .. import selectors, services
from ..forms import ContactForm, ReasonForm, ReplyForm, TrackingForm, ViewsForm
from ..models import Assignment, Suggestion, TrackingItem


@liaison_required
def suggestion_list(request):
    status = "open" if request.GET.get("show") != "all" else ""
    return render(
        request,
        "suggestions/unit_list.html",
        {
            "assignments": (page := pages.page(request, selectors.for_unit(request.user.unit, status=status))),
            "page": page,
            "show_all": not status,
        },
    )


def _assignment(request, pk) -> Assignment:
    assignment = selectors.unit_assignment(request.user.unit, pk)
    if assignment is None:
        raise Http404
    return assignment


def _forms():
    return {
        "return_form": ReasonForm(prefix="return"),
        "extension_form": ReasonForm(prefix="extension"),
        "views_form": ViewsForm(),
        "contact_form": ContactForm(),
        "reply_form": ReplyForm(),
        "tracking_form": TrackingForm(),
    }


@never_cache
@liaison_required
def detail(request, pk, forms=None, status=200):
    assignment = _assignment(request, pk)
    suggestion = assignment.suggestion
    context = selectors.history(suggestion)
    S = Suggestion.Status
    active = assignment.status == Assignment.Status.ACTIVE
    latest = context["latest"]
    open_b = suggestion.status == S.REPLIED and latest is not None and latest.category == "B"
    context.update(
        assignment=assignment,
        active=active,
        can_sign=selectors.awaits_signature(assignment),
        can_return=active and suggestion.status == S.ASSIGNED,
        can_extend=active and assignment.is_lead and suggestion.status == S.ASSIGNED and not assignment.extension,
        can_reply=active
        and assignment.is_lead
        and (suggestion.status in (S.ASSIGNED, S.REHANDLING, S.IN_PROGRESS) or open_b),
        can_send_views=active and not assignment.is_lead and not assignment.views_sent_at,
        co_units=selectors.co_unit_views(suggestion, assignment.round) if assignment.is_lead else [],
        next_step=_next_step(suggestion) if assignment.is_lead and active else None,
        **{**_forms(), **(forms or {})},
    )
    return render(request, "suggestions/unit_detail.html", context, status=status)


def _next_step(suggestion):
    """The unit's next 五个一 step of a key suggestion (monthly status, half-year report)."""
    if not suggestion.is_key:
        return None
    return (
        TrackingItem.objects.filter(key__suggestion=suggestion, kind__in=TrackingItem.UNIT_KINDS, done_at__isnull=True)
        .order_by("due_at", "pk")
        .first()
    )


ACTIONS = {
    "sign": (None, lambda a, data, user: services.sign_for(a, by=user), _("Signed for.")),
    "return": (
        ("return_form", lambda d, f: ReasonForm(d, prefix="return")),
        lambda a, data, user: services.return_assignment(a, reason=data["reason"], by=user),
        _("Returned to the office with your reason."),
    ),
    "extension": (
        ("extension_form", lambda d, f: ReasonForm(d, prefix="extension")),
        lambda a, data, user: services.request_extension(a, reason=data["reason"], by=user),
        _("Your request for an extension was sent to the office."),
    ),
    "views": (
        ("views_form", lambda d, f: ViewsForm(d)),
        lambda a, data, user: services.send_views(a, text=data["views"], by=user),
        _("Your views were sent to the lead unit."),
    ),
    "contact": (
        ("contact_form", lambda d, f: ContactForm(d)),
        lambda a, data, user: services.log_contact(a, by=user, **data),
        _("The contact was recorded."),
    ),
    "reply": (
        ("reply_form", lambda d, f: ReplyForm(d, f)),
        lambda a, data, user: services.reply_suggestion(
            a, category=data["category"], text=data["text"], letter=data["letter"], by=user
        ),
        _("The reply was sent to the deputies who signed the suggestion."),
    ),
    "tracking": (
        ("tracking_form", lambda d, f: TrackingForm(d)),
        lambda a, data, user: services.record_tracking(
            TrackingItem.objects.get(pk=data["item"], key__suggestion=a.suggestion), text=data["text"], by=user
        ),
        _("Recorded."),
    ),
}


@require_POST
@liaison_required
def action(request, pk, name):
    if name not in ACTIONS:
        raise Http404
    assignment = _assignment(request, pk)
    form_spec, service, done = ACTIONS[name]
    data = {}
    if form_spec is not None:
        key, make = form_spec
        form = make(request.POST, request.FILES)
        if not form.is_valid():
            return detail(request, pk, forms={key: form, "error": _("Please correct the form below.")}, status=400)
        data = form.cleaned_data
    try:
        service(assignment, data, request.user)
    except TrackingItem.DoesNotExist:
        raise Http404 from None
    except services.SuggestionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("suggestions:unit_detail", pk=pk)
