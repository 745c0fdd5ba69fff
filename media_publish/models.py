"""Publication (向社会公布): what the committee shows the public, and how.

A Publication is one page the public reads: a stage of an evaluation campaign (the
implementation plan, the subjects and their topics, the satisfaction results, the rectification
progress), the year's suggestion statistics, or a meeting's video. Its content is a snapshot
taken when staff publish it, so it shows what was decided then and nothing edited since; it
goes draft → scheduled → published → withdrawn, and a withdrawal keeps the page and its reason
on the record. Publications are grouped in columns (专栏), one per campaign.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress import uploads
from congress.files import RecordFileField

from .validators import validate_embed_url, validate_mp4, validate_poster


class Column(models.Model):
    """A media column (专栏) grouping an evaluation campaign's publications, as the county's
    television station and website run one for each evaluation (seed 000); or, without a
    campaign, a standing column such as the handling of deputies' suggestions."""

    campaign = models.OneToOneField(
        "evaluations.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluation campaign"),
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        ordering = ["sort_order", "-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["title"], name="unique_column_title")]

    def __str__(self):
        return self.title


class Recording(models.Model):
    """A meeting's video (电视录像): an uploaded MP4 played on the site, or the television
    station's own page embedded from a host on the allowlist; with a poster image and the
    broadcast schedule of its replays. It reaches the public through a publication."""

    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="recordings", verbose_name=_("column"))
    title = models.CharField(_("title"), max_length=200)
    meeting = models.ForeignKey(
        "congress.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("meeting"),
    )
    recorded_on = models.DateField(_("recorded on"))
    description = models.TextField(_("description"), blank=True)
    video = RecordFileField(
        _("video file (MP4)"),
        prefix="recordings/videos",
        types=uploads.VIDEOS,
        max_mb=64 * 1024,  # the site's own limit, RECORDING_MAX_MB, is checked by validate_mp4
        blank=True,
        validators=[validate_mp4],
        help_text=_("An MP4 file (H.264), at most the size the site allows."),
    )
    embed_url = models.URLField(
        _("link on the television station's site"),
        blank=True,
        validators=[validate_embed_url],
        help_text=_("Instead of a file: the address of the video on a site on the allowlist."),
    )
    poster = RecordFileField(
        _("poster image"),
        prefix="recordings/posters",
        types=uploads.IMAGES,
        max_mb=10,
        blank=True,
        validators=[validate_poster],
        help_text=_("A still shown before the video plays (JPEG, PNG or WebP)."),
    )
    poster_alt = models.CharField(
        _("poster description"), max_length=200, blank=True, help_text=_("What the poster shows, for screen readers.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        ordering = ["-recorded_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(video="") & ~Q(embed_url="")) | (~Q(video="") & Q(embed_url="")),
                name="recording_file_or_link",
                violation_error_message=_("Give either a video file or a link, not both."),
            ),
        ]

    def __str__(self):
        return self.title


class BroadcastSlot(models.Model):
    """One replay in the broadcast schedule (巡回播放): a channel and the date and time it airs."""

    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="slots", verbose_name=_("recording")
    )
    channel = models.CharField(_("TV channel"), max_length=100, help_text=_("e.g. 清河县电视台综合频道"))
    airs_at = models.DateTimeField(_("airs at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcast schedule")
        ordering = ["airs_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recording", "channel", "airs_at"], name="one_broadcast_per_slot"),
        ]

    def __str__(self):
        return f"{self.channel} {timezone.localtime(self.airs_at):%Y-%m-%d %H:%M}"


class Publication(models.Model):
    """A page for the public (向社会公布): one stage of a campaign, a year's suggestion statistics
    or a meeting's video. Staff draft it, then publish it at once or schedule it for a time;
    publishing freezes its content (a snapshot of what was decided, never ballots or anything
    unpublished); a withdrawal takes it off the site at once and keeps the reason."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Implementation plan")
        SUBJECTS = "subjects", _("Subjects and topics")
        RESULTS = "results", _("Satisfaction results")
        RECTIFICATION = "rectification", _("Rectification progress")
        SUGGESTIONS = "suggestions", _("Suggestion handling statistics")
        RECORDING = "recording", _("Meeting video")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("publication status", "Draft")
        SCHEDULED = "scheduled", pgettext_lazy("publication status", "Scheduled")
        PUBLISHED = "published", pgettext_lazy("publication status", "Published")
        WITHDRAWN = "withdrawn", pgettext_lazy("publication status", "Withdrawn")

    CAMPAIGN_KINDS = (Kind.PLAN, Kind.SUBJECTS, Kind.RESULTS, Kind.RECTIFICATION)

    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="publications", verbose_name=_("column"))
    kind = models.CharField(_("kind"), max_length=13, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Suggestion statistics only: the year of the congress session.")
    )
    recording = models.ForeignKey(
        Recording,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("recording"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Left empty: named after the stage."))
    summary = models.TextField(_("introduction"), blank=True, help_text=_("A few sentences shown above the content."))
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.DRAFT, editable=False)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True, editable=False, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    # The snapshot taken when it was published or scheduled; the public page renders only this.
    content = models.JSONField(_("published content"), default=dict, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-publish_at", "-pk"]
        permissions = [("publish_publication", _("Can publish and withdraw publications"))]
        indexes = [models.Index(fields=["status", "publish_at"], name="publication_visible_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "scheduled", "published", "withdrawn"]),
                name="publication_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["plan", "subjects", "results", "rectification", "suggestions", "recording"]),
                name="publication_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(publish_at__isnull=False, version__gt=0),
                name="publication_has_time_and_content",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="publication_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | (Q(withdrawn_at__isnull=False) & ~Q(withdraw_reason="")),
                name="publication_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(kind="suggestions", year__isnull=False) | (~Q(kind="suggestions") & Q(year__isnull=True)),
                name="publication_year_only_for_statistics",
            ),
            models.CheckConstraint(
                condition=Q(kind="recording", recording__isnull=False)
                | (~Q(kind="recording") & Q(recording__isnull=True)),
                name="publication_recording_only_for_videos",
            ),
            # One live page per stage of a campaign (per year for statistics, per video).
            models.UniqueConstraint(
                F("column"),
                F("kind"),
                Coalesce("year", 0),
                Coalesce("recording", 0),
                condition=Q(status__in=["scheduled", "published"]),
                name="one_live_publication_per_stage",
                violation_error_message=_("This stage already has a scheduled or published page."),
            ),
        ]

    def __str__(self):
        return self.title or f"{self.column} · {self.get_kind_display()}"

    @property
    def is_charted(self) -> bool:
        return self.kind in (self.Kind.RESULTS, self.Kind.RECTIFICATION, self.Kind.SUGGESTIONS)
