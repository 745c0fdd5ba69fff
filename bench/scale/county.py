"""bench/scale: a ten-year county, built in bulk on top of the demo county (run under Django).

``build(copies)`` adds ``copies`` times the ten-year volumes of issue 25 to the loaded demo
county (清河县): the 16th term (2017–2021, its 212 county deputies and groups) before the
current 17th; one congress session a year; the evaluations of 2016–2024 (the demo's 2025 work
evaluation copied year by year: its meetings, satisfaction poll with items and results, 27
subjects with results, their rectifications and columns with their five publications);
and, per copy,

- 10,000 suggestions over the ten sessions (1,000 a year; 9,000 accepted with a lead unit,
  2,300 co-units: 11,300 assignments; 5,000 replies, most of them rated), the demo deputy
  leading 3 % of the current term's and the demo liaison's unit (县教育局) handling its share;
- 1,000 rectifications with 5,000 itemized opinions (the subjects' ones above included);
- 2,000 notices for each demo login;
- 1,000 publications (the evaluations' pages above and the meeting videos of each year);
- 120 meetings (directors' meetings and standing committee sessions, ten years of them);
- 500 staff reminders a year, sent (their log rows written).

A second call (``copies`` more) extends the same county: the 5x measurement is the 1x county
extended by four more copies. Everything goes through ``bulk_create``: no service runs, no
audit row is written (what is measured is reading ten years, not writing them).
"""

import datetime
import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from congress.models import (
    Deputy,
    DeputyGroup,
    Meeting,
    Notice,
    Poll,
    PollItem,
    PollResult,
    Reminder,
    ReminderLog,
    Term,
    Unit,
    User,
)
from evaluations.models import Campaign, Opinion, Rectification, Result, Subject
from media_publish.models import Column, Publication, Recording
from suggestions.models import Assignment, Category, CongressSession, Feedback, Reply, Suggestion
from tests.oversight.factories import ITEMS, OPINIONS
from tests.suggestions.factories import CATEGORIES, DRAINAGE_TEXT
from tests.surveys.factories import TOPICS

FIRST_YEAR = 2017
YEARS = range(FIRST_YEAR, FIRST_YEAR + 10)  # 2017–2026: the 16th term and the current 17th
SUGGESTIONS_A_YEAR = 1_000
CO_UNITS_A_YEAR = 230
REPLIES_A_YEAR = 500
RECTIFICATIONS = 1_000
OPINIONS_EACH = 5
NOTICES_EACH = 2_000
PUBLICATIONS = 1_000
MEETINGS_A_YEAR = 12
REMINDERS_A_YEAR = 500
BATCH = 5_000

ACTIONS = ["加快推进", "统筹实施", "尽快启动", "加大投入", "完善机制", "分步实施"]
PLACES = ["城关镇", "龙泉镇", "桃源乡", "清河镇", "石门乡", "白沙镇", "新华镇", "青山乡", "双河镇"]
SUBJECTS = [t for _k, t, _g in ITEMS] + TOPICS


def clone(obj, **changes):
    """An unsaved copy of ``obj`` with ``changes`` (its primary key left for the database)."""
    data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    data.update(changes)
    return type(obj)(**data)


def shifted(value, years: int):
    """``value`` (a date or a datetime) ``years`` years earlier or later (29 February → 28)."""
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


def clone_in_year(obj, years: int, **changes):
    """A copy of ``obj`` whose dates and times all move ``years`` years."""
    for f in obj._meta.concrete_fields:
        if f.get_internal_type() in ("DateField", "DateTimeField") and f.attname not in changes:
            changes[f.attname] = shifted(getattr(obj, f.attname), years)
    return clone(obj, **changes)


def aware(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(year, month, min(day, 28), hour, tzinfo=timezone.get_current_timezone())


def build(copies: int = 1, *, seed: int = 2026, say=print) -> dict[str, int]:
    """Add ``copies`` times the ten-year volumes to the county; returns the rows written."""
    rng = random.Random(seed + Suggestion.objects.count())
    written: dict[str, int] = {}

    def add(model, objs, **kwargs):
        made = model.objects.bulk_create(objs, batch_size=BATCH, **kwargs)
        written[model._meta.model_name] = written.get(model._meta.model_name, 0) + len(made)
        return made

    with transaction.atomic():
        terms = _terms(add)
        sessions = _sessions(add, terms)
        if not Campaign.objects.filter(year__lt=2025).exists():
            _evaluations(add)
        for _copy in range(copies):
            _suggestions(add, rng, sessions)
            _rectifications(add, rng)
            _notices(add, rng)
            _publications(add, rng)
            _meetings(add, rng, terms)
            _reminders(add, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does on a server after such a load
    return written


def _terms(add) -> dict[int, Term]:
    """The current (17th) term, and the 16th before it with its groups and county deputies."""
    current = Term.objects.get(is_current=True)
    previous = Term.objects.filter(number=current.number - 1).first()
    if previous is None:
        previous = add(
            Term,
            [Term(number=current.number - 1, start_date=datetime.date(2017, 1, 6), end_date=datetime.date(2022, 1, 5))],
        )[0]
        groups = {g.pk: g for g in DeputyGroup.objects.filter(term=current)}
        copies = add(DeputyGroup, [clone(g, term_id=previous.pk) for g in groups.values()])
        new_group = {old: new.pk for old, new in zip(groups, copies, strict=True)}
        add(
            Deputy,
            [
                clone(d, term_id=previous.pk, group_id=new_group.get(d.group_id), user_id=None, phone="", id_number="")
                for d in Deputy.objects.filter(term=current, level=Deputy.Level.COUNTY)
            ],
        )
    return {FIRST_YEAR + i: (previous if FIRST_YEAR + i < current.start_date.year else current) for i in range(10)}


def _sessions(add, terms) -> dict[int, CongressSession]:
    """One congress session a year, each term's numbered from 1 (the current one is the demo's)."""
    sessions = {s.year: s for s in CongressSession.objects.all()}
    for year, term in terms.items():
        if year in sessions:
            continue
        number = year - term.start_date.year + 1
        sessions[year] = add(
            CongressSession,
            [
                CongressSession(
                    term=term,
                    number=number,
                    year=year,
                    starts_on=datetime.date(year, 1, 10),
                    ends_on=datetime.date(year, 1, 14),
                    is_current=False,
                )
            ],
        )[0]
    return sessions


def _evaluations(add) -> None:
    """2016–2024: the demo's 2025 work evaluation as each year held it (meeting, poll, results,
    subjects, rectifications, column and published pages)."""
    model = Campaign.objects.get(year=2025, kind=Campaign.Kind.WORK)
    meeting = Meeting.objects.get(pk=model.meeting_id)
    poll = Poll.objects.get(pk=model.satisfaction_poll_id)
    items = list(PollItem.objects.filter(poll=poll).order_by("pk"))
    poll_results = list(PollResult.objects.filter(poll=poll))
    subjects = list(Subject.objects.filter(campaign=model).order_by("pk"))
    results = list(Result.objects.filter(subject__campaign=model))
    rectifications = {r.subject_id: r for r in Rectification.objects.filter(subject__campaign=model)}
    opinions = list(Opinion.objects.filter(rectification__subject__campaign=model).order_by("pk"))
    column = Column.objects.get(campaign=model)
    publications = list(Publication.objects.filter(column=column, status=Publication.Status.PUBLISHED))
    recordings = {r.pk: r for r in Recording.objects.filter(column=column)}
    terms = {t.number: t for t in Term.objects.all()}
    for year in range(2016, 2025):
        years = year - 2025
        term = terms[17] if year >= 2022 else terms[16]
        new_meeting = add(
            Meeting, [clone_in_year(meeting, years, term_id=term.pk, title=meeting.title.replace("2025", str(year)))]
        )[0]
        new_poll = add(
            Poll, [clone_in_year(poll, years, meeting_id=new_meeting.pk, title=poll.title.replace("2025", str(year)))]
        )[0]
        new_items = add(PollItem, [clone(i, poll_id=new_poll.pk) for i in items])
        item_of = {old.pk: new.pk for old, new in zip(items, new_items, strict=True)}
        add(PollResult, [clone(r, poll_id=new_poll.pk, item_id=item_of[r.item_id]) for r in poll_results])
        campaign = add(
            Campaign,
            [
                clone_in_year(
                    model,
                    years,
                    term_id=term.pk,
                    year=year,
                    title=model.title.replace("2025", str(year)),
                    meeting_id=new_meeting.pk,
                    satisfaction_poll_id=new_poll.pk,
                )
            ],
        )[0]
        new_subjects = add(Subject, [clone(s, campaign_id=campaign.pk, team_id=None) for s in subjects])
        subject_of = {old.pk: new.pk for old, new in zip(subjects, new_subjects, strict=True)}
        add(Result, [clone(r, subject_id=subject_of[r.subject_id], poll_id=new_poll.pk) for r in results])
        rects = [
            (
                old,
                clone_in_year(
                    r,
                    years,
                    subject_id=subject_of[old],
                    status=Rectification.Status.CLOSED,
                    closed_at=aware(year + 1, 6, 30),
                    title=r.title.replace("2025", str(year)),
                ),
            )
            for old, r in rectifications.items()
        ]
        made = add(Rectification, [r for _old, r in rects])
        rect_of = {rectifications[old].pk: new.pk for (old, _r), new in zip(rects, made, strict=True)}
        add(
            Opinion,
            [
                clone(
                    o,
                    rectification_id=rect_of[o.rectification_id],
                    state=Opinion.State.DONE,
                    progress=100,
                    done_at=aware(year + 1, 5, 20),
                )
                for o in opinions
                if o.rectification_id in rect_of
            ],
        )
        new_column = add(
            Column, [clone(column, campaign_id=campaign.pk, title=column.title.replace("2025", str(year)))]
        )[0]
        rec_of = {}
        for old, rec in recordings.items():
            rec_of[old] = add(
                Recording,
                [
                    clone_in_year(
                        rec,
                        years,
                        column_id=new_column.pk,
                        meeting_id=new_meeting.pk,
                        title=rec.title.replace("2025", str(year)),
                    )
                ],
            )[0].pk
        add(
            Publication,
            [
                clone_in_year(
                    p,
                    years,
                    column_id=new_column.pk,
                    recording_id=rec_of.get(p.recording_id),
                    title=p.title.replace("2025", str(year)),
                )
                for p in publications
            ],
        )


def _suggestion_title(rng: random.Random) -> str:
    return f"关于{rng.choice(ACTIONS)}{rng.choice(PLACES)}{rng.choice(SUBJECTS)}的建议"[:100]


def _suggestions(add, rng, sessions) -> None:
    current = Term.objects.get(is_current=True)
    deputies = {
        t: list(Deputy.objects.filter(term_id=t, level=Deputy.Level.COUNTY).values_list("pk", flat=True))
        for t in {s.term_id for s in sessions.values()}
    }
    demo_deputy = Deputy.objects.filter(user__username="deputy").values_list("pk", flat=True).first()
    units = list(Unit.objects.values_list("pk", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    if not categories:
        categories = [c.pk for c in add(Category, [Category(name=n, sort_order=i) for i, n in enumerate(CATEGORIES)])]
    numbers = dict(
        Suggestion.objects.filter(number__isnull=False, between_sessions=False)
        .values_list("session")
        .annotate(m=Max("number"))
    )
    staff = User.objects.filter(username="staff").values_list("pk", flat=True).first()
    for year, session in sorted(sessions.items()):
        past = year < timezone.localdate().year
        opened = aware(year, 1, 12)
        pool = deputies[session.term_id]
        rows = []
        number = numbers.get(session.pk) or 0
        for k in range(SUGGESTIONS_A_YEAR):
            lead = demo_deputy if session.term_id == current.pk and demo_deputy and k % 33 == 0 else rng.choice(pool)
            accepted = k < SUGGESTIONS_A_YEAR * 9 // 10
            if accepted:
                number += 1
                status = "completed" if past else rng.choice(["assigned", "replied", "completed", "in_progress"])
            else:
                status = "declined"
            rows.append(
                Suggestion(
                    session=session,
                    number=number if accepted else None,
                    lead_deputy_id=lead,
                    title=_suggestion_title(rng),
                    text=DRAINAGE_TEXT,
                    category_id=rng.choice(categories),
                    status=status,
                    submitted_at=opened,
                    decided_at=opened + datetime.timedelta(days=5),
                    decline_reason="" if accepted else "属于个人诉求，转为来信办理",
                    completed_at=aware(year, 9, 30) if status == "completed" else None,
                )
            )
        made = add(Suggestion, rows)
        assigned_at = opened + datetime.timedelta(days=10)
        accepted = [s for s in made if s.number]
        assignments = [
            Assignment(
                suggestion=s,
                unit_id=rng.choice(units),
                role="lead",
                status="closed" if s.status == "completed" else "active",
                assigned_at=assigned_at,
                assigned_by_id=staff,
                signed_at=assigned_at + datetime.timedelta(days=1),
                return_due_at=assigned_at + datetime.timedelta(days=10),
                due_at=assigned_at + datetime.timedelta(days=90),
            )
            for s in accepted
        ]
        for s in accepted[:CO_UNITS_A_YEAR]:
            lead_unit = next(a.unit_id for a in assignments if a.suggestion is s)
            assignments.append(
                Assignment(
                    suggestion=s,
                    unit_id=rng.choice([u for u in units if u != lead_unit]),
                    role="co",
                    status="closed" if s.status == "completed" else "active",
                    assigned_at=assigned_at,
                    return_due_at=assigned_at + datetime.timedelta(days=10),
                    views_due_at=assigned_at + datetime.timedelta(days=30),
                    views="同意主办单位意见，配合做好相关工作。",
                    views_sent_at=assigned_at + datetime.timedelta(days=20),
                )
            )
        add(Assignment, assignments)
        replied = [a for a in assignments if a.role == "lead" and a.suggestion.status != "assigned"][:REPLIES_A_YEAR]
        replies = add(
            Reply,
            [
                Reply(
                    suggestion_id=a.suggestion_id,
                    assignment=a,
                    category=rng.choice("ABCD"),
                    text="经研究，该建议所提问题已列入本年度工作计划，现已完成项目立项和资金安排，将于年内组织实施。",
                    replied_at=assigned_at + datetime.timedelta(days=80),
                )
                for a in replied
            ],
        )
        add(
            Feedback,
            [
                Feedback(
                    reply=r,
                    deputy_id=r.suggestion.lead_deputy_id,
                    rating=rng.choice(["satisfied", "satisfied", "basic"]),
                )
                for r in replies
                if r.suggestion.status == "completed"
            ],
        )


def _rectifications(add, rng) -> None:
    """Rectifications from the year's deliberations and inquiries (no subject), up to 1,000 a copy
    with those the evaluations already hold."""
    have = Rectification.objects.count()
    target = RECTIFICATIONS * (1 + have // RECTIFICATIONS) if have % RECTIFICATIONS else have + RECTIFICATIONS
    units = list(Unit.objects.values_list("pk", flat=True))
    now = timezone.now()
    rows = []
    for n in range(target - have):
        year = YEARS[n % 10]
        delivered = aware(year, 3 + n % 8, 1 + n % 27)
        closed = delivered < now - datetime.timedelta(days=365)
        rows.append(
            Rectification(
                source_ref=f"oversight.deliberation:{1000 + have + n}",
                title=f"关于{rng.choice(SUBJECTS)}工作情况报告的审议意见（{year}年）",
                unit_id=units[n % len(units)],
                status=Rectification.Status.CLOSED if closed else Rectification.Status.DELIVERED,
                approved_at=delivered - datetime.timedelta(days=7),
                delivered_at=delivered,
                plan_due_at=delivered + datetime.timedelta(days=30),
                report_due_at=delivered + datetime.timedelta(days=60),
                closed_at=delivered + datetime.timedelta(days=90) if closed else None,
            )
        )
    made = add(Rectification, rows)
    opinions = []
    for r in made:
        for i in range(OPINIONS_EACH):
            finding, action, target_text = OPINIONS[i % len(OPINIONS)]
            done = r.status == Rectification.Status.CLOSED
            opinions.append(
                Opinion(
                    rectification=r,
                    finding=finding,
                    action=action,
                    target=target_text,
                    deadline=(r.delivered_at + datetime.timedelta(days=60 + 30 * i)).date(),
                    state=Opinion.State.DONE if done else Opinion.State.OPEN,
                    progress=100 if done else 0,
                    done_at=r.closed_at if done else None,
                    sort_order=i,
                )
            )
    add(Opinion, opinions)


def _notices(add, rng) -> None:
    now = timezone.now()
    users = list(User.objects.filter(username__in=["admin", "staff", "leader", "member", "deputy", "liaison"]))
    rows = []
    for user in users:
        for n in range(NOTICES_EACH):
            subject = rng.choice(SUBJECTS)
            rows.append(
                Notice(
                    recipient=user,
                    title=f"提醒：{subject}相关事项请按期办理",
                    body=f"请于规定期限内完成{subject}的有关工作。",
                    url="/m/",
                    read_at=now if n % 10 else None,
                )
            )
    made = add(Notice, rows)
    # created_at is auto_now_add: spread ten years of them afterwards, in one statement.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE congress_notice SET created_at = now() - (id %% 3650) * interval '1 day' WHERE id >= %s",
            [min(n.pk for n in made)],
        )


def _publications(add, rng) -> None:
    """Meeting videos of each year in its column until the county has 1,000 more publications."""
    model = Publication.objects.filter(kind=Publication.Kind.RECORDING, status=Publication.Status.PUBLISHED).first()
    columns = list(Column.objects.filter(campaign__isnull=False).select_related("campaign"))
    have = Publication.objects.count()
    wanted = PUBLICATIONS * (1 + have // PUBLICATIONS)
    model_rec = Recording.objects.get(pk=model.recording_id)
    recordings = []
    for n in range(wanted - have):
        column = columns[n % len(columns)]
        year = column.campaign.year
        recordings.append(
            clone(
                model_rec,
                column_id=column.pk,
                meeting_id=None,
                recorded_on=datetime.date(year, 1 + n % 12, 1 + n % 28),
                title=f"{year}年县人大常委会{rng.choice(SUBJECTS)}专题会议实况（{n + 1}）"[:200],
            )
        )
    made = add(Recording, recordings)
    add(
        Publication,
        [
            clone(
                model,
                column_id=r.column_id,
                recording_id=r.pk,
                title=r.title,
                version=1,
                publish_at=aware(r.recorded_on.year, r.recorded_on.month, r.recorded_on.day),
                published_at=aware(r.recorded_on.year, r.recorded_on.month, r.recorded_on.day),
            )
            for r in made
        ],
    )


def _meetings(add, rng, terms) -> None:
    rows = []
    for year, term in terms.items():
        for m in range(MEETINGS_A_YEAR):
            kind = Meeting.Kind.STANDING if m % 2 else Meeting.Kind.DIRECTORS
            rows.append(
                Meeting(
                    term=term,
                    kind=kind,
                    title=f"{year}年第{m + 1}次{'常委会会议' if m % 2 else '主任会议'}（{rng.choice(SUBJECTS)}）",
                    starts_at=aware(year, m + 1, 15),
                    place="县人大常委会第一会议室",
                )
            )
    add(Meeting, [r for r in rows if r.starts_at < timezone.now()])


def _reminders(add, rng) -> None:
    """Staff reminders of ten years, all sent: their log rows are written."""
    staff = User.objects.get(username="staff")
    rows = [
        Reminder(
            title=f"请按期报送{rng.choice(SUBJECTS)}工作材料",
            remind_at=aware(year, 1 + n % 12, 1 + n % 28, 8 + n % 10),
            created_by=staff,
        )
        for year in YEARS
        for n in range(REMINDERS_A_YEAR)
        if aware(year, 1 + n % 12, 1 + n % 28) < timezone.now() - datetime.timedelta(days=1)
    ]
    made = add(Reminder, rows)
    add(Reminder.recipients.through, [Reminder.recipients.through(reminder_id=r.pk, user_id=staff.pk) for r in made])
    reminder_type = ContentType.objects.get_for_model(Reminder)
    scan = uuid.uuid4()
    add(
        ReminderLog,
        [
            ReminderLog(
                content_type=reminder_type, object_id=r.pk, kind="congress.reminder", due_at=r.remind_at, scan=scan
            )
            for r in made
        ],
    )
