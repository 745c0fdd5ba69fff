"""Choosing who reports (duty evaluations): topics collected from deputies and the public,
merged and ranked; candidates proposed with the topics that support them; the director's
meeting's secret ballot; and the confirmed subjects with their assigned topics (点题)."""

from django.db import transaction
from django.utils.translation import gettext as _

from congress.models import Meeting, Official, Poll, PollResult, Unit
from congress.selectors import current_run
from congress.services import audit, voting
from congress.text import normalize
from evaluations.models import (
    Campaign,
    CampaignSurvey,
    Candidate,
    ChecklistItem,
    Subject,
    Symposium,
    Topic,
    TopicMention,
    label_for,
)
from surveys.models import Answer, Question, Survey

from . import EvaluationError
from .planning import locked, require_stage

TOPIC_TITLE_LENGTH = 300


def start_topic_collection(campaign: Campaign, *, by=None) -> Campaign:
    """Begin collecting the topics officials must report on (duty evaluations only)."""
    with transaction.atomic():
        campaign = locked(campaign)
        if campaign.kind != Campaign.Kind.DUTY:
            raise EvaluationError(_("Only a duty evaluation collects topics and chooses its reporters by ballot."))
        require_stage(campaign, Campaign.Stage.PLANNING)
        campaign.stage = Campaign.Stage.TOPICS
        campaign.save(update_fields=["stage"])
        audit.record(campaign, "start_topic_collection", actor=by)
    return campaign


def attach_survey(campaign: Campaign, survey: Survey, *, purpose=CampaignSurvey.Purpose.TOPICS, subject=None, by=None):
    """Make a questionnaire serve the campaign: collecting topics, or opinions about one subject
    (背靠背). The questionnaire itself only learns a reference string."""
    if purpose == CampaignSurvey.Purpose.TOPICS and campaign.kind != Campaign.Kind.DUTY:
        raise EvaluationError(_("Only a duty evaluation collects topics and chooses its reporters by ballot."))
    if purpose == CampaignSurvey.Purpose.OPINION and (subject is None or subject.campaign_id != campaign.pk):
        raise EvaluationError(_("Name the subject of this evaluation that the opinions are about."))
    if CampaignSurvey.objects.filter(survey=survey).exists():
        raise EvaluationError(_("This questionnaire already serves an evaluation."))
    with transaction.atomic():
        link = CampaignSurvey.objects.create(
            campaign=campaign, survey=survey, purpose=purpose, subject=subject if purpose == "opinion" else None
        )
        survey.ref = subject.ref if link.subject else campaign.ref
        survey.purpose = str(CampaignSurvey.Purpose(purpose).label)
        survey.save(update_fields=["ref", "purpose"])
        audit.record(campaign, "attach_survey", actor=by, survey=survey.pk, purpose=purpose)
    return link


def harvest_topics(campaign: Campaign, *, by=None) -> int:
    """Turn what deputies and citizens wrote in the topic questionnaires, the topics they picked,
    and the points noted at symposiums into topic mentions. A mention joins the topic with the
    same wording, or starts a topic of its own for staff to merge. Harvesting again only adds
    what is new. Returns the number of new mentions."""
    with transaction.atomic():
        campaign = locked(campaign)
        require_stage(campaign, Campaign.Stage.TOPICS)
        live = {normalize(t.title): t for t in Topic.objects.filter(campaign=campaign, merged_into=None)}
        mentions = []

        def topic_for(text: str) -> Topic:
            key = normalize(text)
            if key not in live:
                live[key] = Topic.objects.create(campaign=campaign, title=text[:TOPIC_TITLE_LENGTH])
            return live[key]

        harvested = TopicMention.objects.filter(campaign=campaign, answer__isnull=False).values("answer_id")
        answers = (
            Answer.objects.filter(
                response__survey__in=CampaignSurvey.objects.filter(
                    campaign=campaign, purpose=CampaignSurvey.Purpose.TOPICS
                ).values("survey"),
                question__kind__in=[Question.Kind.TEXT, Question.Kind.TOPICS, Question.Kind.MULTIPLE],
            )
            .exclude(pk__in=harvested)
            .select_related("response__deputy", "choice", "question")
            .order_by("pk")
        )
        for answer in answers:
            text = (answer.choice.label if answer.choice_id else answer.text).strip()
            if not text:
                continue
            deputy = answer.response.deputy
            mentions.append(
                TopicMention(
                    campaign=campaign,
                    topic=topic_for(text),
                    source=TopicMention.Source.DEPUTY if deputy else TopicMention.Source.PUBLIC,
                    text=text,
                    deputy=deputy,
                    response=answer.response,
                    answer=answer,
                    group_id=deputy.group_id if deputy else None,
                )
            )
        done = set(
            TopicMention.objects.filter(campaign=campaign, symposium__isnull=False).values_list("symposium_id", "line")
        )
        for symposium in Symposium.objects.filter(campaign=campaign).order_by("pk"):
            for line, text in enumerate(symposium.notes.splitlines(), start=1):
                text = text.strip(" \t-·•、0123456789.．")
                if not text or (symposium.pk, line) in done:
                    continue
                mentions.append(
                    TopicMention(
                        campaign=campaign,
                        topic=topic_for(text),
                        source=TopicMention.Source.SYMPOSIUM,
                        text=text,
                        symposium=symposium,
                        line=line,
                        group_id=symposium.group_id,
                        sector=symposium.sector,
                    )
                )
        TopicMention.objects.bulk_create(mentions)
        audit.record(campaign, "harvest_topics", actor=by, mentions=len(mentions))
    return len(mentions)


def merge_topics(target: Topic, others, *, title: str = "", by=None) -> Topic:
    """Merge duplicate topics into ``target``: their mentions count for it from now on, and the
    merged ones are kept, pointing to it, so nothing anyone raised is lost."""
    others = [t for t in others if t.pk != target.pk]
    if not others:
        raise EvaluationError(_("Choose at least one other topic to merge into this one."))
    with transaction.atomic():
        campaign = locked(target.campaign)
        require_stage(campaign, Campaign.Stage.TOPICS)
        pks = [t.pk for t in others]
        rows = list(Topic.objects.select_for_update().filter(pk__in=[target.pk, *pks]))
        if len(rows) != len(pks) + 1 or any(t.campaign_id != campaign.pk for t in rows):
            raise EvaluationError(_("Only topics of the same evaluation can be merged."))
        if any(t.merged_into_id for t in rows):
            raise EvaluationError(_("One of these topics has already been merged into another."))
        TopicMention.objects.filter(topic_id__in=pks).update(topic=target)
        Topic.objects.filter(merged_into_id__in=pks).update(merged_into=target)
        Topic.objects.filter(pk__in=pks).update(merged_into=target)
        for candidate in Candidate.objects.filter(campaign=campaign, topics__in=pks).distinct():
            candidate.topics.remove(*pks)
            candidate.topics.add(target)
        if title.strip():
            target.title = title.strip()[:TOPIC_TITLE_LENGTH]
            target.save(update_fields=["title"])
        audit.record(target, "merge_topics", actor=by, merged=pks)
    return target


def propose_candidate(
    campaign: Campaign, *, official: Official | None = None, unit: Unit | None = None, topics=(), reason="", by=None
) -> Candidate:
    """Propose an official (or a unit) to report, with the ranked topics that support it."""
    if official is None and unit is None:
        raise EvaluationError(_("Name the official or the unit proposed."))
    if official is not None:
        if not official.active:
            raise EvaluationError(_("%(name)s is no longer in office.") % {"name": official.name})
        unit = official.unit
    topics = list(topics)
    if any(t.campaign_id != campaign.pk or t.merged_into_id for t in topics):
        raise EvaluationError(_("Supporting topics must be current topics of this evaluation."))
    with transaction.atomic():
        campaign = locked(campaign)
        require_stage(campaign, Campaign.Stage.PLANNING, Campaign.Stage.TOPICS)
        dup = Candidate.objects.filter(campaign=campaign)
        dup = dup.filter(official=official) if official else dup.filter(unit=unit, official=None)
        if dup.exists():
            raise EvaluationError(_("%(name)s is already on the candidate list.") % {"name": label_for(official, unit)})
        candidate = Candidate.objects.create(
            campaign=campaign,
            official=official,
            unit=unit,
            reason=reason.strip(),
            sort_order=Candidate.objects.filter(campaign=campaign).count(),
        )
        candidate.topics.set(topics)
        audit.record(candidate, "propose_candidate", actor=by, topics=[t.pk for t in topics])
    return candidate


def put_candidates_to_ballot(campaign: Campaign, meeting: Meeting, *, by=None) -> Poll | None:
    """Draw up the director's meeting's ballot (无记名投票表决) on the proposed candidates. Those
    who failed last year are not voted on: they report again by rule. When they are the only
    candidates there is nothing to vote on: they are this year's subjects at once (returns
    None), and the evaluation goes on to the investigation."""
    if meeting.kind != Meeting.Kind.DIRECTORS:
        raise EvaluationError(_("Candidates are decided by the director's meeting."))
    with transaction.atomic():
        campaign = locked(campaign)
        require_stage(campaign, Campaign.Stage.TOPICS)
        proposed = list(
            Candidate.objects.filter(campaign=campaign, carried_over=False).select_related("official", "unit")
        )
        if not proposed:
            if not Candidate.objects.filter(campaign=campaign, carried_over=True).exists():
                raise EvaluationError(_("There are no proposed candidates to vote on."))
            campaign.directors_meeting = meeting
            campaign.stage = Campaign.Stage.CANDIDATES
            campaign.save(update_fields=["directors_meeting", "stage"])
            audit.record(campaign, "put_candidates_to_ballot", actor=by, poll=None, candidates=0)
            confirm_subjects(campaign, by=by)
            return None
        if not meeting.attendance.exists():
            raise EvaluationError(_("Record who attends the director's meeting first: they are the voters."))
        poll = voting.create_poll(
            meeting,
            title=_("%(campaign)s: who reports") % {"campaign": campaign.title},
            kind=Poll.Kind.APPROVAL,
            electorate=Poll.Electorate.ATTENDEES,
            items=[(str(c), "", f"evaluations.candidate:{c.pk}") for c in proposed],
            by=by,
        )
        campaign.directors_meeting = meeting
        campaign.candidate_poll = poll
        campaign.stage = Campaign.Stage.CANDIDATES
        campaign.save(update_fields=["directors_meeting", "candidate_poll", "stage"])
        audit.record(campaign, "put_candidates_to_ballot", actor=by, poll=poll.pk, candidates=len(proposed))
    return poll


def confirm_subjects(campaign: Campaign, *, by=None) -> list[Subject]:
    """Turn the ballot's outcome into this year's subjects: candidates the director's meeting
    passed, and last year's failures, each with the topics assigned to it (点题)."""
    with transaction.atomic():
        campaign = locked(campaign)
        require_stage(campaign, Campaign.Stage.CANDIDATES)
        poll = current_run(campaign.candidate_poll)  # None: only last year's failures, no ballot
        if poll is not None and poll.status not in (Poll.Status.CLOSED, Poll.Status.ANNOUNCED):
            raise EvaluationError(
                _("The ballot on candidates is %(status)s; it must be closed and counted first.")
                % {"status": poll.get_status_display()}
            )
        results = PollResult.objects.filter(poll=poll, group="all").select_related("item") if poll else []
        passed = {r.item.ref: bool(r.passed) for r in results}
        candidates = list(
            Candidate.objects.filter(campaign=campaign).select_related("official", "unit").prefetch_related("topics")
        )
        elected = []
        for c in candidates:
            c.status = (
                Candidate.Status.ELECTED
                if c.carried_over or passed.get(f"evaluations.candidate:{c.pk}")
                else Candidate.Status.REJECTED
            )
            if c.status == Candidate.Status.ELECTED:
                elected.append(c)
        Candidate.objects.bulk_update(candidates, ["status"])
        if not elected:
            raise EvaluationError(_("No candidate passed the ballot; nobody would report."))
        subjects = [
            create_subject(
                campaign,
                unit=c.unit,
                official=c.official,
                carried_over=c.carried_over,
                topics=c.topics.all(),
                order=i,
            )
            for i, c in enumerate(elected)
        ]
        campaign.stage = Campaign.Stage.INVESTIGATION
        campaign.save(update_fields=["stage"])
        audit.record(
            campaign, "confirm_subjects", actor=by, subjects=[s.pk for s in subjects], poll=poll.pk if poll else None
        )
    return subjects


def create_subject(campaign, *, unit, official=None, carried_over=False, topics=(), order=0) -> Subject:
    """A subject with its empty investigation checklist (part of a larger transaction)."""
    subject = Subject.objects.create(
        campaign=campaign,
        unit=unit,
        official=official,
        label=label_for(official, unit),
        carried_over=carried_over,
        sort_order=order,
    )
    subject.topics.set(topics)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(subject=subject, point=point, sort_order=i) for i, point in enumerate(ChecklistItem.Point.values)
    )
    return subject
