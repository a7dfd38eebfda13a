"""A personal agenda warns of clashes: nothing is taken silently, the choice is the attendee's."""

from __future__ import annotations

import pytest

from congress.extensions import db
from congress.registration import capacity, services
from congress.registration.agenda import AgendaClash, ClashChoice
from congress.registration.models import AgendaItem
from tests.factories import make_category, make_event, make_registration, make_talk, paris
from tests.http import submit

pytestmark = pytest.mark.integration


@pytest.fixture
def day(app):
    """A confirmed attendee with a 10:00 talk chosen, and what overlaps it."""
    event = make_event()
    attendee, token = make_registration(event, make_category(event), "a@chu-exemple.fr")
    talk = make_talk(event, "Menaces", starts_at=paris(1, "10:00"), minutes=60)
    workshop = make_talk(event, "Atelier PGSSI-S", starts_at=paris(1, "10:30"), seat_limit=2)
    after = make_talk(event, "Ensuite", starts_at=paris(1, "11:00"))  # starts as Menaces ends
    services.add_to_agenda(attendee, talk)
    return attendee, token, talk, workshop, after


def _agenda(attendee) -> set[str]:
    db.session.expire_all()
    items = db.session.scalars(
        db.select(AgendaItem).where(AgendaItem.registration_id == attendee.id)
    )
    return {item.talk.title for item in items}


def test_overlapping_session_is_refused_until_the_attendee_chooses(day):
    attendee, _token, _talk, workshop, _after = day
    with pytest.raises(AgendaClash) as raised:
        services.add_to_agenda(attendee, workshop)
    assert [other.title for other in raised.value.clashing] == ["Menaces"]
    assert _agenda(attendee) == {"Menaces"}
    assert capacity.seats_taken([workshop.id]) == {}  # no workshop seat taken


def test_keep_both_adds_and_takes_the_seat(day):
    attendee, _token, _talk, workshop, _after = day
    services.add_to_agenda(attendee, workshop, on_clash=ClashChoice.KEEP_BOTH)
    assert _agenda(attendee) == {"Menaces", "Atelier PGSSI-S"}
    assert capacity.seats_taken([workshop.id]) == {workshop.id: 1}


def test_replace_removes_the_clashing_choice_and_releases_its_seat(day):
    attendee, _token, talk, workshop, _after = day
    services.add_to_agenda(attendee, workshop, on_clash=ClashChoice.KEEP_BOTH)
    services.remove_from_agenda(attendee, talk.id)
    services.add_to_agenda(attendee, talk, on_clash=ClashChoice.REPLACE)
    assert _agenda(attendee) == {"Menaces"}
    assert capacity.seats_taken([workshop.id]) == {workshop.id: 0}


def test_replacement_into_a_full_workshop_changes_nothing(day):
    attendee, _token, _talk, workshop, _after = day
    event = attendee.event
    for index in range(2):
        other, _ = make_registration(event, make_category(event), f"o{index}@chu-exemple.fr")
        services.add_to_agenda(other, workshop)
    with pytest.raises(services.CapacityReached):
        services.add_to_agenda(attendee, workshop, on_clash=ClashChoice.REPLACE)
    assert _agenda(attendee) == {"Menaces"}


def test_back_to_back_sessions_do_not_clash(day):
    attendee, _token, _talk, _workshop, after = day
    services.add_to_agenda(attendee, after)
    assert _agenda(attendee) == {"Menaces", "Ensuite"}


def test_agenda_page_asks_then_marks_the_overlap(client, day):
    attendee, token, _talk, workshop, _after = day
    asked = submit(client, f"/r/{token}/agenda", {"talk": workshop.id, "action": "add"})
    assert asked.status_code == 409
    html = asked.text
    assert "«\u202fAtelier PGSSI-S\u202f» chevauche votre agenda" in html
    assert "Rien n'a encore changé." in html
    assert 'name="clash" value="replace"' in html
    assert _agenda(attendee) == {"Menaces"}

    kept = submit(
        client, f"/r/{token}/agenda", {"talk": workshop.id, "action": "add", "clash": "keep"}
    )
    assert kept.status_code == 302
    page = client.get(f"/r/{token}/agenda").text
    assert page.count('class="clash-note"') == 2
    assert "Chevauche dans votre agenda\u202f: Atelier PGSSI-S" in page
    assert "Chevauche dans votre agenda\u202f: Menaces" in page


def test_unknown_clash_choice_is_a_bad_request(client, day):
    _attendee, token, _talk, workshop, _after = day
    answer = submit(
        client, f"/r/{token}/agenda", {"talk": workshop.id, "action": "add", "clash": "both"}
    )
    assert answer.status_code == 400
