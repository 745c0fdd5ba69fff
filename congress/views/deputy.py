"""The deputy pages (/m/): phone-first. Later apps add their own entries."""

from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from congress import selectors
from congress.permissions import deputy_of, deputy_required
from congress.services import notices


@deputy_required
def home(request):
    deputy = deputy_of(request.user)
    return render(
        request,
        "m/home.html",
        {
            "deputy": deputy,
            "notices": selectors.notices_for(request.user, limit=3),
            "unread": selectors.unread_notice_count(request.user),
            "polls_to_vote": sum(1 for poll in selectors.open_polls_for(deputy=deputy) if not poll.voted),
        },
    )


@deputy_required
def notice_list(request):
    return render(request, "m/notices.html", {"notices": selectors.notices_for(request.user, limit=100)})


@require_POST
@deputy_required
def notice_read(request, pk):
    notices.mark_read(request.user, pk)
    return redirect("m:notices")


@deputy_required
def profile(request):
    deputy = deputy_of(request.user)
    return render(request, "m/profile.html", {"deputy": deputy, "member": getattr(deputy, "member", None)})


urlpatterns = [
    path("", home, name="home"),
    path("notices/", notice_list, name="notices"),
    path("notices/<int:pk>/read/", notice_read, name="notice_read"),
    path("profile/", profile, name="profile"),
]
