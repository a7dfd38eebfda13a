"""``schedule.xml`` is written as text, in exactly ElementTree's bytes.

The builder writes the document itself for speed. Parsing it and writing it
again with ElementTree (``indent`` then ``tostring``, as the builder used to)
must give the same bytes: any difference in escaping, indentation or empty
elements would show. What the document means is checked in ``test_schedule.py``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # parses our own output only
from datetime import UTC, date, datetime, timedelta

import pytest

from congress.calendar.schedule import XML_DECLARATION, ScheduleContext, build_schedule_xml
from congress.edition.models import Event
from congress.programme.models import (
    Disclosure,
    Room,
    Speaker,
    SpeakerRole,
    Talk,
    TalkKind,
    TalkSpeaker,
    TalkStatus,
    Track,
)

pytestmark = pytest.mark.unit

TRICKY = "<b>Sécurité</b> & \"santé\" 'SI' ]]> a>b\ttab\nligne\x01\x0b€𝄞"


def _rewritten_by_elementtree(document: bytes) -> bytes:
    root = ET.fromstring(document)  # noqa: S314 - bytes this test has just built
    ET.indent(root, space="")
    return XML_DECLARATION + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def _context(talk_count: int, *, with_rooms: bool = True) -> ScheduleContext:
    event = Event(
        id=1,
        slug="cnssis-2014",
        name=f"Congrès {TRICKY}",
        acronym="CNSSIS",
        venue="Centre des congrès",
        address="Rue d'Arcole",
        city="Le Mans",
        timezone="Europe/Paris",
        first_day=date(2014, 4, 1),
        last_day=date(2014, 4, 3),
        description="",
    )
    rooms = [
        Room(id=1, event=event, slug="amphi", name=f"Amphi {TRICKY}", capacity=400, position=0),
        Room(id=2, event=event, slug="vide", name="Salle jamais utilisée", capacity=None),
    ]
    tracks = [
        Track(id=1, event=event, slug="menaces", name=f"Menaces {TRICKY}", colour="#C53"),
        Track(id=2, event=event, slug="Pas un slug", name="Gouvernance", colour="bleu"),
    ]
    people = [
        Speaker(id=7, event=event, slug="alice", name=f"Alice {TRICKY}", uid=None),
        Speaker(event=event, slug="bob", name="Bob", uid="5e1d0c3b-7a2f-4b8e-8d6c-2a9f0e1b3c01"),
    ]
    talks = []
    for number in range(1, talk_count + 1):
        talks.append(
            Talk(
                id=number,
                uid=f"0b1f8f0e-5a43-4d7e-9c1a-1f0f2b9d{number:04d}",
                event=event,
                slug=f"session-{number}",
                title=f"Titre {number} {TRICKY}" if number % 2 else " ",
                abstract=TRICKY if number % 3 else "",
                kind=TalkKind.TALK,
                status=TalkStatus.CANCELLED if number % 4 == 0 else TalkStatus.CONFIRMED,
                disclosure=Disclosure.TLP_GREEN if number % 5 == 0 else Disclosure.NONE,
                language="fr" if number % 2 else "",
                sequence=0,
                starts_at=datetime(2014, 4, 1 + number % 3, 7, 0, tzinfo=UTC)
                + timedelta(minutes=15 * number),
                ends_at=datetime(2014, 4, 1 + number % 3, 8, 0, tzinfo=UTC)
                + timedelta(minutes=15 * number),
                room=rooms[0] if number % 2 else None,
                track=tracks[number % 2] if number % 3 else None,
                speaker_links=[
                    TalkSpeaker(speaker=person, position=index, role=SpeakerRole.SPEAKER)
                    for index, person in enumerate(people[: number % 3])
                ],
            )
        )
    return ScheduleContext(
        event=event,
        rooms=rooms if with_rooms else [],
        tracks=tracks,
        talks=talks,
        base_url="https://congres.example/a&b",
        version="42",
        uid_domain="congres.example",
    )


@pytest.mark.parametrize(
    ("talk_count", "with_rooms"), [(0, True), (0, False), (1, True), (12, True)]
)
def test_schedule_xml_is_elementtree_bytes(talk_count, with_rooms):
    document = build_schedule_xml(_context(talk_count, with_rooms=with_rooms))

    assert document == _rewritten_by_elementtree(document)


def test_schedule_xml_escapes_text_and_attributes():
    document = build_schedule_xml(_context(1)).decode()

    assert (
        "<title>Congrès &lt;b&gt;Sécurité&lt;/b&gt; &amp; \"santé\" 'SI' ]]&gt; a&gt;b" in document
    )
    assert '<room name="Amphi &lt;b&gt;Sécurité&lt;/b&gt; &amp; &quot;santé&quot;' in document
    assert 'a&gt;b&#09;tab&#10;ligne€𝄞" guid=' in document
    assert "\x01" not in document
    assert "\x0b" not in document
    assert '<room name="Salle jamais utilisée" guid="' in document
    assert "<subtitle />" in document
