"""The demo county gets realistic suggestions at every step, once."""

import pytest

from congress import demo
from suggestions.models import Suggestion

pytestmark = pytest.mark.django_db


def test_the_demo_suggestions_load_once_through_the_extension():
    assert demo.load_demo()
    demo.load_extensions()
    statuses = set(Suggestion.objects.values_list("status", flat=True))
    assert {"replied", "completed", "assigned", "returned", "declined", "submitted"} <= statuses
    assert Suggestion.objects.filter(lead_deputy__user__username="deputy", status="replied").exists()
    assert Suggestion.objects.filter(assignments__unit__liaisons__username="liaison").exists()
    count = Suggestion.objects.count()
    demo.load_extensions()
    assert Suggestion.objects.count() == count
