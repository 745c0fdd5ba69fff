from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EvaluationsConfig(AppConfig):
    """Duty evaluations (述职评议) and work evaluations (工作评议), from topics to verdict."""

    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        from . import documents, downloads

        downloads.register()
        documents.register()
        from auditlog.registry import auditlog

        from congress import demo, surfaces
        from congress.services import reminders

        from . import models, selectors
        from .demo import load_evaluations_demo
        from .reminders import SOURCES

        demo.register_extension(load_evaluations_demo)
        for source in SOURCES:
            reminders.register(source)
        surfaces.register(
            surfaces.Entry(
                surface="unit",
                key="rectification",
                title=pgettext_lazy("unit portal", "Rectification"),
                url_name="evaluations:unit_rectifications",
                count=selectors.unit_attention_count,
                count_label=_("items need attention"),
                empty_label=_("Nothing due this week"),
                order=30,
            )
        )

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
