"""The institution's registry and the records of the shared engines."""

from .accounts import Role, User
from .bodies import Commission, CommissionSeat, Committee, Official, Term, Unit
from .documents import DocumentCounter, DocumentTemplate, IssuedDocument
from .meetings import Attendance, Meeting
from .notices import Notice, Reminder, ReminderLog
from .outbox import Delivery
from .people import Deputy, DeputyGroup, Member, mask_id_number
from .rosters import RosterUpload
from .voting import Ballot, Participation, Poll, PollItem, PollResult, PollVoter, VoterCode, VoterGroup

__all__ = [
    "Attendance",
    "Ballot",
    "Commission",
    "CommissionSeat",
    "Committee",
    "Deputy",
    "Delivery",
    "DocumentCounter",
    "DocumentTemplate",
    "DeputyGroup",
    "Meeting",
    "Member",
    "Notice",
    "IssuedDocument",
    "Official",
    "Participation",
    "Poll",
    "PollItem",
    "PollResult",
    "PollVoter",
    "Reminder",
    "ReminderLog",
    "Role",
    "RosterUpload",
    "mask_id_number",
    "Term",
    "Unit",
    "User",
    "VoterCode",
    "VoterGroup",
]
