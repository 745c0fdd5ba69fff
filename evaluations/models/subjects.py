"""Subjects and their investigation, the meeting's questions and the results."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress import uploads
from congress.files import RecordFileField

from .planning import Campaign
from .topics import Topic


class SurveyTeam(models.Model):
    """A survey team (评议调研组) led by a vice-director, with members, deputies and experts,
    investigating some of the campaign's subjects."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="teams", verbose_name=_("campaign"))
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(
        "congress.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("team leader")
    )
    members = models.ManyToManyField(
        "congress.Member", blank=True, related_name="+", verbose_name=_("standing committee members")
    )
    deputies = models.ManyToManyField("congress.Deputy", blank=True, related_name="+", verbose_name=_("deputies"))
    experts = models.TextField(_("experts"), blank=True, help_text=_("One per line: name and field."))

    class Meta:
        verbose_name = _("survey team")
        verbose_name_plural = _("survey teams")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="unique_team_name_per_campaign")]

    def __str__(self):
        return self.name


class Subject(models.Model):
    """A confirmed subject of this year's evaluation (评议对象 / 述职对象): an official reporting
    on their duties, or a unit. Carries the topics assigned to it (点题), its written report,
    its survey team, the investigation checklist and, after the meeting, its result."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="subjects", verbose_name=_("campaign")
    )
    unit = models.ForeignKey("congress.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    official = models.ForeignKey(
        "congress.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("official"),
    )
    label = models.CharField(_("name on the ballot"), max_length=200)
    carried_over = models.BooleanField(_("failed last year"), default=False, editable=False)
    topics = models.ManyToManyField(Topic, blank=True, related_name="subjects", verbose_name=_("assigned topics"))
    team = models.ForeignKey(
        SurveyTeam,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subjects",
        verbose_name=_("survey team"),
    )
    written_report = RecordFileField(_("written report"), prefix="evaluations/reports", blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order of reporting"), default=0)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["campaign", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "official"], condition=Q(official__isnull=False), name="one_subject_per_official"
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit"], condition=Q(official__isnull=True), name="one_subject_per_unit"
            ),
            models.UniqueConstraint(fields=["campaign", "label"], name="unique_subject_label"),
        ]

    def __str__(self):
        return self.label

    @property
    def ref(self) -> str:
        return f"evaluations.subject:{self.pk}"


class ChecklistItem(models.Model):
    """One point of the investigation checklist of a subject (一听取三核查五征求, seed 002): hear
    the unit's report; verify its records, the 12345 hotline complaints and the sites; consult
    five kinds of people. Ticked with notes and evidence files."""

    class Point(models.TextChoices):
        HEAR_REPORT = "hear_report", _("Hear the unit's report")
        VERIFY_RECORDS = "verify_records", _("Verify its records and accounts")
        VERIFY_HOTLINE = "verify_hotline", _("Verify the 12345 hotline complaints")
        VERIFY_SITES = "verify_sites", _("Verify the sites of key projects and deputies' suggestions")
        CONSULT_MANAGERS = "consult_managers", _("Consult its middle managers")
        CONSULT_RELATED = "consult_related", _("Consult related units")
        CONSULT_SERVED = "consult_served", _("Consult the people it serves")
        CONSULT_TOWNSHIPS = "consult_townships", _("Consult township leaders")
        CONSULT_SUPERVISORS = "consult_supervisors", _("Consult the discipline and conduct supervisors")

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("subject"))
    point = models.CharField(_("checklist point"), max_length=19, choices=Point.choices)
    done = models.BooleanField(_("done"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("checklist point")
        verbose_name_plural = _("checklist (一听取三核查五征求)")
        ordering = ["subject", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "point"], name="one_checklist_point_per_subject"),
            models.CheckConstraint(condition=Q(done=False) | Q(done_on__isnull=False), name="checklist_done_has_date"),
        ]

    def __str__(self):
        return self.get_point_display()


class Evidence(models.Model):
    """A file supporting a checklist point: minutes, photos of a site, a list of complaints."""

    item = models.ForeignKey(
        ChecklistItem, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("checklist point")
    )
    title = models.CharField(_("title"), max_length=200)
    file = RecordFileField(_("file"), prefix="evaluations/evidence", types=uploads.EVIDENCE)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.title


class ContentItem(models.Model):
    """What a subject is evaluated on (9+2+N, seed 004): nine common items shared by every
    subject of the campaign, two specific to the subject, and N concrete tasks."""

    class Kind(models.TextChoices):
        COMMON = "common", _("Common item")
        SPECIFIC = "specific", _("Specific item")
        TASK = "task", _("Task")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="content_items", verbose_name=_("campaign")
    )
    subject = models.ForeignKey(
        Subject,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="content_items",
        verbose_name=_("subject"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("findings"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evaluation content item")
        verbose_name_plural = _("evaluation content (9+2+N)")
        ordering = ["campaign", "kind", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="common", subject__isnull=True)
                | Q(kind__in=["specific", "task"], subject__isnull=False),
                name="content_item_common_or_own",
            ),
        ]

    def __str__(self):
        return self.title


class SurveyReport(models.Model):
    """The survey team's report on a subject (调研报告), submitted to the director's meeting
    before the evaluation meeting."""

    subject = models.OneToOneField(
        Subject, on_delete=models.CASCADE, related_name="survey_report", verbose_name=_("subject")
    )
    summary = models.TextField(_("summary"))
    file = RecordFileField(_("report file"), prefix="evaluations/survey-reports", blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_to = models.ForeignKey(
        "congress.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted to"),
        editable=False,
    )

    class Meta:
        verbose_name = _("survey report")
        verbose_name_plural = _("survey reports")

    def __str__(self):
        return str(self.subject)


class Question(models.Model):
    """A question put at the meeting (询问、问答互动) and the answer given, recorded by staff."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="questions", verbose_name=_("subject"))
    asker = models.ForeignKey(
        "congress.Deputy", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    asker_name = models.CharField(_("asked by (if not a deputy)"), max_length=50, blank=True)
    text = models.TextField(_("question asked"))
    answered_by = models.CharField(_("answered by"), max_length=50, blank=True)
    answer = models.TextField(_("answer given"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question at the meeting")
        verbose_name_plural = _("questions at the meeting")
        ordering = ["subject", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(asker__isnull=False) | ~Q(asker_name=""), name="question_has_asker"),
        ]

    def __str__(self):
        return self.text[:50]


class Result(models.Model):
    """A subject's result (测评结果), frozen from the satisfaction poll: counts per level, the
    valid and blank ballots, the satisfaction rate, the weighted score, the rank among the
    subjects and the verdict. A subject nobody scored has no verdict."""

    class Round(models.TextChoices):
        EVALUATION = "evaluation", _("Evaluation")
        REEVALUATION = "reevaluation", _("Re-evaluation")

    class Verdict(models.TextChoices):
        PASS = "pass", _("Passed")
        FAIL = "fail", _("Failed")
        NONE = "none", _("No verdict (no valid ballot)")

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="results", verbose_name=_("subject"))
    round = models.CharField(_("round"), max_length=12, choices=Round.choices, default=Round.EVALUATION)
    poll = models.ForeignKey("congress.Poll", on_delete=models.PROTECT, related_name="+", verbose_name=_("poll"))
    counts = models.JSONField(_("counts per level"))
    valid = models.PositiveIntegerField(_("valid ballots"))
    blank = models.PositiveIntegerField(_("left blank"))
    rate = models.DecimalField(_("satisfaction rate"), max_digits=5, decimal_places=4, null=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True)
    verdict = models.CharField(_("verdict"), max_length=4, choices=Verdict.choices)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["subject__campaign", "round", "rank", "subject__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "round"], name="one_result_per_subject_and_round"),
            models.CheckConstraint(condition=Q(verdict__in=["pass", "fail", "none"]), name="result_verdict_valid"),
            models.CheckConstraint(condition=Q(round__in=["evaluation", "reevaluation"]), name="result_round_valid"),
            models.CheckConstraint(
                condition=Q(verdict="none", valid=0) | (~Q(verdict="none") & Q(valid__gt=0)),
                name="result_verdict_needs_valid_ballots",
            ),
        ]

    def __str__(self):
        return f"{self.subject} · {self.get_verdict_display()}"
