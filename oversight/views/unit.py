"""The unit portal's commitments (/unit/commitments/): the liaison's own unit's items for this
year, late ones, ones waiting for an update and ones the commission returned standing out, with a
form per item to report progress. Another unit's item is not found."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress.permissions import liaison_required

from .. import selectors, services
from ..forms import ProgressForm
from ..models import Commitment


def _render_list(request, *, failed: ProgressForm | None = None, status=200):
    year = selectors.this_year()
    items = selectors.unit_commitments(request.user.unit_id, year)
    for item in items:
        if failed is not None and failed.commitment.pk == item.pk:
            item.form = failed
        elif item.state == Commitment.State.UNDERWAY:
            item.form = ProgressForm(commitment=item, initial={"progress": item.progress})
        else:
            item.form = None
    context = {
        "year": year,
        "items": items,
        "summary": selectors.unit_commitment_summary(request.user.unit_id, year),
        "failed": failed,
    }
    return render(request, "oversight/unit_commitments.html", context, status=status)


@never_cache
@liaison_required
def commitment_list(request):
    return _render_list(request)


@require_POST
@liaison_required
def report_progress(request, pk):
    commitment = selectors.unit_commitment(request.user.unit_id, pk)
    if commitment is None:
        raise Http404
    form = ProgressForm(request.POST, request.FILES, commitment=commitment)
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _render_list(request, failed=form, status=400)
    try:
        services.update_progress(
            commitment,
            by=request.user,
            progress=form.cleaned_data["progress"],
            text=form.cleaned_data["text"],
            evidence=form.cleaned_data["evidence"],
        )
    except services.OversightError as exc:
        form.add_error(None, str(exc))
        messages.error(request, str(exc))
        return _render_list(request, failed=form, status=400)
    messages.success(request, _("Progress on “%(title)s” is reported.") % {"title": commitment.title})
    return redirect(reverse("oversight:unit_commitments") + f"#commitment-{commitment.pk}")
