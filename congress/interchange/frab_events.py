"""Turning the raw fields of a conference and its events into ``frab_schedule`` values.

``frab_xml`` and ``frab_json`` each bring an event's fields to one shape (a
mapping of the JSON's keys) and hand it to ``EventReader``, so both formats
are read by the same rules and a file and its twin give the same events.

Our own ``/schedule.xml`` and ``/schedule.json`` (generator ``congress``) carry
some facts in the text because the schemas leave no field for them (see
``calendar.schedule``): the cancelled title marking, the sharing label opening
the abstract, the common area for talks without a room and the default track.
They are read back as status, disclosure, no room and no track, so a round
trip keeps them; the words come from ``calendar.frab_vocabulary``, the module
the writer uses too. Files of other tools are taken as they are.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, Final, Literal
from urllib.parse import unquote, urlsplit

from congress.calendar.frab_vocabulary import (
    COMMON_AREA_NAME,
    DEFAULT_TRACK_NAME,
    DISCLOSURES_BY_LABEL,
    GENERATOR_NAME,
    kind_for,
    split_cancelled,
    withheld_notice,
)
from congress.core.text import slugify
from congress.interchange.frab_fields import (
    LANGUAGE_MAX,
    TITLE_MAX,
    UUID_PATTERN,
    derived_uid,
    iso_day,
    required_name,
    text_value,
    to_utc,
    within,
    zone_named,
)
from congress.interchange.frab_schedule import (
    Schedule,
    ScheduleConference,
    ScheduleError,
    ScheduleEvent,
    SchedulePerson,
    ScheduleRoom,
    ScheduleTrack,
)
from congress.programme.models import Disclosure

__all__ = ["PERSON_IDS", "EventReader", "read_conference"]

#: A person's identifiers, strongest first (see ``SchedulePerson``).
PERSON_IDS: Final = ("guid", "code", "id")
_DURATION: Final = re.compile(r"(\d{1,3}):([0-5]\d)(?::([0-5]\d))?")
_CLOCK: Final = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?")
_SESSION_PATH: Final = re.compile(r"/sessions/([^/?#]+)/?$")


def read_conference(
    *,
    acronym: str | None,
    title: str | None,
    start: str | None,
    end: str | None,
    time_zone: str | None,
    description: str,
    generator: str,
) -> ScheduleConference:
    """The conference block of either format; a named zone must be a known one."""
    if not title:
        raise ScheduleError("conference title is missing")
    zone_name = (time_zone or "").strip() or None
    if zone_name is not None:
        zone_named(zone_name)
    return ScheduleConference(
        acronym=(acronym or "").strip(),
        title=required_name(title.strip(), "conference title"),
        start=iso_day(start, "conference start"),
        end=iso_day(end, "conference end"),
        time_zone=zone_name,
        description=description.strip(),
        generator=generator.strip(),
    )


class EventReader:
    """Turns raw event fields (XML or JSON alike) into ``ScheduleEvent`` values."""

    def __init__(
        self, conference: ScheduleConference, fallback_zone: str | None, track_names: set[str]
    ) -> None:
        self.conference = conference
        zone_name = conference.time_zone or fallback_zone
        self.zone = zone_named(zone_name) if zone_name else None
        self.own = conference.generator == GENERATOR_NAME
        self.track_names = track_names
        self.events: list[ScheduleEvent] = []
        self.seen: dict[str, str] = {}

    def add(self, values: Mapping[str, Any]) -> None:
        position = len(self.events) + 1
        guid = text_value(values.get("guid"), f"event #{position} guid")
        where = f"event {guid!r}" if guid else f"event #{position}"
        title = text_value(values.get("title"), f"{where} title")
        if not title or not title.strip():
            raise ScheduleError(f"{where}: title is missing")
        title = title.strip()
        for key in ("date", "duration"):
            if not text_value(values.get(key), f"{where} {key}") and not (
                key == "duration" and values.get("end")
            ):
                raise ScheduleError(f"{where}: {key} is missing")
        starts_at, ends_at = self._times(values, where)
        cancelled = bool(values.get("_cancelled"))
        if self.own:
            title, marked = split_cancelled(title)
            cancelled = cancelled or marked
        abstract, disclosure = self._text(values, where)
        room = (text_value(values.get("room"), f"{where} room") or "").strip() or None
        if self.own and room == COMMON_AREA_NAME:
            room = None
        track = (text_value(values.get("track"), f"{where} track") or "").strip() or None
        if self.own and track == DEFAULT_TRACK_NAME and track not in self.track_names:
            track = None
        language = (text_value(values.get("language"), f"{where} language") or "").strip().lower()
        if len(language) > LANGUAGE_MAX:
            raise ScheduleError(f"{where}: language {language!r} is not a language code")
        source_id = values.get("id")
        uid = self._uid(guid, str(source_id) if source_id not in (None, "") else None, values)
        if uid in self.seen:
            raise ScheduleError(f"{where}: listed twice (same guid as {self.seen[uid]})")
        self.seen[uid] = where
        self.events.append(
            ScheduleEvent(
                uid=uid,
                title=within(title, TITLE_MAX, f"{where} title"),
                kind=kind_for(text_value(values.get("type"), f"{where} type")),
                starts_at=starts_at,
                ends_at=ends_at,
                room=required_name(room, f"{where} room") if room else None,
                track=required_name(track, f"{where} track") if track else None,
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
                clock = text_value(values.get("start"), f"{where} start") or ""
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
        starts_utc = to_utc(starts)
        end_text = (text_value(values.get("end"), f"{where} end") or "").strip()
        duration_text = (text_value(values.get("duration"), f"{where} duration") or "").strip()
        if end_text:
            # The JSON ``end`` is an instant; the schema deprecates ``duration`` for it.
            try:
                ends = datetime.fromisoformat(end_text)
            except ValueError as error:
                raise ScheduleError(f"{where}: end {end_text!r} is not ISO 8601") from error
            if ends.tzinfo is None:
                raise ScheduleError(f"{where}: end {end_text!r} has no offset")
            ends_utc = to_utc(ends)
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
        abstract = (text_value(values.get("abstract"), f"{where} abstract") or "").strip()
        description = (text_value(values.get("description"), f"{where} description") or "").strip()
        if not self.own:
            parts = [abstract] if abstract else []
            if description and description != abstract:
                parts.append(description)
            return "\n\n".join(parts), None
        # Our own feeds: abstract and description are the same text, label first.
        text = abstract or description
        label = values.get("_label")
        for candidate in [label] if label else list(DISCLOSURES_BY_LABEL):
            if text == withheld_notice(candidate):
                return None, DISCLOSURES_BY_LABEL[candidate]
            if text.startswith(f"[{candidate}]"):
                return text[len(candidate) + 2 :].strip(), DISCLOSURES_BY_LABEL[candidate]
        return text, DISCLOSURES_BY_LABEL[label] if label else Disclosure.NONE

    def _uid(self, guid: str | None, source_id: str | None, values: Mapping[str, Any]) -> str:
        if guid and UUID_PATTERN.fullmatch(guid.strip()):
            return str(uuid.UUID(guid.strip()))
        if guid:
            key = f"guid:{guid.strip()}"
        elif source_id:
            key = f"id:{source_id}"
        elif values.get("slug"):
            key = f"slug:{values['slug']}"
        else:
            key = f"title:{values.get('title')}@{values.get('date')}"
        return derived_uid(self.conference.acronym or self.conference.title, key)

    def _slug(self, values: Mapping[str, Any], where: str) -> str | None:
        """The site slug: ours from the session URL, else the file's ``slug``."""
        if self.own:
            url = text_value(values.get("url"), f"{where} url") or ""
            match = _SESSION_PATH.search(urlsplit(url).path)
            if match:
                return slugify(unquote(match[1]))
        slug = (text_value(values.get("slug"), f"{where} slug") or "").strip()
        # frab and pretalx write "{acronym}-{id}-{title}"; the site's URL needs only the title.
        prefix = f"{self.conference.acronym}-{values.get('id')}-"
        if self.conference.acronym and slug.startswith(prefix) and len(slug) > len(prefix):
            slug = slug[len(prefix) :]
        return slugify(slug) if slug else None

    def _persons(self, raw: Any, where: str) -> tuple[SchedulePerson, ...]:
        """The event's persons: objects, or bare names as older ``schedule.json`` files give."""
        persons: list[SchedulePerson] = []
        for index, item in enumerate(_persons_list(raw, f"{where} persons")):
            place = f"{where} person #{index + 1}"
            if isinstance(item, str):
                persons.append(SchedulePerson(name=required_name(item, place)))
                continue
            name = text_value(item.get("name"), place) or text_value(item.get("public_name"), place)
            if not name or not name.strip():
                raise ScheduleError(f"{place}: name is missing")
            bio = text_value(item.get("biography"), f"{place} biography") or ""
            persons.append(
                SchedulePerson(
                    name=required_name(name.strip(), place),
                    guid=self._person_identity(item, place),
                    bio=bio.strip(),
                )
            )
        return tuple(persons)

    def _person_identity(self, item: Mapping[str, Any], place: str) -> str | None:
        """The uid for the first identifier the file gives (``PERSON_IDS``), else ``None``."""
        for key in PERSON_IDS:
            value = (text_value(item.get(key), f"{place} {key}") or "").strip()
            if not value:
                continue
            if key == "guid" and UUID_PATTERN.fullmatch(value):
                return str(uuid.UUID(value))
            # "person:" for a guid, as before codes and ids were read: uids stay the same.
            prefix = "person" if key == "guid" else f"person-{key}"
            return derived_uid(self.conference.acronym, f"{prefix}:{value}")
        return None


def _persons_list(value: Any, where: str) -> list[Mapping[str, Any] | str]:
    """A ``persons`` list: objects (frab, pretalx) or bare names (older ``schedule.json``)."""
    if not value:
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping | str) for item in value):
        raise ScheduleError(f"schedule.json: {where} is not a list of objects or names")
    return value
