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
        results = _results_from(poll, Subject.objects.filter(campaign=campaign), Result.Round.EVALUATION)
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


def _results_from(poll: Poll, subjects, round_: str) -> list[Result]:
    """One Result per subject on the poll's sheet, from the frozen tally of all voters."""
    tally = {r.item.ref: r for r in PollResult.objects.filter(poll=poll, group="all").select_related("item")}
    on_sheet = [s for s in subjects if s.ref in tally]
    if round_ == Result.Round.EVALUATION and len(on_sheet) != len(subjects):
        missing = next(s for s in subjects if s.ref not in tally)
        raise EvaluationError(_("%(subject)s is not on the satisfaction ballot.") % {"subject": missing.label})
    results = []
    for subject in on_sheet:
        row = tally[subject.ref]
        if row.passed is None:
            verdict = Result.Verdict.NONE
        else:
            verdict = Result.Verdict.PASS if row.passed else Result.Verdict.FAIL
        results.append(
            Result(
                subject=subject,
                round=round_,
                poll=poll,
                counts=row.counts,
                valid=sum(row.counts.values()),
                blank=row.blank,
                rate=row.rate,
                score=row.score,
                rank=row.rank,
                verdict=verdict,
            )
        )
    return results


def start_reevaluation(campaign: Campaign, meeting_: Meeting, *, by=None) -> Poll:
    """Re-scoring (再测评): a satisfaction poll on how each subject has rectified, once its
    opinions are delivered; the same levels and verdict rule as the evaluation."""
    from evaluations.models import Rectification

    if meeting_.kind not in (Meeting.Kind.EVALUATION, Meeting.Kind.STANDING):
        raise EvaluationError(_("Subjects are evaluated at an evaluation meeting or a standing committee session."))
    with transaction.atomic():
        campaign = locked(campaign)
        require_stage(campaign, Campaign.Stage.VERDICT)
        current = current_run(campaign.reevaluation_poll)
        if current is not None and current.status != Poll.Status.VOID:
            raise EvaluationError(_("The re-evaluation has been drawn up already."))
        subjects = list(
            Subject.objects.filter(
                campaign=campaign,
                rectification__status__in=[Rectification.Status.DELIVERED, Rectification.Status.CLOSED],
            ).order_by("sort_order", "pk")
        )
        if not subjects:
            raise EvaluationError(_("No opinions have been delivered yet: there is no rectification to re-score."))
        poll = voting.create_poll(
            meeting_,
            title=_("%(campaign)s: re-evaluation of the rectification") % {"campaign": campaign.title},
            kind=Poll.Kind.SATISFACTION,
            electorate=campaign.electorate,
            levels=LEVELS[campaign.levels],
            pass_ratio=campaign.pass_ratio,
            pass_strictly=campaign.pass_strictly,
            items=[(s.label, "", s.ref) for s in subjects],
            by=by,
        )
        campaign.reevaluation_poll = poll
        campaign.save(update_fields=["reevaluation_poll"])
        audit.record(campaign, "start_reevaluation", actor=by, poll=poll.pk, subjects=len(subjects))
    return poll


def decide_reevaluation(campaign: Campaign, *, by=None) -> list[Result]:
    """Freeze the re-evaluation's results (round "re-evaluation") from its closed poll."""
    with transaction.atomic():
        campaign = locked(campaign)
        require_stage(campaign, Campaign.Stage.VERDICT)
        poll = current_run(campaign.reevaluation_poll)
        if poll is None:
            raise EvaluationError(_("There is no re-evaluation to decide."))
        if poll.status not in (Poll.Status.CLOSED, Poll.Status.ANNOUNCED):
            raise EvaluationError(
                _("The satisfaction poll is %(status)s; close it and count it first.")
                % {"status": poll.get_status_display()}
            )
        if Result.objects.filter(subject__campaign=campaign, round=Result.Round.REEVALUATION).exists():
            raise EvaluationError(_("The re-evaluation has been decided already."))
        results = _results_from(poll, Subject.objects.filter(campaign=campaign), Result.Round.REEVALUATION)
        Result.objects.bulk_create(results)
        audit.record(campaign, "decide_reevaluation", actor=by, poll=poll.pk)
    return results
