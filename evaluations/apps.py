from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Duty evaluations (述职评议) and work evaluations (工作评议), through rectification."""

    name = "evaluations"
    verbose_name = _("Evaluations")
