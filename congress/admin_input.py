"""How the back office reads what it is sent, for every model admin and inline on the site.

Django's admin answers some unreadable input with a 500 rather than a refusal: a list filter
of a library given a word where it filters by number (the audit trail's ``?resource_type=abc``),
a search with a NUL character on PostgreSQL, and a form re-shown after an error whose
autocomplete field holds something that is not a record number (``convener=abc``). The site
mixes :class:`ReadsInputSafely` into every admin class registered on it (the project's own and
the libraries' alike, see ``CongressAdminSite.register``), so that:

- a list's filters and parameters it cannot read answer 400 in Chinese (Django would redirect
  to the unfiltered list with ``?e=1``, or fail);
- search terms lose the control characters no database column holds;
- an autocomplete field re-shows only the values that can name a record, and the form's own
  error says what was wrong.
"""

import logging

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext as _

from congress.cleaning import clean_text

logger = logging.getLogger(__name__)


class _ReadableValues:
    """An autocomplete widget that, re-showing a form, keeps only the values that can name a
    record of its model (Django's widget looks every value up and fails on ``abc``)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.get_field(
            getattr(self.field.remote_field, "field_name", None) or self.field.remote_field.model._meta.pk.name
        )
        readable = []
        for item in value:
            try:
                target.run_validators(target.to_python(item))  # a number, within the column's range
            except (ValidationError, ValueError, TypeError):
                continue
            readable.append(item)
        return super().optgroups(name, readable, attr)


class SafeAutocompleteSelect(_ReadableValues, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ReadableValues, AutocompleteSelectMultiple):
    pass


class ReadsFormsSafely:
    """For model admins and inlines: autocomplete fields that survive a re-shown bad value."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


_safe_inlines: dict[type, type] = {}


def safe_inline(inline_class: type) -> type:
    """The inline class with :class:`ReadsFormsSafely` mixed in (made once per class)."""
    if issubclass(inline_class, ReadsFormsSafely):
        return inline_class
    if inline_class not in _safe_inlines:
        _safe_inlines[inline_class] = type(
            inline_class.__name__, (ReadsFormsSafely, inline_class), {"__module__": inline_class.__module__}
        )
    return _safe_inlines[inline_class]


class ReadsInputSafely(ReadsFormsSafely):
    """For model admins: lists refuse what they cannot read; searches hold no control characters;
    inlines read their forms safely too."""

    def get_inlines(self, request, obj):
        return [safe_inline(inline) for inline in super().get_inlines(request, obj)]

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (IncorrectLookupParameters, ValueError, ValidationError) as exc:
            logger.info("list %s refused its parameters: %s", request.get_full_path(), exc)
            raise BadRequest(
                _("The list's filter or search could not be read. Choose the filters again from the list.")
            ) from exc

    def get_search_results(self, request, queryset, search_term):
        # Without the control characters no column holds (PostgreSQL refuses NUL outright).
        return super().get_search_results(request, queryset, clean_text(search_term, multiline=True, strip=False))
