"""Clashes in a personal agenda: sessions that overlap in time.

Why a rule of its own: an attendee who adds a session at the same time as one
already chosen has usually misread the grid, and a workshop's seat taken by
mistake is a seat someone else wanted. ``services.add_to_agenda`` asks first
(``ClashChoice.ASK`` raises ``AgendaClash`` and changes nothing); the
attendee then keeps both or replaces the earlier choice, which releases its
seat in the same transaction as the new one is taken.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from congress.core.errors import Conflict
from congress.i18n import lazy_gettext as _l


class _Timed(Protocol):
    id: int
    starts_at: datetime
    ends_at: datetime


TimedT = TypeVar("TimedT", bound=_Timed)


class ClashChoice(enum.StrEnum):
    """What to do when the added session overlaps sessions already chosen."""

    ASK = "ask"  # refuse with AgendaClash; nothing changes
    KEEP_BOTH = "keep"
    REPLACE = "replace"  # the overlapping choices leave the agenda, seats released


class AgendaClash(Conflict):
    """The session overlaps sessions already in the agenda; nothing was changed."""

    def __init__(self, clashing: Sequence[_Timed]) -> None:
        super().__init__(
            _l("This session overlaps a session already in your agenda."), field="talk"
        )
        self.clashing = list(clashing)


def overlap(one: _Timed, other: _Timed) -> bool:
    """Two sessions share some time (one ending as the other starts do not)."""
    return one.starts_at < other.ends_at and other.starts_at < one.ends_at


def clashing_with(talk: _Timed, chosen: Iterable[TimedT]) -> list[TimedT]:
    """The chosen sessions ``talk`` overlaps, in time order."""
    found = [other for other in chosen if other.id != talk.id and overlap(talk, other)]
    return sorted(found, key=lambda other: (other.starts_at, other.id))


def clashes(chosen: Sequence[TimedT]) -> dict[int, list[TimedT]]:
    """For each chosen session that overlaps another chosen one, those others."""
    found: dict[int, list[TimedT]] = {}
    for talk in chosen:
        others = clashing_with(talk, chosen)
        if others:
            found[talk.id] = others
    return found
