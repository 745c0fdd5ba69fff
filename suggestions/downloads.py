"""Who may download a suggestion's files: the deputies who signed it (the lead deputy and the
co-signers) and the staff; a reply letter also the unit that wrote it, an attachment every
unit the suggestion was assigned to."""

from congress import files
from congress.permissions import deputy_of, is_liaison

from . import selectors
from .models import Assignment, Attachment, Reply


def _signed_by(user, suggestion) -> bool:
    deputy = deputy_of(user)
    return deputy is not None and selectors.deputy_may_see(deputy, suggestion)


def may_download_attachment(user, attachment: Attachment) -> bool:
    if _signed_by(user, attachment.suggestion):
        return True
    return (
        is_liaison(user) and Assignment.objects.filter(suggestion=attachment.suggestion_id, unit=user.unit_id).exists()
    )


def may_download_letter(user, reply: Reply) -> bool:
    if _signed_by(user, reply.suggestion):
        return True
    return is_liaison(user) and reply.assignment.unit_id == user.unit_id


def register() -> None:
    files.register(Attachment, "file", may_download=may_download_attachment, perm="suggestions.view_suggestion")
    files.register(Reply, "letter", may_download=may_download_letter, perm="suggestions.view_suggestion")
