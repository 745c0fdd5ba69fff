"""The unit portal's rectification (/unit/rectification/): the liaison reads the itemized
opinions delivered to the unit, hands in the rectification plan and then reports item by item,
signed off by the head of the unit, and marks on-time items done. A liaison sees only their own
unit's delivered rectifications; anything else is not found."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress import pages
from congress.permissions import liaison_required

from .. import selectors
from ..forms import PlanForm, ReportForm
from ..models import Opinion
from ..services import EvaluationError
from ..services import rectification as rect


@never_cache
@liaison_required
def rectification_list(request):
    page = pages.page(request, selectors.unit_rectification_query(request.user.unit_id))
    page.object_list = selectors.mark_unit_rectifications(page.object_list)
    return render(
        request,
        "evaluations/unit_list.html",
        {
            "rectifications": page.object_list,
            "page": page,
            "attention": list(selectors.unit_attention_items(request.user.unit_id)),
        },
    )


def _rectification(request, pk):
    rectification = selectors.unit_rectification(request.user.unit_id, pk)
    if rectification is None:
        raise Http404
    return rectification


def _page_forms(page):
    return {
        "plan_form": PlanForm(opinions=page.open_opinions, initial_items=page.last_plan_measures())
        if page.can_plan
        else None,
        "report_form": ReportForm(opinions=page.open_opinions) if page.can_report else None,
    }


def _render_detail(request, rectification, *, forms=None, status=200):
    page = selectors.rectification_page(rectification)
    context = {"page": page, "rectification": rectification, **_page_forms(page), **(forms or {})}
    return render(request, "evaluations/unit_detail.html", context, status=status)


@never_cache
@liaison_required
def detail(request, pk):
    return _render_detail(request, _rectification(request, pk))


def _submit(request, pk, *, form_class, key, service, done):
    rectification = _rectification(request, pk)
    page = selectors.rectification_page(rectification)
    form = form_class(request.POST, request.FILES, opinions=page.open_opinions)
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _render_detail(request, rectification, forms={key: form}, status=400)
    try:
        service(rectification, form)
    except EvaluationError as exc:
        messages.error(request, str(exc))
        return _render_detail(request, rectification, forms={key: form}, status=400)
    messages.success(request, done)
    return redirect("evaluations:unit_rectification", pk=pk)


@require_POST
@liaison_required
def submit_plan(request, pk):
    return _submit(
        request,
        pk,
        form_class=PlanForm,
        key="plan_form",
        service=lambda r, form: rect.submit_plan(
            r,
            by=request.user,
            signed_off_by=form.cleaned_data["signed_off_by"],
            measures=form.measures(),
            summary=form.cleaned_data["summary"],
            file=form.cleaned_data["file"],
        ),
        done=_("The rectification plan was sent to the committee for review."),
    )


@require_POST
@liaison_required
def submit_report(request, pk):
    return _submit(
        request,
        pk,
        form_class=ReportForm,
        key="report_form",
        service=lambda r, form: rect.submit_report(
            r,
            by=request.user,
            signed_off_by=form.cleaned_data["signed_off_by"],
            progress=form.progress(),
            summary=form.cleaned_data["summary"],
            file=form.cleaned_data["file"],
        ),
        done=_("The rectification report was sent to the committee for review."),
    )


@require_POST
@liaison_required
def mark_done(request, pk, opinion_pk):
    rectification = _rectification(request, pk)
    opinion = get_object_or_404(Opinion, pk=opinion_pk, rectification=rectification)
    try:
        rect.mark_done_by_unit(opinion, by=request.user)
    except EvaluationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Item %(n)s is marked done.") % {"n": opinion.sort_order + 1})
    return redirect("evaluations:unit_rectification", pk=pk)
