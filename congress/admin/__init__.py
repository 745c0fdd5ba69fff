"""Back-office registration of the institution's registry. Admin actions call services."""

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congress import cleaning, models, params, selectors
from congress.services import accounts, meetings, reminders

from . import documents  # noqa: F401  (registers the documents admin)
from .outbox import ReachMixin, person_deliveries_url
from .roster import RosterAdminMixin
from .rosters import FULL_ID_PERMISSION
from .voting import MeetingVotingMixin


@admin.register(models.Committee)
class CommitteeAdmin(cleaning.ModelAdmin):
    list_display = ["name", "county", "phone"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not models.Committee.objects.exists()


@admin.register(models.Term)
class TermAdmin(cleaning.ModelAdmin):
    list_display = ["__str__", "start_date", "end_date", "is_current"]
    list_filter = ["is_current"]


@admin.register(models.DeputyGroup)
class DeputyGroupAdmin(RosterAdminMixin, cleaning.ModelAdmin):
    roster_kind = "groups"
    list_display = ["name", "township", "convener", "deputy_count", "qr_link"]
    list_filter = ["term"]
    search_fields = ["name", "township"]
    autocomplete_fields = ["convener"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("convener").annotate(n_deputies=Count("deputies"))

    @admin.display(description=_("number of deputies"), ordering="n_deputies")
    def deputy_count(self, obj):
        return obj.n_deputies

    @admin.display(description=_("login QR codes"))
    def qr_link(self, obj):
        url = reverse("admin:congress_deputygroup_qr", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("Print"))

    def get_urls(self):
        return [
            path("<int:pk>/qr/", self.admin_site.admin_view(self.qr_view), name="congress_deputygroup_qr"),
            *super().get_urls(),
        ]

    def qr_view(self, request, pk):
        """A printable sheet of personal login QR codes, one slip per deputy of the group."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        group = get_object_or_404(models.DeputyGroup, pk=pk)
        deputies = list(selectors.deputies_of_group(group))
        return render_qr_sheet(request, self.admin_site, str(group), deputies)


def render_qr_sheet(request, site, heading, deputies):
    import segno

    slips = []
    for deputy in deputies:
        url = accounts.login_url(deputy)
        slips.append({"deputy": deputy, "url": url, "qr": segno.make(url, error="m").svg_data_uri(scale=3)})
    context = {
        **site.each_context(request),
        "title": _("Login QR codes: %(name)s") % {"name": heading},
        "slips": slips,
        "max_age_days": accounts.settings.DEPUTY_LINK_MAX_AGE_DAYS,
    }
    return TemplateResponse(request, "admin/congress/qr_sheet.html", context)


class CommissionSeatInline(cleaning.TabularInline):
    model = models.CommissionSeat
    extra = 0
    autocomplete_fields = ["deputy"]


@admin.register(models.Deputy)
class DeputyAdmin(RosterAdminMixin, cleaning.ModelAdmin):
    roster_kind = "deputies"
    list_display = ["name", "level", "group", "workplace", "phone", "active", "has_login", "sent"]
    list_filter = ["level", "active", "gender", "occupation", "education", "group", "term"]
    search_fields = ["name", "phone", "workplace"]
    list_select_related = ["group"]
    autocomplete_fields = ["group", "user"]
    actions = ["print_qr_codes", "revoke_links"]
    list_per_page = 50

    @admin.display(description=_("login"), boolean=True)
    def has_login(self, obj):
        return obj.user_id is not None

    @admin.display(description=_("messages sent"))
    def sent(self, obj):
        return format_html('<a href="{}">{}</a>', person_deliveries_url(f"deputy:{obj.pk}"), _("view"))

    # The citizen ID number is shown whole, and can be changed, only by users who may see it.
    def get_exclude(self, request, obj=None):
        if request.user.has_perm(FULL_ID_PERMISSION):
            return super().get_exclude(request, obj)
        return [*(super().get_exclude(request, obj) or []), "id_number"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.has_perm(FULL_ID_PERMISSION) else [*fields, "masked_id_number"]

    @admin.display(description=_("citizen ID number"))
    def masked_id_number(self, obj):
        return obj.masked_id_number or "—"

    @admin.action(description=_("Print login QR codes of the selected deputies"), permissions=["view"])
    def print_qr_codes(self, request, queryset):
        return render_qr_sheet(request, self.admin_site, _("selected deputies"), list(queryset.order_by("id")))

    @admin.action(description=_("Revoke the login links of the selected deputies"), permissions=["change"])
    def revoke_links(self, request, queryset):
        count = accounts.revoke_login_links(list(queryset), by=request.user)
        self.message_user(
            request,
            _("Revoked the login links of %(count)d deputies; print new ones.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(models.Member)
class MemberAdmin(RosterAdminMixin, cleaning.ModelAdmin):
    roster_kind = "members"
    list_display = ["deputy", "position", "full_time", "active", "sort_order"]
    list_filter = ["position", "full_time", "active", "term"]
    search_fields = ["deputy__name"]
    list_select_related = ["deputy"]
    autocomplete_fields = ["deputy"]


@admin.register(models.Commission)
class CommissionAdmin(RosterAdminMixin, cleaning.ModelAdmin):
    roster_kind = "commissions"
    list_display = ["name", "kind", "seat_count", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    inlines = [CommissionSeatInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_seats=Count("seats"))

    @admin.display(description=_("seats"), ordering="n_seats")
    def seat_count(self, obj):
        return obj.n_seats


class OfficialInline(cleaning.TabularInline):
    model = models.Official
    extra = 0
    fields = ["name", "gender", "position", "appointment", "is_head", "phone", "active"]


@admin.register(models.Unit)
class UnitAdmin(RosterAdminMixin, cleaning.ModelAdmin):
    roster_kind = "units"
    list_display = ["name", "kind", "liaison_leader", "liaison_commission", "active"]
    list_filter = ["kind", "active", "liaison_commission"]
    search_fields = ["name", "short_name"]
    list_select_related = ["liaison_leader__deputy", "liaison_commission"]
    autocomplete_fields = ["liaison_leader", "liaison_commission"]
    inlines = [OfficialInline]


@admin.register(models.Official)
class OfficialAdmin(RosterAdminMixin, cleaning.ModelAdmin):
    roster_kind = "officials"
    list_display = ["name", "unit", "position", "appointment", "is_head", "active"]
    list_filter = ["appointment", "is_head", "active", "unit__kind"]
    search_fields = ["name", "unit__name", "position"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


class AttendanceInline(cleaning.TabularInline):
    model = models.Attendance
    extra = 0
    autocomplete_fields = ["deputy"]


@admin.register(models.Meeting)
class MeetingAdmin(MeetingVotingMixin, cleaning.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "place", "attendee_count"]
    list_filter = ["kind", "term"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    inlines = [AttendanceInline]
    change_form_template = "admin/congress/meeting_change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_attendees=Count("attendance"))

    def get_changeform_initial_data(self, request):
        """A new meeting is of the current term."""
        initial = super().get_changeform_initial_data(request)
        term = models.Term.objects.filter(is_current=True).first()
        if term is not None:
            initial.setdefault("term", term.pk)
        return initial

    @admin.display(description=_("attendees"), ordering="n_attendees")
    def attendee_count(self, obj):
        return obj.n_attendees

    def get_urls(self):
        return [
            path("<int:pk>/roll/", self.admin_site.admin_view(self.roll_view), name="congress_meeting_roll"),
            *super().get_urls(),
        ]

    @staticmethod
    def _default_roster(meeting) -> str:
        """Those already on the meeting; else the deputies for an evaluation meeting or a
        congress session (the deputies score there), the members for the others."""
        if meeting.attendance.exists():
            return "attendance"
        if meeting.kind in (models.Meeting.Kind.EVALUATION, models.Meeting.Kind.CONGRESS):
            return "deputies"
        return "members"

    def roll_view(self, request, pk):
        """The roll from the roster (点名): everyone present by default; mark who is absent or on
        leave, and why; one save."""
        meeting = get_object_or_404(models.Meeting, pk=pk)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        if request.method == "POST":
            post = cleaning.clean_post(request.POST)
            ids = params.record_ids(request.POST, "deputy")
            roll = {i: (post.get(f"status_{i}", "present"), post.get(f"reason_{i}", "")) for i in ids}
            try:
                n = meetings.take_roll(meeting, roll, by=request.user)
            except meetings.RollError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("The roll of %(n)d people is recorded.") % {"n": n}, messages.SUCCESS)
                return redirect("admin:congress_meeting_change", meeting.pk)
        roster = request.GET.get("roster") or self._default_roster(meeting)
        group = params.record_id(request.GET, "group", 0) or None
        people = selectors.roll_of(meeting, roster if roster in selectors.ROSTERS else "attendance", group)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Roll of %(meeting)s") % {"meeting": meeting.title},
            "meeting": meeting,
            "people": people,
            "roster": roster,
            "group": group,
            "groups": models.DeputyGroup.objects.filter(term_id=meeting.term_id).order_by("name"),
            "statuses": [(s, label) for s, label in models.Attendance.Status.choices if s != "invited"],
        }
        return TemplateResponse(request, "admin/congress/meeting_roll.html", context)


@admin.register(models.Reminder)
class ReminderAdmin(cleaning.ModelAdmin):
    list_display = ["title", "remind_at", "urgent", "created_by", "created_at"]
    search_fields = ["title"]
    autocomplete_fields = ["recipients", "deputies"]
    exclude = ["created_by"]
    date_hierarchy = "remind_at"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ReminderKindFilter(admin.SimpleListFilter):
    """The kinds of reminder by the names staff know them by (the log stores the code)."""

    title = _("reminder kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(((s.kind, s.label) for s in reminders.sources()), key=lambda pair: str(pair[1]))

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(models.ReminderLog)
class ReminderLogAdmin(ReachMixin, cleaning.ModelAdmin):
    list_display = ["kind_label", "unit_name", "reminded_about", "due_at", "sent_at", "reach"]
    list_filter = [ReminderKindFilter, ("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["content_type"]
    date_hierarchy = "sent_at"
    fields = ["kind_label", "unit_name", "reminded_about", "due_at", "sent_at"]
    readonly_fields = ["kind_label", "unit_name", "reminded_about"]

    def get_queryset(self, request):
        # What each reminder was about, read per kind of object in one query each, with the
        # unit it concerns where it has one (a suggestion's assignment, a rectification …).
        with_unit = {
            source.model
            for source in reminders.sources()
            if any(f.name == "unit" and f.is_relation for f in source.model._meta.get_fields())
        }
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                GenericPrefetch("target", [model._default_manager.select_related("unit") for model in with_unit])
            )
        )

    @admin.display(description=_("reminder kind"), ordering="kind")
    def kind_label(self, obj):
        return reminders.label_of(obj.kind)

    @admin.display(description=_("unit"))
    def unit_name(self, obj):
        unit = getattr(obj.target, "unit", None)
        return unit.name if unit is not None else "—"

    @admin.display(description=_("reminded about"))
    def reminded_about(self, obj):
        return str(obj.target) if obj.target is not None else _("(deleted)")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Notice)
class NoticeAdmin(cleaning.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at", "emailed_at"]
    list_filter = ["read_at", "created_at"]
    search_fields = ["title", "recipient__username", "recipient__last_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RoleFilter(admin.SimpleListFilter):
    """Users by role, under the roles' names (their groups are named by code)."""

    title = _("roles")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return models.Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


@admin.register(models.User)
class UserAdmin(cleaning.CleanTextAdminMixin, BaseUserAdmin):
    list_display = ["username", "full_name", "phone", "unit", "is_staff", "is_active", "role_names"]
    list_filter = [RoleFilter, "is_staff", "is_active"]
    search_fields = ["username", "last_name", "first_name", "phone"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Committee details"), {"fields": ["phone", "unit"]}),
    ]

    actions = ["print_first_login_slips"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.action(description=_("Print first-login slips (for logins without a password)"))
    def print_first_login_slips(self, request, queryset):
        """A printable sheet, one slip per chosen login that has no password yet (a unit's
        liaison made by the units' import): a QR code of the link that sets the password once,
        as deputies get their personal login QR codes."""
        import segno

        slips = []
        for user in queryset.select_related("unit").order_by("unit__sort_order", "unit_id", "pk"):
            if user.has_usable_password():
                continue
            url = accounts.first_login_url(user)
            slips.append({"user": user, "url": url, "qr": segno.make(url, error="m").svg_data_uri(scale=3)})
        context = {
            **self.admin_site.each_context(request),
            "title": _("First-login slips"),
            "slips": slips,
            "skipped": queryset.count() - len(slips),
        }
        return TemplateResponse(request, "admin/congress/login_slips.html", context)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            # A role's group is named by its code (deputy, liaison …); staff read its name.
            labels = dict(models.Role.choices)
            field.label_from_instance = lambda group: str(labels.get(group.name, group.name))
        return field

    @admin.display(description=_("full name"), ordering="last_name")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("roles"))
    def role_names(self, obj):
        labels = dict(models.Role.choices)
        return "、".join(str(labels.get(g.name, g.name)) for g in obj.groups.all())


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(cleaning.CleanTextAdminMixin, BaseGroupAdmin):
    """Django's group admin, its name cleaned like every back-office text."""
