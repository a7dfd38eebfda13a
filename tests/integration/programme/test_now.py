from datetime import UTC, datetime

import pytest

from congress.core import clock
from tests.factories import make_event, make_room, make_talk, paris

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(app):
    event = make_event()
    room = make_room(event, "Amphi")
    make_talk(event, "Ouverture", starts_at=paris(1, "09:00"), minutes=60, room=room)
    make_talk(event, "Suite", starts_at=paris(1, "10:30"), minutes=30, room=room)
    make_talk(event, "Clôture", starts_at=paris(3, "17:00"), minutes=30, room=room)
    yield event
    clock.set_clock(None)


def _at(moment: datetime) -> None:
    clock.set_clock(lambda: moment)


def test_now_during_a_session(client, programme):
    _at(paris(1, "09:40"))
    html = client.get("/now").get_data(as_text=True)
    now_part, next_part = html.split("Dans l'heure qui vient")
    assert "Ouverture" in now_part
    assert "Suite" in next_part
    assert "Il est 09:40 au Mans (Europe/Paris)." in html


def test_now_before_the_congress_says_so(client, programme):
    _at(datetime(2014, 3, 20, 12, 0, tzinfo=UTC))
    html = client.get("/now").get_data(as_text=True)
    assert "Le congrès n'a pas encore commencé. Il ouvre le mardi 1er avril 2014" in html
    assert "Ouverture" in html
    assert "Clôture" not in html


def test_now_after_the_congress_shows_last_day(client, programme):
    _at(datetime(2014, 4, 10, 12, 0, tzinfo=UTC))
    html = client.get("/now").get_data(as_text=True)
    assert "Le congrès est terminé. Son dernier jour était le jeudi 3 avril 2014" in html
    assert "Clôture" in html
    assert "Ouverture" not in html


def test_now_between_sessions(client, programme):
    _at(paris(1, "20:00"))
    html = client.get("/now").get_data(as_text=True)
    assert "Aucune session n'est en cours." in html
    assert "Aucune session ne commence dans l'heure qui vient." in html
