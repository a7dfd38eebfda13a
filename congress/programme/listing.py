"""Published talks as light read-only records, for the pages and feeds that list them all.

Why not ORM objects: the full programme page and the full feeds list every
talk with its room, track and speakers. For 1,000 talks, building and
tracking ORM instances (identity map, instance state, relationship
collections) cost three times as much as the rows themselves, more than the
whole budget of a cold build (``bench/programme_bench.py``). These records
are plain slotted dataclasses built from two Core statements; they carry the
same attribute names as ``Talk``, ``Room``, ``Track``, ``Speaker`` and
``TalkSpeaker``, so templates and exporters read either without knowing.
They are snapshots: nothing written to them reaches the database, and pages
that edit talks (the dashboard) keep using the ORM.

The criteria are ``queries.published_criteria``, the very ones
``queries.published_talks`` uses: only published talks (confirmed or
cancelled) are ever read, and each filter means the same in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement

from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import (
    Disclosure,
    Room,
    Speaker,
    SpeakerRole,
    Talk,
    TalkFacts,
    TalkKind,
    TalkSpeaker,
    TalkStatus,
    Track,
)
from congress.programme.queries import ProgrammeFilters, published_criteria


@dataclass(frozen=True, slots=True)
class RoomRecord:
    id: int
    slug: str
    name: str
    capacity: int | None
    position: int


@dataclass(frozen=True, slots=True)
class TrackRecord:
    id: int
    slug: str
    name: str
    colour: str
    position: int


@dataclass(frozen=True, slots=True)
class SpeakerRecord:
    id: int
    slug: str
    name: str
    uid: str


@dataclass(frozen=True, slots=True)
class SpeakerLinkRecord:
    speaker: SpeakerRecord
    role: SpeakerRole
    position: int


@dataclass(slots=True)
class TalkRecord(TalkFacts):
    """A published talk as lists show it (``Talk``'s names, read only by convention)."""

    id: int
    uid: str
    slug: str
    title: str
    abstract: str
    kind: TalkKind
    status: TalkStatus
    disclosure: Disclosure
    language: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None
    track_id: int | None
    seat_limit: int | None
    sequence: int
    created_at: datetime
    updated_at: datetime
    room: RoomRecord | None
    track: TrackRecord | None
    speaker_links: list[SpeakerLinkRecord] = field(default_factory=list)


#: Talk columns in ``TalkRecord``'s field order, up to ``updated_at``.
_TALK_COLUMNS = (
    Talk.id,
    Talk.uid,
    Talk.slug,
    Talk.title,
    Talk.abstract,
    Talk.kind,
    Talk.status,
    Talk.disclosure,
    Talk.language,
    Talk.starts_at,
    Talk.ends_at,
    Talk.room_id,
    Talk.track_id,
    Talk.seat_limit,
    Talk.sequence,
    Talk.created_at,
    Talk.updated_at,
)
_ROOM_ID = [column.key for column in _TALK_COLUMNS].index("room_id")
_TRACK_ID = [column.key for column in _TALK_COLUMNS].index("track_id")
_ROOM_COLUMNS = (Room.slug, Room.name, Room.capacity, Room.position)
_TRACK_COLUMNS = (Track.slug, Track.name, Track.colour, Track.position)


def published_records(event: Event, filters: ProgrammeFilters | None = None) -> list[TalkRecord]:
    """Published talks in time order with room, track and speakers: two statements."""
    where = published_criteria(event, filters)
    talk_rows = db.session.execute(
        db.select(*_TALK_COLUMNS, *_ROOM_COLUMNS, *_TRACK_COLUMNS)
        .outerjoin(Room, Room.id == Talk.room_id)
        .outerjoin(Track, Track.id == Talk.track_id)
        .where(*where)
        .order_by(Talk.starts_at, Talk.ends_at, Talk.id)
    ).all()
    rooms: dict[int, RoomRecord] = {}
    tracks: dict[int, TrackRecord] = {}
    talks: dict[int, TalkRecord] = {}
    talk_width = len(_TALK_COLUMNS)
    room_end = talk_width + len(_ROOM_COLUMNS)
    for row in talk_rows:
        values: tuple[Any, ...] = tuple(row)
        room_id, track_id = values[_ROOM_ID], values[_TRACK_ID]
        room = None
        if room_id is not None:
            room = rooms.get(room_id)
            if room is None:
                room = rooms[room_id] = RoomRecord(room_id, *values[talk_width:room_end])
        track = None
        if track_id is not None:
            track = tracks.get(track_id)
            if track is None:
                track = tracks[track_id] = TrackRecord(track_id, *values[room_end:])
        talks[values[0]] = TalkRecord(*values[:talk_width], room=room, track=track)
    if talks:
        _attach_speakers(talks, where)
    return list(talks.values())


def _attach_speakers(talks: dict[int, TalkRecord], where: list[ColumnElement[bool]]) -> None:
    """Every link of the selected talks in one statement (the talks' criteria repeated)."""
    selected = db.select(Talk.id).where(*where)
    link_rows = db.session.execute(
        db.select(
            TalkSpeaker.talk_id,
            TalkSpeaker.role,
            TalkSpeaker.position,
            Speaker.id,
            Speaker.slug,
            Speaker.name,
            Speaker.uid,
        )
        .join(Speaker, Speaker.id == TalkSpeaker.speaker_id)
        .where(TalkSpeaker.talk_id.in_(selected))
        .order_by(TalkSpeaker.talk_id, TalkSpeaker.position, Speaker.id)
    ).all()
    speakers: dict[int, SpeakerRecord] = {}
    for talk_id, role, position, speaker_id, slug, name, uid in link_rows:
        speaker = speakers.get(speaker_id)
        if speaker is None:
            speaker = speakers[speaker_id] = SpeakerRecord(speaker_id, slug, name, uid)
        talks[talk_id].speaker_links.append(SpeakerLinkRecord(speaker, role, position or 0))
