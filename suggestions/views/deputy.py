"""The deputy's suggestions on the phone (/m/suggestions/): write and keep drafts, submit with
co-signers, confirm a co-signing request, follow each suggestion, rate the reply."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from congress import pages, params
from congress.permissions import deputy_of, deputy_required

from .. import selectors, services
from ..forms import RateForm, SuggestionForm
from ..models import Reply, Suggestion

PER_PAGE = 20  # suggestions on one page of a phone's list


def _visible(request, pk) -> tuple:
    deputy = deputy_of(request.user)
    suggestion = get_object_or_404(Suggestion.objects.select_related("lead_deputy", "category", "session"), pk=pk)
    if not selectors.deputy_may_see(deputy, suggestion):
        raise Http404
    return deputy, suggestion


@deputy_required
def suggestion_list(request):
    deputy = deputy_of(request.user)
    return render(
        request,
        "suggestions/m_list.html",
        {
            "suggestions": (page := pages.page(request, selectors.for_deputy(deputy), per_page=PER_PAGE)),
            "page": page,
            "requests": selectors.cosign_requests(deputy),
            "deputy": deputy,
        },
    )


@never_cache
@deputy_required
@require_http_methods(["GET", "POST"])
def edit(request, pk=None):
    """A new draft, or the deputy's own draft. "Save draft" keeps it; "Submit" sends it."""
    deputy = deputy_of(request.user)
    suggestion = None
    if pk is not None:
        deputy, suggestion = _visible(request, pk)
        if suggestion.lead_deputy_id != deputy.pk or suggestion.status != Suggestion.Status.DRAFT:
            return redirect("suggestions:m_detail", pk=pk)
    initial = {}
    if suggestion is not None:
        initial = {
            "title": suggestion.title,
            "text": suggestion.text,
            "category": suggestion.category_id,
            "cosigner_names": "、".join(c.deputy.name for c in suggestion.cosigners.select_related("deputy")),
        }
    form = SuggestionForm(request.POST or None, request.FILES or None, deputy=deputy, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                suggestion = services.save_draft(
                    deputy,
                    title=data["title"],
                    text=data["text"],
                    category=data["category"],
                    cosigners=form.cosigners,
                    suggestion=suggestion,
                )
                for upload in data["attachments"]:
                    services.add_attachment(suggestion, deputy=deputy, upload=upload)
                if "submit" in request.POST:
                    services.submit_suggestion(suggestion, deputy=deputy)
        except services.SuggestionError as exc:
            error = str(exc)
            if suggestion is not None and suggestion.pk is None:
                suggestion = None
        else:
            if "submit" in request.POST:
                suggestion.refresh_from_db()
                if suggestion.status == Suggestion.Status.COSIGNING:
                    messages.success(request, _("Submitted. It goes to the office once your co-signers confirm."))
                else:
                    messages.success(request, _("Submitted to the office."))
                return redirect("suggestions:m_detail", pk=suggestion.pk)
            messages.success(request, _("Draft saved."))
            return redirect("suggestions:m_edit", pk=suggestion.pk)
    bad = request.method == "POST" and (error or form.errors)
    return render(
        request,
        "suggestions/m_edit.html",
        {"form": form, "suggestion": suggestion, "error": error},
        status=400 if bad else 200,
    )


@never_cache
@deputy_required
def detail(request, pk):
    deputy, suggestion = _visible(request, pk)
    context = selectors.history(suggestion)
    latest = context["latest"]
    context.update(
        deputy=deputy,
        is_lead=suggestion.lead_deputy_id == deputy.pk,
        my_invitation=next(
            (c for c in context["cosigners"] if c.deputy_id == deputy.pk and c.status == "invited"), None
        ),
        to_rate=latest
        if latest is not None
        and latest.rating is None
        and suggestion.status == Suggestion.Status.REPLIED
        and suggestion.lead_deputy_id == deputy.pk
        else None,
        rate_form=RateForm(),
        # The office's confirmed history of the matter (proposals are the office's to decide).
        matter=selectors.matter_history(suggestion, limit=0),
    )
    return render(request, "suggestions/m_detail.html", context)


def _act(request, pk, action):
    deputy, suggestion = _visible(request, pk)
    try:
        action(deputy, suggestion)
    except services.SuggestionError as exc:
        messages.error(request, str(exc))
    return redirect("suggestions:m_detail", pk=pk)


@require_POST
@deputy_required
def submit(request, pk):
    def go(deputy, suggestion):
        services.submit_suggestion(suggestion, deputy=deputy)
        messages.success(request, _("Submitted."))

    return _act(request, pk, go)


@require_POST
@deputy_required
def cosign(request, pk):
    confirm = request.POST.get("answer") == "confirm"

    def go(deputy, suggestion):
        services.respond_to_cosign(suggestion, deputy=deputy, confirm=confirm)
        messages.success(request, _("Thank you: you co-signed it.") if confirm else _("You declined to co-sign."))

    return _act(request, pk, go)


@require_POST
@deputy_required
def send_now(request, pk):
    def go(deputy, suggestion):
        services.stop_waiting_for_cosigners(suggestion, deputy=deputy)
        messages.success(request, _("Submitted to the office."))

    return _act(request, pk, go)


@require_POST
@deputy_required
def rate(request, pk):
    deputy, suggestion = _visible(request, pk)
    form = RateForm(request.POST)
    reply = get_object_or_404(Reply, pk=params.record_id(request.POST, "reply", default=0), suggestion=suggestion)
    if not form.is_valid():
        messages.error(request, _("Choose 满意, 基本满意 or 不满意."))
        return redirect("suggestions:m_detail", pk=pk)
    try:
        services.rate_reply(
            reply, deputy=deputy, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        )
    except services.SuggestionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you: your rating was sent to the committee."))
    return redirect("suggestions:m_detail", pk=pk)
