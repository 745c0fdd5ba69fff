"""Back office of the publication: columns (one per campaign), meeting recordings with their
broadcast schedule, and publications with their steps: preview, publish now, schedule, republish
with fresh content, withdraw with a reason. Every step calls a service; only staff holding the
publish permission may take one, leaders read."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import cleaning

from . import charts, services
from .models import BroadcastSlot, Column, Publication, Recording
from .services import PublicationError
from .views.public import KIND_TEMPLATES

PUBLISH_PERM = "media_publish.publish_publication"


class ColumnForm(cleaning.ModelForm):
    class Meta:
        model = Column
        fields = ["campaign", "title", "intro", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:  # absent for a view-only user (a leader)
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Left empty: named after the campaign.")

    def clean(self):
        data = super().clean()
        if not data.get("title"):
            if not data.get("campaign"):
                raise ValidationError(_("Give the column a title, or choose its campaign."))
            data["title"] = services.column_title(data["campaign"])
            self.instance.title = data["title"]
        return data


@admin.register(Column)
class ColumnAdmin(cleaning.ModelAdmin):
    form = ColumnForm
    list_display = ["title", "campaign", "sort_order", "public_link"]
    list_select_related = ["campaign"]
    search_fields = ["title"]
    fields = ["campaign", "title", "intro", "sort_order"]

    @admin.display(description=gettext_lazy("on the public site"))
    def public_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("public:column", args=[obj.pk]), _("Open"))


class BroadcastSlotInline(cleaning.TabularInline):
    model = BroadcastSlot
    extra = 1
    fields = ["channel", "airs_at", "note"]


@admin.register(Recording)
class RecordingAdmin(cleaning.ModelAdmin):
    list_display = ["title", "column", "recorded_on", "source"]
    list_select_related = ["column"]
    list_filter = ["column"]
    search_fields = ["title"]
    fields = ["column", "title", "meeting", "recorded_on", "description", "video", "embed_url", "poster", "poster_alt"]
    inlines = [BroadcastSlotInline]

    @admin.display(description=gettext_lazy("source"))
    def source(self, obj):
        return _("Uploaded file") if obj.video else obj.embed_url


class PublicationForm(cleaning.ModelForm):
    class Meta:
        model = Publication
        fields = ["column", "kind", "year", "recording", "title", "summary"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("column") and data.get("kind"):
            probe = Publication(
                column=data["column"], kind=data["kind"], year=data.get("year"), recording=data.get("recording")
            )
            try:
                services.check_source(probe)
            except PublicationError as exc:
                raise ValidationError(str(exc)) from exc
        return data


class StepForm(cleaning.Form):
    at = forms.DateTimeField(
        required=False,
        label=gettext_lazy("publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "form": "step-form"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2, "form": "step-form"}), label=gettext_lazy("reason")
    )


@admin.register(Publication)
class PublicationAdmin(cleaning.ModelAdmin):
    form = PublicationForm
    list_display = ["__str__", "column", "kind", "status", "publish_at", "public_link"]
    list_filter = ["status", "kind", "column"]
    list_select_related = ["column"]
    search_fields = ["title"]
    readonly_fields = ["status", "publish_at", "published_at", "withdrawn_at", "withdraw_reason", "version"]
    change_form_template = "admin/media_publish/publication_change_form.html"

    def get_fields(self, request, obj=None):
        base = ["column", "kind", "year", "recording", "title", "summary"]
        return base if obj is None else [*base, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.status != Publication.Status.DRAFT:
            return ["column", "kind", "year", "recording", "title", "summary", *self.readonly_fields]
        return ["column", "kind", "year", "recording", *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        # A published or withdrawn page stays on the record; only an unused draft goes.
        return (
            obj is not None and obj.status == Publication.Status.DRAFT and super().has_delete_permission(request, obj)
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.draft_publication(
            obj.column,
            kind=obj.kind,
            year=obj.year,
            recording=obj.recording,
            title=obj.title,
            summary=obj.summary,
            by=request.user,
        )
        obj.pk, obj._state.adding = created.pk, False

    @admin.display(description=gettext_lazy("on the public site"))
    def public_link(self, obj):
        if obj.status in (Publication.Status.SCHEDULED, Publication.Status.PUBLISHED):
            return format_html(
                '<a href="{}">{}</a>', reverse("public:publication", args=[obj.column_id, obj.pk]), _("Open")
            )
        return "—"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/step/", wrap(self.step_view), name="media_publish_publication_step"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="media_publish_publication_preview"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            "step_form": StepForm(initial={"at": timezone.localtime() + datetime.timedelta(days=1)}),
            "may_publish": request.user.has_perm(PUBLISH_PERM),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def step_view(self, request, pk):
        """One step of a publication, by the button pressed: publish, schedule, republish, withdraw."""
        if request.method != "POST" or not request.user.has_perm(PUBLISH_PERM):
            raise PermissionDenied
        publication = get_object_or_404(Publication, pk=pk)
        form = StepForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        step = request.POST.get("step", "")
        try:
            if step == "publish":
                services.publish(publication, by=request.user)
                done = _("Published: the page is on the public site now.")
            elif step == "schedule":
                if not data.get("at"):
                    raise PublicationError(_("Give the date and time to publish it."))
                services.schedule(publication, at=data["at"], by=request.user)
                done = _("Scheduled: the page appears on the public site at %(at)s.") % {
                    "at": timezone.localtime(data["at"]).strftime("%Y-%m-%d %H:%M")
                }
            elif step == "republish":
                services.republish(publication, by=request.user)
                done = _("Republished with today's content.")
            elif step == "withdraw":
                services.withdraw(publication, reason=data.get("reason", ""), by=request.user)
                done = _("Withdrawn: the page is off the public site.")
            else:
                raise PublicationError(_("Unknown action."))
        except PublicationError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:media_publish_publication_change", pk)

    def preview_view(self, request, pk):
        """The page as the public would see it: a draft's content as it would be frozen now, a
        frozen one's as it stands."""
        if not request.user.has_perm("media_publish.view_publication"):
            raise PermissionDenied
        publication = get_object_or_404(Publication.objects.select_related("column__campaign", "recording"), pk=pk)
        if publication.status == Publication.Status.DRAFT:
            try:
                publication.content, _text = services.build(publication)
            except PublicationError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return redirect("admin:media_publish_publication_change", pk)
            publication.title = publication.title or services.default_title(publication)
            publication.publish_at = timezone.now()
        context = {
            "publication": publication,
            "c": publication.content,
            "kind_template": KIND_TEMPLATES[publication.kind],
            "charts": charts.for_publication(publication),
            "siblings": [],
            "preview": True,
        }
        return TemplateResponse(request, "public/publication.html", context)
