"""Choosing who reports: questionnaires and symposiums, topics and their mentions, candidates."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .planning import Campaign


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
