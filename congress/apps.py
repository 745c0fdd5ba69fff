from auditlog.apps import AuditlogConfig as _AuditlogConfig
from axes.apps import AppConfig as _AxesConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    """The institution: term, deputies, members, commissions, units, officials, meetings, and
    the engines every workflow shares (reminders now, voting next)."""

    name = "congress"
    verbose_name = _("Institution")

    def ready(self):
        from auditlog.registry import auditlog

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            models,
        )
        from .services import reminders

        for model in (
            models.Committee,
            models.Term,
            models.DeputyGroup,
            models.Deputy,
            models.Member,
            models.Commission,
            models.CommissionSeat,
            models.Unit,
            models.Official,
            models.Meeting,
            models.Attendance,
            models.Reminder,
            models.User,
        ):
            if not auditlog.contains(model):
                exclude = ["password", "last_login"] if model is models.User else []
                # The trail shows a changed ID number masked, as everywhere else.
                mask = ["id_number"] if model is models.Deputy else []
                auditlog.register(model, exclude_fields=exclude, mask_fields=mask)
        reminders.register_builtin_sources()

        from . import selectors, surfaces

        surfaces.register(
            surfaces.Entry(
                surface="office",
                key="failed_deliveries",
                title=_("Failed deliveries"),
                url_name="admin:congress_delivery_changelist",
                query="attention=failed",
                count=selectors.failed_delivery_count,
                count_label=_("messages that reached nobody"),
                empty_label=_("None"),
                order=40,
            )
        )

        from . import documents, files

        # An issued document goes, besides the staff, to the liaisons of the unit it is sent to.
        files.register(models.IssuedDocument, "file", may_download=documents.may_download_issued)
        files.register(models.DocumentTemplate, "file")

        from auditlog.models import LogEntry
        from django.db.models.signals import post_migrate, pre_save

        from .middleware import name_the_actor
        from .roles import name_permissions_in_chinese, sync_roles

        pre_save.connect(name_the_actor, sender=LogEntry, dispatch_uid="congress.name_the_actor")

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="congress.sync_roles")
        # Every app's, after django.contrib.auth (earlier in INSTALLED_APPS) has made them.
        post_migrate.connect(name_permissions_in_chinese, dispatch_uid="congress.name_permissions")


class CongressAdminConfig(AdminConfig):
    """The back office, in Chinese, with the committee's own home page."""

    default_site = "congress.admin_site.CongressAdminSite"


class AuditlogConfig(_AuditlogConfig):
    """django-auditlog, named in the committee's words in the back office."""

    verbose_name = _("Audit trail")


class AxesConfig(_AxesConfig):
    """django-axes (login lockouts), named in the committee's words in the back office."""

    verbose_name = _("Login security")
