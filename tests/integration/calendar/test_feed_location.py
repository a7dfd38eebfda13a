"""Feeds and invitations of an edition whose venue, address or city is still empty.

``flask congress import`` creates the edition from a schedule file, which names
rooms but no venue or city: until organisers fill them in, a LOCATION holds only
what is known ("Auditorium"), never "Auditorium, , ".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from congress.programme.models import TalkStatus
from congress.registration.invitation import congress_days_invitation
from tests.factories import make_category, make_event, make_registration, make_room, make_talk

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def unfolded(content: bytes | str) -> list[str]:
    text = content.decode() if isinstance(content, bytes) else content
    return text.replace("\r\n ", "").split("\r\n")


def properties(content: bytes | str, name: str) -> list[str]:
    return [line for line in unfolded(content) if line.startswith(f"{name}:")]


def test_feed_of_an_imported_edition_names_only_the_rooms(cli, client):
    result = cli.invoke(args=["congress", "import", str(FIXTURES / "schedule.xml")])
    assert result.exit_code == 0, result.output
    response = client.get("/programme.ics")
    assert response.status_code == 200
    assert sorted(properties(response.data, "LOCATION")) == [
        "LOCATION:Atelier",
        "LOCATION:Atelier",
        "LOCATION:Auditorium",
        "LOCATION:Auditorium",
        "LOCATION:Auditorium",
    ]
    assert properties(response.data, "X-WR-CALDESC") == [
        "X-WR-CALDESC:Journées de printemps de la sécurité"
    ]


def test_feed_location_leaves_out_a_missing_city(client):
    event = make_event(venue="Palais des congrès", address="", city="")
    room = make_room(event, "Amphithéâtre Pasteur")
    make_talk(event, room=room, status=TalkStatus.CONFIRMED)
    response = client.get("/programme.ics")
    assert response.status_code == 200
    assert properties(response.data, "LOCATION") == [
        "LOCATION:Amphithéâtre Pasteur\\, Palais des congrès"
    ]


def test_invitation_location_leaves_out_a_missing_address(app):
    event = make_event(
        venue="Palais des congrès",
        address="",
        city="Le Mans",
        first_day=date(2014, 4, 1),
        last_day=date(2014, 4, 1),
    )
    registration, _ = make_registration(event, make_category(event), days=[date(2014, 4, 1)])
    content = congress_days_invitation(
        registration, organizer="Congrès <congres@example.org>", uid_domain="congress.test"
    )
    assert properties(content, "LOCATION") == ["LOCATION:Palais des congrès\\, Le Mans"]
