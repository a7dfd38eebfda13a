"""The frab/Pentabarf schedule builders, checked against the published schemas.

Objects are transient ORM instances (no database, no HTTP): the builders only
read attributes. Times are written as aware UTC, as the database returns them;
2014-04-01 is in summer time in Le Mans (UTC+2).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import jsonschema
import pytest
from lxml import etree

from congress.calendar.schedule import (
    ScheduleContext,
    build_schedule_json,
    build_schedule_xml,
    conference_acronym,
)
from congress.edition.models import Event
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
from tests.schemas import SCHEDULE_SCHEMAS

pytestmark = pytest.mark.unit


KEYNOTE_UID = "0b1f8f0e-5a43-4d7e-9c1a-1f0f2b9d6a01"
AMBER_UID = "0b1f8f0e-5a43-4d7e-9c1a-1f0f2b9d6a02"
CANCELLED_UID = "0b1f8f0e-5a43-4d7e-9c1a-1f0f2b9d6a03"
BREAK_UID = "0b1f8f0e-5a43-4d7e-9c1a-1f0f2b9d6a04"
MARKUP_UID = "0b1f8f0e-5a43-4d7e-9c1a-1f0f2b9d6a05"
LATE_UID = "0b1f8f0e-5a43-4d7e-9c1a-1f0f2b9d6a06"
SPEAKER_UID = "5e1d0c3b-7a2f-4b8e-8d6c-2a9f0e1b3c01"

SECRET = "Indicateurs de compromission du CH de Laval"
MARKUP_TITLE = "<script>alert(1)</script> & \"guillemets\" 'apostrophes' ]]>"


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant of April 2014 in UTC."""
    return datetime(2014, 4, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def event() -> Event:
    return Event(
        id=1,
        slug="cnssis-2014",
        name="Congrès National de la Sécurité des SI de Santé",
        acronym="",
        venue="Centre des congrès",
        address="Rue d'Arcole",
        city="Le Mans",
        timezone="Europe/Paris",
        first_day=date(2014, 4, 1),
        last_day=date(2014, 4, 3),
        description="Trois jours pour la sécurité des systèmes d'information de santé.",
    )


@pytest.fixture
def rooms(event: Event) -> list[Room]:
    return [
        Room(id=1, event=event, slug="amphi-a", name="Amphithéâtre A", capacity=400, position=0),
        Room(id=2, event=event, slug="salle-b", name="Salle B", capacity=80, position=1),
    ]


@pytest.fixture
def tracks(event: Event) -> list[Track]:
    return [
        Track(id=1, event=event, slug="menaces", name="Menaces", colour="#C53030", position=0),
        Track(id=2, event=event, slug="gouvernance", name="Gouvernance", colour="#2b6cb0"),
    ]


@pytest.fixture
def speaker(event: Event) -> Speaker:
    return Speaker(id=7, event=event, slug="alice-martin", name="Alice Martin", uid=SPEAKER_UID)


TalkMaker = Callable[..., Talk]


@pytest.fixture
def make_talk(event: Event) -> TalkMaker:
    """A confirmed, unlabelled one-hour talk, any field overridable."""

    def make(**fields: Any) -> Talk:
        speakers: list[Speaker] = fields.pop("speakers", [])
        values: dict[str, Any] = {
            "event": event,
            "kind": TalkKind.TALK,
            "status": TalkStatus.CONFIRMED,
            "disclosure": Disclosure.NONE,
            "language": "fr",
            "sequence": 0,
            "abstract": "Résumé public.",
            "room": None,
            "track": None,
        }
        values.update(fields)
        values.setdefault("ends_at", values["starts_at"] + timedelta(hours=1))
        links = [
            TalkSpeaker(speaker=person, position=index, role=SpeakerRole.SPEAKER)
            for index, person in enumerate(speakers)
        ]
        return Talk(speaker_links=links, **values)

    return make


@pytest.fixture
def talks(
    make_talk: TalkMaker, rooms: list[Room], tracks: list[Track], speaker: Speaker
) -> list[Talk]:
    return [
        make_talk(
            id=1,
            uid=KEYNOTE_UID,
            slug="ouverture",
            title="Ouverture du congrès",
            kind=TalkKind.KEYNOTE,
            starts_at=utc(1, 7),
            room=rooms[0],
            track=tracks[1],
            speakers=[speaker],
        ),
        make_talk(
            id=2,
            uid=AMBER_UID,
            slug="analyse-ransomware",
            title="Analyse d'une attaque par rançongiciel",
            kind=TalkKind.ATTACK_ANALYSIS,
            disclosure=Disclosure.TLP_AMBER,
            abstract=SECRET,
            starts_at=utc(2, 8),
            room=rooms[1],
            track=tracks[0],
        ),
        make_talk(
            id=3,
            uid=CANCELLED_UID,
            slug="table-ronde-cloud",
            title="Table ronde : cloud de santé",
            kind=TalkKind.ROUND_TABLE,
            status=TalkStatus.CANCELLED,
            starts_at=utc(2, 12),
            room=rooms[0],
            track=tracks[1],
        ),
        make_talk(
            id=4,
            uid=BREAK_UID,
            slug="pause",
            title="Pause café",
            kind=TalkKind.BREAK,
            abstract="",
            starts_at=utc(1, 8, 30),
            ends_at=utc(1, 9),
        ),
        make_talk(
            id=5,
            uid=MARKUP_UID,
            slug="xss",
            title=MARKUP_TITLE,
            disclosure=Disclosure.TLP_GREEN,
            abstract="a < b && c > d",
            starts_at=utc(3, 9),
            room=rooms[0],
            track=tracks[0],
        ),
        make_talk(
            id=6,
            uid=LATE_UID,
            slug="retour-experience",
            title="Retour d'expérience",
            starts_at=utc(1, 12),
            room=rooms[0],
        ),
    ]


@pytest.fixture
def ctx(event: Event, rooms: list[Room], tracks: list[Track], talks: list[Talk]) -> ScheduleContext:
    return ScheduleContext(
        event=event,
        rooms=rooms,
        tracks=tracks,
        talks=talks,
        base_url="https://congres.example",
        version="42",
        uid_domain="congres.example",
    )


def parse(ctx: ScheduleContext) -> etree._Element:
    return etree.fromstring(build_schedule_xml(ctx))


def xml_event(root: etree._Element, guid: str) -> etree._Element:
    (found,) = root.xpath("/schedule/day/room/event[@guid=$guid]", guid=guid)
    return found


def json_events(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        item["guid"]: item
        for day in document["schedule"]["conference"]["days"]
        for listed in day["rooms"].values()
        for item in listed
    }


def test_schedule_xml_valid_against_published_xsd(ctx: ScheduleContext) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEDULE_SCHEMAS / "schedule.xml.xsd")))
    document = etree.fromstring(build_schedule_xml(ctx))
    schema.assertValid(document)


def test_schedule_xml_without_any_talk_still_valid(ctx: ScheduleContext) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEDULE_SCHEMAS / "schedule.xml.xsd")))
    empty = ScheduleContext(**{**_fields(ctx), "talks": []})
    schema.assertValid(etree.fromstring(build_schedule_xml(empty)))


def test_schedule_json_valid_against_published_schema(ctx: ScheduleContext) -> None:
    schema = json.loads((SCHEDULE_SCHEMAS / "schedule.schema.json").read_text(encoding="utf-8"))
    # Every format jsonschema knows (uuid, date... ; draft-06's own checker
    # knows almost none), not only those draft-06 lists.
    validator = jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker())
    document = json.loads(json.dumps(build_schedule_json(ctx)))
    errors = [error.message for error in validator.iter_errors(document)]
    assert errors == []


def test_schedule_json_dates_and_urls_well_formed(ctx: ScheduleContext) -> None:
    # jsonschema checks "date-time" and "uri" only when optional packages are
    # installed: check the values the schema marks with those formats here.
    document = build_schedule_json(ctx)
    conference = document["schedule"]["conference"]
    stamps = [day[key] for day in conference["days"] for key in ("day_start", "day_end")]
    stamps += [item[key] for item in json_events(document).values() for key in ("date", "end")]
    assert all(datetime.fromisoformat(stamp).utcoffset() is not None for stamp in stamps)
    urls = [document["schedule"]["base_url"], conference["url"]]
    urls += [item["url"] for item in json_events(document).values()]
    assert all(url.startswith("https://congres.example/") for url in urls)


def test_schedule_xml_declaration_exact(ctx: ScheduleContext) -> None:
    assert build_schedule_xml(ctx).startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')


def test_talk_at_nine_in_le_mans_local_time(ctx: ScheduleContext) -> None:
    element = xml_event(parse(ctx), KEYNOTE_UID)
    assert element.findtext("date") == "2014-04-01T09:00:00+02:00"
    assert element.findtext("start") == "09:00"
    assert element.findtext("duration") == "01:00"
    item = json_events(build_schedule_json(ctx))[KEYNOTE_UID]
    assert (item["date"], item["start"], item["end"], item["duration"]) == (
        "2014-04-01T09:00:00+02:00",
        "09:00",
        "2014-04-01T10:00:00+02:00",
        "01:00",
    )


def test_guid_equals_talk_uid(ctx: ScheduleContext) -> None:
    element = xml_event(parse(ctx), KEYNOTE_UID)
    assert (element.get("guid"), element.get("id")) == (KEYNOTE_UID, "1")
    item = json_events(build_schedule_json(ctx))[KEYNOTE_UID]
    assert (item["guid"], item["id"]) == (KEYNOTE_UID, 1)


def test_event_fields_keynote_exact(ctx: ScheduleContext) -> None:
    element = xml_event(parse(ctx), KEYNOTE_UID)
    assert [child.tag for child in element] == [
        "date",
        "start",
        "duration",
        "room",
        "slug",
        "url",
        "recording",
        "title",
        "subtitle",
        "track",
        "type",
        "language",
        "abstract",
        "description",
        "persons",
        "links",
        "attachments",
    ]
    assert element.findtext("room") == "Amphithéâtre A"
    assert element.findtext("slug") == "cnssis_2014-1-ouverture"
    assert element.findtext("url") == "https://congres.example/sessions/ouverture"
    assert element.findtext("track") == "Gouvernance"
    assert element.findtext("type") == "keynote"
    assert element.findtext("language") == "fr"
    assert element.findtext("subtitle") == ""
    assert element.findtext("abstract") == "Résumé public."
    assert element.findtext("recording/license") == ""
    assert element.findtext("recording/optout") == "true"
    (person,) = element.findall("persons/person")
    assert (person.get("id"), person.get("guid"), person.text) == ("7", SPEAKER_UID, "Alice Martin")
    assert len(element.find("links")) == 0
    assert len(element.find("attachments")) == 0


def test_json_person_one_of_pretalx_shape(ctx: ScheduleContext) -> None:
    # The schema's Person is oneOf(FrabPerson, PretalxPerson): name + id +
    # public_name would match both and be rejected.
    item = json_events(build_schedule_json(ctx))[KEYNOTE_UID]
    assert item["persons"] == [
        {"guid": SPEAKER_UID, "name": "Alice Martin", "public_name": "Alice Martin"}
    ]


@pytest.mark.parametrize(
    ("disclosure", "label"),
    [(Disclosure.TLP_AMBER, "TLP:AMBER"), (Disclosure.TLP_RED, "TLP:RED")],
)
def test_restricted_abstract_withheld_from_feeds(
    ctx: ScheduleContext, talks: list[Talk], disclosure: Disclosure, label: str
) -> None:
    talks[1].disclosure = disclosure
    notice = f"Résumé réservé aux participants inscrits ({label})."
    raw = build_schedule_xml(ctx)
    assert SECRET.encode() not in raw
    element = xml_event(etree.fromstring(raw), AMBER_UID)
    assert (element.findtext("abstract"), element.findtext("description")) == (notice, "")
    document = build_schedule_json(ctx)
    assert SECRET not in json.dumps(document, ensure_ascii=False)
    item = json_events(document)[AMBER_UID]
    assert (item["abstract"], item["description"]) == (notice, "")
    assert document["schedule"]["conference"]["meta"]["disclosure"][AMBER_UID] == label


def test_green_label_opens_abstract(ctx: ScheduleContext) -> None:
    element = xml_event(parse(ctx), MARKUP_UID)
    assert element.findtext("abstract") == "[TLP:GREEN] a < b && c > d"
    # One text: the abstract; apps show abstract and description one after the other.
    assert element.findtext("description") == ""
    document = build_schedule_json(ctx)
    assert json_events(document)[MARKUP_UID]["abstract"] == "[TLP:GREEN] a < b && c > d"
    assert document["schedule"]["conference"]["meta"]["disclosure"] == {
        AMBER_UID: "TLP:AMBER",
        MARKUP_UID: "TLP:GREEN",
    }


def test_cancelled_talk_kept_and_marked(ctx: ScheduleContext) -> None:
    element = xml_event(parse(ctx), CANCELLED_UID)
    # Worded as the .ics feeds word it ("[Cancelled] %(title)s"), in French.
    assert element.findtext("title") == "[Annulé] Table ronde : cloud de santé"
    document = build_schedule_json(ctx)
    assert json_events(document)[CANCELLED_UID]["title"] == "[Annulé] Table ronde : cloud de santé"
    assert document["schedule"]["conference"]["meta"]["cancelled"] == [CANCELLED_UID]
    assert json_events(document)[KEYNOTE_UID]["title"] == "Ouverture du congrès"


def test_markup_in_title_escaped_and_round_trips(ctx: ScheduleContext) -> None:
    raw = build_schedule_xml(ctx)
    assert b"<script>" not in raw
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in raw
    assert xml_event(etree.fromstring(raw), MARKUP_UID).findtext("title") == MARKUP_TITLE
    text = json.dumps(build_schedule_json(ctx))
    assert json_events(json.loads(text))[MARKUP_UID]["title"] == MARKUP_TITLE


def test_control_characters_dropped_from_xml(ctx: ScheduleContext, talks: list[Talk]) -> None:
    talks[0].title = "Ouverture\x0b du\x00 congrès"
    element = xml_event(parse(ctx), KEYNOTE_UID)
    assert element.findtext("title") == "Ouverture du congrès"


def test_roomless_talk_in_common_area(ctx: ScheduleContext) -> None:
    root = parse(ctx)
    day_one = root.find("day[@index='1']")
    assert [room.get("name") for room in day_one.findall("room")] == [
        "Amphithéâtre A",
        "Salle B",
        "Espace commun",
    ]
    element = xml_event(root, BREAK_UID)
    assert element.getparent().get("name") == "Espace commun"
    assert element.findtext("room") == "Espace commun"
    assert element.findtext("track") == "Général"
    days = build_schedule_json(ctx)["schedule"]["conference"]["days"]
    assert [item["guid"] for item in days[0]["rooms"]["Espace commun"]] == [BREAK_UID]


def test_no_common_area_when_every_talk_has_a_room(ctx: ScheduleContext, talks: list[Talk]) -> None:
    without_break = ScheduleContext(**{**_fields(ctx), "talks": talks[:3]})
    names = {room.get("name") for room in parse(without_break).findall("day/room")}
    assert names == {"Amphithéâtre A", "Salle B"}


def test_days_one_per_edition_day_with_bounds(ctx: ScheduleContext) -> None:
    days = parse(ctx).findall("day")
    assert [(day.get("index"), day.get("date")) for day in days] == [
        ("1", "2014-04-01"),
        ("2", "2014-04-02"),
        ("3", "2014-04-03"),
    ]
    assert (days[0].get("start"), days[0].get("end")) == (
        "2014-04-01T09:00:00+02:00",
        "2014-04-01T15:00:00+02:00",
    )
    json_days = build_schedule_json(ctx)["schedule"]["conference"]["days"]
    assert [(day["index"], day["day_start"], day["day_end"]) for day in json_days] == [
        (1, "2014-04-01T09:00:00+02:00", "2014-04-01T15:00:00+02:00"),
        (2, "2014-04-02T10:00:00+02:00", "2014-04-02T15:00:00+02:00"),
        (3, "2014-04-03T11:00:00+02:00", "2014-04-03T12:00:00+02:00"),
    ]


def test_empty_day_spans_local_calendar_day(ctx: ScheduleContext, talks: list[Talk]) -> None:
    only_first_day = ScheduleContext(**{**_fields(ctx), "talks": [talks[0]]})
    day = parse(only_first_day).find("day[@index='2']")
    assert (day.get("start"), day.get("end")) == (
        "2014-04-02T00:00:00+02:00",
        "2014-04-03T00:00:00+02:00",
    )
    assert [len(room) for room in day.findall("room")] == [0, 0]


def test_events_sorted_by_start_within_room(ctx: ScheduleContext) -> None:
    room = parse(ctx).find("day[@index='1']/room[@name='Amphithéâtre A']")
    assert [event.findtext("start") for event in room] == ["09:00", "14:00"]
    rooms = build_schedule_json(ctx)["schedule"]["conference"]["days"][0]["rooms"]
    assert [item["start"] for item in rooms["Amphithéâtre A"]] == ["09:00", "14:00"]


def test_conference_xml_fields_exact(ctx: ScheduleContext) -> None:
    root = parse(ctx)
    assert root.findtext("version") == "42"
    assert root.findtext("url") == "https://congres.example/schedule.xml"
    conference = root.find("conference")
    assert [(child.tag, child.text) for child in conference if child.tag != "track"] == [
        ("acronym", "cnssis_2014"),
        ("title", "Congrès National de la Sécurité des SI de Santé"),
        ("start", "2014-04-01"),
        ("end", "2014-04-03"),
        ("days", "3"),
        ("timeslot_duration", "00:15"),
        ("base_url", "https://congres.example/"),
        ("url", "https://congres.example/"),
        ("time_zone_name", "Europe/Paris"),
    ]
    assert [dict(track.attrib) for track in conference.findall("track")] == [
        {"name": "Menaces", "color": "#c53030", "slug": "menaces"},
        {"name": "Gouvernance", "color": "#2b6cb0", "slug": "gouvernance"},
    ]


def test_conference_json_fields_exact(ctx: ScheduleContext) -> None:
    document = build_schedule_json(ctx)
    assert document["$schema"] == "https://c3voc.de/schedule/schema.json"
    schedule = document["schedule"]
    assert (schedule["version"], schedule["base_url"]) == ("42", "https://congres.example/")
    conference = schedule["conference"]
    assert {key: conference[key] for key in ("acronym", "start", "end", "daysCount")} == {
        "acronym": "cnssis_2014",
        "start": "2014-04-01",
        "end": "2014-04-03",
        "daysCount": 3,
    }
    assert conference["timeslot_duration"] == "00:15"
    assert conference["time_zone_name"] == "Europe/Paris"
    assert conference["tracks"] == [
        {"name": "Menaces", "slug": "menaces", "color": "#c53030"},
        {"name": "Gouvernance", "slug": "gouvernance", "color": "#2b6cb0"},
    ]
    assert [room["name"] for room in conference["rooms"]] == [
        "Amphithéâtre A",
        "Salle B",
        "Espace commun",
    ]


@pytest.mark.parametrize(
    ("acronym", "slug", "expected"),
    [
        ("", "cnssis-2014", "cnssis_2014"),
        ("CNS", "cnssis-2014", "cns_2014"),
        ("Santé SSI", "x", "sante_ssi"),
    ],
)
def test_acronym_matches_both_schema_patterns(
    event: Event, acronym: str, slug: str, expected: str
) -> None:
    event.acronym, event.slug = acronym, slug
    assert conference_acronym(event) == expected


def test_output_stable_for_same_input(ctx: ScheduleContext, talks: list[Talk]) -> None:
    first_xml = build_schedule_xml(ctx)
    first_json = json.dumps(build_schedule_json(ctx), ensure_ascii=False)
    shuffled = list(talks)
    random.Random(4).shuffle(shuffled)
    again = ScheduleContext(**{**_fields(ctx), "talks": shuffled})
    assert build_schedule_xml(again) == first_xml
    assert json.dumps(build_schedule_json(again), ensure_ascii=False) == first_json


def _fields(ctx: ScheduleContext) -> dict[str, Any]:
    return {name: getattr(ctx, name) for name in ScheduleContext.__dataclass_fields__}


def test_json_rooms_sharing_a_name_merge_in_start_order(
    ctx: ScheduleContext, event: Event, make_talk: TalkMaker
) -> None:
    first = Room(id=8, event=event, slug="hall-1", name="Hall", position=0)
    second = Room(id=9, event=event, slug="hall-2", name="Hall", position=1)
    late = make_talk(id=10, uid=KEYNOTE_UID, slug="tard", title="Tard", starts_at=utc(1, 9))
    early = make_talk(id=11, uid=AMBER_UID, slug="tot", title="Tôt", starts_at=utc(1, 7))
    late.room, early.room = first, second
    shared = ScheduleContext(**{**_fields(ctx), "rooms": [first, second], "talks": [late, early]})
    rooms = build_schedule_json(shared)["schedule"]["conference"]["days"][0]["rooms"]
    assert [item["start"] for item in rooms["Hall"]] == ["09:00", "11:00"]


def test_room_missing_from_context_listed_after_known_rooms(
    ctx: ScheduleContext, event: Event, talks: list[Talk]
) -> None:
    talks[5].room = Room(id=5, event=event, slug="atelier", name="Atelier", position=9)
    day_one = parse(ctx).find("day[@index='1']")
    assert [room.get("name") for room in day_one.findall("room")] == [
        "Amphithéâtre A",
        "Salle B",
        "Atelier",
        "Espace commun",
    ]
