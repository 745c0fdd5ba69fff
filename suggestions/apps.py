from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    """Deputies' suggestions (代表建议) from submission to the deputy's rating of the reply."""

    name = "suggestions"
    verbose_name = _("Deputies' suggestions")

    def ready(self):
        from django.db.models.signals import pre_delete

        from . import documents, downloads, similarity

        downloads.register()
        documents.register()
        from auditlog.registry import auditlog

        from congress import demo, surfaces
        from congress.services import reminders

        from . import models, selectors
        from .demo import load_suggestions_demo
        from .reminders import SOURCES

        for model in (
            models.CongressSession,
            models.Category,
            models.Suggestion,
            models.Assignment,
            models.KeySuggestion,
            models.YearStatistics,
        ):
            if not auditlog.contains(model):
                auditlog.register(model)
        for source in SOURCES:
            reminders.register(source)
        surfaces.register(
            surfaces.Entry(
                surface="deputy",
                key="suggestions",
                title=_("My suggestions"),
                url_name="suggestions:m_list",
                count=selectors.deputy_todo_count,
                count_label=_("to do"),
                empty_label=_("Submit and follow"),
                order=20,
            )
        )
        surfaces.register(
            surfaces.Entry(
                surface="unit",
                key="suggestions",
                title=_("Deputies' suggestions"),
                url_name="suggestions:unit_list",
                count=selectors.unit_todo_count,
                count_label=_("to handle"),
                empty_label=_("Nothing waiting"),
                order=20,
            )
        )
        surfaces.register(
            surfaces.Entry(
                surface="office",
                key="ratings_late",
                title=_("Replies to rate"),
                url_name="admin:suggestions_suggestion_changelist",
                query="rating=late",
                count=selectors.ratings_late_count,
                count_label=_("replies the deputy has not rated in time"),
                empty_label=_("None"),
                order=35,
            )
        )
        demo.register_extension(load_suggestions_demo)
        # The likeness's counts follow a suggestion deleted by any path (the admin, a cascade).
        pre_delete.connect(similarity.forget, sender=models.Suggestion, dispatch_uid="suggestions.forget")
