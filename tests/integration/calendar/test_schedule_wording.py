"""A cancelled session in ``/schedule.xml`` and ``/schedule.json``: the ``.ics`` wording.

The schedule files speak the edition's default language (French) whatever the
visitor's, as their other fixed words do; the ``.ics`` feeds follow the visitor.
"""

from __future__ import annotations

import pytest

from congress.programme import services
from tests.factories import make_event, make_room, make_talk, paris

pytestmark = pytest.mark.integration

TITLE = "Table ronde : cloud de santé"


@pytest.fixture
def cancelled(app):
    event = make_event()
    talk = make_talk(event, TITLE, starts_at=paris(1, "14:00"), room=make_room(event, "Amphi"))
    services.cancel_talk(talk)
    return talk


@pytest.mark.parametrize("query", ["", "?lang=en"], ids=["default", "english-visitor"])
def test_schedule_files_mark_a_cancelled_title_as_the_french_ics_does(client, cancelled, query):
    ics = client.get("/programme.ics").get_data(as_text=True)
    assert f"SUMMARY:[Annulé] {TITLE}" in ics.replace("\r\n ", "")
    xml = client.get(f"/schedule.xml{query}").get_data(as_text=True)
    assert f"<title>[Annulé] {TITLE}</title>" in xml
    document = client.get(f"/schedule.json{query}").get_json()
    (events,) = document["schedule"]["conference"]["days"][0]["rooms"].values()
    assert [event["title"] for event in events] == [f"[Annulé] {TITLE}"]


def test_ics_follows_the_visitor_while_schedule_files_do_not(client, cancelled):
    ics = client.get("/programme.ics?lang=en").get_data(as_text=True)
    assert f"SUMMARY:[Cancelled] {TITLE}" in ics.replace("\r\n ", "")
    assert "[Cancelled]" not in client.get("/schedule.xml?lang=en").get_data(as_text=True)
