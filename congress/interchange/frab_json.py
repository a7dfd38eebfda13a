"""Reading a frab/pretalx ``schedule.json`` into a ``Schedule`` (see ``frab_schedule``).

Our own file (generator ``congress``) also carries, in the open
``conference.meta`` object, the guids of cancelled sessions and each sharing
label: read here as fields, where the XML twin must rely on the text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from congress.calendar.frab_vocabulary import DISCLOSURES_BY_LABEL, GENERATOR_NAME
from congress.interchange.frab_events import EventReader, read_conference
from congress.interchange.frab_fields import capacity, colour, decode, required_name, text_value
from congress.interchange.frab_schedule import Schedule, ScheduleError, ScheduleRoom, ScheduleTrack

__all__ = ["read_json", "schedule_from_json"]


def read_json(raw: bytes) -> Any:
    """The decoded JSON value, or a ``ScheduleError`` saying where it breaks."""
    try:
        return json.loads(decode(raw, "schedule.json"))
    except json.JSONDecodeError as error:
        raise ScheduleError(f"schedule.json is not valid JSON: {error}") from error
    except RecursionError as error:
        raise ScheduleError("schedule.json is nested too deeply") from error


def schedule_from_json(document: Any, *, fallback_zone: str | None = None) -> Schedule:
    """Read a ``schedule.json`` value (as ``read_json`` returns it)."""
    schedule = _object(document, "document").get("schedule")
    conf = _object(schedule, "schedule").get("conference")
    conf = _object(conf, "schedule.conference")
    generator = document.get("generator")
    conference = read_conference(
        acronym=text_value(conf.get("acronym"), "conference.acronym"),
        title=text_value(conf.get("title"), "conference.title"),
        start=text_value(conf.get("start"), "conference.start"),
        end=text_value(conf.get("end"), "conference.end"),
        time_zone=text_value(conf.get("time_zone_name"), "conference.time_zone_name"),
        description=text_value(conf.get("description"), "conference.description") or "",
        generator=str(generator.get("name", "")) if isinstance(generator, Mapping) else "",
    )
    tracks = [
        ScheduleTrack(
            name=required_name(
                text_value(item.get("name"), f"conference.tracks[{index}]"),
                f"conference.tracks[{index}]",
            ),
            colour=colour(text_value(item.get("color"), f"conference.tracks[{index}].color")),
            slug=text_value(item.get("slug"), f"conference.tracks[{index}].slug"),
        )
        for index, item in enumerate(_objects(conf.get("tracks") or [], "conference.tracks"))
    ]
    rooms = [
        ScheduleRoom(
            name=required_name(
                text_value(item.get("name"), f"conference.rooms[{index}]"),
                f"conference.rooms[{index}]",
            ),
            slug=text_value(item.get("slug"), f"conference.rooms[{index}].slug"),
            capacity=capacity(item.get("capacity"), f"conference.rooms[{index}].capacity"),
        )
        for index, item in enumerate(_objects(conf.get("rooms") or [], "conference.rooms"))
    ]
    meta = conf.get("meta") if isinstance(conf.get("meta"), Mapping) else {}
    own = conference.generator == GENERATOR_NAME
    cancelled = {guid for guid in meta.get("cancelled") or () if isinstance(guid, str)}
    labels = meta.get("disclosure") if isinstance(meta.get("disclosure"), Mapping) else {}
    if not own:
        cancelled, labels = set(), {}
    if "days" not in conf:
        raise ScheduleError("schedule.json: conference.days is missing")
    reader = EventReader(conference, fallback_zone, {track.name for track in tracks})
    for day_index, day in enumerate(_objects(conf["days"], "conference.days")):
        day_rooms = _object(day.get("rooms"), f"conference.days[{day_index}].rooms")
        for room_name, events in day_rooms.items():
            where = f"conference.days[{day_index}].rooms[{room_name!r}]"
            if not any(room.name == room_name for room in rooms):
                rooms.append(ScheduleRoom(name=required_name(room_name, where)))
            for item in _objects(events, where):
                values = dict(item)
                if not values.get("room"):
                    values["room"] = room_name
                guid = values.get("guid")
                if isinstance(guid, str):
                    values["_cancelled"] = guid in cancelled
                    label = labels.get(guid)
                    if isinstance(label, str) and label in DISCLOSURES_BY_LABEL:
                        values["_label"] = label
                reader.add(values)
    return reader.schedule("json", rooms, tracks)


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ScheduleError(f"schedule.json: {where} is missing or not an object")
    return value


def _objects(value: Any, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ScheduleError(f"schedule.json: {where} is not a list of objects")
    return value
