"""Text cleaned where it enters: every form, every import and every view that reads posted text
itself passes what people typed (or pasted from Word, or a spreadsheet) through
:func:`clean_text` before it is checked or stored.

What no field should hold is removed: NUL and the other C0 controls (Word puts U+000B in pasted
text), DEL, the C1 controls, the non-characters U+FFFE/U+FFFF and lone surrogates. Line breaks
are written LF (CRLF and CR become LF). A multi-line field (a textarea) keeps its line breaks
and tabs; in a one-line field they become spaces. Whitespace at the ends goes, full-width
spaces (U+3000) included; full-width spaces inside the text stay, as Chinese text uses them.

Forms get it by :class:`CleanTextMixin` (``Form`` and ``ModelForm`` here already have it), the
back office by :class:`ModelAdmin`, :class:`TabularInline` and :class:`StackedInline` below,
whose forms all have it; tests/congress/test_clean_text.py walks every form of the project and
every back-office form and fails on one that does not clean its text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.contrib import admin

from congress import widgets

# C0 controls but tab and newline (CR is turned into a newline first), DEL, C1 controls,
# U+FFFE/U+FFFF and lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAK = re.compile(r"\r\n?")
_ONE_LINE = re.compile(r"[\n\t]")


def clean_text(value, *, multiline: bool = False, strip: bool = True):
    """``value`` without the characters no field should hold, line breaks as LF (spaces in a
    one-line field), and, if ``strip``, without whitespace (full-width spaces too) at the ends.
    Anything but a string is given back as it is."""
    if not isinstance(value, str):
        return value
    text = _CONTROL.sub("", _LINE_BREAK.sub("\n", value))
    if not multiline:
        text = _ONE_LINE.sub(" ", text)
    return text.strip() if strip else text


def clean_post(post, *, one_line: Iterable[str] = ()):
    """For a view that reads posted text itself (not through a form): a copy of ``post``
    (``request.POST``) with every value cleaned, line breaks kept except in the names given as
    ``one_line``."""
    one_line = set(one_line)
    cleaned = post.copy()
    for key, values in post.lists():
        cleaned.setlist(key, [clean_text(v, multiline=key not in one_line) for v in values])
    return cleaned


def is_text_field(field: forms.Field) -> bool:
    """A field people type text into (passwords are taken as typed: they are never shown or
    stored as text, and a cleaned one would no longer match)."""
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)


def is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def cleaned_data_of(form: forms.BaseForm):
    """The form's bound data with the values of its text fields cleaned (the same object when
    nothing needed cleaning)."""
    data, changed = form.data, {}
    getlist = getattr(data, "getlist", None)
    for name, field in form.fields.items():
        if field.disabled or not is_text_field(field):
            continue
        key = form.add_prefix(name)
        if key not in data:
            continue
        options = {"multiline": is_multiline(field), "strip": getattr(field, "strip", True)}
        if getlist is not None:
            values = getlist(key)
            cleaned = [clean_text(v, **options) for v in values]
        else:
            values = data[key]
            cleaned = (
                [clean_text(v, **options) for v in values]
                if isinstance(values, list | tuple)
                else clean_text(values, **options)
            )
        if cleaned != values:
            changed[key] = cleaned
    if not changed:
        return data
    if getlist is not None:
        data = data.copy()  # a QueryDict: the copy can be changed
        for key, values in changed.items():
            data.setlist(key, values)
    else:
        data = {**data, **changed}
    return data


class CleanTextMixin:
    """A form whose text fields are cleaned (:func:`clean_text`) before they are validated: the
    bound data itself is cleaned, so the field's own checks, the cleaned value and the form shown
    again after an error all see the cleaned text. NUL is removed rather than refused."""

    def _clean_fields(self):
        if self.is_bound:
            self.data = cleaned_data_of(self)
        super()._clean_fields()


class Form(CleanTextMixin, forms.Form):
    pass


class ModelForm(CleanTextMixin, forms.ModelForm):
    pass


def with_clean_text(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """``form_class``, given :class:`CleanTextMixin` if it does not have it yet."""
    if issubclass(form_class, CleanTextMixin):
        return form_class
    return type(form_class.__name__, (CleanTextMixin, form_class), {"__module__": form_class.__module__})


class CleanTextAdminMixin:
    """For a ModelAdmin: its add and change forms, and the list's editable rows, clean their
    text, whatever form class it names (Django's own user forms included)."""

    def get_form(self, request, obj=None, **kwargs):
        return with_clean_text(super().get_form(request, obj, **kwargs))

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", ModelForm)
        return with_clean_text(super().get_changelist_form(request, **kwargs))


class CleanTextInlineMixin:
    """For an inline: every row's form cleans its text."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", with_clean_text(self.form))
        return super().get_formset(request, obj, **kwargs)


class LeanSelectMixin:
    """For a ModelAdmin or an inline: its drop-down lists (a foreign key, a field with choices)
    drawn with :class:`congress.widgets.Select`, the same markup in one template."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            field.widget = widgets.lean(field.widget)
        return field

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        field.widget = widgets.lean(field.widget)
        return field


class ModelAdmin(CleanTextAdminMixin, LeanSelectMixin, admin.ModelAdmin):
    """The back office's ModelAdmin (every registration of the project derives from it)."""


class TabularInline(CleanTextInlineMixin, LeanSelectMixin, admin.TabularInline):
    pass


class StackedInline(CleanTextInlineMixin, LeanSelectMixin, admin.StackedInline):
    pass
