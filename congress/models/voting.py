"""Secret ballots at meetings (无记名投票): approval polls (表决) and satisfaction polls
(满意度测评), counted on the spot (现场计票) and shown on the hall's screen (现场公布).

Secrecy is kept by the shape of the data: a Participation records *that* someone voted, a
Ballot *what* was chosen, and nothing joins them. Ballot rows are created empty, in random
order, when the poll opens (one slot per eligible voter); a vote fills a randomly chosen empty
slot, so neither ids nor storage order follow the order in which people voted.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Poll(models.Model):
    """One ballot sheet put to the vote at a meeting: approval (yes / no / abstain on each
    item) or satisfaction (one level per item). Lifecycle: draft → open → closed → announced;
    a wrong poll is voided with a reason and run again."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("Approval vote")
        SATISFACTION = "satisfaction", _("Satisfaction poll")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("poll status", "Draft")
        OPEN = "open", pgettext_lazy("poll status", "Open")
        CLOSED = "closed", pgettext_lazy("poll status", "Closed")
        ANNOUNCED = "announced", pgettext_lazy("poll status", "Announced")
        VOID = "void", pgettext_lazy("poll status", "Void")

    class Electorate(models.TextChoices):
        MEMBERS = "members", _("Standing committee members")
        ATTENDEES = "attendees", _("Deputies attending the meeting")
        BOTH = "both", _("Members and attending deputies")
        CODES = "codes", _("Holders of voting codes")

    meeting = models.ForeignKey(
        "congress.Meeting", on_delete=models.PROTECT, related_name="polls", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    electorate = models.CharField(_("electorate"), max_length=10, choices=Electorate.choices, default=Electorate.BOTH)
    # [{"code": "satisfied", "label": "满意", "weight": 100, "satisfied": true}, ...]
    levels = models.JSONField(_("levels"), default=list, blank=True)
    pass_ratio = models.DecimalField(
        _("pass threshold"),
        max_digits=4,
        decimal_places=3,
        default=0.5,
        help_text=_(
            "Approval: an item passes when its yes votes exceed this share of all eligible voters. "
            "Satisfaction: an item passes when its satisfaction rate reaches this share."
        ),
    )

    class PassBase(models.TextChoices):
        ELIGIBLE = "eligible", _("more than half of all eligible voters (全体组成人员过半数)")
        VOTED = "voted", _("more than half of those present and voting (到会过半数)")

    pass_base = models.CharField(
        _("approval counted against"),
        max_length=8,
        choices=PassBase.choices,
        default=PassBase.ELIGIBLE,
        help_text=_("Approval: the number the yes votes must exceed a share of."),
    )
    pass_strictly = models.BooleanField(
        _("strictly more than the threshold"),
        default=False,
        help_text=_(
            "Satisfaction: pass only when the satisfaction rate exceeds the threshold (e.g. more than half), "
            "not when it merely reaches it."
        ),
    )
    eligible_count = models.PositiveIntegerField(_("eligible voters"), null=True, blank=True, editable=False)
    # Voting codes of the meeting issued up to this id may vote in this poll (fixed at opening).
    code_cutoff = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, editable=False)
    void_reason = models.TextField(_("reason for voiding"), blank=True, editable=False)
    rerun_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reruns",
        verbose_name=_("rerun of"),
        editable=False,
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["meeting", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["approval", "satisfaction"]), name="poll_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed", "announced", "void"]), name="poll_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(electorate__in=["members", "attendees", "both", "codes"]), name="poll_electorate_valid"
            ),
            models.CheckConstraint(condition=Q(pass_ratio__gt=0, pass_ratio__lte=1), name="poll_pass_ratio_valid"),
            models.CheckConstraint(condition=Q(pass_base__in=["eligible", "voted"]), name="poll_pass_base_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "void"]) | Q(eligible_count__isnull=False),
                name="poll_opened_has_electorate",
            ),
        ]

    def __str__(self):
        return self.title


class PollItem(models.Model):
    """One line of the ballot sheet: a candidate in an approval vote, a unit or an official
    being scored in a satisfaction poll. ``ref`` names what it stands for in another app
    (e.g. "evaluations.subject:12") without the voting engine knowing that app."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="items", verbose_name=_("poll"))
    label = models.CharField(_("label"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)
    ref = models.CharField(_("reference"), max_length=100, blank=True, editable=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("ballot item")
        verbose_name_plural = _("ballot items")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["poll", "label"], name="unique_item_label_per_poll")]

    def __str__(self):
        return self.label


class VoterGroup(models.TextChoices):
    MEMBER = "member", _("Members")
    DEPUTY = "deputy", _("Deputies")


class PollVoter(models.Model):
    """A person in a poll's electorate, fixed when the poll opens. Staff see who has not yet
    voted from it (names only, never choices)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voters", verbose_name=_("poll"))
    deputy = models.ForeignKey("congress.Deputy", on_delete=models.PROTECT, related_name="+", verbose_name=_("voter"))
    group = models.CharField(_("voter group"), max_length=6, choices=VoterGroup.choices)

    class Meta:
        verbose_name = _("eligible voter")
        verbose_name_plural = _("eligible voters")
        constraints = [
            models.UniqueConstraint(fields=["poll", "deputy"], name="one_eligibility_per_poll"),
            models.CheckConstraint(condition=Q(group__in=["member", "deputy"]), name="pollvoter_group_valid"),
        ]

    def __str__(self):
        return f"{self.poll} · {self.deputy}"


class VoterCode(models.Model):
    """A one-time voting code printed on a slip, valid for one meeting; only its hash is stored.

    Two kinds. A hall slip (投票码), handed out at the door like a paper ballot, names nobody:
    it votes once in each of the meeting's code polls, and the system never knows who held it.
    A deputy's code (代表码) is printed for one person of the electorate who votes without a
    login: it votes *as that person*, so in a poll of members and deputies the person is
    recorded once whether they used their link or their slip (the database refuses the
    second), and what they chose is as secret as any other ballot."""

    meeting = models.ForeignKey(
        "congress.Meeting", on_delete=models.CASCADE, related_name="voter_codes", verbose_name=_("meeting")
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    deputy = models.ForeignKey(
        "congress.Deputy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued to"),
        editable=False,
    )
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "deputy"],
                condition=Q(deputy__isnull=False, revoked=False),
                name="one_live_code_per_person_and_meeting",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · #{self.pk}"


class Participation(models.Model):
    """The fact that a voter (a person of the electorate, or a voting code) has voted in a
    poll: written in the same transaction as the ballot, unique per poll, and never holding
    what was chosen, nor when. A person who votes with their deputy's code (代表码) is
    recorded as that person, with the code: one row per person, whichever way they voted."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        PAPER = "paper", _("Paper ballot")

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations", verbose_name=_("poll"))
    voter = models.ForeignKey(
        PollVoter, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("voter")
    )
    code = models.ForeignKey(
        VoterCode, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("voting code")
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices, default=Channel.PHONE)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "voter"], condition=Q(voter__isnull=False), name="one_vote_per_voter"
            ),
            models.UniqueConstraint(fields=["poll", "code"], condition=Q(code__isnull=False), name="one_vote_per_code"),
            models.CheckConstraint(
                condition=Q(voter__isnull=False) | Q(code__isnull=False),
                name="participation_has_voter_or_code",
            ),
            models.CheckConstraint(condition=Q(channel__in=["phone", "paper"]), name="participation_channel_valid"),
        ]

    def __str__(self):
        return f"{self.poll_id}:{self.voter_id or 'code'}"


class Ballot(models.Model):
    """One voter's anonymous choices in one poll (选票): a random id, the voter group (for
    separate tallies) and the choices; no voter, no time, no sequence. Created empty when the
    poll opens, filled by one vote, and written again in random order when the poll closes.
    Never audited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("poll"))
    filled = models.BooleanField(default=False)
    group = models.CharField(max_length=6, blank=True, choices=VoterGroup.choices)
    # {"<item id>": "<level code>"}; an item left blank is absent.
    choices = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.CheckConstraint(
                condition=Q(filled=False, choices__isnull=True, group="")
                | Q(filled=True, choices__isnull=False, group__in=["member", "deputy"]),
                name="ballot_slot_or_cast",
            ),
        ]

    def __str__(self):
        return str(self.id)


class PollResult(models.Model):
    """The frozen tally of one item for one voter group ("all", "member" or "deputy"), written
    when the poll closes: the counts per level, abstentions, satisfaction rate, weighted score,
    rank among the items and verdict."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="results", verbose_name=_("poll"))
    item = models.ForeignKey(PollItem, on_delete=models.CASCADE, related_name="results", verbose_name=_("item"))
    group = models.CharField(_("voter group"), max_length=6)
    counts = models.JSONField(_("counts per level"))
    blank = models.PositiveIntegerField(_("left blank"))
    ballots = models.PositiveIntegerField(_("ballots"))
    rate = models.DecimalField(_("satisfaction rate"), max_digits=5, decimal_places=4, null=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True)
    passed = models.BooleanField(_("passed"), null=True)

    class Meta:
        verbose_name = _("poll result")
        verbose_name_plural = _("poll results")
        ordering = ["poll", "group", "item__sort_order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "item", "group"], name="one_result_per_item_and_group"),
            models.CheckConstraint(condition=Q(group__in=["all", "member", "deputy"]), name="result_group_valid"),
        ]

    def __str__(self):
        return f"{self.item} ({self.group})"
