"""Pure builders of the frab/Pentabarf ``schedule.xml`` and its ``schedule.json`` twin.

Conference apps (Giggity, ConfClerk, EventFahrplan, the c3voc tools) read these
two files; they are checked against the published schemas of voc/schedule
(``schedule.xml.xsd`` and the draft-06 ``schedule.schema.json``). Both builders
take the same ``ScheduleContext`` and share one plan (``_plan``), so the XML and
the JSON can never disagree on a time, a room or a guid.

Nothing here touches Flask, the database or the network: the caller loads the
objects (relationships eager-loaded), filters them to what may be published, and
serialises the JSON itself. Times are aware UTC in the objects and converted to
the edition's zone only here, at the edge.

Where the schemas leave no room for our own data, it travels in the text:

* The XSD's ``event`` is a closed ``xs:all`` (no ``xs:any``, no
  ``xs:anyAttribute``) and the JSON ``Event`` has ``additionalProperties:
  false``. The sharing label (TLP, Chatham House) therefore opens the
  ``abstract`` and ``description`` (``"[TLP:GREEN] ..."``), which every app
  shows, and cancelled sessions keep their slot with a title prefixed
  ``"[ANNULÉ] "``, so an attendee's app says so instead of dropping the talk.
* The JSON ``Conference.meta`` object is open (``additionalProperties: true``):
  it carries the machine-readable label and the cancelled guids for tools that
  want fields rather than text.
* An AMBER or RED abstract is for registered attendees only and these feeds are
  public: such a talk shows a short notice in place of its abstract, never the
  abstract itself.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET  # builds XML only; nothing untrusted is parsed
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Final
from urllib.parse import quote
from zoneinfo import ZoneInfo

from congress.core.text import fold
from congress.edition.models import Event
from congress.programme.models import Disclosure, Room, Speaker, Talk, TalkStatus, Track

__all__ = [
    "CANCELLED_PREFIX",
    "COMMON_AREA_NAME",
    "DEFAULT_TRACK_NAME",
    "DISCLOSURE_LABELS",
    "ScheduleContext",
    "build_schedule_json",
    "build_schedule_xml",
    "conference_acronym",
]

#: Room given to talks without one (breaks, social events), listed after the real rooms.
COMMON_AREA_NAME: Final = "Espace commun"
COMMON_AREA_SLUG: Final = "espace-commun"
#: The XSD requires a ``track`` on every event; apps group and colour by it.
DEFAULT_TRACK_NAME: Final = "Général"
CANCELLED_PREFIX: Final = "[ANNULÉ] "
TIMESLOT_DURATION: Final = "00:15"
GENERATOR_NAME: Final = "congress"
JSON_SCHEMA_ID: Final = "https://c3voc.de/schedule/schema.json"
#: Written by hand so the declaration is exactly the one apps and tests expect
#: (ElementTree would write single quotes); it holds no user text.
XML_DECLARATION: Final = b'<?xml version="1.0" encoding="utf-8"?>\n'

#: How each sharing label is written in the feeds; ``Disclosure.NONE`` has none.
DISCLOSURE_LABELS: Final[Mapping[Disclosure, str]] = {
    Disclosure.TLP_CLEAR: "TLP:CLEAR",
    Disclosure.TLP_GREEN: "TLP:GREEN",
    Disclosure.TLP_AMBER: "TLP:AMBER",
    Disclosure.TLP_RED: "TLP:RED",
    Disclosure.CHATHAM_HOUSE: "Chatham House",
}

# Characters XML 1.0 cannot carry at all, even escaped: ElementTree would write
# them raw and every parser would then reject the whole document.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_SHORT_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3}")
_XSD_TRACK_SLUG = re.compile(r"[a-z][a-z0-9-]+")
_JSON_SLUG = re.compile(r"[a-z0-9_-]+[a-z0-9]")


@dataclass(frozen=True, slots=True)
class ScheduleContext:
    """Everything a schedule needs, already loaded and filtered by the caller.

    ``talks`` holds only what may be published (confirmed and cancelled);
    ``rooms`` are in display order; ``base_url`` has no trailing slash;
    ``uid_domain`` names the stable guids of rooms (and of speakers lacking a
    uid), while a talk's guid is always its own ``uid``.
    """

    event: Event
    rooms: Sequence[Room]
    tracks: Sequence[Track]
    talks: Sequence[Talk]
    base_url: str
    version: str
    uid_domain: str


@dataclass(frozen=True, slots=True)
class _Person:
    id: int | None
    guid: str
    name: str


@dataclass(frozen=True, slots=True)
class _Entry:
    """One talk as both feeds show it, computed once."""

    id: int
    guid: str
    starts: datetime  # in the edition's zone
    ends: datetime
    room: str
    slug: str
    url: str
    title: str
    track: str
    kind: str
    language: str
    text: str  # abstract and description: label first, or the notice
    label: str | None
    cancelled: bool
    persons: tuple[_Person, ...]

    @property
    def date(self) -> str:
        return _iso(self.starts)

    @property
    def start(self) -> str:
        return self.starts.strftime("%H:%M")

    @property
    def duration(self) -> str:
        minutes = int((self.ends - self.starts).total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class _RoomSlot:
    name: str
    slug: str
    guid: str
    capacity: int | None


@dataclass(frozen=True, slots=True)
class _Day:
    index: int
    date: date
    start: datetime
    end: datetime
    rooms: tuple[tuple[_RoomSlot, tuple[_Entry, ...]], ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    acronym: str
    rooms: tuple[_RoomSlot, ...]
    days: tuple[_Day, ...]


def conference_acronym(event: Event) -> str:
    """The edition's acronym in the form both schemas accept.

    The XSD wants ``[a-z0-9_-]{4,}`` and the JSON schema allows no hyphen
    outside a ``-2014-xx`` suffix, so the acronym (or, when empty, the slug) is
    folded to ``[a-z0-9_]`` and padded with the year when shorter than four.
    """
    folded = _NON_SLUG.sub("_", fold(event.acronym or event.slug or "")).strip("_")
    if len(folded) < 4:
        folded = f"{folded}_{event.first_day.year}".lstrip("_")
    return folded


def build_schedule_xml(ctx: ScheduleContext) -> bytes:
    """The ``schedule.xml`` document, UTF-8, deterministic for the same input.

    Built with ElementTree so every piece of user text is escaped by the
    library; characters XML cannot carry are dropped first.
    """
    plan = _plan(ctx)
    event = ctx.event
    base = _base(ctx)

    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name=GENERATOR_NAME)
    _text(root, "url", f"{base}/schedule.xml")
    _text(root, "version", ctx.version)

    conference = ET.SubElement(root, "conference")
    _text(conference, "acronym", plan.acronym)
    _text(conference, "title", event.name)
    _text(conference, "start", event.first_day.isoformat())
    _text(conference, "end", event.last_day.isoformat())
    _text(conference, "days", str(len(plan.days)))
    _text(conference, "timeslot_duration", TIMESLOT_DURATION)
    _text(conference, "base_url", f"{base}/")
    _text(conference, "url", f"{base}/")
    _text(conference, "time_zone_name", event.timezone)
    for track in ctx.tracks:
        attributes = {"name": _clean(track.name)}
        colour = _colour(track.colour)
        if colour:
            attributes["color"] = colour
        if track.slug and _XSD_TRACK_SLUG.fullmatch(track.slug):
            attributes["slug"] = track.slug
        ET.SubElement(conference, "track", attributes).text = _clean(track.name)

    for day in plan.days:
        day_element = ET.SubElement(
            root,
            "day",
            {
                "index": str(day.index),
                "date": day.date.isoformat(),
                "start": _iso(day.start),
                "end": _iso(day.end),
            },
        )
        for slot, entries in day.rooms:
            room_element = ET.SubElement(day_element, "room", name=_clean(slot.name))
            room_element.set("guid", slot.guid)
            for entry in entries:
                _xml_event(room_element, entry)

    ET.indent(root, space="  ")
    return XML_DECLARATION + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def build_schedule_json(ctx: ScheduleContext) -> dict[str, Any]:
    """The ``schedule.json`` document as plain dicts and lists (the caller serialises).

    Key order is fixed, so ``json.dumps`` gives the same bytes for the same input.
    """
    plan = _plan(ctx)
    event = ctx.event
    base = _base(ctx)

    disclosures: dict[str, str] = {}
    cancelled: list[str] = []
    days: list[dict[str, Any]] = []
    for day in plan.days:
        rooms: dict[str, list[dict[str, Any]]] = {}
        for slot, entries in day.rooms:
            listed = rooms.setdefault(slot.name, [])
            listed.extend(_json_event(entry) for entry in entries)
            # Two rooms may share a name: their events merge under one key.
            listed.sort(key=lambda item: (item["date"], item["id"]))
            for entry in entries:
                if entry.label:
                    disclosures[entry.guid] = entry.label
                if entry.cancelled:
                    cancelled.append(entry.guid)
        days.append(
            {
                "index": day.index,
                "date": day.date.isoformat(),
                "day_start": _iso(day.start),
                "day_end": _iso(day.end),
                "rooms": rooms,
            }
        )

    conference: dict[str, Any] = {
        "acronym": plan.acronym,
        "title": event.name,
    }
    if event.description:
        conference["description"] = event.description
    conference |= {
        "start": event.first_day.isoformat(),
        "end": event.last_day.isoformat(),
        "daysCount": len(plan.days),
        "timeslot_duration": TIMESLOT_DURATION,
        "time_zone_name": event.timezone,
        "url": f"{base}/",
        "tracks": [_json_track(track) for track in ctx.tracks],
        "rooms": [_json_room(slot) for slot in plan.rooms],
        "meta": {"disclosure": disclosures, "cancelled": cancelled},
        "days": days,
    }
    return {
        "$schema": JSON_SCHEMA_ID,
        "generator": {"name": GENERATOR_NAME},
        "schedule": {
            "version": ctx.version,
            "base_url": f"{base}/",
            "conference": conference,
        },
    }


# -- the shared plan ---------------------------------------------------------------------------


def _plan(ctx: ScheduleContext) -> _Plan:
    """Days, rooms and entries in their final order, shared by both formats.

    A talk belongs to the day its local start falls on; one starting outside the
    edition's days has no ``<day>`` to live in and is left out. Rooms follow
    ``ctx.rooms``; a talk's room missing from it comes after them, and talks
    without a room go to the common area, listed last and only when used.
    Every day lists every room, as frab does, so apps keep stable columns.
    """
    event = ctx.event
    zone = event.zone
    acronym = conference_acronym(event)
    base = _base(ctx)

    slots: dict[object, _RoomSlot] = {}
    for room in ctx.rooms:
        slots.setdefault(_room_key(room), _room_slot(room, ctx.uid_domain))
    extra: dict[object, Room] = {}
    for talk in ctx.talks:
        if talk.room is not None and _room_key(talk.room) not in slots:
            extra.setdefault(_room_key(talk.room), talk.room)
    for key, room in sorted(
        extra.items(), key=lambda item: (item[1].position or 0, item[1].name, item[1].id or 0)
    ):
        slots[key] = _room_slot(room, ctx.uid_domain)
    if any(talk.room is None for talk in ctx.talks):
        slots[None] = _RoomSlot(
            name=COMMON_AREA_NAME,
            slug=COMMON_AREA_SLUG,
            guid=_derived_guid(ctx.uid_domain, f"rooms/{COMMON_AREA_SLUG}"),
            capacity=None,
        )

    day_index = {day: index for index, day in enumerate(event.days, start=1)}
    placed: dict[tuple[date, object], list[_Entry]] = {}
    for talk in ctx.talks:
        entry = _entry(talk, ctx, zone, acronym, base, slots)
        if entry.starts.date() in day_index:
            key = None if talk.room is None else _room_key(talk.room)
            placed.setdefault((entry.starts.date(), key), []).append(entry)

    days: list[_Day] = []
    for day, index in day_index.items():
        rooms = tuple(
            (slot, tuple(sorted(placed.get((day, key), ()), key=_entry_order)))
            for key, slot in slots.items()
        )
        entries = [entry for _, listed in rooms for entry in listed]
        if entries:
            start = min(entry.starts for entry in entries)
            end = max(entry.ends for entry in entries)
        else:
            # An empty day still spans its whole local calendar day.
            start = datetime.combine(day, time(), tzinfo=zone)
            end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
        days.append(_Day(index=index, date=day, start=start, end=end, rooms=rooms))

    return _Plan(acronym=acronym, rooms=tuple(slots.values()), days=tuple(days))


def _entry(
    talk: Talk,
    ctx: ScheduleContext,
    zone: ZoneInfo,
    acronym: str,
    base: str,
    slots: Mapping[object, _RoomSlot],
) -> _Entry:
    """One talk as the feeds show it: local times, label, public text, persons."""
    if talk.id is None or talk.id < 1:
        raise ValueError(f"talk {talk.slug!r} has no id: both schemas require a positive one")
    if talk.starts_at.tzinfo is None or talk.ends_at.tzinfo is None:
        raise ValueError(f"talk {talk.slug!r} has naive times: aware UTC expected")
    guid = _valid_uuid(talk.uid, f"talk {talk.slug!r}")
    label = DISCLOSURE_LABELS.get(talk.disclosure)
    cancelled = talk.status == TalkStatus.CANCELLED
    room_key = None if talk.room is None else _room_key(talk.room)
    links = sorted(talk.speaker_links, key=lambda link: link.position or 0)
    return _Entry(
        id=talk.id,
        guid=guid,
        starts=talk.starts_at.astimezone(zone),
        ends=talk.ends_at.astimezone(zone),
        room=slots[room_key].name,
        slug=_event_slug(acronym, talk),
        url=f"{base}/sessions/{quote(talk.slug, safe='')}",
        title=f"{CANCELLED_PREFIX}{talk.title}" if cancelled else talk.title,
        track=talk.track.name if talk.track is not None else DEFAULT_TRACK_NAME,
        kind=str(talk.kind.value),
        language=talk.language or "",
        text=_public_text(talk, label),
        label=label,
        cancelled=cancelled,
        persons=tuple(_person(link.speaker, ctx.uid_domain) for link in links),
    )


def _public_text(talk: Talk, label: str | None) -> str:
    """The abstract a public feed may show: labelled, or withheld for AMBER and RED."""
    if talk.disclosure.restricts_abstract:
        return f"Résumé réservé aux participants inscrits ({label})."
    abstract = talk.abstract or ""
    if label is None:
        return abstract
    return f"[{label}] {abstract}".rstrip()


def _person(speaker: Speaker, uid_domain: str) -> _Person:
    """A speaker's public identity; a speaker not yet given a uid gets a derived one."""
    guid = speaker.uid
    if not guid or not _is_uuid(guid):
        guid = _derived_guid(uid_domain, f"speakers/{speaker.slug}")
    return _Person(id=speaker.id, guid=guid, name=speaker.name)


def _event_slug(acronym: str, talk: Talk) -> str:
    """frab's ``{acronym}-{id}-{slug}`` form, the only one the XSD's slug pattern accepts.

    The XSD wants ``[a-z0-9_]{4,}-[a-z0-9-_]{4,}``, which a bare site slug such
    as ``ouverture`` fails; the acronym is hyphen-free and at least four long,
    and the id makes the slug unique as the XSD demands. The site's own slug
    stays in ``url``.
    """
    tail = _NON_SLUG.sub("-", fold(talk.slug or "")).strip("-")
    if len(tail) < 2:
        tail = f"session-{tail}".rstrip("-")
    return f"{acronym}-{talk.id}-{tail}"


def _entry_order(entry: _Entry) -> tuple[datetime, datetime, int]:
    return (entry.starts, entry.ends, entry.id)


def _room_key(room: Room) -> object:
    """Rooms are matched by id; transient rooms without one, by identity."""
    return ("id", room.id) if room.id is not None else ("object", id(room))


def _room_slot(room: Room, uid_domain: str) -> _RoomSlot:
    return _RoomSlot(
        name=room.name,
        slug=room.slug,
        guid=_derived_guid(uid_domain, f"rooms/{room.slug}"),
        capacity=room.capacity,
    )


# -- XML -------------------------------------------------------------------------------------


def _xml_event(parent: ET.Element, entry: _Entry) -> None:
    """One ``<event>`` with the children in frab's usual order (the XSD's ``xs:all``
    accepts any order; readers written against frab output expect this one)."""
    element = ET.SubElement(parent, "event", id=str(entry.id), guid=entry.guid)
    _text(element, "date", entry.date)
    _text(element, "start", entry.start)
    _text(element, "duration", entry.duration)
    _text(element, "room", entry.room)
    _text(element, "slug", entry.slug)
    _text(element, "url", entry.url)
    recording = ET.SubElement(element, "recording")
    _text(recording, "license", "")
    _text(recording, "optout", "true")
    _text(element, "title", entry.title)
    _text(element, "subtitle", "")
    _text(element, "track", entry.track)
    _text(element, "type", entry.kind)
    _text(element, "language", entry.language)
    _text(element, "abstract", entry.text)
    _text(element, "description", entry.text)
    persons = ET.SubElement(element, "persons")
    for person in entry.persons:
        person_element = ET.SubElement(persons, "person")
        if person.id is not None:
            person_element.set("id", str(person.id))
        person_element.set("guid", person.guid)
        person_element.text = _clean(person.name)
    ET.SubElement(element, "links")
    ET.SubElement(element, "attachments")


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _clean(value)
    return element


def _clean(value: str) -> str:
    """Text XML 1.0 can carry; escaping itself is left to ElementTree."""
    return _XML_ILLEGAL.sub("", value)


# -- JSON ------------------------------------------------------------------------------------


def _json_event(entry: _Entry) -> dict[str, Any]:
    """One JSON ``Event``: only the schema's properties (it forbids any other)."""
    return {
        "guid": entry.guid,
        "id": entry.id,
        "date": entry.date,
        "start": entry.start,
        "end": _iso(entry.ends),
        "duration": entry.duration,
        "room": entry.room,
        "slug": entry.slug,
        "url": entry.url,
        "title": entry.title,
        "subtitle": "",
        "track": entry.track,
        "type": entry.kind,
        "language": entry.language,
        "abstract": entry.text,
        "description": entry.text,
        "recording_license": "",
        "do_not_record": True,
        "persons": [_json_person(person) for person in entry.persons],
        "links": [],
        "attachments": [],
    }


def _json_person(person: _Person) -> dict[str, Any]:
    """A person matching exactly one branch of the schema's ``oneOf``.

    ``FrabPerson`` needs ``id`` and ``public_name``, ``PretalxPerson`` needs
    ``name``; a person with all three matches both and fails ``oneOf``. Like
    pretalx, we give ``name`` and ``public_name`` (old and new readers) and
    leave out the deprecated numeric ``id``; the guid identifies the speaker.
    """
    return {"guid": person.guid, "name": person.name, "public_name": person.name}


def _json_track(track: Track) -> dict[str, Any]:
    item: dict[str, Any] = {"name": track.name}
    if track.slug and _JSON_SLUG.fullmatch(track.slug):
        item["slug"] = track.slug
    colour = _colour(track.colour)
    if colour:
        item["color"] = colour
    return item


def _json_room(slot: _RoomSlot) -> dict[str, Any]:
    item: dict[str, Any] = {"name": slot.name, "guid": slot.guid}
    if slot.slug and _JSON_SLUG.fullmatch(slot.slug):
        item["slug"] = slot.slug
    if slot.capacity is not None:
        item["capacity"] = slot.capacity
    return item


# -- small shared helpers ----------------------------------------------------------------------


def _base(ctx: ScheduleContext) -> str:
    return ctx.base_url.rstrip("/")


def _iso(moment: datetime) -> str:
    """ISO 8601 with the zone's offset and whole seconds (``2014-04-01T09:00:00+02:00``)."""
    return moment.isoformat(timespec="seconds")


def _colour(value: str | None) -> str | None:
    """``#rrggbb`` in lower case (the XSD's hexColor), or nothing rather than an invalid value."""
    if not value:
        return None
    if _SHORT_HEX_COLOUR.fullmatch(value):
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value.lower() if _HEX_COLOUR.fullmatch(value) else None


def _is_uuid(value: str) -> bool:
    """The hyphenated form both schemas spell out (``uuid.UUID`` accepts more)."""
    return _UUID.fullmatch(value) is not None


def _valid_uuid(value: str | None, what: str) -> str:
    """The value itself (so guid stays equal to uid), once checked to be a UUID."""
    if value is None or not _is_uuid(value):
        raise ValueError(f"{what} has no UUID uid: the schedule's guid must be one")
    return value


def _derived_guid(uid_domain: str, path: str) -> str:
    """A stable UUID for things without a uid column, so apps keep recognising them."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://{uid_domain}/{path}"))
