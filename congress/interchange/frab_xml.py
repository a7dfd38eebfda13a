"""Reading a frab/pretalx ``schedule.xml`` into a ``Schedule`` (see ``frab_schedule``).

Reading untrusted XML: the standard library's ``xml.etree`` alone would honour
an internal DTD, so entity expansion ("billion laughs") would be possible. A
schedule never needs a DTD, so there are two locks. A document that declares
one (``<!DOCTYPE``) or an entity (``<!ENTITY``) is refused before parsing; the
check runs on the decoded text and that same text is what the parser reads
(``ElementTree`` parses ``str`` input as UTF-8, whatever the declaration
says), so no other encoding can hide a declaration from the check. Then
``defusedxml`` (a dependency, see ``pyproject.toml``) parses it, refusing DTDs,
entities and external references whatever the text looks like.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, Final

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from congress.interchange.frab_events import PERSON_IDS, EventReader, read_conference
from congress.interchange.frab_fields import colour, decode, required_name
from congress.interchange.frab_schedule import Schedule, ScheduleError, ScheduleRoom, ScheduleTrack

__all__ = ["schedule_from_xml"]

_HOSTILE: Final = ("<!doctype", "<!entity")


def schedule_from_xml(raw: bytes, *, fallback_zone: str | None = None) -> Schedule:
    """Read a frab/pretalx ``schedule.xml``; DTDs and entity declarations are refused."""
    text = decode(raw, "schedule.xml")
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
    conference = read_conference(
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
            name=required_name(element.get("name") or element.text or "", "conference <track>"),
            colour=colour(element.get("color")),
            slug=element.get("slug") or None,
        )
        for element in conf.findall("track")
    ]
    reader = EventReader(conference, fallback_zone, {track.name for track in tracks})
    rooms: list[ScheduleRoom] = []
    for day in root.findall("day"):
        for room_element in day.findall("room"):
            room_name = (room_element.get("name") or "").strip()
            if room_name:
                rooms.append(ScheduleRoom(name=required_name(room_name, "<room name>")))
            for element in room_element.findall("event"):
                reader.add(_xml_event(element, room_name))
    return reader.schedule("xml", rooms, tracks)


def _xml_event(element: ET.Element, room_name: str) -> dict[str, Any]:
    """An ``<event>`` as the same dict a JSON event is, so one reader handles both."""
    persons_element = element.find("persons")
    persons = []
    if persons_element is not None:
        for person in persons_element.findall("person"):
            persons.append(
                {key: person.get(key) for key in PERSON_IDS} | {"name": (person.text or "").strip()}
            )
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


def _child(element: ET.Element, tag: str) -> str | None:
    found = element.find(tag)
    if found is None:
        return None
    return found.text or ""
