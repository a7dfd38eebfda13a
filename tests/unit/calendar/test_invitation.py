"""``build_invitation``: the congress days' invitation, from plain values only.

The calendar sits below registration: the builder is given ``InvitationFacts``
and needs neither a database nor a ``Registration`` (registration flattens its
rows into these facts, see ``registration.invitation``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from congress.calendar.invitation import InvitationFacts, build_invitation
from congress.core.clock import set_clock

pytestmark = pytest.mark.unit

STAMP = datetime(2014, 3, 10, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    set_clock(lambda: STAMP)
    try:
        yield
    finally:
        set_clock(None)


def facts(**overrides: object) -> InvitationFacts:
    values: dict[str, object] = {
        "uid": "r-1",
        "sequence": 2,
        "attendee_name": "Marie Curie",
        "attendee_email": "marie@chu-exemple.fr",
        "days": (date(2014, 4, 1), date(2014, 4, 3)),
        "timezone": "Europe/Paris",
        "summary": "TEST – Le Mans",
        "location": "Centre des congrès, Le Mans",
        "organizer_name": "Congrès APSSIS",
        "organizer_address": "no-reply@apssis.example",
    }
    values.update(overrides)
    return InvitationFacts(**values)  # type: ignore[arg-type]


def vevents(content: str) -> list[list[str]]:
    lines = content.replace("\r\n ", "").split("\r\n")
    events: list[list[str]] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            events.append([])
        elif events and events[-1][-1:] != ["END:VEVENT"]:
            events[-1].append(line)
    return [event[:-1] for event in events]


def test_invitation_has_one_event_per_chosen_day_from_the_facts():
    content = build_invitation(facts(), uid_domain="congress.test")
    assert content.startswith(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//APSSIS//congress//FR\r\n"
        "CALSCALE:GREGORIAN\r\nMETHOD:REQUEST\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"
    )
    assert vevents(content) == [
        [
            "SUMMARY:TEST – Le Mans",
            f"DTSTART;TZID=Europe/Paris:2014040{day}T083000",
            f"DTEND;TZID=Europe/Paris:2014040{day}T183000",
            "DTSTAMP:20140310T100000Z",
            f"UID:r-1-2014-04-0{day}@congress.test",
            "SEQUENCE:2",
            'ATTENDEE;CN="Marie Curie";PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=FALSE'
            ":mailto:marie@chu-exemple.fr",
            "LOCATION:Centre des congrès\\, Le Mans",
            'ORGANIZER;CN="Congrès APSSIS":mailto:no-reply@apssis.example',
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
        ]
        for day in (1, 3)
    ]
    assert content.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")


def test_invitation_times_are_the_facts_zone_wall_times():
    content = build_invitation(
        facts(days=(date(2014, 4, 2),), timezone="America/New_York"), uid_domain="congress.test"
    )
    (event,) = vevents(content)
    assert event[1:3] == [
        "DTSTART;TZID=America/New_York:20140402T083000",
        "DTEND;TZID=America/New_York:20140402T183000",
    ]
    assert "TZID:America/New_York" in content.split("\r\n")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"days": ()}, "an invitation needs at least one day"),
        ({"uid": ""}, "an invitation needs a UID"),
        ({"sequence": -1}, "SEQUENCE cannot be negative"),
    ],
)
def test_invitation_facts_refuse_values_without_a_valid_event(overrides, message):
    with pytest.raises(ValueError, match=message):
        facts(**overrides)
