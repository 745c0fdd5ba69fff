"""Who may download a commitment's evidence: the staff, and the liaisons of the unit that
made the commitment."""

from congress import files
from congress.permissions import is_liaison

from .models import CommitmentUpdate


def register() -> None:
    files.register(
        CommitmentUpdate,
        "evidence",
        perm="oversight.view_commitment",
        may_download=lambda user, update: is_liaison(user) and update.commitment.unit_id == user.unit_id,
    )
