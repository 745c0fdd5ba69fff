from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """A message in a person's own surface (我的通知): deputies see theirs in /m/, liaisons in
    /unit/, staff in the back office. Reminders arrive as notices, and by email where known."""

    # No index of its own: the inbox index (recipient, newest first) leads with it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("recipient"),
        db_index=False,
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    reminder = models.ForeignKey(
        "congress.ReminderLog",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
        verbose_name=_("reminder"),
    )

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notice_inbox_idx"),
            # The back office's list of everyone's notices, newest first, and its dates.
            models.Index(fields=["-created_at", "-id"], name="notice_newest_idx"),
        ]

    def __str__(self):
        return self.title


class ReminderLog(models.Model):
    """The record that one reminder was sent: its key (object, kind, due date) is unique, so the
    same reminder never goes out twice, however often or concurrently the scan runs."""

    # No index of its own: the unique key (content type, object, kind, due date) leads with it.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("object type"), db_index=False
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")  # what the reminder was about
    kind = models.CharField(_("reminder kind"), max_length=64)
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    # Which scan wrote the row (the scan learns its own rows from its INSERT ... RETURNING).
    scan = models.UUIDField(editable=False)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind", "due_at"], name="reminder_sent_once"),
        ]
        indexes = [
            # The back office's list, newest first, reads its page from the index (each row's
            # reach is counted for the rows shown only).
            models.Index(fields=["-sent_at", "-id"], name="reminderlog_sent_idx"),
        ]

    def __str__(self):
        from congress.services.reminders import label_of  # the kinds are registered with the engine

        return f"{label_of(self.kind)} #{self.object_id} @ {timezone.localtime(self.due_at):%Y-%m-%d %H:%M}"


class Reminder(models.Model):
    """A reminder staff set for people at a given time (提醒事项), e.g. "please return the
    questionnaire by Friday", to logins and to deputies from the roster (who need no login).
    The simplest deadline source of the reminder engine; staff may mark it urgent."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    remind_at = models.DateTimeField(_("remind at"))
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("recipients")
    )
    # Deputies are reminded whether or not they have a login: by SMS to the roster's number.
    deputies = models.ManyToManyField("congress.Deputy", related_name="+", blank=True, verbose_name=_("deputies"))
    urgent = models.BooleanField(
        _("urgent"), default=False, help_text=_("Urgent reminders are sent by SMS at night too.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-remind_at"]
        indexes = [models.Index(fields=["remind_at"], name="reminder_remind_at_idx")]

    def __str__(self):
        return self.title
