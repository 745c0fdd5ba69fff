"""Entries that workflow apps put on the institution's own pages, without the institution
knowing the apps: the deputy home (/m/), the unit portal home (/unit/) and the staff's workbench
(the back office's home, surface "office") show one tile per registered entry, with a count of
what waits for the person. The count and the list the tile links to come from one selector, so
a badge never disagrees with its list.

An app registers its entries in ``AppConfig.ready``::

    surfaces.register(surfaces.Entry(surface="deputy", key="suggestions", title=_("My suggestions"),
                                      url_name="suggestions:m_list", count=selectors.deputy_todo_count))

``count`` takes the logged-in user and returns how many things wait for them (0 for none);
it must cost a bounded number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import cached_property

SURFACES = ("deputy", "unit", "office")


@dataclass(frozen=True)
class Entry:
    surface: str
    key: str
    title: str
    url_name: str
    count: Callable | None = None
    count_label: str = ""  # shown after a non-zero count, e.g. "to do"
    empty_label: str = ""  # shown when the count is zero
    order: int = 100
    query: str = ""  # the list's filter, e.g. "late=1", which applies the same selector


class Tile:
    """An entry on one person's page; the count is read only when the page shows it."""

    def __init__(self, entry: Entry, user):
        self.entry, self.user = entry, user
        self.url = reverse(entry.url_name) + (f"?{entry.query}" if entry.query else "")

    @property
    def title(self):
        return self.entry.title

    @cached_property
    def count(self) -> int:
        return self.entry.count(self.user) if self.entry.count else 0


_entries: dict[tuple[str, str], Entry] = {}


def register(entry: Entry) -> None:
    if entry.surface not in SURFACES:
        raise ValueError(f"unknown surface {entry.surface!r}")
    _entries[(entry.surface, entry.key)] = entry


def entries(surface: str) -> list[Entry]:
    return sorted((e for (s, _k), e in _entries.items() if s == surface), key=lambda e: (e.order, e.key))


def tiles(surface: str, user) -> list[Tile]:
    """The registered entries of a surface for this person, with their counts."""
    return [Tile(e, user) for e in entries(surface)]
