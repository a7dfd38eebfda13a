"""Programme rules: creating and changing rooms, tracks, speakers and talks.

Every function is one unit of work shared by the demo loader, the dashboard,
the importer and tests. ``commit=False`` lets a caller batch several calls into
its own single transaction (the demo loader loads an edition atomically).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from congress.core.clock import now
from congress.core.errors import DomainError
from congress.core.text import fold, slugify
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.programme.models import (
    Disclosure,
    Room,
    Speaker,
    SpeakerRole,
    Talk,
    TalkKind,
    TalkSpeaker,
    TalkStatus,
    Track,
)


@dataclass(slots=True)
class TalkData:
    """What an editor or importer gives for a talk; times are aware UTC."""

    title: str
    kind: TalkKind
    starts_at: datetime
    ends_at: datetime
    abstract: str = ""
    status: TalkStatus = TalkStatus.DRAFT
    disclosure: Disclosure = Disclosure.NONE
    language: str = "fr"
    room: Room | None = None
    track: Track | None = None
    seat_limit: int | None = None
    speakers: Sequence[tuple[Speaker, SpeakerRole]] = field(default_factory=tuple)
    slug: str | None = None


def search_key(title: str, abstract: str, speaker_names: Sequence[str]) -> str:
    """Folded text searched by ``q``: accents and case never hide a match."""
    return fold(" ".join([title, abstract, *speaker_names]))


def unique_slug(model: type[Room | Track | Speaker | Talk], event: Event, wanted: str) -> str:
    """A slug free within the edition, suffixed -2, -3... on collision."""
    base = slugify(wanted)
    taken = set(
        db.session.scalars(
            db.select(model.slug).where(model.event_id == event.id, model.slug.like(f"{base}%"))
        )
    )
    candidate, counter = base, 2
    while candidate in taken:
        candidate = f"{base[:74]}-{counter}"
        counter += 1
    return candidate


def bump_programme_version(event: Event) -> None:
    """Invalidate every cache, ETag and feed keyed by the programme version."""
    event.programme_version = (event.programme_version or 0) + 1
    event.programme_updated_at = now()


def create_room(
    event: Event, name: str, capacity: int | None, *, slug: str | None = None, commit: bool = True
) -> Room:
    if capacity is not None and capacity <= 0:
        raise DomainError(_l("The capacity must be a positive number."), field="capacity")
    room = Room(
        event=event,
        name=name,
        capacity=capacity,
        slug=slug or unique_slug(Room, event, name),
        position=_next_position(Room, event),
    )
    db.session.add(room)
    bump_programme_version(event)
    _finish(commit)
    return room


def create_track(
    event: Event,
    name: str,
    colour: str,
    description: str = "",
    *,
    slug: str | None = None,
    commit: bool = True,
) -> Track:
    track = Track(
        event=event,
        name=name,
        colour=colour,
        description=description,
        slug=slug or unique_slug(Track, event, name),
        position=_next_position(Track, event),
    )
    db.session.add(track)
    bump_programme_version(event)
    _finish(commit)
    return track


def create_speaker(
    event: Event,
    name: str,
    *,
    affiliation: str = "",
    position_title: str = "",
    bio: str = "",
    slug: str | None = None,
    commit: bool = True,
) -> Speaker:
    speaker = Speaker(
        event=event,
        name=name,
        affiliation=affiliation,
        position_title=position_title,
        bio=bio,
        slug=slug or unique_slug(Speaker, event, name),
    )
    db.session.add(speaker)
    bump_programme_version(event)
    _finish(commit)
    return speaker


def create_talk(event: Event, data: TalkData, *, commit: bool = True) -> Talk:
    """Create a talk; its ``uid`` is drawn here and never changes afterwards."""
    if data.ends_at <= data.starts_at:
        raise DomainError(_l("A session must end after it starts."), field="ends_at")
    slug = data.slug or unique_slug(Talk, event, data.title)
    talk = Talk(
        event=event,
        slug=slug,
        title=data.title,
        abstract=data.abstract,
        kind=data.kind,
        status=data.status,
        disclosure=data.disclosure,
        language=data.language,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        room=data.room,
        track=data.track,
        seat_limit=data.seat_limit,
        sequence=0,
        search_text=search_key(data.title, data.abstract, [s.name for s, _ in data.speakers]),
    )
    db.session.add(talk)
    # Links are attached once the talk is in the session, so the speakers' side of
    # the relationship never holds a link that a flush would not save.
    talk.speaker_links = [
        TalkSpeaker(speaker=speaker, role=role, position=index)
        for index, (speaker, role) in enumerate(data.speakers)
    ]
    bump_programme_version(event)
    _finish(commit)
    return talk


def _next_position(model: type[Room | Track], event: Event) -> int:
    current = db.session.scalar(
        db.select(db.func.max(model.position)).where(model.event_id == event.id)
    )
    return (current or 0) + 1


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


# Changes that calendar clients must see as a new revision of the event.
SEQUENCED_FIELDS = ("starts_at", "ends_at", "room", "status")


def update_talk(talk: Talk, data: TalkData, *, commit: bool = True) -> list[str]:
    """Apply an edit; returns the names of the fields that changed.

    A change of time, room or status raises the talk's ``SEQUENCE`` once, so a
    subscribed calendar replaces its copy instead of keeping two.
    """
    if data.ends_at <= data.starts_at:
        raise DomainError(_l("A session must end after it starts."), field="ends_at")
    wanted = {
        "title": data.title,
        "abstract": data.abstract,
        "kind": data.kind,
        "status": data.status,
        "disclosure": data.disclosure,
        "language": data.language,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "room": data.room,
        "track": data.track,
        "seat_limit": data.seat_limit,
    }
    changed = [name for name, value in wanted.items() if getattr(talk, name) != value]
    new_links = [(speaker.id, role) for speaker, role in data.speakers]
    old_links = [(link.speaker.id, link.role) for link in talk.speaker_links]
    if new_links != old_links:
        changed.append("speakers")
        talk.speaker_links = [
            TalkSpeaker(speaker=speaker, role=role, position=index)
            for index, (speaker, role) in enumerate(data.speakers)
        ]
    if not changed:
        return []
    for name in changed:
        if name != "speakers":
            setattr(talk, name, wanted[name])
    if any(name in SEQUENCED_FIELDS for name in changed):
        talk.sequence += 1
    talk.search_text = search_key(talk.title, talk.abstract, [s.name for s, _ in data.speakers])
    talk.updated_at = now()
    bump_programme_version(talk.event)
    _finish(commit)
    return changed


def talk_data(talk: Talk) -> TalkData:
    """The current values of a talk, as a starting point for an edit."""
    return TalkData(
        title=talk.title,
        kind=talk.kind,
        starts_at=talk.starts_at,
        ends_at=talk.ends_at,
        abstract=talk.abstract,
        status=talk.status,
        disclosure=talk.disclosure,
        language=talk.language,
        room=talk.room,
        track=talk.track,
        seat_limit=talk.seat_limit,
        speakers=[(link.speaker, link.role) for link in talk.speaker_links],
        slug=talk.slug,
    )


def cancel_talk(talk: Talk, *, commit: bool = True) -> None:
    """Cancel a talk: it stays published, marked cancelled, with a new SEQUENCE."""
    if talk.status is TalkStatus.CANCELLED:
        return
    data = talk_data(talk)
    data.status = TalkStatus.CANCELLED
    update_talk(talk, data, commit=commit)


def move_talk(
    talk: Talk, starts_at: datetime, ends_at: datetime, room: Room | None, *, commit: bool = True
) -> list[str]:
    """Move a talk in time and/or room."""
    data = talk_data(talk)
    data.starts_at, data.ends_at, data.room = starts_at, ends_at, room
    return update_talk(talk, data, commit=commit)
