"""The programme editor's conflict rules, on in-memory slots (no database, no HTTP).

The edition runs in Le Mans (Europe/Paris). April 2014 is summer time (UTC+2);
2014-03-30 is 23 hours long (02:00 -> 03:00) and 2014-10-26 is 25 hours long
(03:00 -> 02:00), which is where a fixed UTC offset would put midnight wrong.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask_babel import Babel, LazyString, force_locale

from congress.edition.models import Event
from congress.programme.conflicts import (
    Conflict,
    Slot,
    check,
    conflicts_by_talk,
    ends_before_start,
    outside_edition,
    room_double_booked,
    seat_limit_above_capacity,
    slot_of,
    speaker_double_booked,
)
from congress.programme.models import Room, Speaker, SpeakerRole, TalkKind, TalkStatus
from congress.programme.services import TalkData

pytestmark = pytest.mark.unit

PARIS = ZoneInfo("Europe/Paris")
TRANSLATIONS = Path(__file__).resolve().parents[3] / "congress" / "translations"
ROOM, ROOM_CODE = "room", "room_double_booked"
NAMES = {1: "Alice Martin", 2: "Bruno Petit", 3: "Chloé Durand"}


def local(day: date, hhmm: str) -> datetime:
    """A Le Mans wall-clock time, returned in UTC as the database holds it."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).astimezone(UTC)


APRIL_1 = date(2014, 4, 1)


def slot(
    talk_id: int | None = 1,
    *,
    title: str = "Session",
    start: str = "10:00",
    end: str = "10:45",
    day: date = APRIL_1,
    end_day: date | None = None,
    room_id: int | None = 1,
    speakers: tuple[int, ...] = (),
    status: TalkStatus = TalkStatus.CONFIRMED,
    seat_limit: int | None = None,
    kind: TalkKind = TalkKind.TALK,
) -> Slot:
    return Slot(
        talk_id=talk_id,
        title=title,
        starts_at=local(day, start),
        ends_at=local(end_day or day, end),
        room_id=room_id,
        speaker_ids=frozenset(speakers),
        status=status,
        seat_limit=seat_limit,
        kind=kind,
    )


def edition(first: date = APRIL_1, last: date = date(2014, 4, 3)) -> Event:
    return Event(
        id=1,
        slug="cnssis-2014",
        name="Congrès",
        venue="Centre des congrès",
        address="Rue d'Arcole",
        city="Le Mans",
        timezone="Europe/Paris",
        first_day=first,
        last_day=last,
    )


def run_check(candidate: Slot, others: list[Slot], room_capacity: int | None = None):
    return check(
        candidate, others, event=edition(), room_capacity=room_capacity, speaker_names=NAMES
    )


# --- ends_before_start -----------------------------------------------------------------------


def test_ends_before_start_when_end_equals_start():
    assert ends_before_start(slot(start="10:00", end="10:00")) == Conflict(
        "ends_at", "ends_before_start", "A session must end after it starts."
    )


def test_ends_before_start_when_end_precedes_start():
    conflict = ends_before_start(slot(start="10:00", end="09:00"))
    assert conflict is not None
    assert (conflict.field, conflict.code, conflict.other_talk_id) == (
        "ends_at",
        "ends_before_start",
        None,
    )


def test_ends_before_start_none_for_a_positive_length():
    assert ends_before_start(slot(start="10:00", end="10:01")) is None


def test_ends_before_start_reversed_slot_is_reported_once_not_as_a_clash():
    reversed_slot = slot(1, start="11:00", end="09:00", speakers=(1,))
    other = slot(2, start="09:30", end="10:30", speakers=(1,))
    assert [c.code for c in run_check(reversed_slot, [other])] == ["ends_before_start"]
    assert run_check(other, [reversed_slot]) == []


# --- outside_edition -------------------------------------------------------------------------


def test_outside_edition_none_from_first_midnight_to_last_midnight():
    whole = slot(start="00:00", end_day=date(2014, 4, 4), end="00:00")
    assert outside_edition(whole, edition()) is None


def test_outside_edition_when_starting_the_evening_before():
    early = slot(day=date(2014, 3, 31), start="23:59", end_day=APRIL_1, end="00:30")
    assert outside_edition(early, edition()) == Conflict(
        "starts_at",
        "outside_edition",
        "A session must take place during the edition, from 2014-04-01 to 2014-04-03 "
        "(time zone: Europe/Paris).",
    )


def test_outside_edition_when_ending_after_midnight_of_the_last_day():
    late = slot(day=date(2014, 4, 3), start="23:30", end_day=date(2014, 4, 4), end="00:01")
    conflict = outside_edition(late, edition())
    assert conflict is not None
    assert (conflict.field, conflict.code) == ("starts_at", "outside_edition")


def test_outside_edition_none_when_ending_exactly_at_midnight_after_the_last_day():
    late = slot(day=date(2014, 4, 3), start="23:30", end_day=date(2014, 4, 4), end="00:00")
    assert outside_edition(late, edition()) is None


def test_outside_edition_on_a_day_after_the_edition():
    assert outside_edition(slot(day=date(2014, 4, 4)), edition()) is not None


def test_outside_edition_message_uses_the_zone_label():
    conflict = outside_edition(slot(day=date(2014, 4, 4)), edition(), "heure de Paris")
    assert conflict is not None
    assert str(conflict.message).endswith("(time zone: heure de Paris).")


def test_outside_edition_spring_forward_day_starts_at_utc_plus_one():
    # 2014-03-30 opens at 00:00 CET = 23:00 UTC the day before.
    event = edition(date(2014, 3, 30), date(2014, 3, 30))
    at_midnight = _utc_slot(utc(3, 29, 23, 0), utc(3, 29, 23, 30))
    before = _utc_slot(utc(3, 29, 22, 59), utc(3, 29, 23, 30))
    assert outside_edition(at_midnight, event) is None
    assert outside_edition(before, event) is not None


def test_outside_edition_spring_forward_day_ends_at_utc_plus_two():
    # 2014-03-30 closes at 00:00 CEST on the 31st = 22:00 UTC: the day has 23 hours.
    event = edition(date(2014, 3, 30), date(2014, 3, 30))
    to_midnight = _utc_slot(utc(3, 30, 21, 0), utc(3, 30, 22, 0))
    past_midnight = _utc_slot(utc(3, 30, 21, 0), utc(3, 30, 22, 30))
    assert outside_edition(to_midnight, event) is None
    assert outside_edition(past_midnight, event) is not None


def test_outside_edition_fall_back_day_has_twenty_five_hours():
    # 2014-10-26 runs from 22:00 UTC on the 25th (CEST) to 23:00 UTC on the 26th (CET).
    event = edition(date(2014, 10, 26), date(2014, 10, 26))
    whole_day = _utc_slot(utc(10, 25, 22, 0), utc(10, 26, 23, 0))
    one_more_minute = _utc_slot(utc(10, 25, 22, 0), utc(10, 26, 23, 1))
    assert whole_day.ends_at - whole_day.starts_at == timedelta(hours=25)
    assert outside_edition(whole_day, event) is None
    assert outside_edition(one_more_minute, event) is not None


# --- seat_limit_above_capacity ---------------------------------------------------------------


def test_seat_limit_above_capacity_when_limit_exceeds_room():
    assert seat_limit_above_capacity(slot(seat_limit=120), 100) == Conflict(
        "seat_limit",
        "seat_limit_above_capacity",
        "The seat limit (120) exceeds the capacity of the room (100).",
    )


def test_seat_limit_above_capacity_none_when_equal():
    assert seat_limit_above_capacity(slot(seat_limit=100), 100) is None


def test_seat_limit_above_capacity_none_without_limit_or_capacity():
    assert seat_limit_above_capacity(slot(seat_limit=None), 100) is None
    assert seat_limit_above_capacity(slot(seat_limit=500), None) is None


# --- room_double_booked ----------------------------------------------------------------------


def test_room_double_booked_names_the_other_session_in_local_time():
    candidate = slot(1, start="10:15", end="11:00")
    other = slot(2, title="Ouverture", start="10:00", end="10:45")
    assert room_double_booked(candidate, other, PARIS) == Conflict(
        "room", "room_double_booked", "Room already taken by “Ouverture” from 10:00 to 10:45.", 2
    )


def test_room_double_booked_when_one_session_contains_the_other():
    candidate = slot(1, start="10:15", end="10:30")
    other = slot(2, start="09:00", end="12:00")
    assert room_double_booked(candidate, other, PARIS) is not None


def test_room_double_booked_none_when_touching():
    first = slot(1, start="10:00", end="10:45")
    second = slot(2, start="10:45", end="11:30")
    assert room_double_booked(first, second, PARIS) is None
    assert room_double_booked(second, first, PARIS) is None


def test_room_double_booked_none_in_different_rooms():
    assert room_double_booked(slot(1, room_id=1), slot(2, room_id=2), PARIS) is None


def test_room_double_booked_none_without_room():
    assert room_double_booked(slot(1, room_id=None), slot(2, room_id=None), PARIS) is None


def test_room_double_booked_times_follow_winter_time():
    winter = date(2014, 11, 5)  # UTC+1
    other = slot(2, title="Atelier", day=winter, start="14:00", end="15:30")
    conflict = room_double_booked(slot(1, day=winter, start="15:00", end="16:00"), other, PARIS)
    assert conflict is not None
    assert str(conflict.message) == "Room already taken by “Atelier” from 14:00 to 15:30."


# --- speaker_double_booked -------------------------------------------------------------------


def test_speaker_double_booked_in_another_room():
    candidate = slot(1, room_id=1, speakers=(1,), start="10:30", end="11:15")
    other = slot(2, title="Table ronde", room_id=2, speakers=(1,), start="10:00", end="10:45")
    assert speaker_double_booked(candidate, other, PARIS, NAMES) == [
        Conflict(
            "speakers",
            "speaker_double_booked",
            "Alice Martin already speaks in “Table ronde” from 10:00 to 10:45.",
            2,
        )
    ]


def test_speaker_double_booked_one_conflict_per_shared_speaker_by_name():
    candidate = slot(1, room_id=1, speakers=(3, 1, 2))
    other = slot(2, title="Panel", room_id=2, speakers=(3, 2, 9))
    conflicts = speaker_double_booked(candidate, other, PARIS, NAMES)
    assert [str(c.message) for c in conflicts] == [
        "Bruno Petit already speaks in “Panel” from 10:00 to 10:45.",
        "Chloé Durand already speaks in “Panel” from 10:00 to 10:45.",
    ]
    assert {c.other_talk_id for c in conflicts} == {2}


def test_speaker_double_booked_none_when_touching():
    first = slot(1, speakers=(1,), start="10:00", end="10:45", room_id=1)
    second = slot(2, speakers=(1,), start="10:45", end="11:30", room_id=2)
    assert speaker_double_booked(first, second, PARIS, NAMES) == []


def test_speaker_double_booked_none_without_shared_speaker():
    first = slot(1, speakers=(1,), room_id=1)
    second = slot(2, speakers=(2,), room_id=2)
    assert speaker_double_booked(first, second, PARIS, NAMES) == []


def test_speaker_double_booked_unknown_name_falls_back_to_the_id():
    conflicts = speaker_double_booked(slot(1, speakers=(7,)), slot(2, speakers=(7,)), PARIS, {})
    assert [str(c.message)[:3] for c in conflicts] == ["#7 "]


# --- check -----------------------------------------------------------------------------------


def test_check_lists_own_faults_then_room_then_speaker_clashes():
    candidate = slot(None, start="10:30", end="11:30", speakers=(1,), seat_limit=150)
    others = [
        slot(3, title="Later", start="11:00", end="12:00", room_id=1),
        slot(2, title="Earlier", start="10:00", end="10:45", room_id=2, speakers=(1,)),
        slot(4, title="Elsewhere", start="10:00", end="12:00", room_id=3),
    ]
    assert run_check(candidate, others, room_capacity=100) == [
        Conflict(
            "seat_limit",
            "seat_limit_above_capacity",
            "The seat limit (150) exceeds the capacity of the room (100).",
        ),
        Conflict(
            "room", "room_double_booked", "Room already taken by “Later” from 11:00 to 12:00.", 3
        ),
        Conflict(
            "speakers",
            "speaker_double_booked",
            "Alice Martin already speaks in “Earlier” from 10:00 to 10:45.",
            2,
        ),
    ]


def test_check_same_other_in_room_and_speaker():
    candidate = slot(None, speakers=(1,))
    other = slot(2, title="Twin", speakers=(1,))
    assert [c.code for c in run_check(candidate, [other])] == [
        "room_double_booked",
        "speaker_double_booked",
    ]


def test_check_skips_the_saved_version_of_the_candidate():
    saved = slot(5, start="10:00", end="10:45", speakers=(1,))
    edited = slot(5, start="10:15", end="11:00", speakers=(1,))
    assert run_check(edited, [saved]) == []


def test_check_cancelled_candidate_never_clashes_but_keeps_its_own_faults():
    candidate = slot(1, status=TalkStatus.CANCELLED, speakers=(1,), seat_limit=200)
    other = slot(2, speakers=(1,))
    assert [c.code for c in run_check(candidate, [other], room_capacity=100)] == [
        "seat_limit_above_capacity"
    ]


def test_check_cancelled_other_frees_room_and_speakers():
    other = slot(2, status=TalkStatus.CANCELLED, speakers=(1,))
    assert run_check(slot(1, speakers=(1,)), [other]) == []


def test_check_draft_other_occupies_the_room():
    other = slot(2, status=TalkStatus.DRAFT)
    assert [c.code for c in run_check(slot(1), [other])] == ["room_double_booked"]


def test_check_without_conflict_is_empty():
    others = [slot(2, start="09:00", end="10:00"), slot(3, start="10:45", end="11:30")]
    assert run_check(slot(1, start="10:00", end="10:45"), others) == []


def test_check_messages_are_lazy_and_read_in_french():
    app = Flask(__name__)
    Babel(app, default_translation_directories=str(TRANSLATIONS))
    conflicts = run_check(
        slot(None, speakers=(3,), seat_limit=80),
        [slot(2, title="Ouverture", speakers=(3,))],
        room_capacity=60,
    )
    assert all(isinstance(c.message, LazyString) for c in conflicts)
    with app.test_request_context(), force_locale("fr"):
        assert [str(c.message) for c in conflicts] == [
            "La jauge (80) dépasse la capacité de la salle (60).",
            "Salle déjà occupée par «\u202fOuverture\u202f» de 10:00 à 10:45.",
            "Chloé Durand intervient déjà dans «\u202fOuverture\u202f» de 10:00 à 10:45.",
        ]
        outside = outside_edition(slot(day=date(2014, 4, 4)), edition())
        assert outside is not None
        assert str(outside.message) == (
            "Une session doit avoir lieu pendant l'édition, du 2014-04-01 au 2014-04-03 "
            "(fuseau horaire\u202f: Europe/Paris)."
        )
        ends = ends_before_start(slot(start="10:00", end="10:00"))
        assert ends is not None
        assert str(ends.message) == "Une session doit se terminer après son début."


# --- conflicts_by_talk -----------------------------------------------------------------------


def _by_talk(slots: list[Slot], capacities: dict[int, int | None] | None = None):
    return conflicts_by_talk(
        slots, event=edition(), room_capacities=capacities or {}, speaker_names=NAMES
    )


def test_conflicts_by_talk_reports_both_sides_of_each_clash():
    a = slot(1, title="A", room_id=1, start="10:00", end="11:00")
    b = slot(2, title="B", room_id=1, start="10:30", end="11:30", speakers=(2,))
    c = slot(3, title="C", room_id=2, start="11:00", end="12:00", speakers=(2,))
    d = slot(4, title="D", room_id=2, start="12:00", end="13:00", speakers=(2,))
    assert _by_talk([a, b, c, d]) == {
        1: [Conflict(ROOM, ROOM_CODE, "Room already taken by “B” from 10:30 to 11:30.", 2)],
        2: [
            Conflict(ROOM, ROOM_CODE, "Room already taken by “A” from 10:00 to 11:00.", 1),
            Conflict(
                "speakers",
                "speaker_double_booked",
                "Bruno Petit already speaks in “C” from 11:00 to 12:00.",
                3,
            ),
        ],
        3: [
            Conflict(
                "speakers",
                "speaker_double_booked",
                "Bruno Petit already speaks in “B” from 10:30 to 11:30.",
                2,
            )
        ],
    }


def test_conflicts_by_talk_touching_chain_is_clean():
    chain = [
        slot(1, start="09:00", end="10:00", speakers=(1,)),
        slot(2, start="10:00", end="11:00", speakers=(1,)),
        slot(3, start="11:00", end="12:00", speakers=(1,)),
    ]
    assert _by_talk(chain) == {}


def test_conflicts_by_talk_includes_own_faults_with_room_capacities():
    slots = [
        slot(1, room_id=1, seat_limit=90),
        slot(2, room_id=2, seat_limit=90),
        slot(3, room_id=None, seat_limit=90, start="12:00", end="12:00"),
    ]
    result = _by_talk(slots, {1: 80, 2: None})
    assert {talk_id: [c.code for c in found] for talk_id, found in result.items()} == {
        1: ["seat_limit_above_capacity"],
        3: ["ends_before_start"],
    }


def test_conflicts_by_talk_ignores_cancelled_sessions():
    slots = [slot(1, speakers=(1,)), slot(2, speakers=(1,), status=TalkStatus.CANCELLED)]
    assert _by_talk(slots) == {}


def test_conflicts_by_talk_rejects_unsaved_or_repeated_talks():
    with pytest.raises(ValueError, match="distinct talk ids"):
        _by_talk([slot(None)])
    with pytest.raises(ValueError, match="distinct talk ids"):
        _by_talk([slot(1), slot(1, room_id=2)])


def test_conflicts_by_talk_matches_check_on_two_thousand_slots():
    slots = _generated(2000, seed=20140401)
    result = _by_talk(slots, dict.fromkeys(range(1, 11), 100))
    assert len(result) > 100  # the generated programme really has clashes
    for candidate in random.Random(7).sample(slots, 150):
        expected = check(
            candidate,
            slots,
            event=edition(),
            room_capacity=None if candidate.room_id is None else 100,
            speaker_names=NAMES,
        )
        assert result.get(candidate.talk_id, []) == expected, candidate
    room_clashes = sum(c.code == "room_double_booked" for found in result.values() for c in found)
    assert room_clashes % 2 == 0  # each clash is reported from both sides


# --- slot_of ---------------------------------------------------------------------------------


def test_slot_of_reduces_talk_data():
    room = Room(id=4, slug="amphi", name="Amphithéâtre", capacity=300)
    alice, bruno = Speaker(id=1, slug="a", name="Alice"), Speaker(id=2, slug="b", name="Bruno")
    data = TalkData(
        title="Ouverture",
        kind=TalkKind.KEYNOTE,
        starts_at=local(APRIL_1, "09:00"),
        ends_at=local(APRIL_1, "09:45"),
        status=TalkStatus.DRAFT,
        room=room,
        seat_limit=250,
        speakers=[(alice, SpeakerRole.SPEAKER), (bruno, SpeakerRole.MODERATOR)],
    )
    assert slot_of(12, data) == Slot(
        talk_id=12,
        title="Ouverture",
        starts_at=local(APRIL_1, "09:00"),
        ends_at=local(APRIL_1, "09:45"),
        room_id=4,
        speaker_ids=frozenset({1, 2}),
        status=TalkStatus.DRAFT,
        seat_limit=250,
        kind=TalkKind.KEYNOTE,
    )


def test_slot_of_new_session_without_room():
    data = TalkData(
        title="Pause",
        kind=TalkKind.BREAK,
        starts_at=local(APRIL_1, "10:30"),
        ends_at=local(APRIL_1, "11:00"),
    )
    made = slot_of(None, data)
    assert (made.talk_id, made.room_id, made.speaker_ids) == (None, None, frozenset())


# --- helpers ---------------------------------------------------------------------------------


def utc(month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2014, month, day, hour, minute, tzinfo=UTC)


def _utc_slot(starts: datetime, ends: datetime) -> Slot:
    return Slot(
        talk_id=1,
        title="Session",
        starts_at=starts,
        ends_at=ends,
        room_id=1,
        speaker_ids=frozenset(),
        status=TalkStatus.CONFIRMED,
        seat_limit=None,
        kind=TalkKind.TALK,
    )


def _generated(count: int, *, seed: int) -> list[Slot]:
    """A dense random programme: 10 rooms, 3 days, 300 speakers, a few drafts and cancellations."""
    rng = random.Random(seed)
    statuses = [TalkStatus.CONFIRMED] * 8 + [TalkStatus.DRAFT, TalkStatus.CANCELLED]
    slots = []
    for talk_id in range(1, count + 1):
        day = APRIL_1 + timedelta(days=rng.randrange(3))
        start = local(day, "08:00") + timedelta(minutes=5 * rng.randrange(120))
        slots.append(
            Slot(
                talk_id=talk_id,
                title=f"Session {talk_id}",
                starts_at=start,
                ends_at=start + timedelta(minutes=rng.choice((15, 30, 45, 60, 90))),
                room_id=rng.choice((None, *range(1, 11))),
                speaker_ids=frozenset(rng.sample(range(1, 301), rng.randrange(4))),
                status=rng.choice(statuses),
                seat_limit=rng.choice((None, 50, 150)),
                kind=TalkKind.TALK,
            )
        )
    return slots
