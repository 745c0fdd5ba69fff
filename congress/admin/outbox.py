"""The back office's view of the outbox: what reached whom.

Per reminder, how many people it reached on which channel (a column of the reminders sent,
and a page listing each person with each channel's outcome); the deliveries list, filtered to
the failed and held ones with their reasons and a retry; per person, what they were sent."""

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress import models, selectors
from congress.services import outbox, reminders


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Failed and held deliveries: what staff look at and retry."""

    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [
            ("failed", _("Failed or unreachable")),
            ("held", pgettext_lazy("delivery status", "Held")),
            ("waiting", _("Waiting")),
        ]

    def queryset(self, request, queryset):
        Status = models.Delivery.Status
        match self.value():
            case "failed":
                return selectors.failed_deliveries(queryset)
            case "held":
                return queryset.filter(status=Status.HELD)
            case "waiting":
                return queryset.filter(status__in=models.Delivery.OPEN)
        return queryset


@admin.register(models.Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["person_link", "channel", "address", "status", "reason", "title", "sent_at"]
    list_filter = [NeedsAttentionFilter, "status", "channel", "urgent"]
    search_fields = ["person_name", "address", "title"]
    list_select_related = ["reminder"]
    date_hierarchy = "created_at"
    actions = ["retry", "send_now"]
    fields = [
        "person_name", "channel", "address", "title", "text", "link", "urgent", "status", "reason", "attempts",
        "next_attempt_at", "provider_id", "created_at", "sent_at", "delivered_at", "reminder",
    ]  # fmt: skip
    readonly_fields = fields

    def lookup_allowed(self, lookup, value, request=None):
        # The reach page links here for one person's or one reminder's deliveries.
        return lookup in ("person_key", "reminder__id__exact") or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("person"), ordering="person_name")
    def person_link(self, obj):
        return format_html(
            '<a href="{}?person_key={}">{}</a>',
            reverse("admin:congress_delivery_changelist"),
            obj.person_key,
            obj.person_name,
        )

    @admin.action(description=_("Send the selected deliveries again"), permissions=["retry"])
    def retry(self, request, queryset):
        count = outbox.retry(list(queryset), by=request.user)
        self.message_user(request, _("%(count)d deliveries queued again.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Send now, at night too (urgent)"), permissions=["retry"])
    def send_now(self, request, queryset):
        count = outbox.retry(list(queryset), by=request.user, urgent=True)
        self.message_user(request, _("%(count)d deliveries queued again.") % {"count": count}, messages.SUCCESS)

    def has_retry_permission(self, request):
        # Sending again is the one change staff make here; the rows themselves stay as written.
        return request.user.has_perm("congress.change_delivery")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReachMixin:
    """The reminders sent, with their reach, and a page per reminder of who got it how."""

    def get_queryset(self, request):
        return selectors.reach_counts(super().get_queryset(request))

    @admin.display(description=_("reach"))
    def reach(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:congress_reminderlog_reach", args=[obj.pk]),
            _(
                "%(people)d people: in-app %(inapp)d, SMS %(sms)d, email %(email)d; "
                "waiting %(waiting)d, failed %(failed)d"
            )
            % {
                "people": obj.reach_people,
                "inapp": obj.reach_inapp,
                "sms": obj.reach_sms,
                "email": obj.reach_email,
                "waiting": obj.reach_waiting,
                "failed": obj.reach_failed,
            },
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/reach/",
                self.admin_site.admin_view(self.reach_view),
                name="congress_reminderlog_reach",
            ),
            *super().get_urls(),
        ]

    def reach_view(self, request, pk):
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        log = get_object_or_404(selectors.reach_counts(models.ReminderLog.objects.all()), pk=pk)
        people = selectors.reach_of(log)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reach: %(kind)s") % {"kind": reminders.label_of(log.kind)},
            "log": log,
            "about": log.target,
            "people": people,
            "channels": [c for c in models.Delivery.Channel if c != models.Delivery.Channel.NONE],
            "opts": self.model._meta,
            "unreached": [p for p in people if not p["reached"]],
            "deliveries_url": reverse("admin:congress_delivery_changelist") + f"?reminder__id__exact={log.pk}",
        }
        return TemplateResponse(request, "admin/congress/reach.html", context)


def person_deliveries_url(person_key: str) -> str:
    return reverse("admin:congress_delivery_changelist") + f"?person_key={person_key}"


__all__ = ["DeliveryAdmin", "ReachMixin", "person_deliveries_url"]
