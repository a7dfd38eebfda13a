"""``slots_for`` against a real database: what occupies rooms, at a constant statement cost."""

from __future__ import annotations

from datetime import timedelta

import pytest

from congress.extensions import db
from congress.programme import queries
from congress.programme.conflicts import Slot, check, conflicts_by_talk, slot_of, slots_for
from congress.programme.models import TalkKind, TalkStatus
from congress.programme.services import talk_data
from tests.factories import make_event, make_programme, make_room, make_speaker, make_talk, paris
from tests.sql import sql_statements

pytestmark = pytest.mark.integration


def test_slots_for_keeps_drafts_and_drops_cancelled_talks(app):
    event = make_event()
    room = make_room(event, "Amphi", capacity=300)
    alice, bruno = make_speaker(event, "Alice Martin"), make_speaker(event, "Bruno Petit")
    draft = make_talk(
        event,
        "Brouillon",
        starts_at=paris(1, "10:00"),
        status=TalkStatus.DRAFT,
        room=room,
        speakers=[alice, bruno],
        seat_limit=120,
        kind=TalkKind.WORKSHOP,
    )
    confirmed = make_talk(event, "Ouverture", starts_at=paris(1, "09:00"), room=room)
    make_talk(event, "Table ronde", starts_at=paris(1, "10:00"), room=room, speakers=[alice])
    cancelled = make_talk(
        event, "Annulée", starts_at=paris(1, "10:00"), room=room, status=TalkStatus.CANCELLED
    )
    other_edition = make_event()
    make_talk(other_edition, "Ailleurs", starts_at=paris(1, "10:00"))

    slots = slots_for(event)

    assert [slot.title for slot in slots] == ["Ouverture", "Brouillon", "Table ronde"]
    assert cancelled.id not in {slot.talk_id for slot in slots}
    assert slots[0].talk_id == confirmed.id
    assert slots[1] == Slot(
        talk_id=draft.id,
        title="Brouillon",
        starts_at=paris(1, "10:00"),
        ends_at=paris(1, "10:45"),
        room_id=room.id,
        speaker_ids=frozenset({alice.id, bruno.id}),
        status=TalkStatus.DRAFT,
        seat_limit=120,
        kind=TalkKind.WORKSHOP,
    )
    assert slots[1].starts_at.tzinfo is not None
    assert slots[1].starts_at.utcoffset() == timedelta(0)
    assert type(slots[1].status) is TalkStatus
    assert type(slots[1].kind) is TalkKind


def test_slots_for_matches_slot_of_the_talk_data(app):
    event = make_event()
    room = make_room(event)
    talk = make_talk(
        event, starts_at=paris(2, "14:00"), room=room, speakers=[make_speaker(event)], seat_limit=40
    )
    assert slots_for(event) == [slot_of(talk.id, talk_data(talk))]


def test_slots_for_costs_two_statements_at_any_size(app):
    event = make_event()
    make_programme(event, 10)
    db.session.refresh(event)  # the editor's page has its edition loaded already
    with sql_statements() as small:
        assert len(slots_for(event)) == 10
    make_programme(event, 90)
    db.session.refresh(event)
    with sql_statements() as large:
        assert len(slots_for(event)) == 100
    assert len(small) == len(large) == 2


def test_slots_for_feeds_the_day_grid_in_french(app):
    event = make_event()
    small = make_room(event, "Salle 1", capacity=50)
    alice = make_speaker(event, "Alice Martin")
    first = make_talk(event, "Ouverture", starts_at=paris(1, "10:00"), room=small, speakers=[alice])
    second = make_talk(
        event, "Atelier", starts_at=paris(1, "10:30"), room=small, speakers=[alice], seat_limit=60
    )
    slots = slots_for(event)
    capacities = {room.id: room.capacity for room in queries.rooms(event)}
    names = {alice.id: alice.name}

    result = conflicts_by_talk(slots, event=event, room_capacities=capacities, speaker_names=names)

    assert {talk_id: [str(c.message) for c in found] for talk_id, found in result.items()} == {
        first.id: [
            "Salle déjà occupée par «\u202fAtelier\u202f» de 10:30 à 11:15.",
            "Alice Martin intervient déjà dans «\u202fAtelier\u202f» de 10:30 à 11:15.",
        ],
        second.id: [
            "La jauge (60) dépasse la capacité de la salle (50).",
            "Salle déjà occupée par «\u202fOuverture\u202f» de 10:00 à 10:45.",
            "Alice Martin intervient déjà dans «\u202fOuverture\u202f» de 10:00 à 10:45.",
        ],
    }
    moved = talk_data(second)
    moved.starts_at, moved.ends_at = paris(1, "10:45"), paris(1, "11:30")
    assert [
        c.code
        for c in check(
            slot_of(second.id, moved),
            slots,
            event=event,
            room_capacity=small.capacity,
            speaker_names=names,
        )
    ] == ["seat_limit_above_capacity"]
