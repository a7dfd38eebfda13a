"""``location_text``: a feed's LOCATION joins only the parts an edition has filled in.

An edition created by ``flask congress import`` has no venue, address or city
until organisers enter them; its feeds must not show "Amphithéâtre Pasteur, , ".
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from congress.calendar.ical import IcsCalendar, IcsEvent, build_calendar, location_text

pytestmark = pytest.mark.unit

START = datetime(2025, 3, 29, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("Amphithéâtre Pasteur", "", ""), "Amphithéâtre Pasteur"),
        (
            ("Amphithéâtre Pasteur", "Palais des congrès", "Le Mans"),
            "Amphithéâtre Pasteur, Palais des congrès, Le Mans",
        ),
        (("Amphithéâtre Pasteur", "", "Le Mans"), "Amphithéâtre Pasteur, Le Mans"),
        (("", "Palais des congrès", ""), "Palais des congrès"),
        ((None, " ", "\t", "Le Mans"), "Le Mans"),
        ((" Salle B ", "Le Mans "), "Salle B, Le Mans"),
        (("", "", ""), ""),
        ((), ""),
    ],
)
def test_location_text_skips_empty_parts(parts, expected):
    assert location_text(*parts) == expected


def test_location_of_an_edition_without_venue_or_city_is_the_room_name():
    event = IcsEvent(
        uid="0b7c5a40-0001-4c1d-9e1a-000000000001@congress.example",
        summary="Chiffrer les sauvegardes",
        description="",
        starts_at=START,
        ends_at=START.replace(hour=10),
        location=location_text("Amphithéâtre Pasteur", "", ""),
        url=None,
        categories=(),
        cancelled=False,
        sequence=0,
        last_modified=START,
    )
    feed = build_calendar(
        IcsCalendar(name="Programme", description="", timezone="Europe/Paris", events=(event,)),
        dtstamp=START,
    )
    lines = feed.decode().replace("\r\n ", "").split("\r\n")
    assert [line for line in lines if line.startswith("LOCATION")] == [
        "LOCATION:Amphithéâtre Pasteur"
    ]
