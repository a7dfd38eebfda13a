"""Applying a parsed frab/pretalx ``Schedule`` to the programme, in one transaction.

``frab_read`` (and ``frab_xml``, ``frab_json``) turn a file into plain values
without touching the database; ``import_schedule`` applies them to the
current edition (creating it from the conference block when the database has
none): all of it or nothing. Talks go through the programme services where a
service fits (updates, cancellations) so calendars and attendees hear of a
change exactly as they would from the dashboard, and the file as a whole
obeys the same conflict rules as a single save (``services.SlotConflicts``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

from sqlalchemy.orm import selectinload

from congress.audit.log import record, snapshot
from congress.core.errors import DomainError
from congress.core.text import slugify
from congress.edition.models import Event
from congress.edition.queries import current_event
from congress.extensions import db
from congress.interchange.frab_fields import derived_uid, zone_named
from congress.interchange.frab_schedule import (
    Schedule,
    ScheduleError,
    ScheduleEvent,
    SchedulePerson,
    ScheduleRoom,
    ScheduleTrack,
)
from congress.programme import services
from congress.programme.models import (
    Disclosure,
    Room,
    Speaker,
    SpeakerRole,
    Talk,
    TalkSpeaker,
    TalkStatus,
    Track,
)

__all__ = ["ImportReport", "Progress", "import_schedule"]

DEFAULT_COLOUR: Final = "#4a5568"
DEFAULT_LANGUAGE: Final = "fr"


@dataclass(slots=True)
class ImportReport:
    """What an import did; ``cancelled`` counts published talks missing from the file."""

    edition: str
    edition_created: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    rooms: int = 0
    tracks: int = 0
    speakers: int = 0
    #: Speakers that persons of the file reached by their name rather than an identity
    #: (``_Speakers``): where two people may have been taken for one.
    merged_by_name: int = 0
    #: Conflicts of the file's sessions, kept because the caller allowed them.
    conflicts: tuple[services.SessionConflict, ...] = ()


Progress = Callable[[int], None]


def import_schedule(
    schedule: Schedule, *, progress: Progress | None = None, allow_conflicts: bool = False
) -> ImportReport:
    """Apply ``schedule`` to the current edition in one transaction.

    Talks are matched by ``uid``: new ones are created, known ones updated
    through ``services.update_talk`` (so a new time, room or status raises
    their SEQUENCE once and notifies attendees), unchanged ones left alone.
    Confirmed talks of the edition missing from the file are cancelled, never
    deleted (calendars holding them learn of the cancellation); drafts are
    left alone. Rooms and tracks are matched by name, speakers by the
    person's guid, code or id (by name only for persons without any, see
    ``_Speakers``), and created when missing; existing ones are not edited,
    as organisers may have refined them since.

    The file's sessions obey the programme's conflict rules, checked once on
    the programme as the file leaves it (``services.programme_conflicts``):
    with any conflict, ``services.SlotConflicts`` names them all and nothing
    is stored, unless ``allow_conflicts``, in which case they are kept and
    listed in ``ImportReport.conflicts``.
    """
    tick = progress or (lambda _count: None)
    try:
        report = _apply(schedule, tick, allow_conflicts=allow_conflicts)
        db.session.commit()
    except services.SlotConflicts:
        db.session.rollback()
        raise
    except DomainError as error:
        db.session.rollback()
        raise ScheduleError(str(error.message)) from error
    except Exception:
        db.session.rollback()
        raise
    return report


def _apply(schedule: Schedule, tick: Progress, *, allow_conflicts: bool) -> ImportReport:
    event = current_event()
    created_edition = event is None
    if event is None:
        event = _create_edition(schedule)
    _refuse_outside_days(event, schedule)
    report = ImportReport(edition=event.slug, edition_created=created_edition)
    rooms, report.rooms = _by_name(
        Room,
        event,
        schedule.rooms,
        lambda item, slug: services.create_room(
            event, item.name, item.capacity, slug=slug, commit=False
        ),
    )
    tracks, report.tracks = _by_name(
        Track,
        event,
        schedule.tracks,
        lambda item, slug: services.create_track(
            event, item.name, item.colour or DEFAULT_COLOUR, slug=slug, commit=False
        ),
    )
    speakers = _Speakers(event, schedule, report)
    talks = {
        talk.uid: talk
        for talk in db.session.scalars(
            db.select(Talk)
            .where(Talk.event_id == event.id)
            .options(
                selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker),
                selectinload(Talk.room),
                selectinload(Talk.track),
            )
        )
    }
    _refuse_foreign_uids(event, [item.uid for item in schedule.events if item.uid not in talks])
    slugs = _SlugPool(Talk, event)
    created = False
    in_file: list[Talk] = []
    # No flush per audit entry (``record`` queries the chain head): new talks go to the
    # database together, and update_talk still flushes each change it makes itself.
    with db.session.no_autoflush:
        for item in schedule.events:
            room = rooms[item.room] if item.room is not None else None
            track = tracks[item.track] if item.track is not None else None
            talk = talks.get(item.uid)
            if talk is None:
                talk = _create_talk(event, item, room, track, speakers.for_event(item), slugs)
                report.created += 1
                created = True
            elif _update_talk(talk, item, room, track, speakers.for_event(item)):
                report.updated += 1
            else:
                report.unchanged += 1
            in_file.append(talk)
            tick(1)
    db.session.flush()
    listed = {item.uid for item in schedule.events}
    for uid, talk in talks.items():
        if uid not in listed and talk.status is TalkStatus.CONFIRMED:
            services.cancel_talk(talk, commit=False)
            report.cancelled += 1
    if created:
        services.bump_programme_version(event)
    db.session.flush()
    report.conflicts = tuple(services.programme_conflicts(event, in_file))
    if not allow_conflicts:
        services.refuse_conflicts(report.conflicts)
    record(
        "programme.imported",
        object_type="event",
        object_id=event.slug,
        changes={
            "format": schedule.format,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "cancelled": report.cancelled,
            "merged_by_name": report.merged_by_name,
            "conflicts": len(report.conflicts),
        },
    )
    db.session.flush()
    return report


def _update_talk(
    talk: Talk,
    item: ScheduleEvent,
    room: Room | None,
    track: Track | None,
    speakers: Sequence[Speaker],
) -> list[str]:
    """What the file says, over the talk's current values, through ``update_talk``.

    Fields the file cannot carry (seat limit, slug) keep their value, and so do
    the abstract and disclosure when the file withholds or omits them; a
    speaker already on the talk keeps the role organisers gave them. Conflicts
    are not checked here but on the whole file once applied (``_apply``): two
    sessions swapping rooms clash halfway through, never at the end.
    """
    data = services.talk_data(talk)
    roles = {link.speaker.id: link.role for link in talk.speaker_links}
    data.title, data.kind = item.title, item.kind
    data.starts_at, data.ends_at = item.starts_at, item.ends_at
    data.room, data.track = room, track
    data.status = TalkStatus.CANCELLED if item.cancelled else TalkStatus.CONFIRMED
    if item.abstract is not None:
        data.abstract = item.abstract
    if item.disclosure is not None:
        data.disclosure = item.disclosure
    if item.language is not None:
        data.language = item.language
    data.speakers = [
        (speaker, roles.get(speaker.id, SpeakerRole.SPEAKER))
        if speaker.id is not None
        else (speaker, SpeakerRole.SPEAKER)
        for speaker in speakers
    ]
    return services.update_talk(talk, data, commit=False, allow_conflicts=True)


def _refuse_outside_days(event: Event, schedule: Schedule) -> None:
    """Every session must start on a day of the edition.

    The site, its feeds and ``update_event`` place a talk on the day its local
    start falls on; one outside the days would be invisible. Above all, a file
    of another conference (or year) would otherwise cancel the whole current
    programme as "missing from the file".
    """
    zone = event.zone
    for item in schedule.events:
        day = item.starts_at.astimezone(zone).date()
        if not item.cancelled and not event.first_day <= day <= event.last_day:
            raise ScheduleError(
                f"event {item.title!r} starts on {day.isoformat()}, outside the edition "
                f"{event.slug} ({event.first_day.isoformat()} to {event.last_day.isoformat()}): "
                "is this the right file?"
            )


def _create_edition(schedule: Schedule) -> Event:
    """A new edition from the conference block; venue and address are left for organisers."""
    conference = schedule.conference
    if conference.time_zone is None:
        raise ScheduleError("conference time_zone_name is missing: needed to create the edition")
    zone = zone_named(conference.time_zone)
    local_days = [item.starts_at.astimezone(zone).date() for item in schedule.events]
    first = conference.start or (min(local_days) if local_days else None)
    last = conference.end or (max(local_days) if local_days else None)
    if first is None or last is None:
        raise ScheduleError("conference start and end are missing and the file has no events")
    if last < first:
        raise ScheduleError("conference end comes before its start")
    event = Event(
        slug=slugify(conference.acronym or conference.title),
        name=conference.title,
        acronym=conference.acronym[:40],
        venue="",
        address="",
        city="",
        timezone=conference.time_zone,
        first_day=first,
        last_day=last,
        description=conference.description,
    )
    db.session.add(event)
    db.session.flush()
    record(
        "event.created",
        object_type="event",
        object_id=event.slug,
        changes={"name": [None, event.name], "source": f"schedule.{schedule.format}"},
    )
    return event


_Row = TypeVar("_Row", Room, Track)
_Item = TypeVar("_Item", ScheduleRoom, ScheduleTrack)


def _by_name(
    model: type[_Row],
    event: Event,
    items: Iterable[_Item],
    create: Callable[[_Item, str | None], _Row],
) -> tuple[dict[str, _Row], int]:
    """The edition's rows by name, with one made by ``create`` for each name of the file
    not yet there (given the file's slug when free); and how many were made."""
    rows = {
        row.name: row
        for row in db.session.scalars(
            db.select(model).where(model.event_id == event.id).order_by(model.position, model.id)
        )
    }
    made = 0
    for item in items:
        if item.name not in rows:
            rows[item.name] = create(item, _free_slug(model, event, item.slug))
            made += 1
    return rows, made


def _free_slug(model: type[Room | Track], event: Event, wanted: str | None) -> str | None:
    """The file's slug when usable and free, else ``None`` (the service derives one)."""
    if not wanted or slugify(wanted) != wanted:
        return None
    taken = db.session.scalar(
        db.select(model.id).where(model.event_id == event.id, model.slug == wanted)
    )
    return None if taken is not None else wanted


class _SlugPool:
    """``services.unique_slug`` without a query per row: the taken slugs, read once."""

    def __init__(self, model: type[Talk | Speaker], event: Event) -> None:
        self.taken = set(
            db.session.scalars(db.select(model.slug).where(model.event_id == event.id))
        )

    def claim(self, wanted: str) -> str:
        base = slugify(wanted)
        candidate, counter = base, 2
        while candidate in self.taken:
            candidate = f"{base[:74]}-{counter}"
            counter += 1
        self.taken.add(candidate)
        return candidate


class _Speakers:
    """The edition's speaker for each person of the file: by identity, never by name across two.

    * A person with an identity (``SchedulePerson.guid``) is the speaker whose
      ``uid`` it is, created when missing. Two persons with one name and two
      identities are two speakers (two slugs): the file says they are two people.
    * A person without one can only be matched by name (the first speaker of
      that name); every such match is counted in ``ImportReport.merged_by_name``.
    * So that an identity arriving on a later import does not duplicate a
      speaker entered by hand (or imported from a file without ids), a person
      whose identity no speaker carries yet takes the edition's speaker of the
      same name when that cannot be a confusion: exactly one such speaker, it
      carries no identity of this file, and exactly one identity of the file
      has that name. Its stored uid is kept (calendars and exports know it),
      and the match is counted as merged by name too, so the summary shows
      every decision taken on a name alone.

    A guid may already be the uid of a speaker of another edition (pretalx
    derives a person's guid from their e-mail, so it recurs year after year);
    this edition's speaker then gets a uid derived from it and the edition.
    """

    def __init__(self, event: Event, schedule: Schedule, report: ImportReport) -> None:
        self.event = event
        self.report = report
        self.slugs = _SlugPool(Speaker, event)
        existing = db.session.scalars(
            db.select(Speaker).where(Speaker.event_id == event.id).order_by(Speaker.id)
        ).all()
        self.by_uid = {speaker.uid: speaker for speaker in existing}
        self.by_name: dict[str, Speaker] = {}
        for speaker in existing:
            self.by_name.setdefault(speaker.name, speaker)
        self.identities_by_name: dict[str, set[str]] = {}
        for item in schedule.events:
            for person in item.persons:
                if person.guid is not None:
                    self.identities_by_name.setdefault(person.name, set()).add(person.guid)
        identities: set[str] = set().union(*self.identities_by_name.values())
        self.foreign = _taken_uids(Speaker, identities - self.by_uid.keys())
        claimed = {self._local_uid(identity) for identity in identities}
        # Speakers the file names by no identity, by name: those an identity may take.
        self.unclaimed: dict[str, list[Speaker]] = {}
        for speaker in existing:
            if speaker.uid not in claimed:
                self.unclaimed.setdefault(speaker.name, []).append(speaker)
        self.merged: set[str] = set()

    def for_event(self, item: ScheduleEvent) -> list[Speaker]:
        chosen: list[Speaker] = []
        for person in item.persons:
            speaker = self._find(person) or self._create(person)
            if speaker not in chosen:
                chosen.append(speaker)
        return chosen

    def _local_uid(self, guid: str) -> str:
        return derived_uid(self.event.slug, f"speaker:{guid}") if guid in self.foreign else guid

    def _find(self, person: SchedulePerson) -> Speaker | None:
        if person.guid is None:
            return self._merge(self.by_name.get(person.name))
        uid = self._local_uid(person.guid)
        found = self.by_uid.get(uid)
        if found is not None:
            return found
        candidates = self.unclaimed.get(person.name, [])
        if len(candidates) != 1 or len(self.identities_by_name[person.name]) != 1:
            return None
        # Taken for the rest of the run: the identity now leads to this speaker.
        del self.unclaimed[person.name]
        self.by_uid[uid] = candidates[0]
        return self._merge(candidates[0])

    def _merge(self, speaker: Speaker | None) -> Speaker | None:
        """``speaker``, reached by name: counted once however many persons reach it."""
        if speaker is not None:
            self.merged.add(speaker.uid)
            self.report.merged_by_name = len(self.merged)
        return speaker

    def _create(self, person: SchedulePerson) -> Speaker:
        """``services.create_speaker``, with the person's guid kept as the speaker's uid."""
        uid = self._local_uid(person.guid) if person.guid else str(uuid.uuid4())
        speaker = Speaker(
            event=self.event,
            uid=uid,
            name=person.name,
            bio=person.bio,
            slug=self.slugs.claim(person.name),
        )
        db.session.add(speaker)
        record(
            "speaker.created",
            object_type="speaker",
            object_id=uid,
            changes={
                name: [None, value]
                for name, value in snapshot(speaker, services.SPEAKER_FIELDS).items()
            },
        )
        self.by_uid[uid] = speaker
        self.by_name.setdefault(speaker.name, speaker)
        self.report.speakers += 1
        return speaker


def _create_talk(
    event: Event,
    item: ScheduleEvent,
    room: Room | None,
    track: Track | None,
    speakers: Sequence[Speaker],
    slugs: _SlugPool,
) -> Talk:
    """``services.create_talk`` with the uid taken from the file.

    ``create_talk`` draws a fresh uid (``TalkData`` has no slot for one), and a
    uid changed after the insert would leave the audit entry naming a uid that
    never existed. The row is otherwise built the same way and audited the
    same way; the programme version is bumped once per import by the caller.
    """
    disclosure = item.disclosure or Disclosure.NONE
    abstract = item.abstract or ""
    talk = Talk(
        event=event,
        uid=item.uid,
        slug=slugs.claim(item.slug or item.title),
        title=item.title,
        abstract=abstract,
        kind=item.kind,
        status=TalkStatus.CANCELLED if item.cancelled else TalkStatus.CONFIRMED,
        disclosure=disclosure,
        language=item.language or DEFAULT_LANGUAGE,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        room=room,
        track=track,
        sequence=0,
        search_text=services.search_key(
            item.title,
            abstract,
            [speaker.name for speaker in speakers],
            disclosure,
            organisations=[speaker.affiliation for speaker in speakers],
            track=track.name if track else "",
        ),
    )
    db.session.add(talk)
    talk.speaker_links = [
        TalkSpeaker(speaker=speaker, role=SpeakerRole.SPEAKER, position=index)
        for index, speaker in enumerate(speakers)
    ]
    record(
        "talk.created",
        object_type="talk",
        object_id=talk.uid,
        changes={
            name: [None, value] for name, value in snapshot(talk, services.TALK_FIELDS).items()
        },
    )
    return talk


def _taken_uids(model: type[Talk | Speaker], uids: Iterable[str]) -> set[str]:
    """Which of ``uids`` are already used (by any edition), in batches of 500."""
    wanted = list(uids)
    taken: set[str] = set()
    for start in range(0, len(wanted), 500):
        taken.update(
            db.session.scalars(
                db.select(model.uid).where(model.uid.in_(wanted[start : start + 500]))
            )
        )
    return taken


def _refuse_foreign_uids(event: Event, uids: Sequence[str]) -> None:
    """A guid that is a talk of another edition: importing would steal or duplicate it."""
    taken = _taken_uids(Talk, uids)
    if taken:
        first = sorted(taken)[0]
        raise ScheduleError(
            f"event guid {first} already belongs to a session of another edition "
            f"({len(taken)} such events); import into that edition instead"
        )
