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

        # The staff's workbench: what needs them now, each count the length of the list it opens.
        for key, title, url_name, query, count, label, order in (
            ("overdue", _("Overdue"), "admin:evaluations_rectification_ledger", "view=late",
             selectors.overdue_count, _("rectification items late"), 10),
            ("due_this_week", _("Due this week"), "admin:evaluations_rectification_ledger", "view=week",
             selectors.due_this_week_count, _("rectification items due within 7 days"), 20),
            ("awaiting_review", _("Awaiting review"), "admin:evaluations_rectification_changelist", "review=waiting",
             selectors.awaiting_review_count, _("plans or reports handed in"), 30),
            ("campaigns", _("Evaluations in progress"), "admin:evaluations_campaign_changelist",
             "stage__in=" + ",".join(selectors.IN_PROGRESS), selectors.campaigns_in_progress_count,
             _("evaluations before their results"), 50),
        ):  # fmt: skip
            surfaces.register(
                surfaces.Entry(
                    surface="office", key=key, title=title, url_name=url_name, query=query, count=count,
                    count_label=label, empty_label=_("None"), order=order,
                )
            )  # fmt: skip

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
