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
  ``abstract`` (``"[TLP:GREEN] ..."``), which every app shows, and cancelled
  sessions keep their slot with their title marked as the ``.ics`` feeds mark
  it (``"[Annulé] ..."``), so an attendee's app says so instead of dropping
  the talk.
* These words, and the other fixed ones (the common area, the default track,
  the notice standing for a withheld abstract), are in the edition's default
  language whatever the visitor's: there is one file for every app. They live
  in ``calendar.frab_vocabulary``, which the importer reads them back with.
* A talk has one text, its abstract: it goes to ``abstract`` and ``description``
  stays empty, as pretalx leaves it for a talk without a separate long text.
  Apps show both fields one after the other, so repeating it showed it twice
  (and made the file a quarter larger).
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from urllib.parse import quote
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from congress.calendar.frab_vocabulary import (
    COMMON_AREA_NAME,
    COMMON_AREA_SLUG,
    DEFAULT_TRACK_NAME,
    DISCLOSURE_LABELS,
    GENERATOR_NAME,
    cancelled_title,
    frab_type,
    withheld_notice,
)
from congress.core.text import fold
from congress.edition.models import Event
from congress.programme.models import Room, Speaker, Talk, TalkStatus, Track

__all__ = [
    "ScheduleContext",
    "build_schedule_json",
    "build_schedule_xml",
    "conference_acronym",
]

TIMESLOT_DURATION: Final = "00:15"
JSON_SCHEMA_ID: Final = "https://c3voc.de/schedule/schema.json"
#: Written by hand so the declaration is exactly the one apps and tests expect
#: (ElementTree would write single quotes); it holds no user text.
XML_DECLARATION: Final = b'<?xml version="1.0" encoding="utf-8"?>\n'

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
    text: str  # the abstract: label first, or the notice
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
        # Elapsed time: Python subtracts two times of one zone as wall clocks, which
        # is an hour off across a daylight-saving change; in UTC it is exact.
        elapsed = self.ends.astimezone(UTC) - self.starts.astimezone(UTC)
        minutes = int(elapsed.total_seconds() // 60)
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

    Written as text by ``_Xml``, in exactly the bytes ElementTree's
    ``indent(space="  ")`` and ``tostring`` would give (the tests compare
    them): building 20 elements per talk as objects and walking them again
    took most of a 1,000-talk schedule's time. Every piece of user text goes
    through ``xml.sax.saxutils.escape`` (as ElementTree escapes it), after the
    characters XML cannot carry are dropped.
    """
    plan = _plan(ctx)
    event = ctx.event
    base = _base(ctx)

    xml = _Xml()
    xml.open("schedule")
    xml.empty("generator", name=GENERATOR_NAME)
    xml.leaf("url", f"{base}/schedule.xml")
    xml.leaf("version", ctx.version)

    xml.open("conference")
    xml.leaf("acronym", plan.acronym)
    xml.leaf("title", event.name)
    xml.leaf("start", event.first_day.isoformat())
    xml.leaf("end", event.last_day.isoformat())
    xml.leaf("days", str(len(plan.days)))
    xml.leaf("timeslot_duration", TIMESLOT_DURATION)
    xml.leaf("base_url", f"{base}/")
    xml.leaf("url", f"{base}/")
    xml.leaf("time_zone_name", event.timezone)
    for track in ctx.tracks:
        attributes = {"name": _clean(track.name)}
        colour = _colour(track.colour)
        if colour:
            attributes["color"] = colour
        if track.slug and _XSD_TRACK_SLUG.fullmatch(track.slug):
            attributes["slug"] = track.slug
        xml.leaf("track", track.name, **attributes)
    xml.close()

    for day in plan.days:
        xml.open(
            "day",
            index=str(day.index),
            date=day.date.isoformat(),
            start=_iso(day.start),
            end=_iso(day.end),
        )
        for slot, entries in day.rooms:
            xml.open("room", name=_clean(slot.name), guid=slot.guid)
            for entry in entries:
                _xml_event(xml, entry)
            xml.close()
        xml.close()
    xml.close()
    return XML_DECLARATION + xml.getvalue().encode() + b"\n"


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
        title=cancelled_title(talk.title) if cancelled else talk.title,
        track=talk.track.name if talk.track is not None else DEFAULT_TRACK_NAME,
        kind=frab_type(talk.kind),
        language=talk.language or "",
        text=_public_text(talk, label),
        label=label,
        cancelled=cancelled,
        persons=tuple(_person(link.speaker, ctx.uid_domain) for link in links),
    )


def _public_text(talk: Talk, label: str | None) -> str:
    """The abstract a public feed may show: labelled, or withheld for AMBER and RED."""
    if talk.disclosure.restricts_abstract:
        return withheld_notice(label or "")
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


def _xml_event(xml: _Xml, entry: _Entry) -> None:
    """One ``<event>`` with the children in frab's usual order (the XSD's ``xs:all``
    accepts any order; readers written against frab output expect this one)."""
    xml.open("event", id=str(entry.id), guid=entry.guid)
    xml.leaf("date", entry.date)
    xml.leaf("start", entry.start)
    xml.leaf("duration", entry.duration)
    xml.leaf("room", entry.room)
    xml.leaf("slug", entry.slug)
    xml.leaf("url", entry.url)
    xml.open("recording")
    xml.leaf("license", "")
    xml.leaf("optout", "true")
    xml.close()
    xml.leaf("title", entry.title)
    xml.leaf("subtitle", "")
    xml.leaf("track", entry.track)
    xml.leaf("type", entry.kind)
    xml.leaf("language", entry.language)
    xml.leaf("abstract", entry.text)
    xml.leaf("description", "")
    xml.open("persons")
    for person in entry.persons:
        if person.id is not None:
            xml.leaf("person", person.name, id=str(person.id), guid=person.guid)
        else:
            xml.leaf("person", person.name, guid=person.guid)
    xml.close()
    xml.empty("links")
    xml.empty("attachments")
    xml.close()


class _Xml:
    """An XML writer giving ElementTree's ``indent(space="")`` + ``tostring`` bytes.

    ElementTree's rules, kept here: each element starts on its own line, not
    indented (indentation was a fifth of a 1,000-talk file, and every request
    for the file sends it); text stays inline; an element without text
    or children is written ``<tag />``; text escapes ``& < >`` and attribute
    values also ``" \\r \\n \\t``; attributes keep their order. An element
    opened and closed without children is written empty, as ElementTree would.
    """

    _ATTRIBUTE_ENTITIES: Final = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}

    def __init__(self) -> None:
        self._parts: list[str] = []
        # For each open element: its tag, the index of its start tag, whether it has children.
        self._tags: list[str] = []
        self._starts: list[int] = []
        self._filled: list[bool] = []

    def getvalue(self) -> str:
        if self._tags:
            raise ValueError(f"<{self._tags[-1]}> is still open")
        return "".join(self._parts)

    def open(self, tag: str, **attributes: str) -> None:
        depth = self._child()
        self._tags.append(tag)
        self._starts.append(len(self._parts))
        self._filled.append(False)
        self._parts.append(f"{_newline(depth)}<{tag}{self._attributes(attributes)}>")

    def close(self) -> None:
        tag, start, filled = self._tags.pop(), self._starts.pop(), self._filled.pop()
        if filled:
            self._parts.append(f"\n</{tag}>")
        else:
            self._parts[start] = self._parts[start][:-1] + " />"

    def leaf(self, tag: str, text: str, **attributes: str) -> None:
        """An element holding text only (empty text gives ``<tag />``)."""
        depth = self._child()
        attrs = self._attributes(attributes) if attributes else ""
        value = _XML_ILLEGAL.sub("", text) if text else ""
        if value:
            self._parts.append(f"{_newline(depth)}<{tag}{attrs}>{escape(value)}</{tag}>")
        else:
            self._parts.append(f"{_newline(depth)}<{tag}{attrs} />")

    def empty(self, tag: str, **attributes: str) -> None:
        depth = self._child()
        self._parts.append(f"{_newline(depth)}<{tag}{self._attributes(attributes)} />")

    def _child(self) -> int:
        """Note that the innermost open element has a child; the child's depth."""
        if self._filled:
            self._filled[-1] = True
        return len(self._tags)

    @classmethod
    def _attributes(cls, attributes: Mapping[str, str]) -> str:
        return "".join(
            f' {name}="{escape(value, cls._ATTRIBUTE_ENTITIES)}"'
            for name, value in attributes.items()
        )


def _newline(depth: int) -> str:
    """What precedes a start tag: nothing for the root, else a new line."""
    return "\n" if depth else ""


def _clean(value: str) -> str:
    """Text XML 1.0 can carry; escaping itself is left to ``_Xml``."""
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
        "description": "",
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
