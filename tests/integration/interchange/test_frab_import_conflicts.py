"""``flask congress import`` obeys the programme's conflict rule, like the dashboard.

A file whose sessions conflict (a room or a speaker taken twice at once) is
refused: each conflict is named, the command exits non-zero and nothing is
stored. ``--allow-conflicts`` imports it anyway and lists the conflicts as
warnings.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from congress.core.models import Base
from congress.edition.models import Event
from congress.extensions import db
from congress.interchange.frab_import import import_schedule
from congress.interchange.frab_read import parse_schedule
from congress.programme import services
from congress.programme.models import Room, Talk, TalkStatus
from tests.factories import make_event, make_room, make_talk

pytestmark = pytest.mark.integration

FIRST = "7e0a4c10-0001-4c1d-9e1a-000000000001"
SECOND = "7e0a4c10-0002-4c1d-9e1a-000000000002"
REFUSED = (
    "Error: {name}: 2 conflict(s) between sessions, listed above: nothing imported "
    "(--allow-conflicts imports the file anyway)"
)


def count(model: type[Base]) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def schedule_xml(*events: tuple[str, str, str, str, str]) -> str:
    """A one-day frab file; each event is (guid, title, start, room, person element)."""
    rooms: dict[str, list[str]] = {}
    for index, (guid, title, start, room, person) in enumerate(events, start=1):
        rooms.setdefault(room, []).append(
            f"""
      <event guid="{guid}" id="{index}">
        <date>2025-03-29T{start}:00+01:00</date>
        <start>{start}</start>
        <duration>00:45</duration>
        <room>{room}</room>
        <title>{title}</title>
        <type>lecture</type>
        <persons>{person}</persons>
      </event>"""
        )
    days = "".join(
        f'\n    <room name="{room}">{"".join(items)}\n    </room>' for room, items in rooms.items()
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <version>1</version>
  <conference>
    <acronym>conf2025</acronym>
    <title>Conflits</title>
    <start>2025-03-29</start>
    <end>2025-03-29</end>
    <time_zone_name>Europe/Paris</time_zone_name>
  </conference>
  <day index="1" date="2025-03-29">{days}
  </day>
</schedule>
"""


ROOM_CLASH = schedule_xml(
    (FIRST, "Chiffrer les sauvegardes", "10:00", "Salle Pasteur", ""),
    (SECOND, "Cartographier le SI", "10:30", "Salle Pasteur", ""),
)
SPEAKER_CLASH = schedule_xml(
    (FIRST, "Chiffrer les sauvegardes", "10:00", "Salle Pasteur", '<person id="7">Ada</person>'),
    (SECOND, "Cartographier le SI", "10:30", "Salle Curie", '<person id="7">Ada</person>'),
)


def run_import(cli, tmp_path: Path, name: str, content: str, *options: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return cli.invoke(args=["congress", "import", str(path), *options])


def test_import_refuses_a_room_taken_twice_names_both_sessions_and_stores_nothing(cli, tmp_path):
    result = run_import(cli, tmp_path, "clash.xml", ROOM_CLASH)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "conflict: Chiffrer les sauvegardes: "
        "Salle déjà occupée par «\u202fCartographier le SI\u202f» de 10:30 à 11:15.",
        "conflict: Cartographier le SI: "
        "Salle déjà occupée par «\u202fChiffrer les sauvegardes\u202f» de 10:00 à 10:45.",
        REFUSED.format(name="clash.xml"),
    ]
    assert result.stdout == ""
    assert (count(Event), count(Talk), count(Room)) == (0, 0, 0)


def test_import_refuses_a_speaker_booked_twice(cli, tmp_path):
    result = run_import(cli, tmp_path, "speaker.xml", SPEAKER_CLASH)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "conflict: Chiffrer les sauvegardes: "
        "Ada intervient déjà dans «\u202fCartographier le SI\u202f» de 10:30 à 11:15.",
        "conflict: Cartographier le SI: "
        "Ada intervient déjà dans «\u202fChiffrer les sauvegardes\u202f» de 10:00 à 10:45.",
        REFUSED.format(name="speaker.xml"),
    ]
    assert (count(Event), count(Talk)) == (0, 0)


def test_import_with_allow_conflicts_stores_the_file_and_warns(cli, tmp_path):
    result = run_import(cli, tmp_path, "clash.xml", ROOM_CLASH, "--allow-conflicts")
    assert result.exit_code == 0, result.output
    assert "2 sessions in schedule.xml: 2 created, 0 updated" in result.stdout
    assert result.stderr.splitlines() == [
        "warning: conflict kept: Chiffrer les sauvegardes: "
        "Salle déjà occupée par «\u202fCartographier le SI\u202f» de 10:30 à 11:15.",
        "warning: conflict kept: Cartographier le SI: "
        "Salle déjà occupée par «\u202fChiffrer les sauvegardes\u202f» de 10:00 à 10:45.",
    ]
    assert sorted(db.session.scalars(db.select(Talk.uid))) == [FIRST, SECOND]


def test_import_refuses_a_session_clashing_with_a_draft_and_keeps_the_draft(cli, tmp_path):
    event = make_event(slug="conf2025", first_day=date(2025, 3, 29), last_day=date(2025, 3, 29))
    pasteur = make_room(event, "Salle Pasteur")
    draft = make_talk(
        event,
        "Brouillon",
        starts_at=parse_schedule(ROOM_CLASH.encode()).events[0].starts_at,
        room=pasteur,
        status=TalkStatus.DRAFT,
        allow_conflicts=False,
    )
    alone = schedule_xml((FIRST, "Chiffrer les sauvegardes", "10:00", "Salle Pasteur", ""))
    result = run_import(cli, tmp_path, "alone.xml", alone)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == (
        "conflict: Chiffrer les sauvegardes: "
        "Salle déjà occupée par «\u202fBrouillon\u202f» de 10:00 à 10:45."
    )
    db.session.expire_all()
    assert [talk.id for talk in db.session.scalars(db.select(Talk))] == [draft.id]


def test_import_schedule_raises_slot_conflicts_unless_allowed(app):
    schedule = parse_schedule(ROOM_CLASH.encode())
    with pytest.raises(services.SlotConflicts) as refused:
        import_schedule(schedule)
    assert [(found.title, found.conflict.code) for found in refused.value.found] == [
        ("Chiffrer les sauvegardes", "room_double_booked"),
        ("Cartographier le SI", "room_double_booked"),
    ]
    assert count(Talk) == 0
    report = import_schedule(schedule, allow_conflicts=True)
    assert [(found.title, found.conflict.code) for found in report.conflicts] == [
        ("Chiffrer les sauvegardes", "room_double_booked"),
        ("Cartographier le SI", "room_double_booked"),
    ]
    assert count(Talk) == 2


def test_two_sessions_swapping_rooms_are_checked_once_both_have_moved(cli, tmp_path):
    # Halfway through, the first one sits in the room the second has not left yet.
    before = schedule_xml(
        (FIRST, "Chiffrer les sauvegardes", "10:00", "Salle Pasteur", ""),
        (SECOND, "Cartographier le SI", "10:00", "Salle Curie", ""),
    )
    after = schedule_xml(
        (FIRST, "Chiffrer les sauvegardes", "10:00", "Salle Curie", ""),
        (SECOND, "Cartographier le SI", "10:00", "Salle Pasteur", ""),
    )
    assert run_import(cli, tmp_path, "before.xml", before).exit_code == 0
    result = run_import(cli, tmp_path, "after.xml", after)
    assert result.exit_code == 0, result.output
    assert "0 created, 2 updated, 0 unchanged, 0 cancelled" in result.stdout
    assert result.stderr == ""
    db.session.expire_all()
    rooms = {talk.uid: talk.room.name for talk in db.session.scalars(db.select(Talk))}
    assert rooms == {FIRST: "Salle Curie", SECOND: "Salle Pasteur"}
