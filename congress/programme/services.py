"""Programme rules: creating and changing rooms, tracks, speakers and talks.

Every function is one unit of work shared by the demo loader, the dashboard,
the importer and tests. ``commit=False`` lets a caller batch several calls into
its own single transaction (the demo loader loads an edition atomically).

Saving a talk obeys the conflict rules of ``programme.conflicts`` here, once
for every caller: a slot that breaks one is refused (``SlotConflicts``, a 409)
unless the caller passes ``allow_conflicts=True`` on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email

from congress.audit.log import diff, record, snapshot
from congress.core.clock import now
from congress.core.errors import Conflict, DomainError
from congress.core.text import slugify
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.programme import conflicts, search
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
from congress.programme.signals import talk_changed


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


class SessionConflict(NamedTuple):
    """One conflict and the title of the session it concerns."""

    title: str
    conflict: conflicts.Conflict


class SlotConflicts(Conflict):
    """A save would break the conflict rules (``programme.conflicts``); nothing was saved.

    ``found`` lists every conflict with the session it concerns: the editor
    shows each beside its form field, the importer names the sessions. The
    message and field are the first conflict's, for callers that show one.
    """

    def __init__(self, found: Sequence[SessionConflict]) -> None:
        if not found:
            raise ValueError("SlotConflicts needs at least one conflict")
        first = found[0].conflict
        super().__init__(first.message, field=first.field)  # type: ignore[arg-type]
        self.found = tuple(found)


def slot_conflicts(event: Event, data: TalkData, talk: Talk | None = None) -> list[SessionConflict]:
    """What is wrong with the slot ``data`` describes, against the rest of the edition.

    ``talk`` is the saved session being edited (never in conflict with itself).
    Reads only the sessions overlapping the slot: two statements, whatever the
    size of the programme.
    """
    found = conflicts.check(
        conflicts.slot_of(talk.id if talk is not None else None, data),
        conflicts.slots_for(event, during=(data.starts_at, data.ends_at)),
        event=event,
        room_capacity=data.room.capacity if data.room is not None else None,
        speaker_names={speaker.id: speaker.name for speaker, _ in data.speakers},
    )
    return [SessionConflict(data.title, conflict) for conflict in found]


def programme_conflicts(event: Event, talks: Sequence[Talk]) -> list[SessionConflict]:
    """Every conflict of ``talks`` (saved sessions of ``event``) against the whole edition.

    For a batch written before it is checked (the importer): the same rules as
    a single save, found for all of them at once (``conflicts_by_talk``),
    listed by the sessions' start. Cancelled sessions have none.
    """
    rooms = db.session.execute(
        db.select(Room.id, Room.capacity).where(Room.event_id == event.id)
    ).tuples()
    names = db.session.execute(
        db.select(Speaker.id, Speaker.name).where(Speaker.event_id == event.id)
    ).tuples()
    by_talk = conflicts.conflicts_by_talk(
        conflicts.slots_for(event),
        event=event,
        room_capacities=dict(rooms.all()),
        speaker_names=dict(names.all()),
    )
    ordered = sorted(talks, key=lambda talk: (talk.starts_at, talk.ends_at, talk.id))
    return [
        SessionConflict(talk.title, conflict)
        for talk in ordered
        for conflict in by_talk.get(talk.id, ())
    ]


def refuse_conflicts(found: Sequence[SessionConflict]) -> None:
    """Raise ``SlotConflicts`` when anything was found: the one decision every save shares."""
    if found:
        raise SlotConflicts(found)


def search_key(
    title: str,
    abstract: str,
    speaker_names: Sequence[str],
    disclosure: Disclosure,
    *,
    organisations: Sequence[str] = (),
    track: str = "",
) -> str:
    """Stems searched by ``q`` (``programme.search``): accents, case and plurals never hide a match.

    Title, abstract, speakers, their organisations and the track are searched.
    A TLP:AMBER or TLP:RED abstract is left out: the public search would
    otherwise let anyone probe the withheld text word by word.
    """
    searchable = "" if disclosure.restricts_abstract else abstract
    return search.index_text([title, searchable, *speaker_names, *organisations, track])


def talk_search_key(talk: Talk) -> str:
    """``search_key`` of a talk as it now is (speakers, organisations and track loaded)."""
    speakers = talk.speakers
    return search_key(
        talk.title,
        talk.abstract,
        [speaker.name for speaker in speakers],
        talk.disclosure,
        organisations=[speaker.affiliation for speaker in speakers],
        track=talk.track.name if talk.track else "",
    )


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
    """Invalidate every cache, ETag and feed keyed by the programme version.

    Nothing more to do here for the page cache: raising the version edits the
    edition's row, and the session hooks of ``congress.caching.stamp``, which see
    every change to an ``Event`` row at flush and before commit, rewrite the
    shared programme stamp once the transaction commits. Every worker then
    serves the new version at once. Why hooks rather than a call or a signal:
    they already had to catch changes that never pass through here (a new
    edition becoming the current one), and the programme need not know that
    anything caches its pages.
    """
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
    _created("room", room, ROOM_FIELDS, commit=commit)
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
    _created("track", track, TRACK_FIELDS, commit=commit)
    return track


# A speaker's private contact details (programme committee only, never public).
SPEAKER_EMAIL_MAX = 254
SPEAKER_PHONE_MAX = 40
PHONE_DIGITS_MIN, PHONE_DIGITS_MAX = 6, 20
# Loose on purpose (numbers are written many ways): an optional "(" and "+" first,
# then ASCII digits, spaces, dots, hyphens ("06-12-34-56-78") and parentheses.
_PHONE = re.compile(r"\(?\+?[0-9 .()-]+")
PHONE_REFUSED = _l(
    "Enter a telephone number: digits, spaces, dots, hyphens, parentheses and a leading +, "
    "with 6 to 20 digits (for example +33 6 12 34 56 78)."
)
# Stand-in for a private value in the audit log: that it changed, never what it is
# (the log is kept longer than the edition and cannot be edited).
HIDDEN = "…"
SPEAKER_PRIVATE_FIELDS = ("email", "phone")


def speaker_email(raw: str | None) -> str | None:
    """A speaker's address checked as registration checks attendees' (syntax, no DNS).

    Blank means none (``None``). The normalised form is kept, not lower-cased: it is
    written to, never matched against.
    """
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) > SPEAKER_EMAIL_MAX:
        raise DomainError(
            _l("This field may not exceed %(n)d characters.", n=SPEAKER_EMAIL_MAX), field="email"
        )
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        raise DomainError(_l("Enter a valid e-mail address."), field="email") from error
    return result.normalized


def speaker_phone(raw: str | None) -> str | None:
    """A telephone number in a loose international format, spaces collapsed; blank is none."""
    text = " ".join((raw or "").split())
    if not text:
        return None
    digits = sum(1 for ch in text if "0" <= ch <= "9")
    if (
        len(text) > SPEAKER_PHONE_MAX
        or not _PHONE.fullmatch(text)
        or not PHONE_DIGITS_MIN <= digits <= PHONE_DIGITS_MAX
    ):
        raise DomainError(PHONE_REFUSED, field="phone")
    return text


def create_speaker(
    event: Event,
    name: str,
    *,
    affiliation: str = "",
    position_title: str = "",
    bio: str = "",
    email: str | None = None,
    phone: str | None = None,
    slug: str | None = None,
    commit: bool = True,
) -> Speaker:
    speaker = Speaker(
        event=event,
        name=name,
        affiliation=affiliation,
        position_title=position_title,
        bio=bio,
        email=speaker_email(email),
        phone=speaker_phone(phone),
        slug=slug or unique_slug(Speaker, event, name),
    )
    db.session.add(speaker)
    _created("speaker", speaker, SPEAKER_FIELDS, commit=commit, private=SPEAKER_PRIVATE_FIELDS)
    return speaker


def create_talk(
    event: Event, data: TalkData, *, commit: bool = True, allow_conflicts: bool = False
) -> Talk:
    """Create a talk; its ``uid`` is drawn here and never changes afterwards.

    A slot that breaks a conflict rule is refused (``SlotConflicts``) unless
    ``allow_conflicts``; a session ending before it starts is refused always.
    """
    if not allow_conflicts:
        refuse_conflicts(slot_conflicts(event, data))
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
        search_text=search_key(
            data.title,
            data.abstract,
            [s.name for s, _ in data.speakers],
            data.disclosure,
            organisations=[s.affiliation for s, _ in data.speakers],
            track=data.track.name if data.track else "",
        ),
    )
    db.session.add(talk)
    # Links are attached once the talk is in the session, so the speakers' side of
    # the relationship never holds a link that a flush would not save.
    talk.speaker_links = [
        TalkSpeaker(speaker=speaker, role=role, position=index)
        for index, (speaker, role) in enumerate(data.speakers)
    ]
    _created("talk", talk, TALK_FIELDS, commit=commit)
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
ROOM_FIELDS = ("name", "slug", "capacity")
TRACK_FIELDS = ("name", "slug", "colour", "description")
SPEAKER_FIELDS = ("name", "slug", "affiliation", "position_title", "bio")
TALK_FIELDS = (
    "title",
    "slug",
    "kind",
    "status",
    "disclosure",
    "language",
    "starts_at",
    "ends_at",
    "room_name",
    "track_name",
    "seat_limit",
    "abstract",
)
# What attendees are told about when a talk in their agenda changes.
NOTIFIED = ("starts_at", "ends_at", "room_name", "status")
EVENT_FIELDS = (
    "name",
    "acronym",
    "venue",
    "address",
    "city",
    "timezone",
    "first_day",
    "last_day",
    "description",
    "description_en",
    "registration_opens_at",
    "registration_closes_at",
)


def _created(
    kind: str,
    obj: Room | Track | Speaker | Talk,
    fields: tuple[str, ...],
    *,
    commit: bool,
    private: tuple[str, ...] = (),
) -> None:
    """What follows adding any programme row: a new version, the audit entry, the commit.

    A ``private`` field that holds a value is logged as ``HIDDEN``, never as itself.
    """
    bump_programme_version(obj.event)
    db.session.flush()
    changes: dict[str, list[object]] = {
        name: [None, value] for name, value in snapshot(obj, fields).items()
    }
    changes.update({name: [None, HIDDEN] for name in private if getattr(obj, name)})
    record(
        f"{kind}.created",
        object_type=kind,
        object_id=getattr(obj, "uid", None) or getattr(obj, "id", ""),
        changes=changes,
    )
    _finish(commit)


def update_talk(
    talk: Talk, data: TalkData, *, commit: bool = True, allow_conflicts: bool = False
) -> list[str]:
    """Apply an edit; returns the names of the fields that changed.

    A change of time, room or status raises the talk's ``SEQUENCE`` once, so a
    subscribed calendar replaces its copy instead of keeping two. The edited
    slot is checked like a new one (``create_talk``): refused when it breaks a
    conflict rule, unless ``allow_conflicts``.
    """
    if not allow_conflicts:
        refuse_conflicts(slot_conflicts(talk.event, data, talk))
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
    before = snapshot(talk, TALK_FIELDS)
    was_public = talk.status is not TalkStatus.DRAFT
    for name in changed:
        if name != "speakers":
            setattr(talk, name, wanted[name])
    sequenced = [name for name in changed if name in SEQUENCED_FIELDS]
    if sequenced:
        talk.sequence += 1
    talk.search_text = talk_search_key(talk)
    talk.updated_at = now()
    bump_programme_version(talk.event)
    db.session.flush()
    changes = diff(before, snapshot(talk, TALK_FIELDS))
    if "speakers" in changed:
        changes["speakers"] = [None, [s.name for s in talk.speakers]]
    record("talk.updated", object_type="talk", object_id=talk.uid, changes=changes)
    if sequenced and was_public and talk.status is not TalkStatus.DRAFT:
        talk_changed.send(talk, changes={k: v for k, v in changes.items() if k in NOTIFIED})
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
    """Cancel a talk: it stays published, marked cancelled, with a new SEQUENCE.

    Never refused for a conflict: a cancelled session frees its room and its
    speakers, so cancelling can only remove conflicts, and one its slot already
    had (a room made smaller since) must not keep it on the programme.
    """
    if talk.status is TalkStatus.CANCELLED:
        return
    data = talk_data(talk)
    data.status = TalkStatus.CANCELLED
    update_talk(talk, data, commit=commit, allow_conflicts=True)


def move_talk(
    talk: Talk,
    starts_at: datetime,
    ends_at: datetime,
    room: Room | None,
    *,
    commit: bool = True,
    allow_conflicts: bool = False,
) -> list[str]:
    """Move a talk in time and/or room (refused on a conflict, as ``update_talk``)."""
    data = talk_data(talk)
    data.starts_at, data.ends_at, data.room = starts_at, ends_at, room
    return update_talk(talk, data, commit=commit, allow_conflicts=allow_conflicts)


def delete_talk(talk: Talk, *, commit: bool = True) -> None:
    """Delete a draft. A published talk is cancelled instead: calendar apps that
    already hold it only learn of a cancellation, never of a disappearance."""
    if talk.status is not TalkStatus.DRAFT:
        raise DomainError(
            _l("Only a draft can be deleted; cancel a published session instead."),
            field="status",
        )
    record("talk.deleted", object_type="talk", object_id=talk.uid, changes={"title": talk.title})
    bump_programme_version(talk.event)
    db.session.delete(talk)
    _finish(commit)


def _update(
    kind: str,
    obj: Room | Track | Speaker | Event,
    values: dict[str, object],
    fields: tuple[str, ...],
    event: Event,
    *,
    private: tuple[str, ...] = (),
) -> list[str]:
    """Set ``values``; audit what changed; a new programme version if the public saw it.

    ``private`` fields (set through ``values`` too) are logged as changed, with
    ``HIDDEN`` for their values; no page shows them, so alone they leave the
    programme's version (and every cached page) as it was.
    """
    before = snapshot(obj, fields)
    private_before = {name: getattr(obj, name) for name in private}
    for name, value in values.items():
        setattr(obj, name, value)
    changes = diff(before, snapshot(obj, fields))
    public = bool(changes)
    for name in private:
        if getattr(obj, name) != private_before[name]:
            changes[name] = [
                HIDDEN if private_before[name] else None,
                HIDDEN if getattr(obj, name) else None,
            ]
    if changes:
        record(
            f"{kind}.updated",
            object_type=kind,
            object_id=getattr(obj, "uid", None) or obj.id,
            changes=changes,
        )
    if public:
        bump_programme_version(event)
    return sorted(changes)


def update_room(room: Room, *, name: str, capacity: int | None) -> list[str]:
    if capacity is not None and capacity <= 0:
        raise DomainError(_l("The capacity must be a positive number."), field="capacity")
    changed = _update("room", room, {"name": name, "capacity": capacity}, ROOM_FIELDS, room.event)
    _touch_talks(Talk.room_id == room.id, changed, "name")
    db.session.commit()
    return changed


def update_track(track: Track, *, name: str, colour: str, description: str) -> list[str]:
    values = {"name": name, "colour": colour, "description": description}
    changed = _update("track", track, values, TRACK_FIELDS, track.event)
    _touch_talks(Talk.track_id == track.id, changed, "name")
    if "name" in changed:  # the track's name is searched
        db.session.flush()
        for talk in db.session.scalars(db.select(Talk).where(Talk.track_id == track.id)):
            talk.search_text = talk_search_key(talk)
    db.session.commit()
    return changed


def update_speaker(
    speaker: Speaker,
    *,
    name: str,
    affiliation: str,
    position_title: str,
    bio: str,
    email: str | None,
    phone: str | None,
) -> list[str]:
    """Apply an edit; the contact details are required arguments so no caller blanks them
    by forgetting them. Returns the names of the fields that changed."""
    values: dict[str, object] = {
        "name": name,
        "affiliation": affiliation,
        "position_title": position_title,
        "bio": bio,
        "email": speaker_email(email),
        "phone": speaker_phone(phone),
    }
    changed = _update(
        "speaker",
        speaker,
        values,
        SPEAKER_FIELDS,
        speaker.event,
        private=SPEAKER_PRIVATE_FIELDS,
    )
    if "name" in changed or "affiliation" in changed:  # both are searched
        for link in speaker.talk_links:
            talk = link.talk
            talk.search_text = talk_search_key(talk)
            if "name" in changed:
                talk.updated_at = now()
    db.session.commit()
    return changed


def _touch_talks(condition: object, changed: list[str], field: str) -> None:
    """A renamed room or track changes the feeds' LOCATION/CATEGORIES: mark those talks."""
    if field in changed:
        for talk in db.session.scalars(db.select(Talk).where(condition)):
            talk.updated_at = now()


def delete_room(room: Room) -> None:
    _refuse_if_used(Talk.room_id == room.id, _l("This room still holds sessions: move them first."))
    record("room.deleted", object_type="room", object_id=room.id, changes={"name": room.name})
    bump_programme_version(room.event)
    db.session.delete(room)
    db.session.commit()


def delete_track(track: Track) -> None:
    _refuse_if_used(
        Talk.track_id == track.id, _l("This track still has sessions: change them first.")
    )
    record("track.deleted", object_type="track", object_id=track.id, changes={"name": track.name})
    bump_programme_version(track.event)
    db.session.delete(track)
    db.session.commit()


def delete_speaker(speaker: Speaker) -> None:
    if speaker.talk_links:
        raise DomainError(_l("This speaker still has sessions: remove them from those first."))
    record(
        "speaker.deleted",
        object_type="speaker",
        object_id=speaker.uid,
        changes={"name": speaker.name},
    )
    bump_programme_version(speaker.event)
    db.session.delete(speaker)
    db.session.commit()


def _refuse_if_used(condition: object, message: object) -> None:
    used = db.session.scalar(db.select(db.func.count()).select_from(Talk).where(condition))
    if used:
        raise DomainError(message)  # type: ignore[arg-type]


def update_event(event: Event, values: dict[str, object]) -> list[str]:
    """Edit the edition's facts; the days may not drop a day that holds sessions."""
    first, last = values.get("first_day", event.first_day), values.get("last_day", event.last_day)
    if last < first:  # type: ignore[operator]
        raise DomainError(_l("The last day cannot come before the first."), field="last_day")
    zone = ZoneInfo(str(values.get("timezone", event.timezone)))
    start = datetime.combine(first, time.min, tzinfo=zone)  # type: ignore[arg-type]
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)  # type: ignore[operator]
    stranded = db.session.scalar(
        db.select(db.func.count())
        .select_from(Talk)
        .where(
            Talk.event_id == event.id,
            Talk.status != TalkStatus.CANCELLED,
            (Talk.starts_at < start) | (Talk.ends_at > end),
        )
    )
    if stranded:
        raise DomainError(
            _l("Sessions outside the new dates: %(n)d. Move them first.", n=stranded),
            field="first_day",
        )
    changed = _update("event", event, values, EVENT_FIELDS, event)
    db.session.commit()
    return changed
