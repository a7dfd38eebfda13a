"""The venue's screens (/now/screen): each room's session now and next, at the clock's time."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from congress.core import clock
from congress.programme import services
from tests.factories import make_event, make_room, make_speaker, make_talk, paris

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(app):
    event = make_event()
    amphi = make_room(event, "Amphi")
    salle = make_room(event, "Salle B")
    alice = make_speaker(event, "Alice Martin")
    make_talk(event, "Ouverture", starts_at=paris(1, "09:00"), minutes=60, room=amphi)
    make_talk(
        event,
        "Rançongiciels",
        starts_at=paris(1, "10:30"),
        minutes=30,
        room=amphi,
        speakers=[alice],
    )
    atelier = make_talk(event, "Atelier PGSSI-S", starts_at=paris(1, "09:30"), room=salle)
    make_talk(event, "Clôture", starts_at=paris(3, "17:00"), minutes=30, room=amphi)
    yield event, atelier
    clock.set_clock(None)


def _at(moment: datetime) -> None:
    clock.set_clock(lambda: moment)


def _slots(html: str) -> list[tuple[str, str]]:
    """(label, title or "Aucune session") of each slot, in page order."""
    found = []
    for slot in re.findall(r'<div class="screen-slot">(.*?)</div>', html, re.S):
        label = re.search(r'class="screen-label">([^<]+)<', slot).group(1)
        title = re.search(r'class="screen-(?:title|empty)">([^<]+)<', slot).group(1)
        found.append((label, title))
    return found


def test_all_rooms_screen_shows_now_and_next_per_room(client, programme):
    _at(paris(1, "09:40"))
    response = client.get("/now/screen")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _slots(html) == [
        ("Maintenant", "Ouverture"),
        ("Ensuite", "Rançongiciels"),
        ("Maintenant", "Atelier PGSSI-S"),
        ("Ensuite", "Aucune session"),
    ]
    assert '<noscript><meta http-equiv="refresh" content="60"></noscript>' in html
    assert '<script src="/static/js/screen.js" defer></script>' in html
    assert "Mis à jour à 09:40\u202f; cet écran s'actualise chaque minute." in html
    assert response.headers["Cache-Control"] == "public, max-age=30"


def test_room_screen_shows_only_that_room_with_its_speakers(client, programme):
    _at(paris(1, "10:05"))
    html = client.get("/now/screen/amphi").get_data(as_text=True)
    assert "<h1>Amphi</h1>" in html
    assert _slots(html) == [("Maintenant", "Aucune session"), ("Ensuite", "Rançongiciels")]
    assert '<p class="screen-speakers">Alice Martin</p>' in html
    assert "Atelier" not in html


def test_cancelled_session_stays_on_screen_marked_cancelled(client, programme):
    _event, atelier = programme
    services.cancel_talk(atelier)
    _at(paris(1, "09:40"))
    html = client.get("/now/screen/salle-b").get_data(as_text=True)
    assert _slots(html)[0] == ("Maintenant", "Atelier PGSSI-S")
    assert "<strong>Annulée</strong>" in html


def test_before_the_congress_the_screen_shows_the_first_day_to_come(client, programme):
    _at(datetime(2014, 3, 20, 8, 0, tzinfo=paris(1, "09:00").tzinfo))
    html = client.get("/now/screen").get_data(as_text=True)
    assert "Programme du mardi 1er avril 2014" in html
    assert _slots(html)[:2] == [("Maintenant", "Aucune session"), ("Ensuite", "Ouverture")]


def test_after_the_congress_nothing_is_on_or_next(client, programme):
    _at(paris(3, "20:00").replace(day=10))
    html = client.get("/now/screen/amphi").get_data(as_text=True)
    assert "Programme du jeudi 3 avril 2014" in html
    assert _slots(html) == [("Maintenant", "Aucune session"), ("Ensuite", "Aucune session")]


def test_screen_speaks_english(client, programme):
    _at(paris(1, "09:40"))
    html = client.get("/now/screen?lang=en").get_data(as_text=True)
    assert '<html lang="en" data-refresh="60">' in html
    assert _slots(html)[:2] == [("Now", "Ouverture"), ("Next", "Rançongiciels")]


def test_unknown_room_screen_is_404(client, programme):
    assert client.get("/now/screen/nope").status_code == 404
