from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from congress.cleaning import CleanTextMixin
from congress.permissions import deputy_of, is_back_office, is_liaison
from congress.services import accounts


class LoginForm(CleanTextMixin, AuthenticationForm):
    """Django's login form, the user name cleaned like any typed text (the password is taken as
    typed)."""


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm


class LogoutView(auth_views.LogoutView):
    pass


class FirstLoginView(auth_views.PasswordResetConfirmView):
    """The first login of a liaison (or any login made without a password): the link on their
    slip sets their own password once, logs them in and takes them to their surface."""

    template_name = "registration/first_login.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")


def surface_home(request):
    """After login, each person goes to their own surface."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if is_back_office(user):
        return redirect("admin:index")
    if is_liaison(user):
        return redirect("unit:home")
    if deputy_of(user):
        return redirect("m:home")
    return redirect("public:home")


@never_cache
@require_http_methods(["GET", "POST"])
def deputy_link_login(request, token):
    """A deputy's personal link or QR code. GET asks to confirm (so that a chat app's link
    preview logs nobody in); POST logs the deputy in on this phone."""
    try:
        deputy = accounts.deputy_for_token(token)
    except accounts.LoginLinkError as exc:
        return render(request, "m/link_invalid.html", {"reason": str(exc)}, status=400)
    if request.method == "POST":
        user = accounts.ensure_deputy_user(deputy)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome, %(name)s.") % {"name": deputy.name})
        # A link may lead to one page (a questionnaire's QR code): only a path on this site.
        target = request.GET.get("next", "")
        if target.startswith("/m/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return redirect(target)
        return redirect("m:home")
    return render(request, "m/link_confirm.html", {"deputy": deputy})
