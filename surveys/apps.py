from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Questionnaires (问卷): topic and opinion collection from deputies and the public."""

    name = "surveys"
    verbose_name = _("Questionnaires")

    def ready(self):
        from auditlog.registry import auditlog

        from congress.services import reminders

        from . import models
        from .reminders import SOURCE

        for model in (models.Survey, models.Section, models.Question, models.Choice):
            if not auditlog.contains(model):
                auditlog.register(model)
        reminders.register(SOURCE)
