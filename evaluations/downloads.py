"""Who may download an evaluation's files: the staff (and leaders) who may view the record in
the back office, and the liaisons of the unit the file concerns (its written report, its
evidence, its rectification plans and reports). The survey team's report and the campaign's
plan are the committee's own: the back office only (a published plan reaches the public through
its publication)."""

from congress import files
from congress.permissions import is_liaison

from .models import Campaign, Evidence, Subject, Submission, SubmissionItem, SurveyReport


def _of_unit(user, unit_id: int) -> bool:
    return is_liaison(user) and user.unit_id == unit_id


def register() -> None:
    files.register(Campaign, "plan_document")
    files.register(SurveyReport, "file", perm="evaluations.view_subject")
    files.register(Subject, "written_report", may_download=lambda user, s: _of_unit(user, s.unit_id))
    files.register(
        Evidence,
        "file",
        perm="evaluations.view_subject",
        may_download=lambda user, e: _of_unit(user, e.item.subject.unit_id),
    )
    files.register(
        Submission,
        "file",
        perm="evaluations.view_rectification",
        may_download=lambda user, s: _of_unit(user, s.rectification.unit_id),
    )
    files.register(
        SubmissionItem,
        "evidence",
        perm="evaluations.view_rectification",
        may_download=lambda user, i: _of_unit(user, i.submission.rectification.unit_id),
    )
