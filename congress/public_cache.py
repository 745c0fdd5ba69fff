"""Figures of the public site that change only when something is published or decided: the
board (公示栏) of every unit, a published year's suggestion statistics. Computing them reads a
year's rows; they are kept in the shared cache (Redis in production) and computed again only
once what they are made of changed.

Each kind of record whose changes the public figures show is a *topic* ("oversight",
"suggestions"). A topic has a generation, a token replaced by ``forget(topic)`` once the
transaction of the service that changed it commits; a cached figure is keyed by the generations
of the topics it reads, so from that commit on every worker computes it afresh from the
database. The services of an app call ``forget`` with each audited write; changes made around
the services (the Django admin's plain edits of a unit's name) show within ``TIMEOUT``.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

TIMEOUT = 600  # seconds a figure is kept even when no service says it changed


def _generation_key(topic: str) -> str:
    return f"congress:public:generation:{topic}"


def _generations(topics) -> list[str]:
    keys = [_generation_key(t) for t in topics]
    found = cache.get_many(keys)
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            token = uuid.uuid4().hex
            if not cache.add(key, token, None):
                token = cache.get(key) or token
        tokens.append(token)
    return tokens


def _bump(topics) -> None:
    cache.set_many({_generation_key(t): uuid.uuid4().hex for t in topics}, None)


def forget(*topics: str) -> None:
    """Forget every public figure made of ``topics``, once the current transaction commits (at
    once outside one)."""
    transaction.on_commit(lambda: _bump(topics))


def cached(topics, name: str, compute):
    """The figure ``name`` (a string naming it and its arguments), read from the cache when none
    of ``topics`` changed since it was computed today, else ``compute()`` kept there."""
    key = ":".join(
        ["congress:public", name, get_language() or "", timezone.localdate().isoformat(), *_generations(topics)]
    )
    kept = cache.get(key)  # a one-item tuple, so that a figure may be None
    if kept is None:
        kept = (compute(),)
        cache.set(key, kept, TIMEOUT)
    return kept[0]
