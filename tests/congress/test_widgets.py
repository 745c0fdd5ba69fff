"""The back office's lean drop-down list draws the same markup as Django's, in one template."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.test.html import parse_html

from congress import widgets

CHOICES = [
    ("", "---------"),
    ("财政经济", [(1, "财政经济工作委员会"), (2, "预算工作委员会")]),
    (3, "教育科学文化卫生工作委员会 <委员会> & “引号”"),
    (4, "社会建设工作委员会"),
]


def test_the_lean_select_draws_what_djangos_select_draws():
    for value in (None, "", 3, "4", 1):
        django_html = forms.Select(attrs={"class": "plan", "data-x": "1"}, choices=CHOICES).render("leader", value)
        lean_html = widgets.Select(attrs={"class": "plan", "data-x": "1"}, choices=CHOICES).render("leader", value)
        assert parse_html(lean_html) == parse_html(django_html), value
    assert "selected>教育科学文化卫生工作委员会 &lt;委员会&gt; &amp; “引号”</option>" in widgets.Select(
        choices=CHOICES
    ).render("c", 3)


def test_only_djangos_plain_select_is_replaced():
    plain = forms.Select(attrs={"class": "x"}, choices=CHOICES)
    plain.is_required = True
    lean = widgets.lean(plain)
    assert type(lean) is widgets.Select and lean.attrs == {"class": "x"} and lean.is_required
    assert list(lean.choices) == list(plain.choices)
    for other in (forms.RadioSelect(choices=CHOICES), forms.SelectMultiple(choices=CHOICES), forms.TextInput()):
        assert widgets.lean(other) is other
    from django.contrib import admin

    from evaluations.models import PlanEntry

    autocomplete = AutocompleteSelect(PlanEntry._meta.get_field("unit"), admin.site)
    assert widgets.lean(autocomplete) is autocomplete  # an autocomplete keeps its own


def test_a_shown_value_is_text_not_an_input():
    html = widgets.Shown("县<财政>局").render("unit", 7)
    assert html == '<div class="readonly">县&lt;财政&gt;局</div>'
