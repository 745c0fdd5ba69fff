"""Form widgets of the back office.

``Select`` is Django's select with its options written in its own template: Django's draws each
option through two template includes, which made a term plan's table (thirty rows, three lists
each, some 1,400 options) spend most of its time in them. The markup is the same."""

from django import forms
from django.utils.html import format_html


class Select(forms.Select):
    """A drop-down list (a unit, a commission, a leader, a state) written in one template.

    Only for a select whose options carry no attributes but ``selected`` (Django's own Select:
    ``option_inherits_attrs`` is off)."""

    template_name = "congress/widgets/select.html"


def lean(widget: forms.Widget) -> forms.Widget:
    """``widget`` as a :class:`Select` when it is exactly Django's Select; any other widget
    (autocomplete, radio buttons, a multiple select, a widget of its own) as it is."""
    if type(widget) is not forms.Select:
        return widget
    select = Select(attrs=widget.attrs, choices=widget.choices)
    select.is_required = widget.is_required
    return select


class Shown(forms.Widget):
    """A field's value shown as text where it cannot be changed (a disabled field: the form
    keeps its initial value and ignores what is posted), e.g. the unit of a term plan's saved
    row, instead of a list of every unit drawn in each row."""

    def __init__(self, text: str, attrs=None):
        super().__init__(attrs)
        self.text = text

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<div class="readonly">{}</div>', self.text)
