"""Evaluations (评议): duty evaluations (述职评议), where the officials the congress elected or
appointed report on their duties, and work evaluations (工作评议), where every government unit is
evaluated once a year or once a term. Both kinds share everything they can: a term plan, a
yearly campaign with its phases, subjects, survey teams and their checklists, the meeting with
its questions and satisfaction poll, and the results.

Duty evaluations add the choice of who reports: topics collected from deputies and the public
(questionnaires and symposiums), candidates supported by the ranked topics, and the director's
meeting's secret ballot (无记名投票表决).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    plan_document = models.FileField(
        _("implementation plan"), upload_to="evaluations/plans/%Y/", blank=True, help_text=_("实施方案 (PDF or Word).")
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


class CampaignSurvey(models.Model):
    """A questionnaire serving the campaign: collecting the topics officials must report on
    (述职问题征集, from deputies or the public), or opinions about one subject (背靠背征求意见)."""

    class Purpose(models.TextChoices):
        TOPICS = "topics", _("Collecting topics")
        OPINION = "opinion", _("Opinions about a subject")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("campaign"))
    survey = models.OneToOneField(
        "surveys.Survey", on_delete=models.PROTECT, related_name="+", verbose_name=_("questionnaire")
    )
    purpose = models.CharField(_("purpose"), max_length=7, choices=Purpose.choices, default=Purpose.TOPICS)
    subject = models.ForeignKey(
        "Subject", null=True, blank=True, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("subject")
    )

    class Meta:
        verbose_name = _("campaign questionnaire")
        verbose_name_plural = _("campaign questionnaires")
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="topics", subject__isnull=True) | Q(purpose="opinion", subject__isnull=False),
                name="campaign_survey_purpose_matches_subject",
            ),
        ]

    def __str__(self):
        return str(self.survey)


class Symposium(models.Model):
    """A symposium (座谈会) held to collect topics, by deputy group or by sector, with the
    points raised (one per line in the notes)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="symposiums", verbose_name=_("campaign")
    )
    held_on = models.DateField(_("held on"))
    group = models.ForeignKey(
        "congress.DeputyGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deputy group"),
    )
    sector = models.CharField(_("sector"), max_length=50, blank=True, help_text=_("e.g. 企业界, 教育系统, 农业系统"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    participants = models.PositiveSmallIntegerField(_("participants"), default=0)
    notes = models.TextField(_("points raised"), help_text=_("One point per line; each line becomes a topic mention."))

    class Meta:
        verbose_name = _("symposium")
        verbose_name_plural = _("symposiums")
        ordering = ["campaign", "held_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(group__isnull=False) | ~Q(sector=""), name="symposium_group_or_sector"),
        ]

    def __str__(self):
        return f"{self.held_on} · {self.group or self.sector}"


class Topic(models.Model):
    """An issue a reporter must address (述职问题), raised by deputies and the public. Duplicates
    are merged into one topic (the merged ones point to it); the ranking counts the distinct
    deputies and citizens who raised it and how many groups they came from."""

    class Category(models.TextChoices):
        ECONOMY = "economy", _("Economic development")
        LIVELIHOOD = "livelihood", _("People's livelihood")
        EDUCATION_HEALTH = "education_health", _("Education and health")
        ENVIRONMENT = "environment", _("Ecology and environment")
        URBAN_RURAL = "urban_rural", _("Urban and rural construction")
        AGRICULTURE = "agriculture", _("Agriculture and rural areas")
        RULE_OF_LAW = "rule_of_law", _("Rule of law and justice")
        SERVICE = "service", _("Government services")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="topics", verbose_name=_("campaign"))
    title = models.CharField(_("topic"), max_length=300)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.OTHER)
    unit = models.ForeignKey(
        "congress.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit concerned"),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        verbose_name=_("merged into"),
        editable=False,
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["campaign", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    category__in=[
                        "economy",
                        "livelihood",
                        "education_health",
                        "environment",
                        "urban_rural",
                        "agriculture",
                        "rule_of_law",
                        "service",
                        "other",
                    ]
                ),
                name="topic_category_valid",
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("pk")), name="topic_not_merged_into_itself"),
        ]

    def __str__(self):
        return self.title


class TopicMention(models.Model):
    """One raising of an issue: a deputy's or a citizen's answer in a questionnaire, or a
    point noted at a symposium. Mentions are what the ranking counts."""

    class Source(models.TextChoices):
        DEPUTY = "deputy", _("Deputy")
        PUBLIC = "public", _("Citizen")
        SYMPOSIUM = "symposium", _("Symposium")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign"))
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("topic"))
    source = models.CharField(_("source"), max_length=9, choices=Source.choices)
    text = models.TextField(_("text"))
    deputy = models.ForeignKey(
        "congress.Deputy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("deputy")
    )
    # The person behind a public answer: one response counts once however many lines it wrote.
    response = models.ForeignKey(
        "surveys.Response", null=True, blank=True, on_delete=models.CASCADE, related_name="+", editable=False
    )
    answer = models.OneToOneField(
        "surveys.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+", editable=False
    )
    symposium = models.ForeignKey(
        Symposium, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions", editable=False
    )
    line = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    group = models.ForeignKey(
        "congress.DeputyGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deputy group"),
    )
    sector = models.CharField(_("sector"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("topic mention")
        verbose_name_plural = _("topic mentions")
        ordering = ["topic", "id"]
        constraints = [
            models.UniqueConstraint(fields=["symposium", "line"], name="one_mention_per_symposium_line"),
            models.CheckConstraint(
                condition=Q(source__in=["deputy", "public", "symposium"]), name="topic_mention_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(source="symposium", symposium__isnull=False)
                | Q(source__in=["deputy", "public"], symposium__isnull=True),
                name="topic_mention_symposium_matches_source",
            ),
        ]

    def __str__(self):
        return self.text[:50]


class Candidate(models.Model):
    """A proposed reporter (候选对象): an official (or a unit), with the ranked topics that
    support the proposal. Whoever failed last year is on the list already, marked as such, and
    becomes a subject without a ballot (列为下一年度述职评议对象)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("candidate status", "Proposed")
        ELECTED = "elected", pgettext_lazy("candidate status", "Chosen")
        REJECTED = "rejected", pgettext_lazy("candidate status", "Not chosen")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("campaign")
    )
    official = models.ForeignKey(
        "congress.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("official"),
    )
    unit = models.ForeignKey("congress.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    reason = models.TextField(_("reason for proposing"), blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="candidates", verbose_name=_("supporting topics"))
    carried_over = models.BooleanField(_("failed last year"), default=False, editable=False)
    previous_subject = models.ForeignKey(
        "Subject", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PROPOSED, editable=False
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["campaign", "-carried_over", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "official"], condition=Q(official__isnull=False), name="one_candidacy_per_official"
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit"], condition=Q(official__isnull=True), name="one_candidacy_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "elected", "rejected"]), name="candidate_status_valid"
            ),
        ]

    def __str__(self):
        return label_for(self.official, self.unit)


def label_for(official, unit) -> str:
    """How a reporter is named on the ballot sheet and in the documents."""
    if official is not None:
        return f"{unit.name}{official.position} {official.name}"
    return unit.name


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
    written_report = models.FileField(_("written report"), upload_to="evaluations/reports/%Y/", blank=True)
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
    file = models.FileField(_("file"), upload_to="evaluations/evidence/%Y/")
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
    file = models.FileField(_("report file"), upload_to="evaluations/survey-reports/%Y/", blank=True)
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
