from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Duty evaluations (述职评议) and work evaluations (工作评议), from topics to verdict."""

    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        from auditlog.registry import auditlog

        from congress import demo
        from congress.services import reminders

        from . import models
        from .demo import load_evaluations_demo
        from .reminders import SOURCES

        demo.register_extension(load_evaluations_demo)
        for source in SOURCES:
            reminders.register(source)

        # Field changes made in the back office are on the record; results are written once.
        for model in (
            models.TermPlan,
            models.PlanEntry,
            models.Campaign,
            models.Phase,
            models.Symposium,
            models.Topic,
            models.Candidate,
            models.SurveyTeam,
            models.Subject,
            models.ChecklistItem,
            models.ContentItem,
            models.SurveyReport,
            models.Question,
            models.Rectification,
            models.Opinion,
            models.Interview,
            models.InquiryMotion,
        ):
            if not auditlog.contains(model):
                auditlog.register(model)
