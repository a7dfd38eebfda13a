"""The hand-assembled ``VEVENT`` lines are exactly what ``icalendar.Event`` would write.

``build_calendar`` writes events itself for speed (``ical._vevent``), with
icalendar's value classes for escaping. These tests pin the bytes to the
library's own output, so a client sees no difference at all; the parsers in
``test_ical.py`` check that those bytes mean what they should.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from icalendar.parser import Contentline

from congress.calendar.ical import IcsCalendar, IcsEvent, build_calendar, fold_line

pytestmark = pytest.mark.unit

DTSTAMP = datetime(2014, 3, 20, 12, 0, tzinfo=UTC)
START = datetime(2014, 4, 1, 7, 0, tzinfo=UTC)
# Characters that stress escaping and folding: multi-byte UTF-8 of every
# length, TEXT specials, and the two escape characters a fold must not split.
ALPHABET = "abcXYZ 019,;:\\^\"'é€𝄞«»—ŒçÉ\t"


def _reference_event(event: IcsEvent, tzid: str) -> bytes:
    """The event as ``icalendar.Event`` writes it, property by property."""
    zone = ZoneInfo(tzid)
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", DTSTAMP)
    vevent.add("dtstart", event.starts_at.astimezone(zone).replace(tzinfo=None), {"TZID": tzid})
    vevent.add("dtend", event.ends_at.astimezone(zone).replace(tzinfo=None), {"TZID": tzid})
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    vevent.add("location", event.location)
    if event.url:
        vevent.add("url", icalendar.vUri(event.url))
    if event.categories:
        vevent.add("categories", list(event.categories))
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("sequence", event.sequence)
    vevent.add("last-modified", event.last_modified.astimezone(UTC))
    if event.created is not None:
        vevent.add("created", event.created.astimezone(UTC))
    vevent.add("transp", "OPAQUE")
    return vevent.to_ical(sorted=False)


def _event(number: int, **changes: Any) -> IcsEvent:
    values: dict[str, Any] = {
        "uid": f"3f2c9a8e-5b1d-4c6e-9f0a-1b2c3d4e5f{number:02d}@congress.example",
        "summary": "Ouverture du congrès",
        "description": "Accueil des participants.",
        "starts_at": START + timedelta(hours=number),
        "ends_at": START + timedelta(hours=number, minutes=45),
        "location": "Amphithéâtre Molière, Palais des congrès, Le Mans",
        "url": "https://congress.example/sessions/ouverture?a=1,2;3",
        "categories": ("Plénière", "Gouvernance"),
        "cancelled": False,
        "sequence": number,
        "last_modified": datetime(2014, 3, 1, 10, 30, tzinfo=UTC),
        "created": datetime(2014, 2, 1, 9, 0, tzinfo=UTC),
    }
    values.update(changes)
    return IcsEvent(**values)


def _events_part(feed: bytes) -> bytes:
    return feed[feed.index(b"BEGIN:VEVENT") :]


def _random_text(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(length))


@pytest.mark.parametrize("tzid", ["Europe/Paris", "America/Argentina/Buenos_Aires", "UTC"])
def test_events_are_the_bytes_icalendar_writes(tzid):
    events = (
        _event(0),
        _event(
            1,
            summary="Sécurité : l'hôpital, le SI; «RGPD» \\ été",
            description=(
                "Première ligne, avec virgule; et point-virgule.\n"
                "Deuxième ligne — Œuvre, ça, garçon, Noël, naïve, Zoë.\r\n"
                "Chemin C:\\Données\\ et fin.\rSans retour \\N final."
            ),
            cancelled=True,
            categories=("Analyse d'attaque", "TLP:AMBER", "a,b;c"),
        ),
        _event(
            2,
            url=None,
            categories=(),
            created=None,
            description="",
            last_modified=datetime(2014, 3, 1, 10, 30, 15, 123456, tzinfo=UTC),
        ),
        _event(3, summary="x" * 66 + "\\" + "y" * 40, location="é" * 80),
    )
    calendar = IcsCalendar(
        name="APSSIS 2014 — programme", description="Le Mans", timezone=tzid, events=events
    )

    feed = build_calendar(calendar, dtstamp=DTSTAMP)

    expected = b"".join(_reference_event(event, tzid) for event in events)
    assert _events_part(feed) == expected + b"END:VCALENDAR\r\n"


def test_random_texts_are_the_bytes_icalendar_writes():
    rng = random.Random(5545)
    events = tuple(
        _event(
            number,
            summary=_random_text(rng, rng.randint(1, 160)),
            description=_random_text(rng, rng.randint(0, 400)),
            location=_random_text(rng, rng.randint(0, 90)),
            categories=tuple(_random_text(rng, rng.randint(1, 30)) for _ in range(3)),
        )
        for number in range(40)
    )
    calendar = IcsCalendar(name="Aléatoire", description="", timezone="Europe/Paris", events=events)

    feed = build_calendar(calendar, dtstamp=DTSTAMP)

    expected = b"".join(_reference_event(event, "Europe/Paris") for event in events)
    assert _events_part(feed) == expected + b"END:VCALENDAR\r\n"


def test_fold_line_matches_icalendar_on_random_lines():
    rng = random.Random(75)
    for _ in range(2000):
        line = "DESCRIPTION:" + _random_text(rng, rng.randint(0, 300))
        assert fold_line(line.encode()) == Contentline(line).to_ical(), line


@pytest.mark.parametrize("length", [73, 74, 75, 76, 148, 149, 150])
def test_fold_line_keeps_pieces_within_75_octets(length):
    folded = fold_line(("é" * length).encode())

    pieces = folded.split(b"\r\n")
    assert all(len(piece) <= 75 for piece in pieces)
    assert all(piece.startswith(b" ") for piece in pieces[1:])
    assert b"".join(piece.removeprefix(b" ") for piece in pieces).decode() == "é" * length


def test_fold_line_never_ends_a_piece_with_a_backslash():
    line = ("S" * 73 + "\\,suite").encode()

    assert fold_line(line) == b"S" * 73 + b"\r\n \\,suite"
