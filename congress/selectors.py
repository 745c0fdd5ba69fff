"""Reads of the institution: what a person may see, and the figures of the back office."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from congress.models import Deputy, DeputyGroup, Meeting, Member, Notice, Poll, Term, Unit


def current_term() -> Term | None:
    return Term.objects.filter(is_current=True).first()


def notices_for(user, *, limit: int = 50) -> list[Notice]:
    """A person's own notices, newest first. Nobody reads another person's notices."""
    if not user.is_authenticated:
        return []
    return list(Notice.objects.filter(recipient=user).order_by("-created_at", "-id")[:limit])


def unread_notice_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def year_overview() -> dict:
    """The back-office home: the institution at a glance and the meetings ahead."""
    term = current_term()
    if term is None:
        return {"term": None}
    deputies = Deputy.objects.filter(term=term, active=True).aggregate(
        county=Count("id", filter=Q(level=Deputy.Level.COUNTY)),
        township=Count("id", filter=Q(level=Deputy.Level.TOWNSHIP)),
        total=Count("id"),
    )
    members = Member.objects.filter(term=term, active=True).aggregate(
        total=Count("id"), full_time=Count("id", filter=Q(full_time=True))
    )
    return {
        "term": term,
        "deputies": deputies,
        "groups": DeputyGroup.objects.filter(term=term).count(),
        "members": members,
        "units": Unit.objects.filter(active=True).count(),
        "upcoming_meetings": list(Meeting.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at")[:5]),
    }


def deputies_of_group(group: DeputyGroup):
    return Deputy.objects.filter(group=group, active=True).select_related("user").order_by("id")


def public_registry() -> dict:
    """What the public may read about the institution: its name, commissions and units."""
    from congress.models import Commission, Committee

    return {
        "committee": Committee.objects.first(),
        "commissions": list(Commission.objects.filter(active=True).only("name")),
        "units": list(Unit.objects.filter(active=True).only("name")),
    }


# --- voting ------------------------------------------------------------------------------


class TallyHidden(Exception):
    """The tally of a poll that is still open (or not yet announced, for the public)."""


def poll_progress(poll) -> dict:
    """How many have voted out of how many eligible: visible to everyone at any time."""
    from congress.models import Participation

    return {"voted": Participation.objects.filter(poll=poll).count(), "eligible": poll.eligible_count or 0}


def poll_results(poll, *, audience: str = "staff", group: str = "all", ranked: bool = False) -> list:
    """The frozen tally of a poll. Nobody sees any of it while the poll is open; staff see it
    once closed, the hall's screen and the public once announced. In sheet order, or
    ``ranked``: by rank (unranked items last, in sheet order)."""
    from congress.models import Poll, PollResult

    visible = {Poll.Status.CLOSED, Poll.Status.ANNOUNCED} if audience == "staff" else {Poll.Status.ANNOUNCED}
    if poll.status not in visible:
        raise TallyHidden(poll.status)
    results = PollResult.objects.filter(poll=poll, group=group).select_related("item")
    if ranked:
        results = results.order_by(F("rank").asc(nulls_last=True), "item__sort_order", "item_id")
    else:
        results = results.order_by("item__sort_order", "item_id")
    return list(results)


def voters_yet_to_vote(poll) -> list:
    """Names of the electorate who have not voted yet (never what anyone chose)."""
    from congress.models import Participation, PollVoter

    voted = Participation.objects.filter(poll=poll, voter__isnull=False).values("voter_id")
    return list(
        PollVoter.objects.filter(poll=poll).exclude(pk__in=voted).select_related("deputy").order_by("deputy__name")
    )


ROSTERS = ("attendance", "members", "deputies")


def roll_of(meeting, roster: str = "attendance", group_id: int | None = None) -> list:
    """The people of a meeting's roll, by name, each with ``roll_status`` and ``roll_reason``:
    as recorded if already on the meeting, else present (everyone is present by default). The
    roster: those already on the meeting, the term's members, every active deputy of the term,
    or one deputy group. Two queries."""
    from congress.models import Attendance

    recorded = {
        a.deputy_id: a for a in Attendance.objects.filter(meeting=meeting).only("deputy_id", "status", "reason")
    }
    people = Deputy.objects.filter(term_id=meeting.term_id, active=True).select_related("group")
    if group_id is not None:
        people = people.filter(group_id=group_id)
    elif roster == "members":
        people = people.filter(member__active=True)
    elif roster == "deputies":
        pass
    else:
        people = people.filter(pk__in=list(recorded))
    rows = list(people.order_by("group__name", "name", "pk"))
    for person in rows:
        entry = recorded.get(person.pk)
        person.roll_status = entry.status if entry and entry.status != Attendance.Status.INVITED else "present"
        person.roll_reason = entry.reason if entry else ""
    return rows


def meeting_voters(meeting, *, without_login=False) -> list:
    """The people who can vote at a meeting: the term's active members and the deputies
    invited or present, each once, by name (two queries). ``without_login``: only those who
    have no login account, who vote with a deputy's code (代表码)."""
    from congress.models import Attendance

    attending = Attendance.objects.filter(
        meeting=meeting, status__in=[Attendance.Status.PRESENT, Attendance.Status.INVITED]
    ).values("deputy_id")
    people = Deputy.objects.filter(
        Q(member__term_id=meeting.term_id, member__active=True) | Q(pk__in=attending), active=True
    )
    if without_login:
        people = people.filter(user__isnull=True)
    return list(people.order_by("name", "pk").distinct())


def has_voted(poll, *, deputy=None, code=None) -> bool:
    """Whether this voter's ballot is in: a person (by link, paper or their deputy's code), or
    a hall slip."""
    from congress.models import Participation, VoterCode
    from congress.services.voting import code_digest

    if code:
        if poll.electorate != Poll.Electorate.CODES:
            # A deputy's code (代表码) in a poll of persons: has its person voted, either way?
            person = VoterCode.objects.filter(digest=code_digest(code), deputy__isnull=False).values("deputy_id")
            return Participation.objects.filter(poll=poll, voter__deputy_id__in=person).exists()
        return Participation.objects.filter(poll=poll, code__digest=code_digest(code)).exists()
    return Participation.objects.filter(poll=poll, voter__deputy=deputy).exists()


def open_polls_for(*, deputy=None, code=None) -> list:
    """Open polls this voter may vote in, each marked ``voted`` (True/False) and with
    ``n_voted``, how many have voted so far (never what anyone chose)."""
    from django.db.models import Exists, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from congress.models import Participation, Poll, VoterCode
    from congress.services.voting import code_digest

    if code:
        held = VoterCode.objects.filter(digest=code_digest(code), revoked=False).first()
        if held is None:
            return []
        slip = models.Q(electorate=Poll.Electorate.CODES, code_cutoff__gte=held.pk)
        done = models.Q(code=held)
        if held.deputy_id is not None:  # a deputy's code also votes as its person
            slip |= models.Q(voters__deputy_id=held.deputy_id)
            done |= models.Q(voter__deputy_id=held.deputy_id)
        polls = Poll.objects.filter(slip, status=Poll.Status.OPEN, meeting_id=held.meeting_id).annotate(
            voted=Exists(Participation.objects.filter(done, poll=OuterRef("pk")))
        )
    elif deputy is not None:
        polls = Poll.objects.filter(status=Poll.Status.OPEN, voters__deputy=deputy).annotate(
            voted=Exists(Participation.objects.filter(poll=OuterRef("pk"), voter__deputy=deputy))
        )
    else:
        return []
    voted_count = (
        Participation.objects.filter(poll=OuterRef("pk"))
        .order_by()
        .values("poll")
        .annotate(n=models.Count("id"))
        .values("n")
    )
    polls = polls.annotate(n_voted=Coalesce(Subquery(voted_count), 0))
    return list(polls.select_related("meeting").order_by("meeting__starts_at", "sort_order", "id"))


def poll_on_screen(meeting):
    """The poll the hall's screen shows: the open one, else the latest counted one."""
    from congress.models import Poll

    polls = Poll.objects.filter(meeting=meeting).exclude(status__in=[Poll.Status.DRAFT, Poll.Status.VOID])
    return polls.filter(status=Poll.Status.OPEN).order_by("-opened_at").first() or polls.order_by("-opened_at").first()


_sheets: dict[tuple, list] = {}


def poll_items(poll) -> list:
    """The lines of a poll's ballot sheet. Once a poll is open its sheet never changes, so
    each process keeps it after the first read (a full hall asks for it a thousand times)."""
    from congress.models import Poll

    if poll.status == Poll.Status.DRAFT or poll.opened_at is None:
        return list(poll.items.all())
    key = (poll.pk, poll.opened_at)
    items = _sheets.get(key)
    if items is None:
        if len(_sheets) > 256:
            _sheets.clear()
        items = _sheets[key] = list(poll.items.all())
    return items


@dataclass(frozen=True)
class BallotSheet:
    """What a phone's confirm needs of an opened poll to check a filled-in sheet and cast it:
    its id, meeting, electorate, levels, opening time and items. None of it changes once a poll
    opens, so each process keeps it after the first read; the poll's state is not in it (the
    cast checks that in the database, and refuses a sheet kept from another opening)."""

    pk: int
    meeting_id: int
    electorate: str
    levels: list
    opened_at: object
    items: list
    item_keys: frozenset = frozenset()  # what clean_choices accepts as items
    level_codes: frozenset = frozenset()  # and as choices


_opened_sheets: dict[int, BallotSheet] = {}


def ballot_sheet(pk: int) -> BallotSheet | None:
    """The kept sheet of an opened poll (one query the first time in a process), or None for
    a poll that does not exist or has not been opened."""
    from congress.models import Poll

    sheet = _opened_sheets.get(pk)
    if sheet is None:
        poll = (
            Poll.objects.exclude(status=Poll.Status.DRAFT)
            .filter(pk=pk, opened_at__isnull=False)
            .only("id", "meeting_id", "electorate", "levels", "opened_at", "status")
            .first()
        )
        if poll is None:
            return None
        if len(_opened_sheets) > 256:
            _opened_sheets.clear()
        items = poll_items(poll)
        keys = [str(item.pk) for item in items]
        sheet = _opened_sheets[pk] = BallotSheet(
            pk=poll.pk,
            meeting_id=poll.meeting_id,
            electorate=poll.electorate,
            levels=poll.levels,
            opened_at=poll.opened_at,
            items=items,
            item_keys=frozenset(keys),
            level_codes=frozenset(level["code"] for level in poll.levels),
        )
    return sheet


def forget_ballot_sheet(pk: int) -> None:
    """Drop a kept sheet the database refused (the poll with this id is not the one kept)."""
    _opened_sheets.pop(pk, None)


def current_run(poll: Poll | None) -> Poll | None:
    """The poll that stands for ``poll`` today: itself, or, if it was voided and run again, the
    latest rerun (following the chain of reruns)."""
    while poll is not None and poll.status == Poll.Status.VOID:
        rerun = poll.reruns.order_by("-pk").first()
        if rerun is None:
            break
        poll = rerun
    return poll


# --- who to tell (the reminder engine's recipients, in bulk) ---------------------------------


def setup_checklist() -> list[dict]:
    """What a county has set up and what is still missing, for the setting-up page (系统初始化):
    one entry per part of the registry, in the order a county brings them in, with its count
    and the roster that imports it. Ten queries, whatever the size of the county."""
    from django.conf import settings

    from congress.models import Commission, CommissionSeat, Committee, Official, User

    term = current_term()
    committee = Committee.objects.first()
    in_term = {"term": term} if term else {"pk__in": []}
    deputies = Deputy.objects.filter(**in_term).aggregate(
        total=Count("id"), with_phone=Count("id", filter=~Q(phone="")), with_email=Count("id", filter=~Q(email=""))
    )
    units = Unit.objects.filter(active=True).aggregate(
        total=Count("id"), with_liaison=Count("id", filter=Q(liaisons__isnull=False), distinct=True)
    )
    mailer = settings.MAILERS["default"]["BACKEND"]
    email_ready = not mailer.endswith(("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend"))
    from congress import sms

    # Really configured: a provider that sends to phones, not the console or the file of var/.
    sms_ready = sms.is_real(settings.SMS_URL)
    return [
        {"key": "committee", "count": 1 if committee else 0, "object": committee},
        {"key": "term", "count": 1 if term else 0, "object": term},
        {"key": "groups", "count": DeputyGroup.objects.filter(**in_term).count()},
        {"key": "deputies", "count": deputies["total"], "with_phone": deputies["with_phone"]},
        {"key": "members", "count": Member.objects.filter(**in_term, active=True).count()},
        {"key": "commissions", "count": Commission.objects.filter(active=True).count()},
        {"key": "seats", "count": CommissionSeat.objects.filter(deputy__in=Deputy.objects.filter(**in_term)).count()},
        {"key": "units", "count": units["total"]},
        {
            "key": "liaisons",
            "count": User.objects.filter(unit__isnull=False, is_active=True).count(),
            "units_without": units["total"] - units["with_liaison"],
        },
        {"key": "officials", "count": Official.objects.filter(active=True).count()},
        {
            "key": "channels",
            "count": 1 + email_ready + sms_ready,
            "email": email_ready,
            "sms": sms_ready,
            "deputies_with_phone": deputies["with_phone"],
            "deputies_with_email": deputies["with_email"],
            "deputies": deputies["total"],
        },
    ]


# --- people, not logins: who a reminder reaches and by which channels -----------------------


@dataclass(frozen=True)
class Person:
    """Someone a reminder is for, with every channel they have: a login (the in-app notice),
    a mobile number (SMS), an email address. A deputy is one person whether named by their
    roster entry or by their login; ``deputy`` is their roster entry (for the personal link)."""

    key: str
    name: str
    user_id: int | None
    phone: str
    email: str
    deputy: Deputy | None = None
    back_office: bool = False  # may open back-office pages (staff, leaders)


def deputy_ref(pk: int) -> tuple[str, int]:
    """A deadline source names a deputy this way (a plain int names a login)."""
    return ("deputy", pk)


def people(refs) -> dict:
    """The person behind each reference (a login's id, or ``deputy_ref(id)``), in two queries.
    Inactive logins and deputies who left office are nobody to remind."""
    from congress.models import User

    refs = set(refs)
    user_ids = {r for r in refs if isinstance(r, int)}
    deputy_ids = {r[1] for r in refs if isinstance(r, tuple)}
    result: dict = {}
    fields = ("id", "name", "phone", "email", "login_link_version", "user_id", "active")
    for user in (
        User.objects.filter(pk__in=user_ids, is_active=True)
        .select_related("deputy")
        .only(
            "id", "username", "first_name", "last_name", "phone", "email", "is_staff", *(f"deputy__{f}" for f in fields)
        )
    ):
        deputy = getattr(user, "deputy", None)
        if deputy is not None and deputy.active:
            result[user.pk] = _deputy_person(deputy, user)
        else:
            result[user.pk] = Person(
                f"user:{user.pk}", str(user), user.pk, user.phone, user.email, back_office=user.is_staff
            )
    for deputy in (
        Deputy.objects.filter(pk__in=deputy_ids, active=True)
        .select_related("user")
        .only(*fields, "user__is_active", "user__phone", "user__email", "user__is_staff")
    ):
        result[deputy_ref(deputy.pk)] = _deputy_person(deputy, deputy.user)
    return result


def _deputy_person(deputy: Deputy, user) -> Person:
    active_user = user if user is not None and user.is_active else None
    return Person(
        key=f"deputy:{deputy.pk}",
        name=deputy.name,
        user_id=active_user.pk if active_user else None,
        phone=deputy.phone or (active_user.phone if active_user else ""),
        email=deputy.email or (active_user.email if active_user else ""),
        deputy=deputy,
        back_office=bool(active_user and active_user.is_staff),
    )


def failed_deliveries(queryset=None):
    """Messages the providers refused or could not deliver (failed, unreachable): what staff
    look at and retry. The workbench counts them; the outbox's "failed" filter lists them."""
    from congress.models import Delivery

    queryset = Delivery.objects.all() if queryset is None else queryset
    return queryset.filter(status__in=[Delivery.Status.FAILED, Delivery.Status.UNREACHABLE])


def failed_delivery_count(user) -> int:
    return failed_deliveries().count()


def unit_liaisons(unit_ids) -> dict[int, list[int]]:
    """The active liaisons (联络员, the liaison role) of each unit: the one definition every
    reminder about a unit's work uses (one query)."""
    from congress.models import Role, User

    result: dict[int, list[int]] = {}
    for user_id, unit_id in (
        User.objects.filter(unit_id__in={u for u in unit_ids if u}, is_active=True, groups__name=Role.LIAISON)
        .values_list("pk", "unit_id")
        .distinct()
    ):
        result.setdefault(unit_id, []).append(user_id)
    return result


def commission_people(commission_ids) -> dict[int, list]:
    """The deputies seated on each commission, login or not (one query)."""
    from congress.models import CommissionSeat

    seats: dict[int, list] = {}
    for commission_id, deputy_id in CommissionSeat.objects.filter(
        commission_id__in={c for c in commission_ids if c}
    ).values_list("commission_id", "deputy_id"):
        seats.setdefault(commission_id, []).append(deputy_ref(deputy_id))
    return seats


def member_people(member_ids) -> dict[int, tuple]:
    """Each standing committee member as a person (their deputy entry), login or not."""
    from congress.models import Member

    return {
        pk: deputy_ref(deputy_id)
        for pk, deputy_id in Member.objects.filter(pk__in={m for m in member_ids if m}).values_list("pk", "deputy_id")
    }


# --- what reached whom (the back office's reach pages) ---------------------------------------


def reach_counts(queryset):
    """Reminders (a ReminderLog queryset) annotated with their reach, the one definition every
    page uses: people concerned; people reached by each channel (sent, or delivered where the
    provider reports it); deliveries still waiting (queued, held, being sent); and failed ones
    (failed, or a person with no channel at all).

    Each figure is counted for each reminder shown, in a subquery of its own: a list's page
    counts the deliveries of its rows only, and its count, dates and filters read the log
    alone, however many deliveries ten years have written."""
    from congress.models import Delivery

    def count(*, people=False, **filters):
        deliveries = Delivery.objects.filter(reminder=OuterRef("pk"), **filters).order_by().values("reminder")
        counted = Count("person_key", distinct=True) if people else Count("pk")
        return Coalesce(Subquery(deliveries.annotate(n=counted).values("n")), 0)

    def on(channel):
        return count(people=True, channel=channel, status__in=Delivery.REACHED)

    return queryset.annotate(
        reach_people=count(people=True),
        reach_inapp=on(Delivery.Channel.INAPP),
        reach_sms=on(Delivery.Channel.SMS),
        reach_email=on(Delivery.Channel.EMAIL),
        reach_waiting=count(status__in=Delivery.OPEN),
        reach_failed=count(status__in=[Delivery.Status.FAILED, Delivery.Status.UNREACHABLE]),
    )


def reach_of(reminder) -> list[dict]:
    """One reminder's people, each with what happened on each of their channels (one query)."""
    from congress.models import Delivery

    people: dict[str, dict] = {}
    for row in Delivery.objects.filter(reminder=reminder).order_by("person_name", "person_key", "channel"):
        person = people.setdefault(
            row.person_key, {"key": row.person_key, "name": row.person_name, "channels": {}, "reached": False}
        )
        person["channels"][row.channel] = row
        person["reached"] = person["reached"] or row.status in Delivery.REACHED
    channels = [c for c in Delivery.Channel if c != Delivery.Channel.NONE]
    for person in people.values():
        person["cells"] = [person["channels"].get(c) for c in channels]
        person["reasons"] = [row for row in person["channels"].values() if row.reason]
    # The people not reached first: they are what staff act on.
    return sorted(people.values(), key=lambda p: (p["reached"], p["name"]))
