"""Official documents issued by the committee and the templates they are drawn from."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress import uploads
from congress.files import RecordFileField


class DocumentTemplate(models.Model):
    """A county's own template for one kind of document (a .docx with the kind's placeholders),
    uploaded by staff. Versions are numbered per kind and kept; the active one is used for the
    next document issued, and without one the default template shipped with the system is."""

    kind = models.CharField(_("kind of document"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), editable=False)
    file = RecordFileField(_("template (.docx)"), prefix="documents/templates", types=(uploads.DOCX,), max_mb=10)
    note = models.CharField(_("note"), max_length=200, blank=True)
    active = models.BooleanField(_("in use"), default=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="one_template_version_per_kind"),
            models.UniqueConstraint(fields=["kind"], condition=Q(active=True), name="one_active_template_per_kind"),
        ]

    def __str__(self):
        from congress import documents

        kind = documents.KINDS.get(self.kind)
        return f"{kind.name if kind else self.kind} · v{self.version}"


class DocumentCounter(models.Model):
    """The last number issued for a kind of document in a year: the row the issuing service locks
    (select_for_update) so that numbers run on without gaps or repeats."""

    kind = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="one_counter_per_kind_and_year")]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"


class IssuedDocument(models.Model):
    """A document the committee issued (发文): its kind, number (文号, consecutive per kind and
    year), the record it was issued for, to whom it went, the .docx as sent, who issued it and
    when, and which template version it was drawn from (0: the default)."""

    kind = models.CharField(_("kind of document"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    number = models.CharField(_("document number"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=300)
    addressee = models.CharField(_("addressed to"), max_length=300)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey(
        "congress.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    file = RecordFileField(_("document (.docx)"), prefix="documents/issued", types=(uploads.DOCX,))
    template_version = models.PositiveSmallIntegerField(_("template version"), default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="issued_document_record_idx")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "serial"], name="one_document_per_number"),
            models.CheckConstraint(condition=Q(serial__gte=1), name="document_serial_positive"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def kind_name(self) -> str:
        from congress import documents

        kind = documents.KINDS.get(self.kind)
        return kind.name if kind else self.kind
