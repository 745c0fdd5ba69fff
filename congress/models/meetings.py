from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    """A meeting of the committee: the director's meeting (主任会议, decides candidates by secret
    ballot), a standing committee session, an evaluation meeting, or a symposium (座谈会)."""

    class Kind(models.TextChoices):
        DIRECTORS = "directors", _("Director's meeting")
        STANDING = "standing", _("Standing committee session")
        EVALUATION = "evaluation", _("Evaluation meeting")
        SYMPOSIUM = "symposium", _("Symposium")
        CONGRESS = "congress", _("Congress session")

    term = models.ForeignKey("congress.Term", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("term"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    attendees = models.ManyToManyField(
        "congress.Deputy", through="congress.Attendance", related_name="meetings", verbose_name=_("attendees")
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="meeting_starts_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["directors", "standing", "evaluation", "symposium", "congress"]),
                name="meeting_kind_valid",
            ),
        ]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """A deputy invited to a meeting, and whether they came (出席、缺席、请假). The electorate of
    a meeting's polls is drawn from it."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        PRESENT = "present", _("Present")
        ON_LEAVE = "leave", _("On leave")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting"))
    deputy = models.ForeignKey(
        "congress.Deputy", on_delete=models.PROTECT, related_name="attendance", verbose_name=_("deputy")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    reason = models.CharField(_("reason for absence"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "deputy"], name="one_attendance_per_meeting"),
            models.CheckConstraint(
                condition=Q(status__in=["invited", "present", "leave", "absent"]), name="attendance_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.deputy}"
