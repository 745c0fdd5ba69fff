"""URL map of the five surfaces: back office, deputy pages, unit portal, screen, public site."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from congress import files, metrics
from congress.views import auth, deputy, health, screen, unit, voting

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    # Pages name their icon; this answers the browsers and apps that ask the site root anyway.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"))),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("accounts/home/", auth.surface_home, name="home"),
    path("accounts/first-login/<uidb64>/<token>/", auth.FirstLoginView.as_view(), name="first_login"),
    path("m/link/<str:token>/", auth.deputy_link_login, name="deputy_link_login"),
    path("m/", include((deputy.urlpatterns + voting.urlpatterns, "m"))),
    path("screen/", include((screen.urlpatterns, "screen"))),
    path("unit/", include((unit.urlpatterns, "unit"))),
    # Every uploaded file, checked against the record it belongs to (congress.files).
    path("files/", include(([path("<path:name>", files.download, name="download")], "files"))),
    path("", include("surveys.urls")),
    path("", include("suggestions.urls")),
    path("", include("evaluations.urls")),
    path("", include("oversight.urls")),
    path("", include("media_publish.urls")),
]

# Refusals and failures answer in Chinese, in the look of the surface they were sent to.
handler400 = "congress.views.errors.bad_request"
handler403 = "congress.views.errors.permission_denied"
handler404 = "congress.views.errors.page_not_found"
handler500 = "congress.views.errors.server_error"
