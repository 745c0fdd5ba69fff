from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Questionnaires (问卷): topic and opinion collection from deputies and the public."""

    name = "surveys"
    verbose_name = _("Questionnaires")
