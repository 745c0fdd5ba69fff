from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPublishConfig(AppConfig):
    """Publication (向社会公布): the public site, columns and meeting recordings."""

    name = "media_publish"
    verbose_name = _("Publication")

    def ready(self):
        from . import downloads

        downloads.register()
        from auditlog.registry import auditlog

        from congress import demo

        from . import models
        from .demo import load_publication_demo

        # Publications are audited by their services (publish, withdraw...): their frozen
        # content would only bloat a field-change log.
        for model in (models.Column, models.Recording, models.BroadcastSlot):
            if not auditlog.contains(model):
                auditlog.register(model)
        demo.register_extension(load_publication_demo)
