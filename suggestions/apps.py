from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    """Deputies' suggestions (代表建议) from submission to the deputy's rating of the reply."""

    name = "suggestions"
    verbose_name = _("Deputies' suggestions")
