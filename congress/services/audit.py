"""The audit trail of service actions, kept in django-auditlog's log beside its field changes.

Field changes of registered models are logged by django-auditlog itself; a service adds one
entry naming the action it took (``verb``) and who took it, so that an action with no field
change (a roster import, a revoked login link) is on the record too. Never used for ballots.
"""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType


def record(target, verb: str, *, actor=None, **data) -> LogEntry:
    """Write one audit entry: ``actor`` did ``verb`` to ``target`` (a model instance)."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(target.pk),
        object_id=target.pk if isinstance(target.pk, int) else None,
        object_repr=str(target)[:200],
        action=LogEntry.Action.UPDATE,
        actor=actor if actor is not None and actor.is_authenticated else None,
        changes={},
        changes_text="",
        additional_data={"verb": verb, **data},
    )
