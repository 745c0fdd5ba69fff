from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RosterUpload(models.Model):
    """A roster workbook staff uploaded in the back office (名册导入): kept as uploaded, so that
    the preview staff confirmed is the file that is imported, and so that the office can
    download the copy with its bad cells marked. The workbook is served only through the
    back office's view, to staff who may import that roster."""

    kind = models.CharField(_("roster"), max_length=20)
    file_name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("workbook"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("roster upload")
        verbose_name_plural = _("roster uploads")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.file_name
