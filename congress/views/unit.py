"""The unit portal (/unit/): handling units' liaisons. Later apps add replies and
rectification here."""

from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from congress import selectors
from congress.permissions import liaison_required
from congress.services import notices


@liaison_required
def home(request):
    return render(
        request,
        "unit/home.html",
        {
            "unit": request.user.unit,
            "notices": selectors.notices_for(request.user, limit=5),
            "unread": selectors.unread_notice_count(request.user),
        },
    )


@liaison_required
def notice_list(request):
    return render(request, "unit/notices.html", {"notices": selectors.notices_for(request.user, limit=100)})


@require_POST
@liaison_required
def notice_read(request, pk):
    notices.mark_read(request.user, pk)
    return redirect("unit:notices")


@liaison_required
def profile(request):
    unit = request.user.unit
    return render(
        request,
        "unit/profile.html",
        {
            "unit": unit,
            "officials": unit.officials.filter(active=True),
            "liaisons": unit.liaisons.filter(is_active=True),
        },
    )


urlpatterns = [
    path("", home, name="home"),
    path("notices/", notice_list, name="notices"),
    path("notices/<int:pk>/read/", notice_read, name="notice_read"),
    path("profile/", profile, name="profile"),
]
