"""A frab/pretalx schedule as plain values: what the readers give and ``frab_import`` applies.

``frab_xml`` and ``frab_json`` turn a file into a ``Schedule`` of frozen values,
times already aware UTC, without touching the database, so parsing is tested
alone and a bad file never reaches the database. Anything they cannot read
with certainty is a ``ScheduleError`` with one line an operator can act on.

Identity across imports: a talk's ``uid`` is the event's ``guid`` when that is
a UUID (pretalx, frab and our own export all give one), else a UUID5 derived
from the guid, or from the event ``id``/``slug``/title and start when there is
no guid, within the conference acronym; re-importing the same file therefore
finds the same talks, and calendar clients keep recognising them.

A person is known by the file's ``guid``, else its ``code`` or ``id`` (see
``SchedulePerson``), so two people who share a name stay two speakers; only
persons the file gives no identifier are matched by name, and the report
counts those matches (``ImportReport.merged_by_name``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from congress.programme.models import Disclosure, TalkKind

__all__ = [
    "Schedule",
    "ScheduleConference",
    "ScheduleError",
    "ScheduleEvent",
    "SchedulePerson",
    "ScheduleRoom",
    "ScheduleTrack",
]


class ScheduleError(ValueError):
    """The file cannot be imported; the message is one line naming the reason and place."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


@dataclass(frozen=True, slots=True)
class ScheduleConference:
    acronym: str
    title: str
    start: date | None
    end: date | None
    time_zone: str | None
    description: str
    generator: str


@dataclass(frozen=True, slots=True)
class ScheduleRoom:
    name: str
    slug: str | None = None
    capacity: int | None = None


@dataclass(frozen=True, slots=True)
class ScheduleTrack:
    name: str
    colour: str | None = None
    slug: str | None = None


@dataclass(frozen=True, slots=True)
class SchedulePerson:
    """A person of the file and the identity it gives them.

    ``guid`` is the uid a speaker made from this person carries: the file's
    ``guid`` when it is a UUID (lower case), else a UUID5 derived from the
    file's ``guid``, ``code`` or ``id``, tried in that order (pretalx gives
    all three, frab only ``id``; the order keeps a pretalx XML file and its
    JSON twin agreeing). ``None`` when the file gives none: only such a
    person is matched by name, as a name alone cannot tell two people apart.
    """

    name: str
    guid: str | None = None
    bio: str = ""


@dataclass(frozen=True, slots=True)
class ScheduleEvent:
    """One event of the file, ready to apply.

    ``abstract`` is ``None`` when the file withholds it (our own feeds replace a
    TLP:AMBER/RED abstract by a notice): the stored abstract is then kept.
    ``disclosure`` and ``language`` are ``None`` when the file does not say.
    """

    uid: str
    title: str
    kind: TalkKind
    starts_at: datetime
    ends_at: datetime
    room: str | None
    track: str | None
    language: str | None
    abstract: str | None
    slug: str | None
    persons: tuple[SchedulePerson, ...]
    cancelled: bool = False
    disclosure: Disclosure | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    format: Literal["xml", "json"]
    conference: ScheduleConference
    rooms: tuple[ScheduleRoom, ...]
    tracks: tuple[ScheduleTrack, ...]
    events: tuple[ScheduleEvent, ...]
