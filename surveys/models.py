"""Questionnaires (问卷): the committee collects the topics officials must report on (述职问题
调查问卷) and opinions about the units it evaluates (征求意见), from deputies on their phones,
from the public through a 评议码 QR code on posters, and on paper (线上+线下).

A questionnaire never knows what it is for: ``purpose`` and ``ref`` name the thing it serves in
another app (e.g. "evaluations.campaign:3"), as PollItem.ref does for the voting engine.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read off a poster
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Survey(models.Model):
    """A questionnaire put to an audience between an opening and a closing time: all deputies
    (each answers once, through a personal link, and may change the answer until closing), a
    group (the deputies of some deputy groups or commissions), or the public (anyone with the
    评议码, anonymous or with a name and phone). Lifecycle: draft → open → closed."""

    class Audience(models.TextChoices):
        DEPUTIES = "deputies", _("All deputies")
        GROUP = "group", _("A group of deputies")
        PUBLIC = "public", _("The public")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("questionnaire status", "Draft")
        OPEN = "open", pgettext_lazy("questionnaire status", "Open")
        CLOSED = "closed", pgettext_lazy("questionnaire status", "Closed")

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Shown above the questions."))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.DEPUTIES)
    deputy_groups = models.ManyToManyField(
        "congress.DeputyGroup", blank=True, related_name="+", verbose_name=_("deputy groups")
    )
    commissions = models.ManyToManyField(
        "congress.Commission", blank=True, related_name="+", verbose_name=_("commissions")
    )
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.DRAFT, editable=False)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    code = models.CharField(
        _("questionnaire code"),
        max_length=12,
        unique=True,
        default=new_code,
        editable=False,
        help_text=_("The 评议码 printed under the QR code of a public questionnaire."),
    )
    remind_days = models.PositiveSmallIntegerField(
        _("remind days before closing"),
        default=2,
        help_text=_("Deputies who have not answered are reminded this many days before closing; 0 for no reminder."),
    )
    # When the reminder goes out (closes_at - remind_days), kept for the reminder engine's scan.
    remind_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    purpose = models.CharField(
        _("purpose"),
        max_length=50,
        blank=True,
        help_text=_("What the answers are collected for, e.g. topic collection."),
    )
    ref = models.CharField(_("reference"), max_length=100, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=["deputies", "group", "public"]), name="survey_audience_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=["draft", "open", "closed"]), name="survey_status_valid"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="survey_dates_ordered"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.remind_at = (
            self.closes_at - timedelta(days=self.remind_days)
            if self.remind_days and self.closes_at and self.audience != self.Audience.PUBLIC
            else None
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"closes_at", "remind_days", "audience"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "remind_at"}
        super().save(*args, **kwargs)

    def accepting(self, now=None) -> bool:
        """Open, and between its opening and closing time."""
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    @property
    def for_deputies(self) -> bool:
        return self.audience in (self.Audience.DEPUTIES, self.Audience.GROUP)


class Section(models.Model):
    """A part of a questionnaire with its own heading (e.g. 一、对县政府工作的总体评价)."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="sections", verbose_name=_("questionnaire")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.title


class Question(models.Model):
    """One question: single or multiple choice (with a maximum of picks), free text (with a
    maximum length), a rating scale, "pick a unit" (from the units the committee supervises),
    or "pick up to N topics" (the choices are the topics)."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")
        RATING = "rating", _("Rating scale")
        UNIT = "unit", _("Pick a unit")
        TOPICS = "topics", _("Pick up to N topics")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.TOPICS)

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("questionnaire")
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions", verbose_name=_("section")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.SINGLE)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=True)
    max_choices = models.PositiveSmallIntegerField(
        _("maximum picks"), null=True, blank=True, help_text=_("Multiple choice and topics: at most this many.")
    )
    max_length = models.PositiveSmallIntegerField(
        _("maximum length"), default=500, help_text=_("Free text: at most this many characters.")
    )
    scale = models.PositiveSmallIntegerField(_("rating scale"), default=5, help_text=_("Rating: from 1 to this."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["single", "multiple", "text", "rating", "unit", "topics"]),
                name="question_kind_valid",
            ),
            models.CheckConstraint(condition=Q(max_length__gte=1, max_length__lte=5000), name="question_length_valid"),
            models.CheckConstraint(condition=Q(scale__gte=2, scale__lte=10), name="question_scale_valid"),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=1), name="question_max_choices_valid"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def pick_limit(self) -> int | None:
        if self.kind == self.Kind.SINGLE:
            return 1
        if self.kind in (self.Kind.MULTIPLE, self.Kind.TOPICS):
            return self.max_choices
        return None


class Choice(models.Model):
    """An option of a choice question, or a topic of a "pick up to N topics" question.
    ``ref`` may name what the topic stands for in another app."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question"))
    label = models.CharField(_("label"), max_length=200)
    ref = models.CharField(_("reference"), max_length=100, blank=True, editable=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "label"], name="unique_choice_label_per_question")]

    def __str__(self):
        return self.label


class Response(models.Model):
    """One filled-in questionnaire. A deputy's response is unique per questionnaire (the
    database refuses a second one; the deputy edits the first until closing); a public response
    is anonymous, or carries the optional name and phone the person gave. Paper questionnaires
    typed in by staff are marked as paper and count with the rest."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("questionnaire")
    )
    deputy = models.ForeignKey(
        "congress.Deputy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("deputy"),
    )
    name = models.CharField(_("name"), max_length=30, blank=True)
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    channel = models.CharField(_("way of answering"), max_length=6, choices=Channel.choices, default=Channel.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "deputy"], condition=Q(deputy__isnull=False), name="one_response_per_deputy"
            ),
            models.CheckConstraint(condition=Q(channel__in=["online", "paper"]), name="response_channel_valid"),
            models.CheckConstraint(
                condition=Q(channel="paper") | Q(entered_by__isnull=True), name="response_entered_by_only_paper"
            ),
        ]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="response_survey_time_idx")]

    def __str__(self):
        return f"{self.survey} · {self.deputy or self.name or self.pk}"


class Answer(models.Model):
    """The answer to one question in a response. A choice question has one row per picked
    choice; a unit question names the unit; a rating holds the number; a text the words."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.CASCADE, related_name="answers", verbose_name=_("choice")
    )
    unit = models.ForeignKey(
        "congress.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "choice"], condition=Q(choice__isnull=False), name="pick_choice_once"
            ),
            models.UniqueConstraint(
                fields=["response", "question"], condition=Q(choice__isnull=True), name="one_plain_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(choice__isnull=False) | Q(unit__isnull=False) | Q(rating__isnull=False) | ~Q(text=""),
                name="answer_not_empty",
            ),
        ]
        indexes = [models.Index(fields=["question", "choice"], name="answer_question_choice_idx")]

    def __str__(self):
        return f"{self.response_id}:{self.question_id}"
