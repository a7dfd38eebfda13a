"""Reads of the published programme.

Every function issues a fixed number of statements whatever the size of the
programme (related rows come through ``joinedload``/``subqueryload``), and only
ever returns what the public may see: confirmed and cancelled talks, never drafts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, false, or_
from sqlalchemy.orm import defer, joinedload, subqueryload

from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import Room, Speaker, Talk, TalkKind, TalkSpeaker, TalkStatus, Track
from congress.programme.search import WORD, Term, like_pattern, parse_query

PUBLIC_STATUSES = (TalkStatus.CONFIRMED, TalkStatus.CANCELLED)


@dataclass(frozen=True, slots=True)
class ProgrammeFilters:
    """Validated filters of ``/programme``; ``None`` means "not filtered"."""

    day: date | None = None
    track: Track | None = None
    kind: TalkKind | None = None
    room: Room | None = None
    q: str = ""
    terms: tuple[Term, ...] = field(default=())

    @property
    def active(self) -> bool:
        return any((self.day, self.track, self.kind, self.room, self.terms))


def day_bounds(event: Event, day: date) -> tuple[datetime, datetime]:
    """UTC instants of local midnight to midnight of ``day`` in the edition's zone."""
    start = datetime.combine(day, time.min, tzinfo=event.zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=event.zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def search_terms(q: str) -> tuple[Term, ...]:
    """The terms of a search (see ``programme.search``): every term must match."""
    return parse_query(q)


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


def search_like(term: Term) -> ColumnElement[bool]:
    """A talk whose index holds a word starting with one of the term's alternatives."""
    if not term.alternatives:
        return false()
    return or_(
        *(Talk.search_text.like(like_pattern(each), escape="\\") for each in term.alternatives)
    )


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


def vocabulary(event: Event) -> list[str]:
    """Words of the published programme (titles, speakers, tracks, rooms) a search may suggest.

    Asked only when a search found nothing; one statement.
    """
    published = db.select(Talk.id).where(*published_criteria(event))
    texts = db.session.scalars(
        db.select(Talk.title)
        .where(Talk.id.in_(published))
        .union_all(
            db.select(Speaker.name)
            .join(TalkSpeaker, TalkSpeaker.speaker_id == Speaker.id)
            .where(TalkSpeaker.talk_id.in_(published)),
            db.select(Track.name).where(Track.event_id == event.id),
            db.select(Room.name).where(Room.event_id == event.id),
        )
    )
    return [word for text in texts for word in WORD.findall(text)]


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


def unpublished_changes(event: Event, limit: int = 10) -> tuple[int, list[Talk]]:
    """Draft sessions (prepared, not yet public): how many, and the next ones by start time."""
    drafts = Talk.event_id == event.id, Talk.status == TalkStatus.DRAFT
    count = db.session.scalar(db.select(db.func.count(Talk.id)).where(*drafts)) or 0
    upcoming = db.session.scalars(
        db.select(Talk)
        .where(*drafts)
        .options(defer(Talk.search_text, raiseload=True))
        .order_by(Talk.starts_at, Talk.id)
        .limit(limit)
    ).all()
    return int(count), list(upcoming)
