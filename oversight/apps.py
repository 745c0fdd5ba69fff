from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """Supervision all year round (月月有调研视察、季季有询问约见、半年有专题报告、年终有工作评议):
    units' commitments on the public board, the supervision calendar, special inquiries and the
    committee's deliberation opinions."""

    name = "oversight"
    verbose_name = _("Year-round supervision")

    def ready(self):
        from . import downloads

        downloads.register()
        from auditlog.registry import auditlog

        from congress import demo, surfaces
        from congress.services import reminders

        from . import models, selectors
        from .demo import load_oversight_demo
        from .reminders import SOURCES

        demo.register_extension(load_oversight_demo)
        for source in SOURCES:
            reminders.register(source)
        surfaces.register(
            surfaces.Entry(
                surface="unit",
                key="commitments",
                title=_("Commitments"),
                url_name="oversight:unit_commitments",
                count=selectors.unit_commitment_todo_count,
                count_label=_("items need attention"),
                empty_label=_("All up to date"),
                order=40,
            )
        )
        for model in (models.Commitment, models.Activity, models.SpecialInquiry, models.Deliberation):
            if not auditlog.contains(model):
                auditlog.register(model)
