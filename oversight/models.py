"""Supervision all year round (seed 002, 廉江): every unit's commitments posted on the public board
(挂图督战、公示栏), the supervision calendar of each unit (visits monthly, inquiries and
appointments quarterly, a special report half-yearly, the year-end evaluation), special
inquiries (专题询问), and the committee's deliberation opinions (审议意见, seed 001), which are
tracked through the same itemized opinions and rectification the evaluations use."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress import uploads
from congress.files import RecordFileField


class Commitment(models.Model):
    """One item a unit publicly commits to for the year (履职承诺事项), or one of its key works
    (重要工作), key projects (重点项目) or major livelihood matters (重大民生实事). The unit's liaison
    reports progress; the liaison commission paired with the unit checks an item reported done
    before it counts as done."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Commitment")
        KEY_WORK = "key_work", _("Key work")
        KEY_PROJECT = "key_project", _("Key project")
        LIVELIHOOD = "livelihood", _("Major livelihood matter")

    class State(models.TextChoices):
        UNDERWAY = "underway", pgettext_lazy("commitment state", "Under way")
        REPORTED = "reported", pgettext_lazy("commitment state", "Reported done, being checked")
        DONE = "done", pgettext_lazy("commitment state", "Done")

    unit = models.ForeignKey(
        "congress.Unit", on_delete=models.PROTECT, related_name="commitments", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    kind = models.CharField(_("kind"), max_length=11, choices=Kind.choices, default=Kind.COMMITMENT)
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    target = models.CharField(_("target"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    progress_note = models.TextField(_("latest progress"), blank=True, editable=False)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.UNDERWAY, editable=False)
    check_comment = models.TextField(_("commission's comment"), blank=True, editable=False)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("progress updated at"), null=True, blank=True, editable=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["unit__sort_order", "unit_id", "year", "kind", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind", "title"], name="commitment_unique_title"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="commitment_progress_percent"),
            models.CheckConstraint(
                condition=Q(kind__in=["commitment", "key_work", "key_project", "livelihood"]),
                name="commitment_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="underway") | Q(progress=100), name="commitment_reported_or_done_at_100"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["underway", "reported", "done"]), name="commitment_state_valid"
            ),
        ]

    def __str__(self):
        return self.title


class CommitmentUpdate(models.Model):
    """A progress report on a commitment by the unit's liaison, or the commission's check."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="updates", verbose_name=_("commitment")
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("progress"))
    evidence = RecordFileField(_("evidence"), prefix="oversight/commitments", types=uploads.EVIDENCE, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["commitment", "-at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="commitment_update_percent")]

    def __str__(self):
        return f"{self.commitment_id}:{self.progress}"


class Activity(models.Model):
    """One planned supervision activity on a unit in the year's calendar (监督日历): a research
    visit or inspection (调研视察, monthly), an inquiry or appointment (询问约见, quarterly), a
    special report to the standing committee (专题报告, half-yearly) or the year-end evaluation
    (年终工作评议). Planned first, then recorded as held with its date, participants, findings and
    follow-up; a plan not recorded by its date is reminded."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Research visit or inspection")
        INQUIRY = "inquiry", _("Inquiry or appointment")
        SPECIAL_REPORT = "report", _("Special report")
        EVALUATION = "evaluation", _("Year-end evaluation")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("activity status", "Planned")
        HELD = "held", pgettext_lazy("activity status", "Held")
        CANCELLED = "cancelled", pgettext_lazy("activity status", "Cancelled")

    unit = models.ForeignKey(
        "congress.Unit", on_delete=models.PROTECT, related_name="supervision_activities", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    planned_on = models.DateField(_("planned for"))
    # The end of the planned day: the reminder engine's due date for a plan not yet recorded.
    due_at = models.DateTimeField(_("due"), db_index=True, editable=False)
    commission = models.ForeignKey(
        "congress.Commission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("liaison commission"),
    )
    leader = models.ForeignKey(
        "congress.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible leader"),
    )
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.PLANNED, editable=False)
    held_on = models.DateField(_("held on"), null=True, blank=True, editable=False)
    members = models.ManyToManyField(
        "congress.Member", blank=True, related_name="+", verbose_name=_("members taking part")
    )
    deputies = models.ManyToManyField(
        "congress.Deputy", blank=True, related_name="+", verbose_name=_("deputies taking part")
    )
    findings = models.TextField(_("findings"), blank=True, editable=False)
    follow_up = models.TextField(_("follow-up"), blank=True, editable=False)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, editable=False)

    class Meta:
        verbose_name = _("supervision activity")
        verbose_name_plural = _("supervision calendar")
        ordering = ["year", "planned_on", "unit__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "planned_on"], name="supervision_activity_one_per_day"),
            models.CheckConstraint(
                condition=Q(kind__in=["visit", "inquiry", "report", "evaluation"]),
                name="supervision_activity_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "cancelled"]) | Q(held_on__isnull=False),
                name="supervision_activity_held_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "held", "cancelled"]), name="supervision_activity_status_valid"
            ),
        ]

    def __str__(self):
        return self.title


class SpecialInquiry(models.Model):
    """A special inquiry (专题询问): a planned session of the standing committee on one topic, at
    which members and deputies put questions to the officials of the units concerned; the
    answers are recorded and followed up."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("inquiry status", "Planned")
        HELD = "held", pgettext_lazy("inquiry status", "Held")

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    topic = models.CharField(_("topic"), max_length=200)
    meeting = models.ForeignKey(
        "congress.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("meeting"),
    )
    planned_on = models.DateField(_("planned for"))
    units = models.ManyToManyField(
        "congress.Unit", related_name="special_inquiries", verbose_name=_("units questioned")
    )
    status = models.CharField(_("status"), max_length=7, choices=Status.choices, default=Status.PLANNED, editable=False)
    held_on = models.DateField(_("held on"), null=True, blank=True, editable=False)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        verbose_name = _("special inquiry")
        verbose_name_plural = _("special inquiries")
        ordering = ["-planned_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned") | Q(held_on__isnull=False), name="special_inquiry_held_has_date"
            ),
            models.CheckConstraint(condition=Q(status__in=["planned", "held"]), name="special_inquiry_status_valid"),
        ]

    def __str__(self):
        return self.topic


class InquiryQuestion(models.Model):
    """A question put at a special inquiry by a member or deputy, and the official's answer."""

    inquiry = models.ForeignKey(
        SpecialInquiry, on_delete=models.CASCADE, related_name="questions", verbose_name=_("special inquiry")
    )
    asked_by = models.ForeignKey(
        "congress.Deputy", on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    question = models.TextField(_("question"))
    unit = models.ForeignKey(
        "congress.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    answered_by = models.CharField(_("answered by (name and post)"), max_length=100, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("inquiry question")
        verbose_name_plural = _("inquiry questions")
        ordering = ["inquiry", "sort_order", "pk"]

    def __str__(self):
        return self.question[:40]


class Deliberation(models.Model):
    """The standing committee's deliberation of a report (审议) and the deliberation opinions
    (审议意见) it sends to the body concerned. The opinions are itemized and tracked to the
    body's reply and the committee's review of the result through the evaluations'
    Rectification, the one opinion mechanism; the committee decides when to publish them."""

    meeting = models.ForeignKey(
        "congress.Meeting", on_delete=models.PROTECT, related_name="+", verbose_name=_("standing committee session")
    )
    report_title = models.CharField(_("report deliberated"), max_length=200)
    unit = models.ForeignKey(
        "congress.Unit", on_delete=models.PROTECT, related_name="deliberations", verbose_name=_("body concerned")
    )
    deliberated_on = models.DateField(_("deliberated on"))
    rectification = models.OneToOneField(
        "evaluations.Rectification",
        on_delete=models.PROTECT,
        related_name="deliberation",
        verbose_name=_("opinions and their handling"),
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("deliberation opinions")
        verbose_name_plural = _("deliberation opinions")
        ordering = ["-deliberated_on", "pk"]

    def __str__(self):
        return self.report_title

    @property
    def year(self) -> int:
        return self.deliberated_on.year
