"""Every input of the back office has a name a screen reader can say, for every model admin
and inline on the site (mixed in by ``CongressAdminSite.register``, the libraries' admins too).

Django's admin leaves some inputs without one (axe-core's rule ``label``):

- the rows of a table of records (a tabular inline, and a list whose columns are editable,
  ``list_editable``) print a field's label only in the column heading, so each row's inputs and
  its delete box are met without a name;
- a file field is drawn in a ``<fieldset>`` whose ``<legend>`` carries the label (the clear box
  of a file already there has its own label), so the file input itself has none.

Each of those inputs is given its field's label as ``aria-label``. The autocomplete boxes and
the two-list selector, named by script, are in static/js/admin.js.
"""

from django import forms
from django.contrib.admin import TabularInline
from django.forms.models import BaseModelFormSet
from django.forms.utils import pretty_name


def _name(widget, label) -> None:
    if widget.is_hidden:
        return
    # A relation's widget is wrapped (the add and change links beside it); the wrapped widget
    # draws the input, from attributes of its own.
    getattr(widget, "widget", widget).attrs.setdefault("aria-label", str(label))


def _name_files(form_class: type) -> None:
    for name, field in form_class.base_fields.items():
        if isinstance(field.widget, forms.FileInput):
            _name(field.widget, field.label or pretty_name(name))


class _NamedRows:
    """A formset drawn as a table: each visible input of a row named by its column."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            _name(field.widget, form[name].label)


_named_formsets: dict[type, type] = {}


def named_rows(formset: type) -> type:
    """The formset class with :class:`_NamedRows` mixed in (made once per class)."""
    if issubclass(formset, _NamedRows):
        return formset
    if formset not in _named_formsets:
        _named_formsets[formset] = type(formset.__name__, (_NamedRows, formset), {"__module__": formset.__module__})
    return _named_formsets[formset]


class NamesInlineInputs:
    """For inlines: file inputs named by their label, and in a table each row's inputs by
    their column."""

    def get_formset(self, request, obj=None, **kwargs):
        if isinstance(self, TabularInline):
            kwargs.setdefault("formset", named_rows(self.formset))
        formset = super().get_formset(request, obj, **kwargs)
        _name_files(formset.form)
        return formset


_named_inlines: dict[type, type] = {}


def named_inline(inline_class: type) -> type:
    """The inline class with :class:`NamesInlineInputs` mixed in (made once per class)."""
    if issubclass(inline_class, NamesInlineInputs):
        return inline_class
    if inline_class not in _named_inlines:
        _named_inlines[inline_class] = type(
            inline_class.__name__, (NamesInlineInputs, inline_class), {"__module__": inline_class.__module__}
        )
    return _named_inlines[inline_class]


class NamesEveryInput:
    """For model admins: file inputs, the rows of an editable list and inlines' inputs named."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        _name_files(form)
        return form

    def get_inlines(self, request, obj):
        return [named_inline(inline) for inline in super().get_inlines(request, obj)]

    def get_changelist_formset(self, request, **kwargs):
        kwargs.setdefault("formset", named_rows(BaseModelFormSet))
        return super().get_changelist_formset(request, **kwargs)
