"""Conflict rules of the programme: what is wrong with a session's slot, and why.

The rules are pure functions over ``Slot`` values (a talk reduced to its time,
room, speakers, status and seat limit), so the services (``check``), the day
grid (``conflicts_by_talk``) and the tests share one definition of a conflict
without touching the database. Only ``slots_for`` reads; nothing here writes.

A conflict is a refusal, decided in ``programme.services``: saving a session
whose slot breaks a rule raises ``services.SlotConflicts`` and nothing is
saved, whoever saves it (the dashboard shows each conflict beside its form
field, with a 409; the importer and ``flask congress import`` name each
session). Only a caller that says so explicitly (``allow_conflicts=True``,
``import --allow-conflicts``) keeps a conflicting slot, and the day grid then
marks it until someone moves one of the sessions.

Every interval is half-open, ``[starts_at, ends_at)``: a session ending at
10:45 and the next one starting at 10:45 in the same room do not collide.
Drafts occupy rooms and speakers (the editor plans with them); cancelled
sessions free both.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask_babel import LazyString
from sqlalchemy import ColumnElement

from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.programme.models import Talk, TalkKind, TalkSpeaker, TalkStatus
from congress.programme.queries import day_bounds

if TYPE_CHECKING:  # services refuse conflicts with this module: a type alone goes back up
    from congress.programme.services import TalkData


@dataclass(frozen=True, slots=True)
class Conflict:
    """One problem of a session, shown beside the form field it belongs to.

    ``code`` is stable (templates, tests and scripts match on it); ``message``
    is translated lazily, so it reads in the language of the page rendering it.
    """

    field: str
    code: str
    message: LazyString | str
    other_talk_id: int | None = None


@dataclass(frozen=True, slots=True)
class Slot:
    """A candidate or existing talk, reduced to what the conflict rules need.

    ``talk_id`` is ``None`` for a session not yet saved. Times are aware UTC.
    """

    talk_id: int | None
    title: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None
    speaker_ids: frozenset[int]
    status: TalkStatus
    seat_limit: int | None
    kind: TalkKind


# --- the rules, one function each ------------------------------------------------------------


def ends_before_start(slot: Slot) -> Conflict | None:
    """A session must last: an end at or before the start is an empty slot."""
    if slot.ends_at > slot.starts_at:
        return None
    return Conflict("ends_at", "ends_before_start", _l("A session must end after it starts."))


def outside_edition(slot: Slot, event: Event, zone_label: str | None = None) -> Conflict | None:
    """A session must start and end within the edition's days, in the edition's zone.

    The bounds are local midnights converted to UTC, so a day is 23 or 25 hours
    long on a summer-time change and a session ending exactly at midnight after
    the last day still belongs to it.
    """
    opens, _ = day_bounds(event, event.first_day)
    _, closes = day_bounds(event, event.last_day)
    if opens <= slot.starts_at and slot.ends_at <= closes:
        return None
    return Conflict(
        "starts_at",
        "outside_edition",
        _l(
            "A session must take place during the edition, from %(first)s to %(last)s "
            "(time zone: %(zone)s).",
            first=event.first_day.isoformat(),
            last=event.last_day.isoformat(),
            zone=zone_label or event.timezone,
        ),
    )


def seat_limit_above_capacity(slot: Slot, room_capacity: int | None) -> Conflict | None:
    """Seats cannot be offered beyond what the room holds; unknown capacity is no limit."""
    if slot.seat_limit is None or room_capacity is None or slot.seat_limit <= room_capacity:
        return None
    return Conflict(
        "seat_limit",
        "seat_limit_above_capacity",
        _l(
            "The seat limit (%(limit)d) exceeds the capacity of the room (%(capacity)d).",
            limit=slot.seat_limit,
            capacity=room_capacity,
        ),
    )


def room_double_booked(candidate: Slot, other: Slot, zone: ZoneInfo) -> Conflict | None:
    """Two live sessions overlap in one room; a session without a room never clashes.

    The message gives the other session's local times: the editor moves one of
    the two and needs to know where the room is free again.
    """
    if (
        candidate.room_id is None
        or candidate.room_id != other.room_id
        or not _overlap(candidate, other)
    ):
        return None
    return Conflict(
        "room",
        "room_double_booked",
        _l(
            "Room already taken by “%(title)s” from %(start)s to %(end)s.",
            title=other.title,
            start=_hhmm(other.starts_at, zone),
            end=_hhmm(other.ends_at, zone),
        ),
        other.talk_id,
    )


def speaker_double_booked(
    candidate: Slot, other: Slot, zone: ZoneInfo, speaker_names: Mapping[int, str]
) -> list[Conflict]:
    """One conflict per speaker of both sessions when they overlap, whatever the rooms.

    Each shared speaker is named, ordered by name, so the editor knows whom to move.
    """
    shared = candidate.speaker_ids & other.speaker_ids
    if not shared or not _overlap(candidate, other):
        return []
    names = sorted((speaker_names.get(sid, f"#{sid}"), sid) for sid in shared)
    return [
        Conflict(
            "speakers",
            "speaker_double_booked",
            _l(
                "%(speaker)s already speaks in “%(title)s” from %(start)s to %(end)s.",
                speaker=name,
                title=other.title,
                start=_hhmm(other.starts_at, zone),
                end=_hhmm(other.ends_at, zone),
            ),
            other.talk_id,
        )
        for name, _ in names
    ]


# --- entry points ----------------------------------------------------------------------------


def check(
    candidate: Slot,
    others: Sequence[Slot],
    *,
    event: Event,
    room_capacity: int | None,
    speaker_names: Mapping[int, str],
    zone_label: str | None = None,
) -> list[Conflict]:
    """Every conflict of one session against the rest of the programme (the edit form).

    ``others`` may include the candidate's own saved version (same ``talk_id``):
    it is skipped, so an edit never clashes with the talk it replaces.
    ``zone_label`` names the zone in messages (default: the edition's zone name).
    Linear in ``len(others)``; the day grid uses ``conflicts_by_talk`` instead.
    """
    zone = event.zone
    own = _own_conflicts(candidate, event, room_capacity, zone_label)
    if not _occupies(candidate):
        return own
    partners = [
        other
        for other in others
        if (candidate.talk_id is None or other.talk_id != candidate.talk_id)
        and _occupies(other)
        and _overlap(candidate, other)
        and (
            (candidate.room_id is not None and candidate.room_id == other.room_id)
            or candidate.speaker_ids & other.speaker_ids
        )
    ]
    return own + _clashes(candidate, partners, zone, speaker_names)


def conflicts_by_talk(
    slots: Sequence[Slot],
    *,
    event: Event,
    room_capacities: Mapping[int, int | None],
    speaker_names: Mapping[int, str],
    zone_label: str | None = None,
) -> dict[int, list[Conflict]]:
    """Every conflict of every saved session (the editor's day grid), keyed by talk id.

    Only sessions with at least one conflict appear. Each talk gets exactly
    what ``check`` would give it against all the others, in the same order.
    Clashing pairs are found by sorting each room's and each speaker's sessions
    by start and sweeping with a heap of running ends: O(n log n) plus the
    number of clashes, instead of comparing every pair of the whole programme.
    """
    ids = [slot.talk_id for slot in slots]
    if None in ids or len(set(ids)) != len(ids):
        raise ValueError("conflicts_by_talk needs saved slots with distinct talk ids")
    zone = event.zone
    by_room: dict[int, list[int]] = defaultdict(list)
    by_speaker: dict[int, list[int]] = defaultdict(list)
    for index, slot in enumerate(slots):
        if not _occupies(slot):
            continue
        if slot.room_id is not None:
            by_room[slot.room_id].append(index)
        for speaker_id in slot.speaker_ids:
            by_speaker[speaker_id].append(index)
    partners: dict[int, set[int]] = defaultdict(set)
    for group in (*by_room.values(), *by_speaker.values()):
        for first, second in _overlapping_pairs(group, slots):
            partners[first].add(second)
            partners[second].add(first)
    result: dict[int, list[Conflict]] = {}
    for index, slot in enumerate(slots):
        capacity = room_capacities.get(slot.room_id) if slot.room_id is not None else None
        found = _own_conflicts(slot, event, capacity, zone_label)
        found += _clashes(slot, [slots[i] for i in partners.get(index, ())], zone, speaker_names)
        if found:
            result[slot.talk_id] = found  # type: ignore[index]  # ids checked above
    return result


def slots_for(event: Event, *, during: tuple[datetime, datetime] | None = None) -> list[Slot]:
    """Every session of the edition that occupies a room or a speaker: all but cancelled ones.

    Drafts are included: the editor plans with them, and a room promised to a
    draft is not free. ``during`` (start, end) keeps only the sessions
    overlapping that interval: all a single save can clash with, so checking
    one session does not read the whole programme. Two statements whatever the
    programme's size (talk columns, then speaker links); plain rows rather than
    ORM objects, so a large programme is cheap to load and the session's
    identity map stays clean.
    """
    live: list[ColumnElement[bool]] = [
        Talk.event_id == event.id,
        Talk.status != TalkStatus.CANCELLED,
    ]
    if during is not None:
        live += [Talk.starts_at < during[1], Talk.ends_at > during[0]]
    talks = db.session.execute(
        db.select(
            Talk.id,
            Talk.title,
            Talk.starts_at,
            Talk.ends_at,
            Talk.room_id,
            Talk.status,
            Talk.seat_limit,
            Talk.kind,
        )
        .where(*live)
        .order_by(Talk.starts_at, Talk.ends_at, Talk.id)
    ).all()
    speakers: dict[int, set[int]] = defaultdict(set)
    links = db.session.execute(
        db.select(TalkSpeaker.talk_id, TalkSpeaker.speaker_id)
        .join(Talk, Talk.id == TalkSpeaker.talk_id)
        .where(*live)
    )
    for talk_id, speaker_id in links:
        speakers[talk_id].add(speaker_id)
    return [
        Slot(
            talk_id=row.id,
            title=row.title,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            room_id=row.room_id,
            speaker_ids=frozenset(speakers.get(row.id, ())),
            status=row.status,
            seat_limit=row.seat_limit,
            kind=row.kind,
        )
        for row in talks
    ]


def slot_of(talk_id: int | None, data: TalkData) -> Slot:
    """The slot an edit form's data would occupy (``talk_id`` ``None`` for a new session)."""
    return Slot(
        talk_id=talk_id,
        title=data.title,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        room_id=data.room.id if data.room is not None else None,
        speaker_ids=frozenset(speaker.id for speaker, _ in data.speakers),
        status=data.status,
        seat_limit=data.seat_limit,
        kind=data.kind,
    )


# --- helpers ---------------------------------------------------------------------------------


def _occupies(slot: Slot) -> bool:
    """Whether a slot holds its room and speakers: live and of positive length.

    An empty or reversed interval is reported by ``ends_before_start`` alone;
    letting it clash too would only repeat the same mistake in other words.
    """
    return slot.status is not TalkStatus.CANCELLED and slot.ends_at > slot.starts_at


def _overlap(first: Slot, second: Slot) -> bool:
    """Half-open intervals overlap: touching (one ends when the other starts) is fine."""
    return first.starts_at < second.ends_at and second.starts_at < first.ends_at


def _hhmm(moment: datetime, zone: ZoneInfo) -> str:
    """Local wall-clock time as HH:MM, as the editor reads it on the grid.

    Formatted by hand: the day grid formats thousands of these and ``strftime``
    was the slow part.
    """
    local = moment.astimezone(zone)
    return f"{local.hour:02d}:{local.minute:02d}"


def _order(slot: Slot) -> tuple[datetime, datetime, int, str]:
    """Deterministic order of the other sessions named in a talk's conflicts."""
    return (slot.starts_at, slot.ends_at, -1 if slot.talk_id is None else slot.talk_id, slot.title)


def _own_conflicts(
    slot: Slot, event: Event, room_capacity: int | None, zone_label: str | None
) -> list[Conflict]:
    found = (
        ends_before_start(slot),
        outside_edition(slot, event, zone_label),
        seat_limit_above_capacity(slot, room_capacity),
    )
    return [conflict for conflict in found if conflict is not None]


def _clashes(
    slot: Slot, partners: Iterable[Slot], zone: ZoneInfo, speaker_names: Mapping[int, str]
) -> list[Conflict]:
    """Room clashes first, then speaker clashes, each in the others' time order."""
    ordered = sorted(partners, key=_order)
    rooms = [room_double_booked(slot, other, zone) for other in ordered]
    found = [conflict for conflict in rooms if conflict is not None]
    for other in ordered:
        found += speaker_double_booked(slot, other, zone, speaker_names)
    return found


def _overlapping_pairs(group: list[int], slots: Sequence[Slot]) -> Iterator[tuple[int, int]]:
    """Pairs of overlapping slots among ``group`` (indices into ``slots``).

    Sorted by start, each slot meets only the slots still running when it
    starts; a min-heap of their ends drops the finished ones. Cost: sorting,
    plus one heap operation per slot, plus one step per overlapping pair.
    """
    running: list[tuple[datetime, int]] = []
    for index in sorted(group, key=lambda i: (slots[i].starts_at, slots[i].ends_at, i)):
        slot = slots[index]
        while running and running[0][0] <= slot.starts_at:
            heapq.heappop(running)
        for _, other in running:
            yield other, index
        heapq.heappush(running, (slot.ends_at, index))
