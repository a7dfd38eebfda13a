"""The conflict rule, decided once in ``programme.services`` for every caller.

Saving a talk whose slot breaks a rule of ``programme.conflicts`` raises
``services.SlotConflicts`` (a 409) and stores nothing, unless the caller
passes ``allow_conflicts=True``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from congress.audit.models import AuditEntry
from congress.core.models import Base
from congress.extensions import db
from congress.programme import conflicts, services
from congress.programme.models import SpeakerRole, Talk, TalkKind, TalkStatus
from tests.factories import make_event, make_room, make_speaker, make_talk, paris

pytestmark = pytest.mark.integration


def count(model: type[Base]) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def plan(app):
    """An edition with "Ouverture" in the Amphi on April 1st, 09:00-09:45, given by Alice."""
    event = make_event()
    amphi = make_room(event, "Amphi", capacity=100)
    salle = make_room(event, "Salle B", capacity=20)
    alice = make_speaker(event, "Alice")
    opening = make_talk(
        event,
        "Ouverture",
        starts_at=paris(1, "09:00"),
        room=amphi,
        speakers=[alice],
        allow_conflicts=False,
    )
    return event, amphi, salle, alice, opening


def talk_data(title: str, start: str, **values: object) -> services.TalkData:
    starts_at = paris(1, start)
    return services.TalkData(
        title=title,
        kind=values.pop("kind", TalkKind.TALK),
        status=TalkStatus.CONFIRMED,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        **values,
    )


def messages(error: services.SlotConflicts) -> list[tuple[str, str, str, str]]:
    return [
        (found.title, found.conflict.field, found.conflict.code, str(found.conflict.message))
        for found in error.found
    ]


def test_create_talk_refuses_a_room_taken_and_stores_nothing(plan):
    event, amphi, _, _, _ = plan
    talks, entries = count(Talk), count(AuditEntry)
    with pytest.raises(services.SlotConflicts) as refused:
        services.create_talk(event, talk_data("Menaces 2014", "09:15", room=amphi))
    assert refused.value.status_code == 409
    assert messages(refused.value) == [
        (
            "Menaces 2014",
            "room",
            "room_double_booked",
            "Salle déjà occupée par «\u202fOuverture\u202f» de 09:00 à 09:45.",
        )
    ]
    assert (refused.value.field, str(refused.value.message)) == (
        "room",
        "Salle déjà occupée par «\u202fOuverture\u202f» de 09:00 à 09:45.",
    )
    db.session.rollback()
    assert (count(Talk), count(AuditEntry)) == (talks, entries)


def test_create_talk_refuses_a_speaker_booked_twice_and_a_seat_limit_too_high(plan):
    event, _, salle, alice, _ = plan
    data = talk_data(
        "Atelier",
        "09:30",
        kind=TalkKind.WORKSHOP,
        room=salle,
        seat_limit=30,
        speakers=[(alice, SpeakerRole.SPEAKER)],
    )
    with pytest.raises(services.SlotConflicts) as refused:
        services.create_talk(event, data)
    assert messages(refused.value) == [
        (
            "Atelier",
            "seat_limit",
            "seat_limit_above_capacity",
            "La jauge (30) dépasse la capacité de la salle (20).",
        ),
        (
            "Atelier",
            "speakers",
            "speaker_double_booked",
            "Alice intervient déjà dans «\u202fOuverture\u202f» de 09:00 à 09:45.",
        ),
    ]


def test_create_talk_with_allow_conflicts_keeps_the_clash_for_the_grid(plan):
    event, amphi, _, _, opening = plan
    clash = services.create_talk(
        event, talk_data("Menaces 2014", "09:15", room=amphi), allow_conflicts=True
    )
    found = conflicts.conflicts_by_talk(
        conflicts.slots_for(event),
        event=event,
        room_capacities={amphi.id: amphi.capacity},
        speaker_names={},
    )
    assert {talk_id: [c.code for c in listed] for talk_id, listed in found.items()} == {
        opening.id: ["room_double_booked"],
        clash.id: ["room_double_booked"],
    }


def test_update_talk_refuses_a_move_into_a_taken_room_and_keeps_the_slot(plan):
    event, amphi, salle, _, _ = plan
    later = services.create_talk(event, talk_data("Menaces 2014", "09:15", room=salle))
    version, entries = event.programme_version, count(AuditEntry)
    data = services.talk_data(later)
    data.room = amphi
    with pytest.raises(services.SlotConflicts) as refused:
        services.update_talk(later, data)
    assert [code for _, _, code, _ in messages(refused.value)] == ["room_double_booked"]
    db.session.rollback()
    moved = db.session.get(Talk, later.id)
    assert (moved.room_id, moved.sequence) == (salle.id, 0)
    assert (event.programme_version, count(AuditEntry)) == (version, entries)


def test_move_talk_refuses_a_clash_unless_allowed(plan):
    event, amphi, salle, _, _ = plan
    later = services.create_talk(event, talk_data("Menaces 2014", "11:00", room=salle))
    with pytest.raises(services.SlotConflicts):
        services.move_talk(later, paris(1, "09:30"), paris(1, "10:15"), amphi)
    db.session.rollback()
    later = db.session.get(Talk, later.id)
    changed = services.move_talk(
        later, paris(1, "09:30"), paris(1, "10:15"), amphi, allow_conflicts=True
    )
    assert changed == ["starts_at", "ends_at", "room"]


def test_cancel_talk_is_never_refused_for_a_conflict(plan):
    event, amphi, _, _, _ = plan
    clash = services.create_talk(
        event, talk_data("Doublon", "09:15", room=amphi, seat_limit=500), allow_conflicts=True
    )
    services.cancel_talk(clash)
    assert db.session.get(Talk, clash.id).status is TalkStatus.CANCELLED
