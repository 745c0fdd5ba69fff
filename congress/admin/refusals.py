"""A back-office form whose service refuses keeps what was typed.

Adding a record through a service (filing an inquiry motion, proposing a candidate) is checked
twice: the form checks the fields, then the service checks the state of the work (three
co-signers, the right stage). When the service refuses, the clerk sees the same form again, with
everything typed and the reason above it, instead of an empty form and a message."""

from django.contrib import messages
from django.contrib.admin import helpers


class RefusalKeepsTheForm:
    """For a ModelAdmin whose ``save_model`` files the record through a service: the service's
    refusals (the exception classes in ``refused_by``) come back as the form's error."""

    refused_by: tuple = ()

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except self.refused_by as exc:
            return self._refused(request, str(exc), form_url, extra_context)

    def _refused(self, request, reason: str, form_url, extra_context):
        form = self.get_form(request, None, change=False)(request.POST, request.FILES)
        form.is_valid()
        form.add_error(None, reason)
        fieldsets = list(self.get_fieldsets(request, None))
        admin_form = helpers.AdminForm(
            form,
            fieldsets,
            self.get_prepopulated_fields(request, None),
            self.get_readonly_fields(request, None),
            model_admin=self,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": self.model._meta.verbose_name,
            "subtitle": None,
            "adminform": admin_form,
            "object_id": None,
            "original": None,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        self.message_user(request, reason, messages.ERROR)
        return self.render_change_form(request, context, add=True, change=False, form_url=form_url)
