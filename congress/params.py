"""Reading one value from a query string or a form that has no form class of its own.

A view never calls ``int()`` on a raw value nor hands one to the ORM: it asks here, and a value
that cannot be read is refused with a 400 that names the field, in Chinese (``BadRequest``,
answered by ``congress.views.errors.bad_request``). An absent or empty value gives the default.
"""

import datetime

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# Larger than any id or year the system holds, smaller than every database's integer column.
MAX_INT = 2**31 - 1


def _raw(data, name: str) -> str:
    value = data.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _refuse(name: str, message: str):
    raise BadRequest(message % {"name": name})


def integer(data, name: str, default=None, *, minimum: int = 0, maximum: int = MAX_INT):
    """A whole number between ``minimum`` and ``maximum``, or ``default`` when absent."""
    raw = _raw(data, name)
    if not raw:
        return default
    if not raw.isascii() or not raw.lstrip("-").isdigit() or len(raw) > 12:
        _refuse(name, _("The value of “%(name)s” is not a whole number."))
    value = int(raw)
    if not minimum <= value <= maximum:
        _refuse(name, _("The value of “%(name)s” is out of range."))
    return value


def record_id(data, name: str, default=None):
    """The id of a record (a positive whole number), or ``default`` when absent; whether the
    record exists and may be seen is the caller's question."""
    return integer(data, name, default, minimum=1)


def record_ids(data, name: str) -> list[int]:
    """Every id given under ``name`` (a form's checkboxes); one that is not an id refuses all."""
    ids = []
    for raw in data.getlist(name):
        if not isinstance(raw, str) or not raw.strip():
            continue
        raw = raw.strip()
        if not raw.isascii() or not raw.isdigit() or len(raw) > 10 or not 1 <= int(raw) <= MAX_INT:
            _refuse(name, _("The value of “%(name)s” is not a record number."))
        ids.append(int(raw))
    return ids


def choice(data, name: str, choices, default=None):
    """One of ``choices`` (strings), or ``default`` when absent."""
    raw = _raw(data, name)
    if not raw:
        return default
    if raw not in choices:
        _refuse(name, _("The value of “%(name)s” is not one of the choices."))
    return raw


def date(data, name: str, default=None) -> datetime.date | None:
    """A date written 2026-03-31, or ``default`` when absent."""
    raw = _raw(data, name)
    if not raw:
        return default
    try:
        if len(raw) == 10:
            return datetime.date.fromisoformat(raw)
    except ValueError:
        pass
    _refuse(name, _("The value of “%(name)s” is not a date (write it as 2026-03-31)."))
