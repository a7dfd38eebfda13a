"""Reads of the published programme.

Every function issues a fixed number of statements whatever the size of the
programme (related rows come through ``joinedload``/``subqueryload``), and only
ever returns what the public may see: confirmed and cancelled talks, never drafts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import defer, joinedload, subqueryload

from congress.core.text import fold
from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import Room, Speaker, Talk, TalkKind, TalkSpeaker, TalkStatus, Track

PUBLIC_STATUSES = (TalkStatus.CONFIRMED, TalkStatus.CANCELLED)
MAX_QUERY_TERMS = 8


@dataclass(frozen=True, slots=True)
class ProgrammeFilters:
    """Validated filters of ``/programme``; ``None`` means "not filtered"."""

    day: date | None = None
    track: Track | None = None
    kind: TalkKind | None = None
    room: Room | None = None
    q: str = ""
    terms: tuple[str, ...] = field(default=())

    @property
    def active(self) -> bool:
        return any((self.day, self.track, self.kind, self.room, self.terms))


def day_bounds(event: Event, day: date) -> tuple[datetime, datetime]:
    """UTC instants of local midnight to midnight of ``day`` in the edition's zone."""
    start = datetime.combine(day, time.min, tzinfo=event.zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=event.zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def search_terms(q: str) -> tuple[str, ...]:
    """Folded words of a search; every word must match (AND), at most a few."""
    words = [word for word in fold(q).split() if word]
    return tuple(dict.fromkeys(words))[:MAX_QUERY_TERMS]


def published_criteria(
    event: Event, filters: ProgrammeFilters | None = None
) -> list[ColumnElement[bool]]:
    """The ``WHERE`` of the edition's published talks, narrowed by ``filters``.

    The one definition of what the public may see and of what each filter of
    ``/programme`` means, shared by the ORM reads here and the light records of
    ``listing.published_records``, so the page, its feeds and the agenda can
    never select different talks for the same filters.
    """
    where: list[ColumnElement[bool]] = [
        Talk.event_id == event.id,
        Talk.status.in_(PUBLIC_STATUSES),
    ]
    if filters is None:
        return where
    if filters.day is not None:
        start, end = day_bounds(event, filters.day)
        where += [Talk.starts_at >= start, Talk.starts_at < end]
    if filters.track is not None:
        where.append(Talk.track_id == filters.track.id)
    if filters.room is not None:
        where.append(Talk.room_id == filters.room.id)
    if filters.kind is not None:
        where.append(Talk.kind == filters.kind)
    where += [search_like(term) for term in filters.terms]
    return where


def _published(event: Event, filters: ProgrammeFilters | None = None) -> Select[tuple[Talk]]:
    """Published talks narrowed by ``filters`` (see ``_with_details``)."""
    return _with_details(*published_criteria(event, filters))


def _with_details(*criteria: ColumnElement[bool]) -> Select[tuple[Talk]]:
    """Talks matching ``criteria`` with their room, track and speakers: two statements at any size.

    ``subqueryload``, not ``selectinload``, for the speaker links: the latter
    sends the talks' ids in IN lists of 500, one more statement per 500 talks;
    the former loads every link (with its speaker) in one statement that
    repeats this query's criteria. ``search_text`` is only ever searched in
    SQL, never read, so it is not loaded, and reading it would raise rather
    than quietly cost one query per talk.
    """
    return (
        db.select(Talk)
        .where(*criteria)
        .options(
            joinedload(Talk.room),
            joinedload(Talk.track),
            subqueryload(Talk.speaker_links).joinedload(TalkSpeaker.speaker),
            defer(Talk.search_text, raiseload=True),
        )
        .order_by(Talk.starts_at, Talk.ends_at, Talk.id)
    )


def all_talks(event: Event) -> list[Talk]:
    """Every talk, drafts included: the organisers' editor plans with all of them."""
    return list(db.session.scalars(_with_details(Talk.event_id == event.id)).unique())


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_like(term: str) -> ColumnElement[bool]:
    """A talk whose folded search text contains ``term`` (a folded word of ``q``)."""
    return Talk.search_text.like(f"%{_escape_like(term)}%", escape="\\")


def published_talks(event: Event, filters: ProgrammeFilters | None = None) -> list[Talk]:
    """Published talks in time order, narrowed by the filters (two statements)."""
    return list(db.session.scalars(_published(event, filters)).unique())


def published_talk(event: Event, slug: str) -> Talk | None:
    stmt = _published(event).where(Talk.slug == slug)
    return db.session.scalars(stmt).unique().first()


def talks_in_range(event: Event, start: datetime, end: datetime) -> list[Talk]:
    """Published talks overlapping ``[start, end)``, for ``/now``."""
    stmt = _published(event).where(Talk.starts_at < end, Talk.ends_at > start)
    return list(db.session.scalars(stmt).unique())


def rooms(event: Event) -> list[Room]:
    stmt = db.select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)
    return list(db.session.scalars(stmt))


def tracks(event: Event) -> list[Track]:
    stmt = db.select(Track).where(Track.event_id == event.id).order_by(Track.position, Track.id)
    return list(db.session.scalars(stmt))


def room_by_slug(event: Event, slug: str) -> Room | None:
    stmt = db.select(Room).where(Room.event_id == event.id, Room.slug == slug)
    return db.session.scalars(stmt).first()


def track_by_slug(event: Event, slug: str) -> Track | None:
    stmt = db.select(Track).where(Track.event_id == event.id, Track.slug == slug)
    return db.session.scalars(stmt).first()


def _public_speakers(event: Event) -> Select[tuple[Speaker]]:
    """Speakers with at least one published talk: a draft never reveals its speaker."""
    published_link = (
        db.select(TalkSpeaker.speaker_id)
        .join(Talk, Talk.id == TalkSpeaker.talk_id)
        .where(Talk.event_id == event.id, Talk.status.in_(PUBLIC_STATUSES))
    )
    return (
        db.select(Speaker)
        .where(Speaker.event_id == event.id, Speaker.id.in_(published_link))
        .order_by(Speaker.name, Speaker.id)
    )


def public_speakers(event: Event) -> list[Speaker]:
    return list(db.session.scalars(_public_speakers(event)))


def public_speaker(event: Event, slug: str) -> tuple[Speaker, list[Talk]] | None:
    """A speaker and their published talks (three statements)."""
    speaker = db.session.scalars(_public_speakers(event).where(Speaker.slug == slug)).first()
    if speaker is None:
        return None
    talks_stmt = _published(event).where(
        Talk.id.in_(db.select(TalkSpeaker.talk_id).where(TalkSpeaker.speaker_id == speaker.id))
    )
    return speaker, list(db.session.scalars(talks_stmt).unique())


def talks_of(event: Event, talk_ids: Sequence[int]) -> list[Talk]:
    """Published talks among ``talk_ids`` (personal agendas)."""
    if not talk_ids:
        return []
    stmt = _published(event).where(Talk.id.in_(list(talk_ids)))
    return list(db.session.scalars(stmt).unique())
