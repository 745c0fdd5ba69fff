"""Planning: the term plan (评议规划表), the year's campaign and its phases."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.files import RecordFileField
from congress.models import Poll


class TermPlan(models.Model):
    """The term's evaluation plan (评议规划表): which unit is evaluated in which year, so that a
    term covers every unit (一届任期全覆盖). Drafted, then approved by the committee's party
    group; approving with units left uncovered needs an explicit confirmation."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan status", "Draft")
        APPROVED = "approved", pgettext_lazy("plan status", "Approved")

    term = models.OneToOneField(
        "congress.Term", on_delete=models.PROTECT, related_name="evaluation_plan", verbose_name=_("term")
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, editable=False)
    note = models.TextField(_("note"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    uncovered_when_approved = models.PositiveSmallIntegerField(
        _("units left uncovered when approved"), default=0, editable=False
    )

    class Meta:
        verbose_name = _("term evaluation plan")
        verbose_name_plural = _("term evaluation plans")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "approved"]), name="termplan_status_valid")
        ]

    def __str__(self):
        return self.title


class PlanEntry(models.Model):
    """One line of the term plan: a unit evaluated in a year, with the commission and the
    leader responsible for it and the date it must be done by (责任委室、责任领导、完成时限)."""

    plan = models.ForeignKey(TermPlan, on_delete=models.CASCADE, related_name="entries", verbose_name=_("plan"))
    unit = models.ForeignKey("congress.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    commission = models.ForeignKey(
        "congress.Commission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible commission"),
    )
    leader = models.ForeignKey(
        "congress.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible leader"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan entry")
        verbose_name_plural = _("plan entries")
        ordering = ["year", "unit__sort_order", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit", "year"], name="one_plan_entry_per_unit_and_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="plan_entry_year_valid"),
        ]

    def __str__(self):
        return f"{self.year} · {self.unit}"


class Campaign(models.Model):
    """One year's evaluation of one kind (年度评议): its implementation plan document, its
    phases, its subjects and its meeting. The stage says where the work stands; services move
    it forward and refuse any step taken out of turn."""

    class Kind(models.TextChoices):
        DUTY = "duty", _("Duty evaluation")
        WORK = "work", _("Work evaluation")

    class Stage(models.TextChoices):
        PLANNING = "planning", _("Planning")
        TOPICS = "topics", _("Collecting topics")
        CANDIDATES = "candidates", _("Choosing who reports")
        INVESTIGATION = "investigation", _("Investigation")
        MEETING = "meeting", _("Evaluation meeting")
        VERDICT = "verdict", _("Results decided")

    class Levels(models.TextChoices):
        FOUR = "four", _("Four levels: 满意, 较满意, 基本满意, 不满意")
        THREE = "three", _("Three levels: 满意, 基本满意, 不满意")

    term = models.ForeignKey("congress.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    plan_document = RecordFileField(
        _("implementation plan"), prefix="evaluations/plans", blank=True, help_text=_("实施方案 (PDF or Word).")
    )
    stage = models.CharField(_("stage"), max_length=13, choices=Stage.choices, default=Stage.PLANNING, editable=False)
    levels = models.CharField(_("satisfaction levels"), max_length=5, choices=Levels.choices, default=Levels.FOUR)
    pass_ratio = models.DecimalField(
        _("pass threshold"),
        max_digits=4,
        decimal_places=3,
        default=0.5,
        help_text=_(
            "A subject passes when the share of 满意, 较满意 and 基本满意 among its valid ballots exceeds this."
        ),
    )
    pass_strictly = models.BooleanField(
        _("strictly more than the threshold"),
        default=True,
        help_text=_("On: exactly half is not enough (过半数). Off: reaching the threshold passes."),
    )
    electorate = models.CharField(
        _("who scores"), max_length=10, choices=Poll.Electorate.choices, default=Poll.Electorate.BOTH
    )
    directors_meeting = models.ForeignKey(
        "congress.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("director's meeting deciding the reporters"),
        editable=False,
    )
    candidate_poll = models.ForeignKey(
        "congress.Poll", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    meeting = models.ForeignKey(
        "congress.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluation meeting"),
        editable=False,
    )
    satisfaction_poll = models.ForeignKey(
        "congress.Poll", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    plan_months = models.PositiveSmallIntegerField(
        _("rectification plan due (months)"), default=1, help_text=_("After the opinions are delivered.")
    )
    report_months = models.PositiveSmallIntegerField(
        _("rectification report due (months)"),
        default=2,
        help_text=_("After the opinions are delivered, usually 2 or 3."),
    )
    reevaluation_poll = models.ForeignKey(
        "congress.Poll", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("results decided at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation campaign")
        verbose_name_plural = _("evaluation campaigns")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="one_campaign_per_year_and_kind"),
            models.CheckConstraint(condition=Q(kind__in=["duty", "work"]), name="campaign_kind_valid"),
            models.CheckConstraint(
                condition=Q(stage__in=["planning", "topics", "candidates", "investigation", "meeting", "verdict"]),
                name="campaign_stage_valid",
            ),
            models.CheckConstraint(condition=Q(levels__in=["four", "three"]), name="campaign_levels_valid"),
            models.CheckConstraint(condition=Q(pass_ratio__gt=0, pass_ratio__lt=1), name="campaign_pass_ratio_valid"),
            # Topic collection and the ballot on candidates belong to duty evaluations only.
            models.CheckConstraint(
                condition=Q(kind="duty") | ~Q(stage__in=["topics", "candidates"]), name="campaign_work_skips_topics"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def ref(self) -> str:
        return f"evaluations.campaign:{self.pk}"


class Phase(models.Model):
    """A phase of the campaign with its dates (年度时间安排表): 宣传发动, 自查自纠, 调查,
    常委会评议, 整改落实. Staff adjust the dates; marking a phase done is recorded."""

    class Kind(models.TextChoices):
        PUBLICITY = "publicity", _("Publicity and mobilisation")
        SELF_REVIEW = "self_review", _("Self-examination and correction")
        INVESTIGATION = "investigation", _("Investigation")
        DELIBERATION = "deliberation", _("Evaluation by the standing committee")
        RECTIFICATION = "rectification", _("Rectification")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases", verbose_name=_("campaign"))
    kind = models.CharField(_("phase"), max_length=13, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["campaign", "sort_order", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="one_phase_of_each_kind"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"),
            models.CheckConstraint(
                condition=Q(kind__in=["publicity", "self_review", "investigation", "deliberation", "rectification"]),
                name="phase_kind_valid",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()
