"""``flask congress import``: frab/pretalx schedule.xml and schedule.json into the programme.

The sample files in ``tests/fixtures`` are written for these tests: two days
around the switch to summer time in Paris (2025-03-30, 02:00 -> 03:00), two
rooms, five events, a person in two events and an event whose guid is not a
UUID.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from congress.audit.log import verify
from congress.caching.store import cache
from congress.core.models import Base
from congress.edition.models import Event
from congress.extensions import db
from congress.interchange.frab_read import parse_schedule
from congress.interchange.frab_schedule import Schedule
from congress.mail.models import OutboxMessage
from congress.programme import services
from congress.programme.models import (
    Disclosure,
    Room,
    Speaker,
    SpeakerRole,
    Talk,
    TalkKind,
    TalkStatus,
    Track,
)
from congress.registration import services as registration_services
from tests.factories import (
    make_category,
    make_event,
    make_registration,
    make_room,
    make_speaker,
    make_track,
)

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PARIS = ZoneInfo("Europe/Paris")
KEYNOTE = "93797f4f-c9d6-4c20-acf5-fb4de694c54d"
WORKSHOP = "4e3b9ebc-4e37-46bb-a3f0-905b781f8ddf"
TALK = "00a867c7-b9ac-4b06-b6f7-d5b5fb29f8e9"
PANEL = "c614bba8-6674-4815-ac37-c7974335c7f4"
PARTY_GUID = "jps2025-night-of-the-clocks"
ADA = "c1ea5e74-d3f4-4e95-9437-f150718ac0f9"
GRACE = "9b9ccf48-a9e9-4460-9be6-e360377c24ea"
ALAN = "62eceed4-5dd1-4999-b000-1e6803baa9d6"


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(day: int, hhmm: str) -> datetime:
    """Paris wall time on March ``day``, 2025, in UTC."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(2025, 3, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def count(model: type[Base], *where: object) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def talk_by_uid(uid: str) -> Talk:
    return db.session.scalars(db.select(Talk).where(Talk.uid == uid)).one()


def run_import(cli, path: Path):
    return cli.invoke(args=["congress", "import", str(path)])


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def summary(result) -> str:
    lines = [line for line in result.stdout.splitlines() if line.startswith("import:")]
    assert len(lines) == 1, result.output
    return lines[0]


def empty_database() -> None:
    """Every table emptied, as in a fresh database (and no cached page of the old one)."""
    db.session.rollback()
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.expunge_all()
    cache.clear()


# -- parsing ----------------------------------------------------------------------------------


def test_parse_xml_reads_times_around_the_dst_change():
    schedule = parse_schedule((FIXTURES / "schedule.xml").read_bytes())
    events = {event.uid: event for event in schedule.events}
    assert schedule.format == "xml"
    assert schedule.conference.time_zone == "Europe/Paris"
    assert (schedule.conference.start, schedule.conference.end) == (
        date(2025, 3, 29),
        date(2025, 3, 30),
    )
    assert (events[KEYNOTE].starts_at, events[KEYNOTE].ends_at) == (
        utc(2025, 3, 29, 9),
        utc(2025, 3, 29, 9, 45),
    )
    assert (events[TALK].starts_at, events[TALK].ends_at) == (
        utc(2025, 3, 30, 7, 30),
        utc(2025, 3, 30, 8),
    )
    party = next(event for event in schedule.events if event.kind is TalkKind.SOCIAL)
    # 23:00 winter time to 03:00 summer time is three hours of real time.
    assert (party.starts_at, party.ends_at) == (utc(2025, 3, 29, 22), utc(2025, 3, 30, 1))
    assert party.ends_at.astimezone(PARIS).strftime("%H:%M %z") == "03:00 +0200"


def test_non_uuid_guid_gives_a_stable_uuid5():
    first = parse_schedule((FIXTURES / "schedule.xml").read_bytes())
    again = parse_schedule((FIXTURES / "schedule.xml").read_bytes())
    party = next(event for event in first.events if event.kind is TalkKind.SOCIAL)
    assert uuid.UUID(party.uid).version == 5
    assert party.uid not in (KEYNOTE, WORKSHOP, TALK, PANEL)
    assert [event.uid for event in first.events] == [event.uid for event in again.events]


def test_xml_and_json_fixtures_parse_to_the_same_events():
    xml = parse_schedule((FIXTURES / "schedule.xml").read_bytes())
    data = parse_schedule((FIXTURES / "schedule.json").read_bytes())
    assert data.format == "json"

    def shape(schedule: Schedule) -> list[tuple]:
        return sorted(
            (
                event.uid,
                event.title,
                event.kind,
                event.starts_at,
                event.ends_at,
                event.room,
                event.track,
                event.language,
                event.abstract,
                event.slug,
                tuple((person.guid, person.name) for person in event.persons),
            )
            for event in schedule.events
        )

    assert shape(xml) == shape(data)
    assert [room.name for room in data.rooms] == ["Auditorium", "Atelier"]
    assert [(track.name, track.colour) for track in xml.tracks] == [
        ("Sécurité", "#c0392b"),
        ("Communauté", "#27ae60"),
    ]


def test_parse_keeps_markdown_and_joins_abstract_and_description():
    schedule = parse_schedule((FIXTURES / "schedule.xml").read_bytes())
    keynote = next(event for event in schedule.events if event.uid == KEYNOTE)
    assert keynote.abstract == (
        "Pourquoi la **sécurité** est d'abord une affaire de soin.\n\n"
        "Un tour d'horizon :\n\n- des attaques de l'année ;\n- de ce qui a marché."
    )
    workshop = next(event for event in schedule.events if event.uid == WORKSHOP)
    assert workshop.abstract == "Bring a laptop."  # the same text twice is kept once
    assert keynote.slug == "ouverture-la-securite-le-soin"


def test_date_without_offset_is_read_in_the_conference_zone():
    document = (FIXTURES / "schedule.xml").read_text(encoding="utf-8")
    document = document.replace(
        "<date>2025-03-30T09:30:00+02:00</date>", "<date>2025-03-30</date>"
    ).replace("<date>2025-03-29T10:00:00+01:00</date>", "<date>2025-03-29T10:00:00</date>")
    schedule = parse_schedule(document.encode())
    events = {event.uid: event for event in schedule.events}
    assert events[TALK].starts_at == utc(2025, 3, 30, 7, 30)
    assert events[KEYNOTE].starts_at == utc(2025, 3, 29, 9)


# -- importing a pretalx file -----------------------------------------------------------------


def test_import_xml_creates_the_edition_and_programme(cli):
    result = run_import(cli, FIXTURES / "schedule.xml")
    assert result.exit_code == 0, result.output
    assert summary(result).startswith(
        "import: edition jps2025 created; 5 sessions in schedule.xml: 5 created, 0 updated, "
        "0 unchanged, 0 cancelled (published, missing from the file); new rooms 2, tracks 2, "
        "speakers 3; in "
    )
    event = db.session.scalars(db.select(Event)).one()
    assert (event.slug, event.name, event.acronym, event.timezone) == (
        "jps2025",
        "Journées de printemps de la sécurité",
        "jps2025",
        "Europe/Paris",
    )
    assert (event.first_day, event.last_day) == (date(2025, 3, 29), date(2025, 3, 30))
    rooms = db.session.scalars(db.select(Room).order_by(Room.position)).all()
    assert [(room.slug, room.name) for room in rooms] == [
        ("auditorium", "Auditorium"),
        ("atelier", "Atelier"),
    ]
    tracks = db.session.scalars(db.select(Track).order_by(Track.position)).all()
    assert [(track.slug, track.name, track.colour) for track in tracks] == [
        ("1-securite", "Sécurité", "#c0392b"),
        ("2-communaute", "Communauté", "#27ae60"),
    ]
    keynote = talk_by_uid(KEYNOTE)
    assert (keynote.kind, keynote.status, keynote.language, keynote.sequence) == (
        TalkKind.KEYNOTE,
        TalkStatus.CONFIRMED,
        "fr",
        0,
    )
    assert (keynote.starts_at, keynote.ends_at) == (local(29, "10:00"), local(29, "10:45"))
    assert keynote.room.name == "Auditorium"
    assert keynote.track.name == "Sécurité"
    assert keynote.slug == "ouverture-la-securite-le-soin"
    panel = talk_by_uid(PANEL)
    assert panel.kind is TalkKind.ROUND_TABLE
    assert [(speaker.uid, speaker.name) for speaker in panel.speakers] == [
        (GRACE, "Grace Hopper"),
        (ALAN, "Alan Turing"),
    ]
    party = db.session.scalars(db.select(Talk).where(Talk.kind == TalkKind.SOCIAL)).one()
    assert (party.starts_at, party.ends_at) == (utc(2025, 3, 29, 22), utc(2025, 3, 30, 1))
    assert party.speakers == []


def test_a_person_in_two_events_is_one_speaker(cli):
    assert run_import(cli, FIXTURES / "schedule.json").exit_code == 0
    ada = db.session.scalars(db.select(Speaker).where(Speaker.uid == ADA)).one()
    assert ada.name == "Ada Lovelace"
    assert ada.bio == "Wrote the first published algorithm."
    assert sorted(link.talk.uid for link in ada.talk_links) == sorted([KEYNOTE, TALK])
    assert count(Speaker) == 3


def test_json_capacity_is_kept_on_new_rooms(cli):
    assert run_import(cli, FIXTURES / "schedule.json").exit_code == 0
    rooms = db.session.scalars(db.select(Room).order_by(Room.position)).all()
    assert [(room.name, room.capacity) for room in rooms] == [("Auditorium", 400), ("Atelier", 30)]


def test_reimport_of_the_same_file_changes_nothing(cli):
    assert run_import(cli, FIXTURES / "schedule.xml").exit_code == 0
    event = db.session.scalars(db.select(Event)).one()
    version = event.programme_version
    result = run_import(cli, FIXTURES / "schedule.xml")
    assert result.exit_code == 0, result.output
    assert "5 sessions in schedule.xml: 0 created, 0 updated, 5 unchanged, 0 cancelled" in (
        summary(result)
    )
    assert "new rooms 0, tracks 0, speakers 0" in summary(result)
    db.session.expire_all()
    assert [talk.sequence for talk in db.session.scalars(db.select(Talk))] == [0] * 5
    assert event.programme_version == version
    assert count(Talk) == 5
    assert count(Speaker) == 3


def test_xml_then_its_json_twin_changes_nothing(cli):
    assert run_import(cli, FIXTURES / "schedule.xml").exit_code == 0
    result = run_import(cli, FIXTURES / "schedule.json")
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 5 unchanged, 0 cancelled" in summary(result)


def test_moved_event_raises_sequence_by_one_and_tells_attendees(cli, tmp_path):
    assert run_import(cli, FIXTURES / "schedule.xml").exit_code == 0
    event = db.session.scalars(db.select(Event)).one()
    talk = talk_by_uid(TALK)
    uid, slug = talk.uid, talk.slug
    category = make_category(event)
    registration, _ = make_registration(
        event, category, "rssi@chu-exemple.fr", days=[date(2025, 3, 30)]
    )
    registration_services.add_to_agenda(registration, talk)
    before = count(OutboxMessage, OutboxMessage.kind == "programme_change")

    moved = (FIXTURES / "schedule.xml").read_text(encoding="utf-8")
    moved = moved.replace(
        "<date>2025-03-30T09:30:00+02:00</date>\n                <start>09:30</start>",
        "<date>2025-03-30T10:30:00+02:00</date>\n                <start>10:30</start>",
    )
    assert "10:30:00+02:00" in moved
    result = run_import(cli, write(tmp_path, "moved.xml", moved))
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated, 4 unchanged, 0 cancelled" in summary(result)
    db.session.expire_all()
    talk = talk_by_uid(TALK)
    assert (talk.uid, talk.slug, talk.sequence) == (uid, slug, 1)
    assert (talk.starts_at, talk.ends_at) == (utc(2025, 3, 30, 8, 30), utc(2025, 3, 30, 9))
    assert [t.sequence for t in db.session.scalars(db.select(Talk).where(Talk.uid != TALK))] == [
        0
    ] * 4
    after = count(OutboxMessage, OutboxMessage.kind == "programme_change")
    assert after == before + 1


def test_removed_event_is_cancelled_not_deleted(cli, tmp_path):
    assert run_import(cli, FIXTURES / "schedule.xml").exit_code == 0
    document = (FIXTURES / "schedule.xml").read_text(encoding="utf-8")
    without_panel, removed = re.subn(
        rf'\s*<event guid="{PANEL}".*?</event>', "", document, flags=re.DOTALL
    )
    assert removed == 1
    result = run_import(cli, write(tmp_path, "smaller.xml", without_panel))
    assert result.exit_code == 0, result.output
    assert "4 sessions in schedule.xml: 0 created, 0 updated, 4 unchanged, 1 cancelled" in (
        summary(result)
    )
    db.session.expire_all()
    panel = talk_by_uid(PANEL)
    assert (panel.status, panel.sequence) == (TalkStatus.CANCELLED, 1)
    assert count(Talk) == 5
    # Importing the full file again brings it back, one revision later.
    result = run_import(cli, FIXTURES / "schedule.xml")
    assert "0 created, 1 updated, 4 unchanged, 0 cancelled" in summary(result)
    db.session.expire_all()
    assert (talk_by_uid(PANEL).status, talk_by_uid(PANEL).sequence) == (TalkStatus.CONFIRMED, 2)


def test_import_into_an_existing_edition_keeps_its_rooms_and_drafts(cli):
    event = make_event(
        slug="jps", acronym="JPS", first_day=date(2025, 3, 29), last_day=date(2025, 3, 30)
    )
    auditorium = make_room(event, "Auditorium", capacity=250)
    make_track(event, "Sécurité", colour="#000000")
    ada = make_speaker(event, "Ada Lovelace")
    draft = services.create_talk(
        event,
        services.TalkData(
            title="Brouillon",
            kind=TalkKind.TALK,
            starts_at=local(29, "08:00"),
            ends_at=local(29, "08:30"),
        ),
    )
    result = run_import(cli, FIXTURES / "schedule.xml")
    assert result.exit_code == 0, result.output
    assert "new rooms 1, tracks 1, speakers 2" in summary(result)
    assert merged_line(result) == "1 personne fusionnée par son nom"
    assert count(Event) == 1
    db.session.expire_all()
    keynote = talk_by_uid(KEYNOTE)
    assert keynote.room.id == auditorium.id
    assert keynote.room.capacity == 250
    assert keynote.track.colour == "#000000"
    # No guid of Ada's in this edition yet: she is matched by name.
    assert [speaker.id for speaker in keynote.speakers] == [ada.id]
    assert db.session.get(Talk, draft.id).status is TalkStatus.DRAFT


def test_speaker_roles_set_by_organisers_survive_a_reimport(cli):
    assert run_import(cli, FIXTURES / "schedule.xml").exit_code == 0
    panel = talk_by_uid(PANEL)
    data = services.talk_data(panel)
    data.speakers = [(speaker, SpeakerRole.MODERATOR) for speaker, _ in data.speakers]
    services.update_talk(panel, data)
    result = run_import(cli, FIXTURES / "schedule.xml")
    assert "0 updated, 5 unchanged" in summary(result)
    db.session.expire_all()
    assert {link.role for link in talk_by_uid(PANEL).speaker_links} == {SpeakerRole.MODERATOR}


def test_guid_of_another_edition_is_refused_and_nothing_stored(cli):
    assert run_import(cli, FIXTURES / "schedule.xml").exit_code == 0
    newer = make_event(slug="jps-bis", first_day=date(2025, 3, 29), last_day=date(2025, 3, 31))
    result = run_import(cli, FIXTURES / "schedule.xml")
    assert result.exit_code == 1
    assert "already belongs to a session of another edition" in result.output
    assert count(Room, Room.event_id == newer.id) == 0
    assert count(Talk, Talk.event_id == newer.id) == 0
    assert verify().ok


def test_file_of_another_year_is_refused_before_cancelling_anything(demo, cli):
    published = count(Talk, Talk.status == TalkStatus.CONFIRMED)
    result = run_import(cli, FIXTURES / "schedule.xml")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: schedule.xml: event 'Ouverture : la sécurité & le soin' starts on 2025-03-29, "
        "outside the edition apssis-2014 (2014-04-01 to 2014-04-03): is this the right file?"
    )
    assert count(Talk, Talk.status == TalkStatus.CONFIRMED) == published
    assert count(Room) == 3


def test_import_is_audited_and_the_chain_stays_intact(cli):
    from congress.audit.models import AuditEntry

    assert run_import(cli, FIXTURES / "schedule.xml").exit_code == 0
    actions = list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions.count("talk.created") == 5
    assert actions.count("speaker.created") == 3
    assert actions[-1] == "programme.imported"
    assert verify().ok


# -- hostile and broken files -----------------------------------------------------------------

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE schedule [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<schedule><version>1</version><conference><title>&lol3;</title></conference></schedule>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE schedule [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<schedule><version>1</version><conference><title>&secret;</title></conference></schedule>
"""


def _fixture_xml(old: str, new: str) -> str:
    document = (FIXTURES / "schedule.xml").read_text(encoding="utf-8")
    assert old in document
    return document.replace(old, new, 1)


def _fixture_json(old: str, new: str) -> str:
    document = (FIXTURES / "schedule.json").read_text(encoding="utf-8")
    assert old in document
    return document.replace(old, new, 1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("laughs.xml", LAUGHS, "declares a DTD or an entity"),
        ("external.xml", EXTERNAL, "declares a DTD or an entity"),
        (
            "utf16.xml",
            EXTERNAL.replace('"1.0"?>', '"1.0" encoding="utf-16"?>').encode("utf-16"),
            "not UTF-8 text",
        ),
        ("latin1.xml", "<schedule><title>é</title></schedule>".encode("latin-1"), "not UTF-8"),
        ("broken.xml", "<schedule><conference>", "is not well-formed XML"),
        ("wrong-root.xml", "<programme />", "root element is <programme>"),
        ("broken.json", '{"schedule": {"conference": ', "is not valid JSON"),
        ("empty.json", "{}", "schedule is missing or not an object"),
        ("notes.txt", "hello", "not a schedule"),
        (
            "no-duration.xml",
            _fixture_xml("<duration>00:30</duration>", ""),
            f"event '{TALK}': duration is missing",
        ),
        (
            "no-title.xml",
            _fixture_xml("<title>Hands-on: hardening a PACS</title>", "<title />"),
            f"event '{WORKSHOP}': title is missing",
        ),
        (
            "no-date.json",
            _fixture_json('"date": "2025-03-30T11:00:00+02:00",', ""),
            f"event '{PANEL}': date is missing",
        ),
        (
            "bad-date.json",
            _fixture_json("2025-03-30T11:00:00+02:00", "next sunday"),
            "is not ISO 8601",
        ),
        (
            "zero.xml",
            _fixture_xml("<duration>00:45</duration>", "<duration>00:00</duration>"),
            "the duration must be positive",
        ),
        (
            "zone.xml",
            _fixture_xml("Europe/Paris", "Mars/Olympus_Mons"),
            "unknown time zone 'Mars/Olympus_Mons'",
        ),
        (
            "twice.json",
            _fixture_json('"guid": "c614bba8-6674-4815-ac37-c7974335c7f4"', f'"guid": "{KEYNOTE}"'),
            "listed twice",
        ),
        (
            "no-conference-title.json",
            _fixture_json('"title": "Journées de printemps de la sécurité",', ""),
            "conference title is missing",
        ),
        (
            "persons.json",
            _fixture_json('"persons": []', '"persons": "nobody"'),
            "persons is not a list of objects",
        ),
    ],
)
def test_bad_files_are_refused_with_one_line_and_nothing_stored(
    cli, tmp_path, name, content, message
):
    result = run_import(cli, write(tmp_path, name, content))
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {name}: ")
    assert message in lines[0]
    assert "Traceback" not in result.output
    assert count(Event) == 0
    assert count(Talk) == 0
    assert count(Room) == 0


def test_missing_file_is_a_usage_error(cli, tmp_path):
    result = run_import(cli, tmp_path / "nowhere.xml")
    assert result.exit_code == 2
    assert count(Event) == 0


# -- our own /schedule.xml and /schedule.json -------------------------------------------------


@pytest.fixture
def own_edition(app):
    """An edition holding what our feeds must carry through text: a cancelled talk, a
    TLP:GREEN and a TLP:AMBER abstract, a break without room or track, a draft the feeds
    leave out; its two days fall either side of the switch to summer time."""
    event = make_event(
        slug="jps",
        acronym="JPS",
        name="Journées de printemps",
        first_day=date(2025, 3, 29),
        last_day=date(2025, 3, 30),
    )
    amphi = make_room(event, "Amphithéâtre", capacity=300)
    salle = make_room(event, "Salle B", capacity=40)
    track = make_track(event, "Menaces", colour="#1d4ed8")
    alice = make_speaker(event, "Alice Martin")
    bob = make_speaker(event, "Bob Durand")

    def talk(title: str, start: datetime, minutes: int, **values: object) -> Talk:
        data = services.TalkData(
            title=title,
            kind=values.pop("kind", TalkKind.TALK),
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            status=values.pop("status", TalkStatus.CONFIRMED),
            **values,
        )
        return services.create_talk(event, data)

    talk(
        "Rançongiciels à l'hôpital",
        local(29, "10:00"),
        45,
        room=amphi,
        track=track,
        abstract="Ce que **2024** nous a appris.",
        disclosure=Disclosure.TLP_GREEN,
        speakers=[(alice, SpeakerRole.SPEAKER), (bob, SpeakerRole.MODERATOR)],
    )
    cancelled = talk("Annulée", local(29, "14:00"), 30, room=salle, speakers=[(bob, "speaker")])
    services.cancel_talk(cancelled)
    talk("Pause café", local(30, "10:30"), 30, kind=TalkKind.BREAK)
    talk(
        "Retour d'incident",
        local(30, "09:00"),
        60,
        room=amphi,
        abstract="Secret",
        disclosure=Disclosure.TLP_AMBER,
        speakers=[(alice, SpeakerRole.SPEAKER)],
        kind=TalkKind.ATTACK_ANALYSIS,
    )
    talk("Soirée", local(29, "20:00"), 180, room=salle, kind=TalkKind.SOCIAL)
    talk("Brouillon", local(30, "15:00"), 30, room=salle, status=TalkStatus.DRAFT)
    return event


def _published() -> dict[str, tuple]:
    talks = db.session.scalars(db.select(Talk).where(Talk.status != TalkStatus.DRAFT))
    return {
        talk.uid: (
            talk.starts_at,
            talk.ends_at,
            talk.room.name if talk.room else None,
            talk.status,
            talk.disclosure,
            talk.title,
            talk.slug,
            talk.kind,
            talk.track.name if talk.track else None,
            tuple(speaker.uid for speaker in talk.speakers),
        )
        for talk in talks
    }


@pytest.mark.parametrize("feed", ["schedule.xml", "schedule.json"])
def test_own_schedule_round_trips_into_an_empty_database(own_edition, client, cli, tmp_path, feed):
    response = client.get(f"/{feed}")
    assert response.status_code == 200
    expected = _published()
    abstracts = {uid: talk_by_uid(uid).abstract for uid in expected}
    assert len(expected) == 5
    path = write(tmp_path, feed, response.data)

    empty_database()
    result = run_import(cli, path)
    assert result.exit_code == 0, result.output
    assert "edition jps-2025 created; 5 sessions" in summary(result)
    assert "5 created, 0 updated, 0 unchanged, 0 cancelled" in summary(result)
    assert _published() == expected
    assert count(Talk) == 5
    event = db.session.scalars(db.select(Event)).one()
    assert (event.timezone, event.first_day, event.last_day) == (
        "Europe/Paris",
        date(2025, 3, 29),
        date(2025, 3, 30),
    )
    for uid, abstract in abstracts.items():
        talk = talk_by_uid(uid)
        # A TLP:AMBER abstract never left the server: the feed only says it exists.
        assert talk.abstract == ("" if talk.disclosure is Disclosure.TLP_AMBER else abstract)
    sequences = {talk.uid: talk.sequence for talk in db.session.scalars(db.select(Talk))}

    again = run_import(cli, path)
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 5 unchanged, 0 cancelled" in summary(again)
    db.session.expire_all()
    assert {talk.uid: talk.sequence for talk in db.session.scalars(db.select(Talk))} == sequences


def _sequences_and_abstracts() -> dict[str, tuple[int, str]]:
    return {
        talk.uid: (talk.sequence, talk.abstract) for talk in db.session.scalars(db.select(Talk))
    }


@pytest.mark.parametrize("feed", ["schedule.xml", "schedule.json"])
def test_own_schedule_reimported_into_its_source_changes_nothing(
    own_edition, client, cli, tmp_path, feed
):
    path = write(tmp_path, feed, client.get(f"/{feed}").data)
    before = {
        talk.uid: (talk.sequence, talk.abstract) for talk in db.session.scalars(db.select(Talk))
    }
    version = own_edition.programme_version
    result = run_import(cli, path)
    assert result.exit_code == 0, result.output
    assert "5 sessions" in summary(result)
    assert "0 created, 0 updated, 5 unchanged, 0 cancelled" in summary(result)
    assert "new rooms 0, tracks 0, speakers 0" in summary(result)
    db.session.expire_all()
    after = {
        talk.uid: (talk.sequence, talk.abstract) for talk in db.session.scalars(db.select(Talk))
    }
    assert after == before
    assert db.session.get(Event, own_edition.id).programme_version == version


def test_own_xml_duration_across_dst_is_elapsed_time(app, client):
    event = make_event(slug="jps", first_day=date(2025, 3, 29), last_day=date(2025, 3, 30))
    services.create_talk(
        event,
        services.TalkData(
            title="Soirée",
            kind=TalkKind.SOCIAL,
            status=TalkStatus.CONFIRMED,
            starts_at=local(29, "23:00"),
            ends_at=local(29, "23:00") + timedelta(hours=3),
            room=make_room(event, "Salle B"),
        ),
    )
    assert b"<duration>03:00</duration>" in client.get("/schedule.xml").data


# -- persons: an identity before a name -------------------------------------------------------
# Two people called Claire Martin speak at the same edition: the file's guid, code or id tells
# them apart, and only persons given none are matched by name (and counted).

CLAIRE = "Claire Martin"
HOMONYM_TALKS = (
    ("0b7c5a40-0001-4c1d-9e1a-000000000001", "Chiffrer les sauvegardes", "10:00"),
    ("0b7c5a40-0002-4c1d-9e1a-000000000002", "Cartographier le SI", "11:00"),
    ("0b7c5a40-0003-4c1d-9e1a-000000000003", "Former les soignants", "14:00"),
)
FIRST, SECOND, THIRD = (guid for guid, _title, _start in HOMONYM_TALKS)
CLAIRE_ONE = "5d0f3c8e-1111-4a2b-8c3d-aaaaaaaaaaaa"
CLAIRE_TWO = "5d0f3c8e-2222-4a2b-8c3d-bbbbbbbbbbbb"


def homonyms_xml(*persons: str) -> str:
    """A frab-style file: talk ``n`` has ``persons[n]``, a ready ``<person>`` element."""
    events = "".join(
        f"""
      <event guid="{guid}" id="{index + 1}">
        <date>2025-03-29T{start}:00+01:00</date>
        <start>{start}</start>
        <duration>00:45</duration>
        <room>Salle Pasteur</room>
        <title>{title}</title>
        <type>lecture</type>
        <persons>{person}</persons>
      </event>"""
        for index, ((guid, title, start), person) in enumerate(
            zip(HOMONYM_TALKS, persons, strict=False)
        )
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <version>1</version>
  <conference>
    <acronym>hom2025</acronym>
    <title>Homonymes</title>
    <start>2025-03-29</start>
    <end>2025-03-29</end>
    <time_zone_name>Europe/Paris</time_zone_name>
  </conference>
  <day index="1" date="2025-03-29">
    <room name="Salle Pasteur">{events}
    </room>
  </day>
</schedule>
"""


def homonyms_json(*persons: object) -> str:
    """The JSON twin: talk ``n`` has ``persons[n]``, an object or (older files) a bare name."""
    events = [
        {
            "guid": guid,
            "id": index + 1,
            "date": f"2025-03-29T{start}:00+01:00",
            "start": start,
            "duration": "00:45",
            "room": "Salle Pasteur",
            "title": title,
            "type": "lecture",
            "persons": [person],
        }
        for index, ((guid, title, start), person) in enumerate(
            zip(HOMONYM_TALKS, persons, strict=False)
        )
    ]
    conference = {
        "acronym": "hom2025",
        "title": "Homonymes",
        "start": "2025-03-29",
        "end": "2025-03-29",
        "time_zone_name": "Europe/Paris",
        "days": [{"index": 1, "date": "2025-03-29", "rooms": {"Salle Pasteur": events}}],
    }
    return json.dumps({"schedule": {"version": "1", "conference": conference}})


def speakers_by_talk() -> dict[str, list[tuple[str, str]]]:
    """Each talk's speakers as (slug, uid), by talk uid."""
    return {
        talk.uid: [(speaker.slug, speaker.uid) for speaker in talk.speakers]
        for talk in db.session.scalars(db.select(Talk))
    }


def merged_line(result) -> str:
    """The line after the summary: how many persons were reached by name."""
    lines = result.stdout.splitlines()
    return lines[lines.index(summary(result)) + 1]


HOMONYMS_WITH_IDS = {
    "xml-guid": (
        "homonyms.xml",
        homonyms_xml(
            f'<person guid="{CLAIRE_ONE}">{CLAIRE}</person>',
            f'<person guid="{CLAIRE_TWO}">{CLAIRE}</person>',
        ),
    ),
    "xml-id": (
        "homonyms.xml",
        homonyms_xml(f'<person id="7">{CLAIRE}</person>', f'<person id="8">{CLAIRE}</person>'),
    ),
    "json-guid": (
        "homonyms.json",
        homonyms_json({"guid": CLAIRE_ONE, "name": CLAIRE}, {"guid": CLAIRE_TWO, "name": CLAIRE}),
    ),
    "json-code": (
        "homonyms.json",
        homonyms_json({"code": "CLA111", "name": CLAIRE}, {"code": "CLA222", "name": CLAIRE}),
    ),
    "json-id": (
        "homonyms.json",
        homonyms_json({"id": 7, "public_name": CLAIRE}, {"id": 8, "public_name": CLAIRE}),
    ),
}


@pytest.mark.parametrize(("name", "content"), HOMONYMS_WITH_IDS.values(), ids=HOMONYMS_WITH_IDS)
def test_two_persons_with_one_name_and_two_ids_are_two_speakers(cli, tmp_path, name, content):
    result = run_import(cli, write(tmp_path, name, content))
    assert result.exit_code == 0, result.output
    assert "speakers 2;" in summary(result)
    assert merged_line(result) == "0 personne fusionnée par son nom"
    speakers = db.session.scalars(db.select(Speaker).order_by(Speaker.id)).all()
    assert [(speaker.name, speaker.slug) for speaker in speakers] == [
        (CLAIRE, "claire-martin"),
        (CLAIRE, "claire-martin-2"),
    ]
    first, second = (speaker.uid for speaker in speakers)
    assert first != second
    assert speakers_by_talk() == {
        FIRST: [("claire-martin", first)],
        SECOND: [("claire-martin-2", second)],
    }


def test_person_guid_is_kept_as_the_speaker_uid(cli, tmp_path):
    assert run_import(cli, write(tmp_path, *HOMONYMS_WITH_IDS["xml-guid"])).exit_code == 0
    assert speakers_by_talk() == {
        FIRST: [("claire-martin", CLAIRE_ONE)],
        SECOND: [("claire-martin-2", CLAIRE_TWO)],
    }


@pytest.mark.parametrize(("name", "content"), HOMONYMS_WITH_IDS.values(), ids=HOMONYMS_WITH_IDS)
def test_reimport_keeps_each_homonym_on_their_own_talk(cli, tmp_path, name, content):
    path = write(tmp_path, name, content)
    assert run_import(cli, path).exit_code == 0
    before = speakers_by_talk()
    result = run_import(cli, path)
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 2 unchanged, 0 cancelled" in summary(result)
    assert "speakers 0;" in summary(result)
    assert merged_line(result) == "0 personne fusionnée par son nom"
    db.session.expire_all()
    assert speakers_by_talk() == before
    assert count(Speaker) == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "same.xml",
            homonyms_xml(f'<person id="7">{CLAIRE}</person>', f'<person id="7">{CLAIRE}</person>'),
        ),
        (
            "same.json",
            homonyms_json({"code": "CLA111", "name": CLAIRE}, {"code": "CLA111", "name": CLAIRE}),
        ),
    ],
    ids=["xml", "json"],
)
def test_one_id_in_two_events_is_one_speaker(cli, tmp_path, name, content):
    result = run_import(cli, write(tmp_path, name, content))
    assert result.exit_code == 0, result.output
    assert "speakers 1;" in summary(result)
    assert merged_line(result) == "0 personne fusionnée par son nom"
    speaker = db.session.scalars(db.select(Speaker)).one()
    assert speakers_by_talk() == {
        FIRST: [("claire-martin", speaker.uid)],
        SECOND: [("claire-martin", speaker.uid)],
    }


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "names.xml",
            homonyms_xml(
                f"<person>{CLAIRE}</person>",
                "<person>Paul Durand</person>",
                f"<person>{CLAIRE}</person>",
            ),
        ),
        ("names.json", homonyms_json(CLAIRE, "Paul Durand", CLAIRE)),
        (
            "objects.json",
            homonyms_json({"name": CLAIRE}, {"name": "Paul Durand"}, {"public_name": CLAIRE}),
        ),
    ],
    ids=["xml", "json-strings", "json-objects"],
)
def test_persons_without_ids_are_matched_by_name_and_counted(cli, tmp_path, name, content):
    path = write(tmp_path, name, content)
    result = run_import(cli, path)
    assert result.exit_code == 0, result.output
    assert "speakers 2;" in summary(result)
    assert merged_line(result) == "1 personne fusionnée par son nom"
    claire = db.session.scalars(db.select(Speaker).where(Speaker.name == CLAIRE)).one()
    assert sorted(link.talk.uid for link in claire.talk_links) == sorted([FIRST, THIRD])

    again = run_import(cli, path)
    assert again.exit_code == 0, again.output
    assert "speakers 0;" in summary(again)
    assert merged_line(again) == "2 personnes fusionnées par leur nom"
    assert count(Speaker) == 2


def test_speaker_entered_by_hand_is_not_given_to_either_homonym(cli, tmp_path):
    event = make_event(
        slug="hom2025", acronym="hom2025", first_day=date(2025, 3, 29), last_day=date(2025, 3, 29)
    )
    by_hand = make_speaker(event, CLAIRE)
    result = run_import(cli, write(tmp_path, *HOMONYMS_WITH_IDS["xml-id"]))
    assert result.exit_code == 0, result.output
    assert "speakers 2;" in summary(result)
    assert merged_line(result) == "0 personne fusionnée par son nom"
    db.session.expire_all()
    talks = speakers_by_talk()
    assert talks[FIRST] != talks[SECOND]
    assert by_hand.uid not in {uid for speakers in talks.values() for _slug, uid in speakers}
    assert count(Speaker) == 3


@pytest.mark.parametrize(
    ("person", "identity"),
    [
        ({"guid": CLAIRE_ONE.upper(), "code": "CLA111", "id": 7}, CLAIRE_ONE),
        ({"guid": "claire-1", "code": "CLA111", "id": 7}, "person:claire-1"),
        ({"code": "CLA111", "id": 7}, "person-code:CLA111"),
        ({"id": 7}, "person-id:7"),
        ({"id": "7"}, "person-id:7"),
        ({"guid": " ", "id": 7}, "person-id:7"),
        ({}, None),
    ],
)
def test_person_identity_is_the_guid_else_the_code_else_the_id(person, identity):
    schedule = parse_schedule(homonyms_json(person | {"name": CLAIRE}).encode())
    (parsed,) = schedule.events[0].persons
    expected = identity
    if identity is not None and identity.startswith("person"):
        expected = str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:congress:schedule:hom2025:{identity}"))
    assert parsed.guid == expected


def test_xml_person_attributes_give_the_same_identity_as_json():
    xml = parse_schedule(
        homonyms_xml('<person id="7" code="CLA111">Claire Martin</person>').encode()
    )
    data = parse_schedule(homonyms_json({"id": 7, "code": "CLA111", "name": CLAIRE}).encode())
    (person,) = xml.events[0].persons
    assert person.guid == str(
        uuid.uuid5(uuid.NAMESPACE_URL, "urn:congress:schedule:hom2025:person-code:CLA111")
    )
    assert data.events[0].persons == (person,)
