"""The evaluation meeting: reporters speak in the agenda's order, deputies ask and reporters
answer (问答互动), then everyone scores the subjects on one satisfaction ballot; closing the
poll counts it on the spot and the results are decided from the frozen tally."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Deputy, Meeting, Poll, PollResult
from congress.selectors import current_run
from congress.services import audit, voting
from evaluations.models import Campaign, Question, Result, Subject, SurveyReport

from . import EvaluationError
from .planning import locked, require_stage

LEVELS = {Campaign.Levels.FOUR: voting.SATISFACTION_4, Campaign.Levels.THREE: voting.SATISFACTION_3}


def start_meeting(campaign: Campaign, meeting: Meeting, *, by=None) -> Poll:
    """Take the campaign to its meeting: every subject's survey report must be in; the
    satisfaction ballot is drawn up (a draft poll, one line per subject in reporting order) with
    the campaign's levels and verdict rule, for staff to open after the questions."""
    if meeting.kind not in (Meeting.Kind.EVALUATION, Meeting.Kind.STANDING):
        raise EvaluationError(_("Subjects are evaluated at an evaluation meeting or a standing committee session."))
    with transaction.atomic():
        campaign = locked(campaign)
        require_stage(campaign, Campaign.Stage.INVESTIGATION)
        subjects = list(Subject.objects.filter(campaign=campaign).order_by("sort_order", "pk"))
        if not subjects:
            raise EvaluationError(_("This evaluation has no subjects."))
        submitted = set(
            SurveyReport.objects.filter(subject__campaign=campaign, submitted_at__isnull=False).values_list(
                "subject_id", flat=True
            )
        )
        missing = [s.label for s in subjects if s.pk not in submitted]
        if missing:
            raise EvaluationError(
                _("No survey report has been submitted yet on: %(subjects)s.")
                % {"subjects": "、".join(missing[:10]) + ("……" if len(missing) > 10 else "")}
            )
        poll = voting.create_poll(
            meeting,
            title=_("%(campaign)s: satisfaction poll") % {"campaign": campaign.title},
            kind=Poll.Kind.SATISFACTION,
            electorate=campaign.electorate,
            levels=LEVELS[campaign.levels],
            pass_ratio=campaign.pass_ratio,
            pass_strictly=campaign.pass_strictly,
            items=[(s.label, "", s.ref) for s in subjects],
            by=by,
        )
        campaign.meeting = meeting
        campaign.satisfaction_poll = poll
        campaign.stage = Campaign.Stage.MEETING
        campaign.save(update_fields=["meeting", "satisfaction_poll", "stage"])
        audit.record(campaign, "start_meeting", actor=by, meeting=meeting.pk, poll=poll.pk)
    return poll


def record_question(
    subject: Subject,
    *,
    text: str,
    asker: Deputy | None = None,
    asker_name: str = "",
    answered_by: str = "",
    answer: str = "",
    by=None,
) -> Question:
    """Record a question put to a reporter at the meeting and the answer given."""
    text, asker_name = (text or "").strip(), (asker_name or "").strip()
    if not text:
        raise EvaluationError(_("Write down the question."))
    if asker is None and not asker_name:
        raise EvaluationError(_("Say who asked the question."))
    with transaction.atomic():
        campaign = locked(subject.campaign)
        require_stage(campaign, Campaign.Stage.MEETING)
        question = Question.objects.create(
            subject=subject,
            asker=asker,
            asker_name="" if asker else asker_name,
            text=text,
            answered_by=(answered_by or "").strip() or (subject.official.name if subject.official else ""),
            answer=(answer or "").strip(),
            sort_order=subject.questions.count(),
        )
        audit.record(subject, "record_question", actor=by, question=question.pk)
    return question


def decide_results(campaign: Campaign, *, by=None) -> list[Result]:
    """Decide each subject's result from the closed satisfaction poll: counts per level, valid
    ballots, satisfaction rate, weighted score, rank and verdict (by the campaign's rule: by
    default more than half of the valid ballots 满意, 较满意 or 基本满意). A subject every voter
    left blank has no verdict."""
    with transaction.atomic():
        campaign = locked(campaign)
        require_stage(campaign, Campaign.Stage.MEETING)
        poll = current_run(campaign.satisfaction_poll)
        if poll.status not in (Poll.Status.CLOSED, Poll.Status.ANNOUNCED):
            raise EvaluationError(
                _("The satisfaction poll is %(status)s; close it and count it first.")
                % {"status": poll.get_status_display()}
            )
        tally = {r.item.ref: r for r in PollResult.objects.filter(poll=poll, group="all").select_related("item")}
        results = []
        for subject in Subject.objects.filter(campaign=campaign):
            row = tally.get(subject.ref)
            if row is None:
                raise EvaluationError(_("%(subject)s is not on the satisfaction ballot.") % {"subject": subject.label})
            valid = sum(row.counts.values())
            verdict = (
                Result.Verdict.NONE
                if row.passed is None
                else (Result.Verdict.PASS if row.passed else Result.Verdict.FAIL)
            )
            results.append(
                Result(
                    subject=subject,
                    poll=poll,
                    counts=row.counts,
                    valid=valid,
                    blank=row.blank,
                    rate=row.rate,
                    score=row.score,
                    rank=row.rank,
                    verdict=verdict,
                )
            )
        Result.objects.bulk_create(results)
        campaign.stage = Campaign.Stage.VERDICT
        campaign.decided_at = timezone.now()
        campaign.save(update_fields=["stage", "decided_at"])
        audit.record(
            campaign,
            "decide_results",
            actor=by,
            poll=poll.pk,
            failed=[r.subject.label for r in results if r.verdict == Result.Verdict.FAIL],
        )
    return results
