"""Findings that do not go away (评议是手段，解决问题才是目的): the itemized opinions delivered to
a unit, its rectification plan and reports item by item, and the escalations when it fails:
interviews (约谈) and inquiry motions (质询案).

One mechanism serves every itemized opinion the committee delivers: a Rectification belongs to
an evaluation subject, or to any other source named by ``source_ref`` (the committee's
deliberation opinions, in the oversight app).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress import uploads
from congress.files import RecordFileField


class Rectification(models.Model):
    """The rectification (整改) a unit owes on one set of itemized opinions: drafted, approved by
    the director's meeting, delivered to the unit (which starts the clocks: the plan is due a
    month later, the report two or three), then closed when every item is done."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", pgettext_lazy("rectification status", "Drafting the opinions")
        APPROVED = "approved", pgettext_lazy("rectification status", "Opinions approved")
        DELIVERED = "delivered", pgettext_lazy("rectification status", "Rectifying")
        CLOSED = "closed", pgettext_lazy("rectification status", "Rectified")

    subject = models.OneToOneField(
        "evaluations.Subject",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rectification",
        verbose_name=_("subject"),
    )
    source_ref = models.CharField(max_length=100, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey("congress.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
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
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.DRAFTING, editable=False
    )
    plan_months = models.PositiveSmallIntegerField(_("plan due (months after delivery)"), default=1)
    report_months = models.PositiveSmallIntegerField(_("report due (months after delivery)"), default=2)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True, editable=False)
    plan_due_at = models.DateTimeField(_("plan due"), null=True, blank=True, editable=False, db_index=True)
    report_due_at = models.DateTimeField(_("report due"), null=True, blank=True, editable=False, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["-delivered_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["drafting", "approved", "delivered", "closed"]),
                name="rectification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["drafting", "approved"])
                | Q(delivered_at__isnull=False, plan_due_at__isnull=False, report_due_at__isnull=False),
                name="rectification_delivered_has_deadlines",
            ),
            models.CheckConstraint(
                condition=Q(plan_months__gte=1, report_months__gt=models.F("plan_months")),
                name="rectification_report_after_plan",
            ),
        ]

    def __str__(self):
        return self.title


class OpinionQuerySet(models.QuerySet):
    pass


class OpinionManager(models.Manager.from_queryset(OpinionQuerySet)):
    """Every opinion read carries the status of its rectification's latest plan (``plan_status``),
    which its word (``step``) needs: after a plan is handed in its items read 计划已报."""

    def get_queryset(self):
        latest_plan = Submission.objects.filter(
            rectification=models.OuterRef("rectification"), kind=Submission.Kind.PLAN
        ).order_by("-submitted_at", "-pk")
        return super().get_queryset().annotate(plan_status=models.Subquery(latest_plan.values("status")[:1]))


class Opinion(models.Model):
    """One itemized opinion (评议意见, 清单化、条目式): the finding, the action required, the target
    and the deadline. Its state follows the unit's plan and reports and the staff's review; only
    the staff's acceptance of a report closes a returned or late item."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("opinion state", "Awaiting the plan")
        PLANNED = "planned", pgettext_lazy("opinion state", "Being rectified")
        REPORTED = "reported", pgettext_lazy("opinion state", "Reported, under review")
        RETURNED = "returned", pgettext_lazy("opinion state", "Returned")
        DONE = "done", pgettext_lazy("opinion state", "Done")

    class Step(models.TextChoices):
        """The one list of words for where an item stands (GLOSSARY: 待报计划 / 计划已报 /
        计划已退回 / 整改中 / 已整改 / 已销号), shown by every page, export and publication."""

        AWAITING_PLAN = "awaiting_plan", pgettext_lazy("rectification item", "Plan to be handed in")
        PLAN_SUBMITTED = "plan_submitted", pgettext_lazy("rectification item", "Plan handed in")
        PLAN_RETURNED = "plan_returned", pgettext_lazy("rectification item", "Plan returned")
        RECTIFYING = "rectifying", pgettext_lazy("rectification item", "Being rectified")
        RECTIFIED = "rectified", pgettext_lazy("rectification item", "Rectified")
        CLOSED = "closed", pgettext_lazy("rectification item", "Closed off")

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("rectification")
    )
    finding = models.TextField(_("finding"))
    action = models.TextField(_("action required"))
    target = models.CharField(_("target"), max_length=300, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN, editable=False)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = OpinionManager()

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["rectification", "sort_order", "pk"]
        indexes = [models.Index(fields=["state", "deadline"], name="opinion_state_deadline_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["open", "planned", "reported", "returned", "done"]), name="opinion_state_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="opinion_progress_percent"),
            models.CheckConstraint(
                condition=Q(state="done", done_at__isnull=False) | (~Q(state="done") & Q(done_at__isnull=True)),
                name="opinion_done_has_time",
            ),
        ]

    def __str__(self):
        return self.finding[:60]

    @property
    def step(self) -> "Opinion.Step":
        """Where the item stands, in the glossary's words: from its state, its reported progress
        and its rectification's latest plan (read with it by the default manager)."""
        if self.state == self.State.DONE:
            return self.Step.CLOSED
        if self.state == self.State.REPORTED and self.progress >= 100:
            return self.Step.RECTIFIED
        if self.state != self.State.OPEN:
            return self.Step.RECTIFYING
        plan_status = getattr(self, "plan_status", None)
        if plan_status == "submitted":
            return self.Step.PLAN_SUBMITTED
        if plan_status == "returned":
            return self.Step.PLAN_RETURNED
        return self.Step.AWAITING_PLAN

    @property
    def step_label(self) -> str:
        return self.step.label


class Submission(models.Model):
    """A rectification plan (整改计划) or report (整改报告) the unit's liaison submits, signed off
    by the head of the unit, item by item; staff accept it or return it with comments."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Rectification plan")
        REPORT = "report", _("Rectification report")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("submission status", "Under review")
        ACCEPTED = "accepted", pgettext_lazy("submission status", "Accepted")
        RETURNED = "returned", pgettext_lazy("submission status", "Returned")

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("rectification")
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.SUBMITTED, editable=False
    )
    signed_off_by = models.CharField(_("signed off by the head of the unit"), max_length=30)
    summary = models.TextField(_("summary"), blank=True)
    file = RecordFileField(
        _("signed document"), prefix="evaluations/rectification/signed", types=uploads.SIGNED, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("submitted by")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    comment = models.TextField(_("staff comment"), blank=True, editable=False)

    class Meta:
        verbose_name = _("rectification submission")
        verbose_name_plural = _("rectification submissions")
        ordering = ["rectification", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["plan", "report"]), name="submission_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "accepted", "returned"]), name="submission_status_valid"
            ),
            # One submission of each kind under review at a time: a double click submits once.
            models.UniqueConstraint(
                fields=["rectification", "kind"], condition=Q(status="submitted"), name="one_submission_under_review"
            ),
        ]

    def __str__(self):
        return f"{self.rectification} · {self.get_kind_display()}"


class SubmissionItem(models.Model):
    """What the unit says about one opinion in a plan (the measures) or a report (what was done,
    how far, with evidence), and the staff's decision on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", pgettext_lazy("item decision", "Pending")
        ACCEPTED = "accepted", pgettext_lazy("item decision", "Accepted")
        RETURNED = "returned", pgettext_lazy("item decision", "Returned")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="items", verbose_name=_("submission")
    )
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="responses", verbose_name=_("opinion"))
    text = models.TextField(_("measures or progress"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    evidence = RecordFileField(
        _("evidence"), prefix="evaluations/rectification/evidence", types=uploads.EVIDENCE, blank=True
    )
    decision = models.CharField(
        _("decision"), max_length=8, choices=Decision.choices, default=Decision.PENDING, editable=False
    )
    comment = models.TextField(_("staff comment"), blank=True, editable=False)

    class Meta:
        verbose_name = _("submission item")
        verbose_name_plural = _("submission items")
        ordering = ["submission", "opinion__sort_order", "opinion_id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "opinion"], name="one_response_per_opinion"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="submission_item_progress_percent"),
            models.CheckConstraint(
                condition=Q(decision__in=["pending", "accepted", "returned"]), name="submission_item_decision_valid"
            ),
        ]

    def __str__(self):
        return f"{self.submission_id}:{self.opinion_id}"


class Interview(models.Model):
    """An interview (约谈): the committee summons the head of a unit that rectifies poorly; the
    conversation is recorded and reported."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("rectification")
    )
    held_on = models.DateField(_("held on"))
    official = models.ForeignKey(
        "congress.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("summoned"),
    )
    led_by = models.ForeignKey(
        "congress.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("led by")
    )
    reason = models.TextField(_("reason"))
    record = models.TextField(_("record of the interview"))
    reported_on = models.DateField(_("reported on"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview (约谈)")
        verbose_name_plural = _("interviews (约谈)")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} · {self.rectification}"


class InquiryMotion(models.Model):
    """An inquiry motion (质询案): at least three members co-sign it (监督法), it names the body
    questioned and the questions; the director's meeting decides whether it is answered orally at
    a session or in writing; the answer is recorded. Raised when a subject fails twice running,
    with a personnel recommendation to the party committee."""

    class Status(models.TextChoices):
        FILED = "filed", pgettext_lazy("motion status", "Filed")
        DECIDED = "decided", pgettext_lazy("motion status", "To be answered")
        ANSWERED = "answered", pgettext_lazy("motion status", "Answered")

    class Mode(models.TextChoices):
        ORAL = "oral", _("Orally at a session")
        WRITTEN = "written", _("In writing")

    subject = models.ForeignKey(
        "evaluations.Subject",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiry_motions",
        verbose_name=_("subject"),
    )
    unit = models.ForeignKey(
        "congress.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("body questioned")
    )
    title = models.CharField(_("title"), max_length=200)
    questions = models.TextField(_("questions"))
    cosigners = models.ManyToManyField("congress.Member", related_name="+", verbose_name=_("co-signing members"))
    personnel_recommendation = models.TextField(_("personnel recommendation to the party committee"), blank=True)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.FILED, editable=False)
    mode = models.CharField(_("answered"), max_length=7, choices=Mode.choices, blank=True, editable=False)
    decided_by = models.ForeignKey(
        "congress.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
        editable=False,
    )
    answer = models.TextField(_("answer given"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inquiry motion (质询案)")
        verbose_name_plural = _("inquiry motions (质询案)")
        ordering = ["-filed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["filed", "decided", "answered"]), name="motion_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="filed", mode="") | (~Q(status="filed") & Q(mode__in=["oral", "written"])),
                name="motion_decided_has_mode",
            ),
        ]

    def __str__(self):
        return self.title
