from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Delivery(models.Model):
    """One reminder on its way to one person by one channel (发送记录): the outbox row.

    It is written in the same transaction as the reminder's record (ReminderLog), one row per
    (reminder, person, channel) under a unique key, so a reminder is queued exactly once. A
    delivery task then hands each row to its provider and marks it sent only when the provider
    has accepted it; a failure that may pass is retried with backoff, a permanent one is marked
    failed with the provider's reason. A periodic sweep delivers rows whose task was lost. A
    person who has no channel at all gets one row on the channel ``none``, marked unreachable,
    so staff see who the reminder could not reach and why.

    The person is named by ``person_key``: ``deputy:<id>`` for a deputy (with or without a
    login), ``user:<id>`` for anyone else with a login (staff, liaisons).
    """

    class Channel(models.TextChoices):
        INAPP = "inapp", _("In-app notice")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")
        NONE = "none", _("No channel")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("delivery status", "Queued")
        HELD = "held", pgettext_lazy("delivery status", "Held")
        SENDING = "sending", pgettext_lazy("delivery status", "Sending")
        SENT = "sent", pgettext_lazy("delivery status", "Sent")
        DELIVERED = "delivered", pgettext_lazy("delivery status", "Delivered")
        FAILED = "failed", pgettext_lazy("delivery status", "Failed")
        UNREACHABLE = "unreachable", pgettext_lazy("delivery status", "Unreachable")

    # Rows a delivery pass may take: waiting, held until morning, or claimed by a worker that
    # died before it finished (its claim has run out).
    OPEN = (Status.QUEUED, Status.HELD, Status.SENDING)
    REACHED = (Status.SENT, Status.DELIVERED)

    # No index of its own: the unique key (reminder, person, channel) leads with it.
    reminder = models.ForeignKey(
        "congress.ReminderLog",
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("reminder"),
        db_index=False,
    )
    person_key = models.CharField(_("person"), max_length=30)
    person_name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    deputy = models.ForeignKey(
        "congress.Deputy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("deputy")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("login"),
    )
    channel = models.CharField(pgettext_lazy("delivery", "channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    # The claim of the delivery pass that is sending the row, and until when it holds.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    provider_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    reason = models.CharField(pgettext_lazy("delivery", "reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(pgettext_lazy("delivery", "delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "person_key", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["queued", "held", "sending"]),
                name="delivery_open_idx",
            ),
            models.Index(fields=["channel", "address", "sent_at"], name="delivery_address_idx"),
            models.Index(fields=["person_key", "-created_at"], name="delivery_person_idx"),
            models.Index(fields=["provider_id"], name="delivery_provider_idx"),
        ]

    def __str__(self):
        return f"{self.person_name} · {self.get_channel_display()} · {self.title}"

    @property
    def key(self) -> str:
        """The idempotency key handed to the provider where it takes one."""
        return f"reminder-{self.reminder_id}-{self.person_key}-{self.channel}"
