"""The back office: the Django admin in Chinese, with the committee's home page."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from congress import selectors, surfaces
from congress.admin_counts import CountsOnce
from congress.admin_input import ReadsInputSafely
from congress.admin_names import NamesEveryInput
from congress.cleaning import CleanTextMixin
from congress.context_processors import committee

# Django 6.1 added these to the admin after its zh_Hans catalogue was made; naming them here
# puts them in ours (LOCALE_PATHS come first).
DJANGO_STRINGS = [gettext_noop("- Select an option -")]


class AdminLoginForm(CleanTextMixin, AdminAuthenticationForm):
    """The back office's login, the user name cleaned like any typed text."""


class CongressAdminSite(admin.AdminSite):
    site_header = _("County People's Congress Standing Committee · Supervision")
    site_title = _("Supervision back office")
    index_title = _("This year's work")
    index_template = "admin/congress_index.html"
    login_form = AdminLoginForm

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin on the site, the libraries' included, reads its input safely
        (``congress.admin_input``): what it cannot read is refused in Chinese, not a 500; names
        every input for screen readers (``congress.admin_names``); and counts its list once
        (``congress.admin_counts``)."""
        admin_class = admin_class or admin.ModelAdmin
        mixins = tuple(m for m in (ReadsInputSafely, NamesEveryInput, CountsOnce) if not issubclass(admin_class, m))
        if mixins:
            admin_class = type(admin_class.__name__, (*mixins, admin_class), {"__module__": admin_class.__module__})
        super().register(model_or_iterable, admin_class, **options)

    def each_context(self, request):
        context = super().each_context(request)
        name = committee(request)["committee_name"]
        if name:
            context["site_header"] = _("%(committee)s · Supervision") % {"committee": name}
        if request.user.is_authenticated:
            context["unread_notices"] = selectors.unread_notice_count(request.user)
        return context

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "overview": selectors.year_overview()}
        extra_context["my_notices"] = selectors.notices_for(request.user, limit=5)
        extra_context["workbench"] = surfaces.tiles("office", request.user)
        return super().index(request, extra_context)

    def get_urls(self):
        from congress.admin.rosters import RosterViews

        return [
            path("notices/", self.admin_view(self.notices_view), name="my_notices"),
            *RosterViews(self).urls(),
            *super().get_urls(),
        ]

    def notices_view(self, request):
        """Staff's own notices (reminders addressed to them)."""
        from congress.services import notices

        if request.method == "POST":
            notices.mark_all_read(request.user)
        context = {
            **self.each_context(request),
            "title": _("My notices"),
            "notices": selectors.notices_for(request.user, limit=100),
        }
        return TemplateResponse(request, "admin/my_notices.html", context)
