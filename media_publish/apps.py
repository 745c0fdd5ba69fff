from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPublishConfig(AppConfig):
    """Publication (向社会公布): the public site, columns and meeting recordings."""

    name = "media_publish"
    verbose_name = _("Publication")
