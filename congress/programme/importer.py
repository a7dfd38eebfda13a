"""Importing a programme from a frab/Pentabarf ``schedule.xml`` or its ``schedule.json`` twin.

Two layers, so parsing can be tested without a database and a bad file never
reaches it:

* ``parse_schedule`` (pure): bytes in, a ``Schedule`` of plain frozen values
  out, times already aware UTC. Anything it cannot read with certainty is a
  ``ScheduleError`` with one line an operator can act on.
* ``import_schedule`` (service): applies a ``Schedule`` to the current edition
  (creating it from the conference block when the database has none) in one
  transaction: all of it or nothing.

Reading untrusted XML: the standard library's ``xml.etree`` (defusedxml is not
a dependency) would honour an internal DTD, so entity expansion ("billion
laughs") stays possible. A schedule never needs a DTD: a document that declares
one (``<!DOCTYPE``) or an entity (``<!ENTITY``) is refused before parsing. The
check runs on the decoded text and that same text is what the parser reads
(``ElementTree`` parses ``str`` input as UTF-8, whatever the declaration
says), so no other encoding can hide a declaration from the check.

Identity across imports: a talk's ``uid`` is the event's ``guid`` when that is
a UUID (pretalx, frab and our own export all give one), else a UUID5 derived
from the guid, or from the event ``id``/``slug``/title and start when there is
no guid, within the conference acronym; re-importing the same file therefore
finds the same talks, and calendar clients keep recognising them.

Our own ``/schedule.xml`` and ``/schedule.json`` (generator ``congress``) carry
some facts in the text because the schemas leave no field for them (see
``calendar.schedule``): the ``[ANNULÉ] `` title prefix, the sharing label
opening the abstract, the common area for talks without a room and the default
track. They are read back as status, disclosure, no room and no track, so a
round trip keeps them. The constants below mirror ``calendar.schedule``'s
(the calendar package depends on the programme, so importing them here would
make the two depend on each other; a test asserts that they agree).
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final, Literal
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from sqlalchemy.orm import selectinload

from congress.audit.log import record, snapshot
from congress.core.errors import DomainError
from congress.core.text import fold, slugify
from congress.edition.models import Event
from congress.edition.queries import current_event
from congress.extensions import db
from congress.programme import services
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

__all__ = [
    "ImportReport",
    "Schedule",
    "ScheduleConference",
    "ScheduleError",
    "ScheduleEvent",
    "SchedulePerson",
    "ScheduleRoom",
    "ScheduleTrack",
    "detect_format",
    "import_schedule",
    "kind_for",
    "parse_schedule",
    "read_json",
    "schedule_from_json",
    "schedule_from_xml",
]

#: Written by our own exporter (``calendar.schedule``); mirrored, not imported (see above).
OWN_GENERATOR: Final = "congress"
CANCELLED_PREFIX: Final = "[ANNULÉ] "
COMMON_AREA_NAME: Final = "Espace commun"
DEFAULT_TRACK_NAME: Final = "Général"
DISCLOSURE_LABELS: Final[Mapping[str, Disclosure]] = {
    "TLP:CLEAR": Disclosure.TLP_CLEAR,
    "TLP:GREEN": Disclosure.TLP_GREEN,
    "TLP:AMBER": Disclosure.TLP_AMBER,
    "TLP:RED": Disclosure.TLP_RED,
    "Chatham House": Disclosure.CHATHAM_HOUSE,
}
WITHHELD_NOTICE: Final = "Résumé réservé aux participants inscrits ({label})."

DEFAULT_COLOUR: Final = "#4a5568"
DEFAULT_LANGUAGE: Final = "fr"
#: frab ``type`` values (and our own kinds) by their folded form; anything else is a talk.
KINDS: Final[Mapping[str, TalkKind]] = {
    "lecture": TalkKind.TALK,
    "talk": TalkKind.TALK,
    "workshop": TalkKind.WORKSHOP,
    "keynote": TalkKind.KEYNOTE,
    "panel": TalkKind.ROUND_TABLE,
    "podium": TalkKind.ROUND_TABLE,
    "round table": TalkKind.ROUND_TABLE,
    "break": TalkKind.BREAK,
    "social": TalkKind.SOCIAL,
    "party": TalkKind.SOCIAL,
    "attack analysis": TalkKind.ATTACK_ANALYSIS,
}

_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_SHORT_COLOUR = re.compile(r"#[0-9a-fA-F]{3}")
_DURATION = re.compile(r"(\d{1,3}):([0-5]\d)(?::([0-5]\d))?")
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?")
_HOSTILE = ("<!doctype", "<!entity")
_SESSION_PATH = re.compile(r"/sessions/([^/?#]+)/?$")
# Column sizes (``programme.models``): longer values are refused rather than cut.
_TITLE_MAX, _NAME_MAX, _LANGUAGE_MAX = 300, 200, 8


class ScheduleError(ValueError):
    """The file cannot be imported; the message is one line naming the reason and place."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


# -- the parsed schedule ----------------------------------------------------------------------


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
    """A person; ``guid`` is canonical (a UUID, lower case) or ``None`` (matched by name)."""

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


# -- parsing ----------------------------------------------------------------------------------


def detect_format(raw: bytes) -> Literal["xml", "json"]:
    """``"json"`` or ``"xml"`` from the first significant character, whatever the file name."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4]:
        raise ScheduleError("the file is not UTF-8 text (UTF-16 or UTF-32): save it as UTF-8")
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return "json"
    if head == b"<":
        return "xml"
    raise ScheduleError("not a schedule: expected a schedule.xml or schedule.json document")


def parse_schedule(raw: bytes, *, fallback_zone: str | None = None) -> Schedule:
    """Parse either format; ``fallback_zone`` reads local times when the file names no zone."""
    if detect_format(raw) == "json":
        return schedule_from_json(read_json(raw), fallback_zone=fallback_zone)
    return schedule_from_xml(raw, fallback_zone=fallback_zone)


def _text(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScheduleError(f"{what} is not UTF-8 text ({error.reason})") from error


def read_json(raw: bytes) -> Any:
    """The decoded JSON value, or a ``ScheduleError`` saying where it breaks."""
    try:
        return json.loads(_text(raw, "schedule.json"))
    except json.JSONDecodeError as error:
        raise ScheduleError(f"schedule.json is not valid JSON: {error}") from error
    except RecursionError as error:
        raise ScheduleError("schedule.json is nested too deeply") from error


def schedule_from_xml(raw: bytes, *, fallback_zone: str | None = None) -> Schedule:
    """Read a frab/pretalx ``schedule.xml``; DTDs and entity declarations are refused."""
    text = _text(raw, "schedule.xml")
    if "\x00" in text:
        raise ScheduleError("schedule.xml contains NUL characters")
    lowered = text.lower()
    if any(marker in lowered for marker in _HOSTILE):
        raise ScheduleError(
            "schedule.xml declares a DTD or an entity (<!DOCTYPE/<!ENTITY): refused, "
            "a schedule needs neither"
        )
    try:
        # Two locks: the check above, and defusedxml, which refuses DTDs, entities
        # and external references whatever the text looks like.
        root = defused_fromstring(text, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException) as error:
        raise ScheduleError(f"schedule.xml is not well-formed XML: {error}") from error
    if root.tag != "schedule":
        raise ScheduleError(f"schedule.xml: root element is <{root.tag}>, expected <schedule>")
    generator_element = root.find("generator")
    generator = (generator_element.get("name", "") if generator_element is not None else "").strip()
    conf = root.find("conference")
    if conf is None:
        raise ScheduleError("schedule.xml: <conference> is missing")
    conference = _conference(
        acronym=_child(conf, "acronym"),
        title=_child(conf, "title"),
        start=_child(conf, "start"),
        end=_child(conf, "end"),
        time_zone=_child(conf, "time_zone_name"),
        description=_child(conf, "description") or "",
        generator=generator,
    )
    tracks = [
        ScheduleTrack(
            name=_name(element.get("name") or element.text or "", "conference <track>"),
            colour=_colour(element.get("color")),
            slug=element.get("slug") or None,
        )
        for element in conf.findall("track")
    ]
    reader = _EventReader(conference, fallback_zone, {track.name for track in tracks})
    rooms: list[ScheduleRoom] = []
    for day in root.findall("day"):
        for room_element in day.findall("room"):
            room_name = (room_element.get("name") or "").strip()
            if room_name:
                rooms.append(ScheduleRoom(name=_name(room_name, "<room name>")))
            for element in room_element.findall("event"):
                reader.add(_xml_event(element, room_name))
    return reader.schedule("xml", rooms, tracks)


def _xml_event(element: ET.Element, room_name: str) -> dict[str, Any]:
    """An ``<event>`` as the same dict a JSON event is, so one reader handles both."""
    persons_element = element.find("persons")
    persons = []
    if persons_element is not None:
        for person in persons_element.findall("person"):
            persons.append({"guid": person.get("guid"), "name": (person.text or "").strip()})
    values: dict[str, Any] = {
        key: _child(element, key)
        for key in (
            "title",
            "date",
            "start",
            "duration",
            "room",
            "type",
            "track",
            "language",
            "abstract",
            "description",
            "slug",
            "url",
        )
    }
    values |= {"guid": element.get("guid"), "id": element.get("id"), "persons": persons}
    if not values["room"]:
        values["room"] = room_name
    return values


def schedule_from_json(document: Any, *, fallback_zone: str | None = None) -> Schedule:
    """Read a ``schedule.json`` value (as ``read_json`` returns it)."""
    schedule = _object(document, "document").get("schedule")
    conf = _object(schedule, "schedule").get("conference")
    conf = _object(conf, "schedule.conference")
    generator = document.get("generator")
    conference = _conference(
        acronym=_string(conf.get("acronym"), "conference.acronym"),
        title=_string(conf.get("title"), "conference.title"),
        start=_string(conf.get("start"), "conference.start"),
        end=_string(conf.get("end"), "conference.end"),
        time_zone=_string(conf.get("time_zone_name"), "conference.time_zone_name"),
        description=_string(conf.get("description"), "conference.description") or "",
        generator=str(generator.get("name", "")) if isinstance(generator, Mapping) else "",
    )
    tracks = [
        ScheduleTrack(
            name=_name(
                _string(item.get("name"), f"conference.tracks[{index}]"),
                f"conference.tracks[{index}]",
            ),
            colour=_colour(_string(item.get("color"), f"conference.tracks[{index}].color")),
            slug=_string(item.get("slug"), f"conference.tracks[{index}].slug"),
        )
        for index, item in enumerate(_objects(conf.get("tracks") or [], "conference.tracks"))
    ]
    rooms = [
        ScheduleRoom(
            name=_name(
                _string(item.get("name"), f"conference.rooms[{index}]"),
                f"conference.rooms[{index}]",
            ),
            slug=_string(item.get("slug"), f"conference.rooms[{index}].slug"),
            capacity=_capacity(item.get("capacity"), f"conference.rooms[{index}].capacity"),
        )
        for index, item in enumerate(_objects(conf.get("rooms") or [], "conference.rooms"))
    ]
    meta = conf.get("meta") if isinstance(conf.get("meta"), Mapping) else {}
    own = conference.generator == OWN_GENERATOR
    cancelled = {guid for guid in meta.get("cancelled") or () if isinstance(guid, str)}
    labels = meta.get("disclosure") if isinstance(meta.get("disclosure"), Mapping) else {}
    if not own:
        cancelled, labels = set(), {}
    if "days" not in conf:
        raise ScheduleError("schedule.json: conference.days is missing")
    reader = _EventReader(conference, fallback_zone, {track.name for track in tracks})
    for day_index, day in enumerate(_objects(conf["days"], "conference.days")):
        day_rooms = _object(day.get("rooms"), f"conference.days[{day_index}].rooms")
        for room_name, events in day_rooms.items():
            where = f"conference.days[{day_index}].rooms[{room_name!r}]"
            if not any(room.name == room_name for room in rooms):
                rooms.append(ScheduleRoom(name=_name(room_name, where)))
            for item in _objects(events, where):
                values = dict(item)
                if not values.get("room"):
                    values["room"] = room_name
                guid = values.get("guid")
                if isinstance(guid, str):
                    values["_cancelled"] = guid in cancelled
                    label = labels.get(guid)
                    if isinstance(label, str) and label in DISCLOSURE_LABELS:
                        values["_label"] = label
                reader.add(values)
    return reader.schedule("json", rooms, tracks)


def _conference(
    *,
    acronym: str | None,
    title: str | None,
    start: str | None,
    end: str | None,
    time_zone: str | None,
    description: str,
    generator: str,
) -> ScheduleConference:
    if not title:
        raise ScheduleError("conference title is missing")
    zone_name = (time_zone or "").strip() or None
    if zone_name is not None:
        _zone(zone_name)
    return ScheduleConference(
        acronym=(acronym or "").strip(),
        title=_name(title.strip(), "conference title"),
        start=_day(start, "conference start"),
        end=_day(end, "conference end"),
        time_zone=zone_name,
        description=description.strip(),
        generator=generator.strip(),
    )


class _EventReader:
    """Turns raw event fields (XML or JSON alike) into ``ScheduleEvent`` values."""

    def __init__(
        self, conference: ScheduleConference, fallback_zone: str | None, track_names: set[str]
    ) -> None:
        self.conference = conference
        zone_name = conference.time_zone or fallback_zone
        self.zone = _zone(zone_name) if zone_name else None
        self.own = conference.generator == OWN_GENERATOR
        self.track_names = track_names
        self.events: list[ScheduleEvent] = []
        self.seen: dict[str, str] = {}

    def add(self, values: Mapping[str, Any]) -> None:
        position = len(self.events) + 1
        guid = _string(values.get("guid"), f"event #{position} guid")
        where = f"event {guid!r}" if guid else f"event #{position}"
        title = _string(values.get("title"), f"{where} title")
        if not title or not title.strip():
            raise ScheduleError(f"{where}: title is missing")
        title = title.strip()
        for key in ("date", "duration"):
            if not _string(values.get(key), f"{where} {key}") and not (
                key == "duration" and values.get("end")
            ):
                raise ScheduleError(f"{where}: {key} is missing")
        starts_at, ends_at = self._times(values, where)
        cancelled = bool(values.get("_cancelled"))
        if self.own and title.startswith(CANCELLED_PREFIX):
            title, cancelled = title[len(CANCELLED_PREFIX) :].strip(), True
        abstract, disclosure = self._text(values, where)
        room = (_string(values.get("room"), f"{where} room") or "").strip() or None
        if self.own and room == COMMON_AREA_NAME:
            room = None
        track = (_string(values.get("track"), f"{where} track") or "").strip() or None
        if self.own and track == DEFAULT_TRACK_NAME and track not in self.track_names:
            track = None
        language = (_string(values.get("language"), f"{where} language") or "").strip().lower()
        if len(language) > _LANGUAGE_MAX:
            raise ScheduleError(f"{where}: language {language!r} is not a language code")
        source_id = values.get("id")
        uid = self._uid(guid, str(source_id) if source_id not in (None, "") else None, values)
        if uid in self.seen:
            raise ScheduleError(f"{where}: listed twice (same guid as {self.seen[uid]})")
        self.seen[uid] = where
        self.events.append(
            ScheduleEvent(
                uid=uid,
                title=_limit(title, _TITLE_MAX, f"{where} title"),
                kind=kind_for(_string(values.get("type"), f"{where} type")),
                starts_at=starts_at,
                ends_at=ends_at,
                room=_name(room, f"{where} room") if room else None,
                track=_name(track, f"{where} track") if track else None,
                language=language or None,
                abstract=abstract,
                slug=self._slug(values, where),
                persons=self._persons(values.get("persons"), where),
                cancelled=cancelled,
                disclosure=disclosure,
            )
        )

    def schedule(
        self,
        fmt: Literal["xml", "json"],
        rooms: Iterable[ScheduleRoom],
        tracks: Iterable[ScheduleTrack],
    ) -> Schedule:
        named_rooms: dict[str, ScheduleRoom] = {}
        for room in rooms:
            if not (self.own and room.name == COMMON_AREA_NAME):
                named_rooms.setdefault(room.name, room)
        for event in self.events:
            if event.room is not None:
                named_rooms.setdefault(event.room, ScheduleRoom(name=event.room))
        named_tracks: dict[str, ScheduleTrack] = {track.name: track for track in tracks}
        for event in self.events:
            if event.track is not None:
                named_tracks.setdefault(event.track, ScheduleTrack(name=event.track))
        return Schedule(
            format=fmt,
            conference=self.conference,
            rooms=tuple(named_rooms.values()),
            tracks=tuple(named_tracks.values()),
            events=tuple(self.events),
        )

    def _times(self, values: Mapping[str, Any], where: str) -> tuple[datetime, datetime]:
        """Start from ``date`` (its own offset, else local time in the conference zone);
        end from the JSON ``end`` instant when given, else ``date`` plus ``duration``
        taken as elapsed time (an event across a DST change keeps its real length)."""
        raw_date = str(values.get("date")).strip()
        try:
            if "T" in raw_date or " " in raw_date:
                starts = datetime.fromisoformat(raw_date)
            else:
                clock = _string(values.get("start"), f"{where} start") or ""
                match = _CLOCK.fullmatch(clock.strip())
                if match is None:
                    raise ScheduleError(f"{where}: start {clock!r} is not HH:MM")
                starts = datetime.combine(
                    date.fromisoformat(raw_date), time(int(match[1]), int(match[2]))
                )
        except ValueError as error:
            if isinstance(error, ScheduleError):
                raise
            raise ScheduleError(f"{where}: date {raw_date!r} is not ISO 8601") from error
        if starts.tzinfo is None:
            if self.zone is None:
                raise ScheduleError(
                    f"{where}: date {raw_date!r} has no offset and the conference "
                    "names no time_zone_name"
                )
            starts = starts.replace(tzinfo=self.zone)
        starts_utc = _utc(starts)
        end_text = (_string(values.get("end"), f"{where} end") or "").strip()
        duration_text = (_string(values.get("duration"), f"{where} duration") or "").strip()
        if end_text:
            # The JSON ``end`` is an instant; the schema deprecates ``duration`` for it.
            try:
                ends = datetime.fromisoformat(end_text)
            except ValueError as error:
                raise ScheduleError(f"{where}: end {end_text!r} is not ISO 8601") from error
            if ends.tzinfo is None:
                raise ScheduleError(f"{where}: end {end_text!r} has no offset")
            ends_utc = _utc(ends)
        else:
            match = _DURATION.fullmatch(duration_text)
            if match is None:
                raise ScheduleError(f"{where}: duration {duration_text!r} is not HH:MM")
            length = timedelta(
                hours=int(match[1]), minutes=int(match[2]), seconds=int(match[3] or 0)
            )
            ends_utc = starts_utc + length
        if ends_utc <= starts_utc:
            raise ScheduleError(f"{where}: the duration must be positive")
        return starts_utc, ends_utc

    def _text(self, values: Mapping[str, Any], where: str) -> tuple[str | None, Disclosure | None]:
        """Abstract and description as one text (Markdown or plain text, kept as given)."""
        abstract = (_string(values.get("abstract"), f"{where} abstract") or "").strip()
        description = (_string(values.get("description"), f"{where} description") or "").strip()
        if not self.own:
            parts = [abstract] if abstract else []
            if description and description != abstract:
                parts.append(description)
            return "\n\n".join(parts), None
        # Our own feeds: abstract and description are the same text, label first.
        text = abstract or description
        label = values.get("_label")
        for candidate in [label] if label else list(DISCLOSURE_LABELS):
            if text == WITHHELD_NOTICE.format(label=candidate):
                return None, DISCLOSURE_LABELS[candidate]
            if text.startswith(f"[{candidate}]"):
                return text[len(candidate) + 2 :].strip(), DISCLOSURE_LABELS[candidate]
        return text, DISCLOSURE_LABELS[label] if label else Disclosure.NONE

    def _uid(self, guid: str | None, source_id: str | None, values: Mapping[str, Any]) -> str:
        if guid and _UUID.fullmatch(guid.strip()):
            return str(uuid.UUID(guid.strip()))
        if guid:
            key = f"guid:{guid.strip()}"
        elif source_id:
            key = f"id:{source_id}"
        elif values.get("slug"):
            key = f"slug:{values['slug']}"
        else:
            key = f"title:{values.get('title')}@{values.get('date')}"
        return _derived(self.conference.acronym or self.conference.title, key)

    def _slug(self, values: Mapping[str, Any], where: str) -> str | None:
        """The site slug: ours from the session URL, else the file's ``slug``."""
        if self.own:
            url = _string(values.get("url"), f"{where} url") or ""
            match = _SESSION_PATH.search(urlsplit(url).path)
            if match:
                return slugify(unquote(match[1]))
        slug = (_string(values.get("slug"), f"{where} slug") or "").strip()
        # frab and pretalx write "{acronym}-{id}-{title}"; the site's URL needs only the title.
        prefix = f"{self.conference.acronym}-{values.get('id')}-"
        if self.conference.acronym and slug.startswith(prefix) and len(slug) > len(prefix):
            slug = slug[len(prefix) :]
        return slugify(slug) if slug else None

    def _persons(self, raw: Any, where: str) -> tuple[SchedulePerson, ...]:
        persons: list[SchedulePerson] = []
        for index, item in enumerate(_objects(raw or [], f"{where} persons")):
            place = f"{where} person #{index + 1}"
            name = _string(item.get("name"), place) or _string(item.get("public_name"), place)
            if not name or not name.strip():
                raise ScheduleError(f"{place}: name is missing")
            guid = _string(item.get("guid"), f"{place} guid")
            if guid and guid.strip():
                guid = (
                    str(uuid.UUID(guid.strip()))
                    if _UUID.fullmatch(guid.strip())
                    else _derived(self.conference.acronym, f"person:{guid.strip()}")
                )
            bio = _string(item.get("biography"), f"{place} biography") or ""
            persons.append(
                SchedulePerson(name=_name(name.strip(), place), guid=guid or None, bio=bio.strip())
            )
        return tuple(persons)


def kind_for(value: str | None) -> TalkKind:
    """Our kind for a frab ``type`` (case, accents, ``-``/``_`` ignored); unknown is a talk."""
    key = " ".join(fold(value or "").replace("_", " ").replace("-", " ").split())
    return KINDS.get(key, TalkKind.TALK)


def _child(element: ET.Element, tag: str) -> str | None:
    found = element.find(tag)
    if found is None:
        return None
    return found.text or ""


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ScheduleError(f"schedule.json: {where} is missing or not an object")
    return value


def _objects(value: Any, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ScheduleError(f"schedule.json: {where} is not a list of objects")
    return value


def _string(value: Any, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ScheduleError(f"{where}: a text value is expected")


def _capacity(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScheduleError(f"{where}: a whole number is expected")
    return value if value > 0 else None


def _name(value: str | None, where: str) -> str:
    """A name (room, track, person, conference): required, within its column."""
    if not value or not value.strip():
        raise ScheduleError(f"{where}: name is missing")
    return _limit(value.strip(), _NAME_MAX, where)


def _limit(value: str, limit: int, where: str) -> str:
    if len(value) > limit:
        raise ScheduleError(f"{where}: longer than {limit} characters")
    return value


def _colour(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if _SHORT_COLOUR.fullmatch(value):
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value.lower() if _COLOUR.fullmatch(value) else None


def _day(value: str | None, where: str) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError as error:
        raise ScheduleError(f"{where} {value!r} is not an ISO 8601 date") from error


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as error:  # ZoneInfoNotFoundError is a KeyError
        raise ScheduleError(f"unknown time zone {name!r}") from error


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _derived(scope: str, key: str) -> str:
    """A stable UUID for an identifier that is not one, scoped by the conference."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:congress:schedule:{scope}:{key}"))


# -- applying ---------------------------------------------------------------------------------


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


Progress = Callable[[int], None]


def import_schedule(schedule: Schedule, *, progress: Progress | None = None) -> ImportReport:
    """Apply ``schedule`` to the current edition in one transaction.

    Talks are matched by ``uid``: new ones are created, known ones updated
    through ``services.update_talk`` (so a new time, room or status raises
    their SEQUENCE once and notifies attendees), unchanged ones left alone.
    Confirmed talks of the edition missing from the file are cancelled, never
    deleted (calendars holding them learn of the cancellation); drafts are
    left alone. Rooms, tracks and speakers are matched (by name; speakers by
    guid first) and created when missing; existing ones are not edited, as
    organisers may have refined them since.
    """
    tick = progress or (lambda _count: None)
    try:
        report = _apply(schedule, tick)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise ScheduleError(str(error.message)) from error
    except Exception:
        db.session.rollback()
        raise
    return report


def _apply(schedule: Schedule, tick: Progress) -> ImportReport:
    event = current_event()
    created_edition = event is None
    if event is None:
        event = _create_edition(schedule)
    _refuse_outside_days(event, schedule)
    report = ImportReport(edition=event.slug, edition_created=created_edition)
    rooms = _rooms(event, schedule, report)
    tracks = _tracks(event, schedule, report)
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
    # No flush per audit entry (``record`` queries the chain head): new talks go to the
    # database together, and update_talk still flushes each change it makes itself.
    with db.session.no_autoflush:
        for item in schedule.events:
            room = rooms[item.room] if item.room is not None else None
            track = tracks[item.track] if item.track is not None else None
            talk = talks.get(item.uid)
            if talk is None:
                _create_talk(event, item, room, track, speakers.for_event(item), slugs)
                report.created += 1
                created = True
            elif _update_talk(talk, item, room, track, speakers.for_event(item)):
                report.updated += 1
            else:
                report.unchanged += 1
            tick(1)
    db.session.flush()
    listed = {item.uid for item in schedule.events}
    for uid, talk in talks.items():
        if uid not in listed and talk.status is TalkStatus.CONFIRMED:
            services.cancel_talk(talk, commit=False)
            report.cancelled += 1
    if created:
        services.bump_programme_version(event)
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
    speaker already on the talk keeps the role organisers gave them.
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
    return services.update_talk(talk, data, commit=False)


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
    zone = _zone(conference.time_zone)
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


def _rooms(event: Event, schedule: Schedule, report: ImportReport) -> dict[str, Room]:
    rooms = {
        room.name: room
        for room in db.session.scalars(
            db.select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)
        )
    }
    for item in schedule.rooms:
        if item.name not in rooms:
            rooms[item.name] = services.create_room(
                event,
                item.name,
                item.capacity,
                slug=_free_slug(Room, event, item.slug),
                commit=False,
            )
            report.rooms += 1
    return rooms


def _tracks(event: Event, schedule: Schedule, report: ImportReport) -> dict[str, Track]:
    tracks = {
        track.name: track
        for track in db.session.scalars(
            db.select(Track).where(Track.event_id == event.id).order_by(Track.position, Track.id)
        )
    }
    for item in schedule.tracks:
        if item.name not in tracks:
            tracks[item.name] = services.create_track(
                event,
                item.name,
                item.colour or DEFAULT_COLOUR,
                slug=_free_slug(Track, event, item.slug),
                commit=False,
            )
            report.tracks += 1
    return tracks


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
    """Speakers of the edition, matched by guid (their ``uid``) first, then by name.

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
        guids = {
            person.guid
            for item in schedule.events
            for person in item.persons
            if person.guid is not None and person.guid not in self.by_uid
        }
        self.foreign = _taken_uids(Speaker, guids)

    def for_event(self, item: ScheduleEvent) -> list[Speaker]:
        chosen: list[Speaker] = []
        for person in item.persons:
            speaker = self._find(person) or self._create(person)
            if speaker not in chosen:
                chosen.append(speaker)
        return chosen

    def _local_uid(self, guid: str) -> str:
        return _derived(self.event.slug, f"speaker:{guid}") if guid in self.foreign else guid

    def _find(self, person: SchedulePerson) -> Speaker | None:
        if person.guid is not None:
            found = self.by_uid.get(self._local_uid(person.guid))
            if found is not None:
                return found
        return self.by_name.get(person.name)

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
            item.title, abstract, [speaker.name for speaker in speakers], disclosure
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
