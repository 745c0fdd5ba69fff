"""Deputies' suggestions (代表建议, 建议、批评和意见) from the deputy's draft to the deputy's
rating of the reply, and the committee's supervision of the handling (seeds 001 and 003).

A suggestion is written by a lead deputy (领衔) and co-signed (附议) by others who confirm on
their own phones; the office accepts it (立案, numbered per congress session) or declines it and
converts it to a letter; it is assigned (交办) to a lead unit (主办) and co-units (协办) in a
numbered round (a reassignment after a return opens a new round); the lead unit replies (答复,
category A/B/C/D, with the signed letter); the lead deputy rates the reply (征询意见表).

Deadlines are data: each assignment stores when its reply (or its co-unit views) is due,
computed from the periods of the congress session (``CongressSession``), which the office can
change; the reminder engine scans those fields.
"""

import calendar
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress import uploads
from congress.files import RecordFileField


class CongressSessionManager(models.Manager):
    """Sessions with their term, which their name gives (第十七届…第三次会议): every list, choice
    and filter of sessions reads the terms with them, not one query per session."""

    def get_queryset(self):
        return super().get_queryset().select_related("term")


class CongressSession(models.Model):
    """A session of the county people's congress (e.g. 第十七届人民代表大会第三次会议) and the
    suggestions raised during it or in the recess after it. Suggestions are numbered per
    session (during the session and between sessions separately), and the session holds the
    handling periods the office applies, each changeable."""

    term = models.ForeignKey("congress.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    number = models.PositiveSmallIntegerField(_("session number"))
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("session opens"))
    ends_on = models.DateField(_("session closes"))
    is_current = models.BooleanField(
        _("current"), default=False, help_text=_("New suggestions are filed under the current session.")
    )
    reply_months = models.PositiveSmallIntegerField(_("reply period (months)"), default=3)
    extended_months = models.PositiveSmallIntegerField(_("reply period with extension (months)"), default=6)
    rehandle_months = models.PositiveSmallIntegerField(_("re-handling period (months)"), default=1)
    return_days = models.PositiveSmallIntegerField(_("period to return a misassignment (days)"), default=10)
    co_unit_months = models.PositiveSmallIntegerField(_("period for co-units' views (months)"), default=1)
    remind_days = models.PositiveSmallIntegerField(
        _("remind days before a deadline"), default=7, help_text=_("Units are reminded this many days before.")
    )
    rate_remind_days = models.PositiveSmallIntegerField(
        _("remind the deputy to rate after (days)"), default=15, help_text=_("After a reply not yet rated.")
    )

    objects = CongressSessionManager()

    class Meta:
        verbose_name = _("congress session")
        verbose_name_plural = _("congress sessions")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="unique_session_per_term"),
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_session"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="session_dates_ordered"),
            models.CheckConstraint(
                condition=Q(reply_months__gte=1, extended_months__gte=models.F("reply_months")),
                name="session_reply_periods_valid",
            ),
        ]

    def __str__(self):
        from congress.models.bodies import chinese_numeral

        return _("Session %(number)s of the %(term)s congress") % {
            "number": chinese_numeral(self.number),
            "term": self.term,
        }

    def during(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class Category(models.Model):
    """A subject category of suggestions (e.g. 城乡建设, 教育卫生), kept by the office."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("suggestion category")
        verbose_name_plural = _("suggestion categories")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Suggestion(models.Model):
    """A deputy's suggestion, criticism or opinion (建议、批评和意见). Lifecycle:

    draft → cosigning (co-signers asked to confirm) → submitted → declined (converted to a
    letter) | accepted (立案) → assigned (交办; returned when the lead unit sends it back as
    misassigned, then assigned again) → replied → rated: 不满意 → rehandling → replied …;
    satisfied with an A/C/D reply → completed (办结); satisfied with a B reply → in_progress
    until the unit replies that it is solved. A completed key suggestion, or one ever rated
    不满意, gets a follow-up review (回头看); a failed review sends it back to re-handling.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("suggestion status", "Draft")
        COSIGNING = "cosigning", pgettext_lazy("suggestion status", "Awaiting co-signers")
        SUBMITTED = "submitted", pgettext_lazy("suggestion status", "Submitted")
        DECLINED = "declined", pgettext_lazy("suggestion status", "Not accepted (letter)")
        ACCEPTED = "accepted", pgettext_lazy("suggestion status", "Accepted, to be assigned")
        RETURNED = "returned", pgettext_lazy("suggestion status", "Returned by the unit, to be reassigned")
        ASSIGNED = "assigned", pgettext_lazy("suggestion status", "Being handled")
        REPLIED = "replied", pgettext_lazy("suggestion status", "Replied, to be rated")
        REHANDLING = "rehandling", pgettext_lazy("suggestion status", "Being re-handled")
        IN_PROGRESS = "in_progress", pgettext_lazy("suggestion status", "Being solved (B)")
        COMPLETED = "completed", pgettext_lazy("suggestion status", "Completed")

    # Statuses in which a unit holds the suggestion.
    HANDLING = (Status.ASSIGNED, Status.REPLIED, Status.REHANDLING, Status.IN_PROGRESS)

    session = models.ForeignKey(
        CongressSession, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("congress session")
    )
    between_sessions = models.BooleanField(_("raised between sessions"), default=False)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    lead_deputy = models.ForeignKey(
        "congress.Deputy", on_delete=models.PROTECT, related_name="suggestions_led", verbose_name=_("lead deputy")
    )
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), max_length=8000)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False)
    is_key = models.BooleanField(_("key suggestion"), default=False, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("intake decided at"), null=True, blank=True, editable=False)
    decline_reason = models.TextField(_("reason for not accepting"), blank=True, editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    ever_unsatisfied = models.BooleanField(_("rated unsatisfied at some point"), default=False, editable=False)
    reviewed_at = models.DateTimeField(_("follow-up review at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-session__year", "between_sessions", "number", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "cosigning",
                        "submitted",
                        "declined",
                        "accepted",
                        "returned",
                        "assigned",
                        "replied",
                        "rehandling",
                        "in_progress",
                        "completed",
                    ]
                ),
                name="suggestion_status_valid",
            ),
            models.UniqueConstraint(
                fields=["session", "between_sessions", "number"],
                condition=Q(number__isnull=False),
                name="unique_suggestion_number_per_session",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | ~Q(status__in=["draft", "cosigning", "submitted", "declined"]),
                name="suggestion_numbered_only_when_accepted",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="suggestion_decline_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="suggestion_status_idx"),
            models.Index(fields=["lead_deputy", "status"], name="suggestion_deputy_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}" if self.number else self.title

    @property
    def code(self) -> str:
        """The number as staff write it: 第12号, or 闭会第3号 for one raised between sessions."""
        if not self.number:
            return ""
        if self.between_sessions:
            return _("Recess No. %(number)d") % {"number": self.number}
        return _("No. %(number)d") % {"number": self.number}

    @property
    def followup_due(self) -> bool:
        """Completed and waiting for the follow-up review (回头看)."""
        return (
            self.status == self.Status.COMPLETED and self.reviewed_at is None and (self.is_key or self.ever_unsatisfied)
        )


class Cosigner(models.Model):
    """A deputy who co-signs (附议) a suggestion: invited by the lead deputy, confirms or
    declines on their own phone."""

    class Status(models.TextChoices):
        INVITED = "invited", pgettext_lazy("co-signer", "Invited")
        CONFIRMED = "confirmed", pgettext_lazy("co-signer", "Confirmed")
        DECLINED = "declined", pgettext_lazy("co-signer", "Declined")

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="cosigners", verbose_name=_("suggestion")
    )
    deputy = models.ForeignKey(
        "congress.Deputy", on_delete=models.PROTECT, related_name="cosigned", verbose_name=_("deputy")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosign_once"),
            models.CheckConstraint(
                condition=Q(status__in=["invited", "confirmed", "declined"]), name="cosigner_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.deputy} · {self.get_status_display()}"


def attachment_path(instance, filename):
    return f"suggestions/{instance.suggestion_id}/{filename}"


class Attachment(models.Model):
    """A file the deputy attached (photos, a survey of the villagers, …)."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("suggestion")
    )
    file = RecordFileField(_("file"), prefix="suggestions/attachments", types=uploads.EVIDENCE)
    name = models.CharField(_("name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self):
        return self.name


class SuggestionLink(models.Model):
    """Two suggestions on the same matter (e.g. the same drainage station asked for year after
    year), linked by the office so the matter is read as one history. ``earlier`` has the
    smaller id; the pair is unique."""

    earlier = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+", verbose_name=_("earlier"))
    later = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+", verbose_name=_("later"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("linked by")
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("related suggestion link")
        verbose_name_plural = _("related suggestion links")
        constraints = [
            models.UniqueConstraint(fields=["earlier", "later"], name="link_once"),
            models.CheckConstraint(condition=Q(earlier__lt=models.F("later")), name="link_ordered"),
        ]

    def __str__(self):
        return f"{self.earlier_id} ↔ {self.later_id}"


class RelatedProposal(models.Model):
    """Two suggestions the likeness says are on the same matter (suggestions/similarity.py),
    proposed to the office until someone decides once: confirmed (they are linked, a
    ``SuggestionLink``) or dismissed (never proposed again, whatever the index says later).
    ``earlier`` has the smaller id; the pair is unique."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("related proposal", "Proposed")
        CONFIRMED = "confirmed", pgettext_lazy("related proposal", "Confirmed")
        DISMISSED = "dismissed", pgettext_lazy("related proposal", "Dismissed")

    earlier = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+", verbose_name=_("earlier"))
    later = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+", verbose_name=_("later"))
    score = models.FloatField(_("likeness"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposed related suggestion")
        verbose_name_plural = _("proposed related suggestions")
        constraints = [
            models.UniqueConstraint(fields=["earlier", "later"], name="propose_once"),
            models.CheckConstraint(condition=Q(earlier__lt=models.F("later")), name="proposal_ordered"),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "confirmed", "dismissed"]), name="proposal_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["earlier", "status"], name="proposal_earlier_idx"),
            models.Index(fields=["later", "status"], name="proposal_later_idx"),
        ]

    def __str__(self):
        return f"{self.earlier_id} ~ {self.later_id} ({self.score})"


class SimilarityProfile(models.Model):
    """A suggestion as the likeness sees it: its weighted features (bigrams, characters and
    place names, congress.text) and the lengths of its matter and place parts, kept when the
    suggestion is written so that finding its earlier ones never re-reads every suggestion."""

    suggestion = models.OneToOneField(
        Suggestion, primary_key=True, on_delete=models.CASCADE, related_name="similarity_profile"
    )
    features = models.JSONField(default=dict)
    matter_norm = models.FloatField(default=1.0)
    place_norm = models.FloatField(default=0.0)
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.suggestion_id}: {len(self.features)}"


class SimilarityPosting(models.Model):
    """One feature of one suggestion (the inverted index: which suggestions say 南冲)."""

    feature = models.CharField(max_length=16)
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["feature"], name="posting_feature_idx")]
        constraints = [models.UniqueConstraint(fields=["suggestion", "feature"], name="posting_once")]

    def __str__(self):
        return f"{self.feature} · {self.suggestion_id}"


class SimilarityFeature(models.Model):
    """How many suggestions have a feature (its rarity); the place names among them (``@南冲``)
    are the county's gazetteer, found again where a text says a place without 镇 or 村."""

    feature = models.CharField(max_length=16, primary_key=True)
    df = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.feature} ({self.df})"


class Assignment(models.Model):
    """A suggestion given to one unit in one round of assignment (交办): the lead unit (主办),
    which replies, or a co-unit (协办), which sends its views to the lead unit. A unit that
    believes it is the wrong one returns it within the return period; when the lead unit
    returns it, the round ends and the office reassigns in a new round.

    ``due_at`` is when the lead unit's next reply is due (3 months after assignment, 6 with an
    approved extension, 1 month after a 不满意 rating) and ``views_due_at`` when a co-unit's
    views are due; the reminder engine scans both."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        CO = "co", _("Co-unit")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("assignment", "Handling")
        RETURNED = "returned", pgettext_lazy("assignment", "Returned as misassigned")
        CLOSED = "closed", pgettext_lazy("assignment", "Closed")

    class Extension(models.TextChoices):
        NONE = "", pgettext_lazy("extension", "None")
        REQUESTED = "requested", pgettext_lazy("extension", "Requested")
        APPROVED = "approved", pgettext_lazy("extension", "Approved")
        REFUSED = "refused", pgettext_lazy("extension", "Refused")

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("suggestion")
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    unit = models.ForeignKey(
        "congress.Unit", on_delete=models.PROTECT, related_name="suggestion_assignments", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=4, choices=Role.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("assigned by")
    )
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    return_due_at = models.DateTimeField(_("return allowed until"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    due_at = models.DateTimeField(_("reply due"), null=True, blank=True, db_index=True)
    views_due_at = models.DateTimeField(_("views due"), null=True, blank=True, db_index=True)
    # When the unit is reminded of its next deadline (the reply's or the views'), a configurable
    # number of days before it; kept for the reminder engine's scan.
    remind_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    views = models.TextField(_("co-unit's views"), blank=True)
    views_sent_at = models.DateTimeField(_("views sent at"), null=True, blank=True)
    extension = models.CharField(_("extension"), max_length=10, choices=Extension.choices, default="", blank=True)
    extension_reason = models.TextField(_("reason for extension"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["suggestion_id", "round", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round"], condition=Q(role="lead"), name="one_lead_unit_per_round"
            ),
            models.UniqueConstraint(fields=["suggestion", "round", "unit"], name="unit_once_per_round"),
            models.CheckConstraint(condition=Q(role__in=["lead", "co"]), name="assignment_role_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["active", "returned", "closed"]), name="assignment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(extension__in=["", "requested", "approved", "refused"]),
                name="assignment_extension_valid",
            ),
            models.CheckConstraint(condition=Q(role="lead") | Q(due_at__isnull=True), name="only_lead_replies"),
            models.CheckConstraint(condition=Q(role="co") | Q(views_due_at__isnull=True), name="only_co_sends_views"),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="assignment_return_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="assignment_unit_idx")]

    def __str__(self):
        return f"{self.suggestion} → {self.unit}（{self.get_role_display()}）"

    @property
    def is_lead(self) -> bool:
        return self.role == self.Role.LEAD

    def set_due(self, when, remind_days: int) -> None:
        """The next deadline of this unit (reply for the lead unit, views for a co-unit)."""
        if self.is_lead:
            self.due_at = when
        else:
            self.views_due_at = when
        self.remind_at = when - timedelta(days=remind_days) if when else None

    def overdue(self, now=None) -> bool:
        now = now or timezone.now()
        due = self.due_at if self.is_lead else (None if self.views_sent_at else self.views_due_at)
        return self.status == self.Status.ACTIVE and due is not None and due < now


def add_months(when, months: int):
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month0 = when.month - 1 + months
    year, month = when.year + month0 // 12, month0 % 12 + 1
    return when.replace(year=year, month=month, day=min(when.day, calendar.monthrange(year, month)[1]))


def reply_letter_path(instance, filename):
    return f"suggestions/{instance.suggestion_id}/replies/{filename}"


class Reply(models.Model):
    """The lead unit's formal reply (答复), with the signed reply letter, sent to every deputy
    who signed. Category A: solved or basically solved; B: being solved or planned (stays open
    until the unit replies again that it is solved); C: needs conditions that come later; D:
    kept for reference. ``on_time`` records whether it came by the due date then in force."""

    class Category(models.TextChoices):
        A = "A", _("A: solved or basically solved")
        B = "B", _("B: being solved or planned")
        C = "C", _("C: needs conditions that come later")
        D = "D", _("D: kept for reference")

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="replies", verbose_name=_("suggestion")
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="replies", verbose_name=_("assignment")
    )
    category = models.CharField(_("reply category"), max_length=1, choices=Category.choices)
    text = models.TextField(_("reply"), max_length=8000)
    letter = RecordFileField(_("signed reply letter"), prefix="suggestions/replies", types=uploads.SIGNED)
    is_rehandle = models.BooleanField(_("reply after re-handling"), default=False)
    on_time = models.BooleanField(_("on time"), default=True)
    replied_at = models.DateTimeField(_("replied at"), default=timezone.now)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("replied by")
    )
    rate_remind_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["replied_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=["A", "B", "C", "D"]), name="reply_category_valid"),
        ]

    def __str__(self):
        return f"{self.suggestion} · {self.get_category_display()}"


class Feedback(models.Model):
    """The lead deputy's rating of a reply (征询意见表): 满意, 基本满意 or 不满意, with a comment.
    不满意 sends the suggestion back to the lead unit for re-handling."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")

    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("reply"))
    deputy = models.ForeignKey("congress.Deputy", on_delete=models.PROTECT, related_name="+", verbose_name=_("deputy"))
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    rated_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__in=["satisfied", "basic", "unsatisfied"]), name="feedback_rating_valid"
            ),
        ]

    def __str__(self):
        return self.get_rating_display()


class ContactLog(models.Model):
    """A contact between the unit and the deputy: before handling (办前沟通), during handling
    (办中联系) or after (办后反馈)."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before handling")
        DURING = "during", _("During handling")
        AFTER = "after", _("After handling")

    class Way(models.TextChoices):
        PHONE = "phone", _("Telephone")
        VISIT = "visit", _("Visit")
        MEETING = "meeting", _("Meeting")
        SITE = "site", _("On-site inspection")
        OTHER = "other", _("Other")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("assignment")
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    way = models.CharField(_("way"), max_length=8, choices=Way.choices)
    happened_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), max_length=2000)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("logged by")
    )
    logged_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact with the deputy")
        verbose_name_plural = _("contacts with the deputy")
        ordering = ["happened_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=["before", "during", "after"]), name="contact_stage_valid"),
            models.CheckConstraint(
                condition=Q(way__in=["phone", "visit", "meeting", "site", "other"]), name="contact_way_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} {self.happened_on}"


class KeySuggestion(models.Model):
    """A key suggestion (重点建议) chosen by the director's meeting for focused supervision: a
    committee leader leads the supervision (领衔督办), a commission follows it (一建议一工委),
    and a government leader may lead the handling (领办). Tracked by the 五个一: a status entry
    every month, a check every quarter, a report every half year, an assessment every year."""

    suggestion = models.OneToOneField(
        Suggestion, on_delete=models.CASCADE, related_name="key", verbose_name=_("suggestion")
    )
    decided_on = models.DateField(_("chosen by the director's meeting on"))
    supervisor = models.ForeignKey(
        "congress.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("leader supervising")
    )
    commission = models.ForeignKey(
        "congress.Commission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commission following it"),
    )
    handler = models.CharField(
        _("government leader handling it"), max_length=50, blank=True, help_text=_("领办, e.g. 副县长 张某某")
    )

    class Meta:
        verbose_name = _("key suggestion")
        verbose_name_plural = _("key suggestions")

    def __str__(self):
        return str(self.suggestion)


class TrackingItem(models.Model):
    """One step of the 五个一 tracking of a key suggestion, due on a date and reminded: the
    unit's monthly status entry (一月一情况) and half-year report (半年一汇报), the committee's
    quarterly check (一季一检查) and yearly assessment (年度一测评)."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly status")
        QUARTERLY = "quarterly", _("Quarterly check")
        HALF_YEAR = "half_year", _("Half-year report")
        YEARLY = "yearly", _("Yearly assessment")

    UNIT_KINDS = (Kind.MONTHLY, Kind.HALF_YEAR)

    key = models.ForeignKey(
        KeySuggestion, on_delete=models.CASCADE, related_name="tracking", verbose_name=_("key suggestion")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period = models.PositiveSmallIntegerField(_("period"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    text = models.TextField(_("content"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("tracking step")
        verbose_name_plural = _("tracking steps")
        ordering = ["due_at", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["key", "kind", "period"], name="tracking_step_once"),
            models.CheckConstraint(
                condition=Q(kind__in=["monthly", "quarterly", "half_year", "yearly"]), name="tracking_kind_valid"
            ),
            models.CheckConstraint(condition=Q(done_at__isnull=True) | ~Q(text=""), name="tracking_done_has_text"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period}"


class SupervisionActivity(models.Model):
    """The committee's supervision of a suggestion's handling: an inspection (督查), an
    unannounced visit (暗访, 飞行检查), a face-to-face meeting of deputy, unit and office (三方对质,
    三个面对面), or the follow-up review after completion (回头看, 二次验收), which passes or not."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        UNANNOUNCED = "unannounced", _("Unannounced visit")
        FACE_TO_FACE = "face_to_face", _("Face-to-face meeting")
        FOLLOW_UP = "follow_up", _("Follow-up review")

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="activities", verbose_name=_("suggestion")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    findings = models.TextField(_("findings"), max_length=4000)
    passed = models.BooleanField(_("passed"), null=True, blank=True, help_text=_("Follow-up review only."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision activity")
        verbose_name_plural = _("supervision activities")
        ordering = ["happened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["inspection", "unannounced", "face_to_face", "follow_up"]),
                name="activity_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="follow_up", passed__isnull=False) | (~Q(kind="follow_up") & Q(passed__isnull=True)),
                name="activity_verdict_only_for_review",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.happened_on}"


class YearStatistics(models.Model):
    """The statistics of a year's handling, per unit: published or not (the public sees only
    published years), and the weights of the units' assessment score (seed 003: the handling
    counts in the units' annual assessment). Weights are percentages adding up to 100."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    weight_on_time = models.PositiveSmallIntegerField(_("weight of replies on time (%)"), default=30)
    weight_completed = models.PositiveSmallIntegerField(_("weight of completion rate (%)"), default=30)
    weight_satisfied = models.PositiveSmallIntegerField(_("weight of satisfaction rate (%)"), default=40)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
        editable=False,
    )

    class Meta:
        verbose_name = _("yearly statistics")
        verbose_name_plural = _("yearly statistics")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    weight_on_time__lte=100,
                    weight_completed__lte=100,
                    weight_satisfied__lte=100,
                ),
                name="statistics_weights_valid",
            ),
        ]

    def __str__(self):
        return _("Suggestion handling statistics %(year)s") % {"year": self.year}

    @property
    def published(self) -> bool:
        return self.published_at is not None
