"""A session's change reaches the copy an attendee downloaded once, through the e-mail.

The change and cancellation e-mails carry the session as a calendar object:
read back with the parsers the feeds are checked with (ical, vobject, ics and
ical.js, Thunderbird's library), it has the UID of the session's own download,
a higher SEQUENCE, the new times, and ``STATUS:CANCELLED`` once cancelled.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest

from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.programme import services as programme
from congress.registration import services
from tests.factories import (
    make_category,
    make_event,
    make_registration,
    make_room,
    make_talk,
    paris,
)
from tests.integration.calendar.test_feeds import PARSERS
from tests.integration.calendar.test_icaljs import _icaljs

pytestmark = pytest.mark.integration


@pytest.fixture
def chosen(app):
    """A talk in a confirmed French and a confirmed English attendee's agenda."""
    event = make_event()
    category = make_category(event)
    talk = make_talk(event, "Menaces", room=make_room(event, "Amphi"), starts_at=paris(1, "09:00"))
    french, _ = make_registration(event, category, "fr@chu-exemple.fr")
    english, _ = make_registration(event, category, "en@chu-exemple.fr")
    english.language = "en"
    db.session.commit()
    for registration in (french, english):
        services.add_to_agenda(registration, talk)
    return talk


def _attachments() -> dict[str, list[dict[str, str]]]:
    """The change e-mails' attachments, by recipient, oldest first."""
    found: dict[str, list[dict[str, str]]] = {}
    messages = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.kind == "programme_change")
        .order_by(OutboxMessage.id)
    )
    for message in messages:
        found.setdefault(message.to_address, []).extend(message.attachments)
    return found


def _read_everywhere(text: str, tmp_path: Path) -> list:
    """The one VEVENT as each parser reads it; all must agree."""
    readings = [parse(text) for parse in PARSERS.values()]
    for reading in readings:
        assert len(reading) == 1
    first = readings[0][0]
    for reading in readings[1:]:
        assert (reading[0].uid, reading[0].sequence, reading[0].start, reading[0].status) == (
            first.uid,
            first.sequence,
            first.start,
            first.status,
        )
    path = tmp_path / "attached.ics"
    path.write_text(text, encoding="utf-8")
    (thunderbird,) = _icaljs(path)["events"]
    assert (thunderbird["uid"], thunderbird["sequence"]) == (first.uid, first.sequence)
    assert thunderbird["status"] == first.status
    return readings[0]


def test_moved_session_email_carries_same_uid_and_higher_sequence(client, chosen, tmp_path):
    download = client.get(f"/sessions/{chosen.slug}.ics").get_data(as_text=True)
    (before,) = PARSERS["ical"](download)

    programme.move_talk(
        chosen,
        chosen.starts_at + timedelta(hours=2),
        chosen.ends_at + timedelta(hours=2),
        chosen.room,
    )

    attachments = _attachments()
    (attached,) = attachments["fr@chu-exemple.fr"]
    assert attached["filename"] == f"{chosen.slug}.ics"
    assert attached["content_type"] == "text/calendar; method=PUBLISH; charset=utf-8"
    (after,) = _read_everywhere(attached["content"], tmp_path)
    assert after.uid == before.uid
    assert after.sequence == before.sequence + 1
    assert after.start == paris(1, "11:00").astimezone(UTC)
    assert after.status == "CONFIRMED"
    assert after.summary == "Menaces"


def test_cancelled_session_email_carries_cancelled_status_in_each_language(
    client, chosen, tmp_path
):
    download = client.get(f"/sessions/{chosen.slug}.ics").get_data(as_text=True)
    (before,) = PARSERS["ical"](download)

    programme.cancel_talk(chosen)

    attachments = _attachments()
    (french,) = _read_everywhere(attachments["fr@chu-exemple.fr"][0]["content"], tmp_path)
    (english,) = _read_everywhere(attachments["en@chu-exemple.fr"][0]["content"], tmp_path)
    for reading in (french, english):
        assert reading.uid == before.uid
        assert reading.sequence > before.sequence
        assert reading.status == "CANCELLED"
    assert french.summary == "[Annulé] Menaces"
    assert english.summary == "[Cancelled] Menaces"
