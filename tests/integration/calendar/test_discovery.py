"""Every place a feed should be found links it, in the page's language, and the links resolve.

The links are followed through the app and read back with the ``ical`` parser
the feed tests use, so a link that pointed at a wrong or empty feed would fail.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.integration.calendar.test_feeds import PARSERS

pytestmark = pytest.mark.integration

BASE = "http://congress.test"  # the test app's BASE_URL
DAY = "2014-04-02"
TRACK = "donnees-vie-privee"
ROOM = "salle-plantagenet"
SESSION = "cryptolocker-partages-reseau-urgences"


def _hrefs(html: str, prefix: str) -> list[str]:
    return [
        h.replace("&amp;", "&") for h in re.findall(rf'href="({re.escape(prefix)}[^"]*)"', html)
    ]


def _alternates(html: str) -> list[str]:
    return re.findall(
        r'<link rel="alternate" type="text/calendar" title="[^"]*" href="([^"]+)"', html
    )


def _resolves(client, url: str) -> list:
    """The events of the feed at ``url`` (an absolute address on this site)."""
    response = client.get(url.removeprefix(BASE))
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return PARSERS["ical"](response.get_data(as_text=True))


def test_each_filter_links_its_own_feed_which_resolves(client, demo):
    html = client.get(f"/programme?day={DAY}&track={TRACK}&room={ROOM}").get_data(as_text=True)
    feeds = [
        f"{BASE}/programme/{DAY}.ics",
        f"{BASE}/tracks/{TRACK}.ics",
        f"{BASE}/rooms/{ROOM}.ics",
    ]
    assert _alternates(html) == feeds
    assert _hrefs(html, "webcal://") == [f.replace("http://", "webcal://") for f in feeds]
    for url in feeds:
        assert url in _hrefs(html, BASE)
        assert _resolves(client, url)


def test_unfiltered_programme_links_the_whole_programme(client, demo):
    html = client.get("/programme").get_data(as_text=True)
    assert _alternates(html) == [f"{BASE}/programme.ics"]
    assert f"{BASE}/programme.ics" in _hrefs(html, BASE)
    google = _hrefs(html, "https://calendar.google.com/")
    assert google == [
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fcongress.test%2Fprogramme.ics"
    ]


def test_english_pages_link_english_feeds(client, demo):
    html = client.get(f"/programme?lang=en&day={DAY}").get_data(as_text=True)
    assert _alternates(html) == [f"{BASE}/programme/{DAY}.ics?lang=en"]
    speaker = client.get("/speakers/julien-perrot?lang=en").get_data(as_text=True)
    assert _alternates(speaker) == [f"{BASE}/speakers/julien-perrot.ics?lang=en"]
    session = client.get(f"/sessions/{SESSION}?lang=en").get_data(as_text=True)
    assert f"{BASE}/sessions/{SESSION}.ics?lang=en" in _hrefs(session, BASE)
    assert "webcal://congress.test/programme.ics?lang=en" in _hrefs(session, "webcal://")


def test_session_page_adds_to_google_and_outlook_with_its_own_times(client, demo):
    html = client.get(f"/sessions/{SESSION}").get_data(as_text=True)
    (google,) = _hrefs(html, "https://calendar.google.com/")
    (outlook,) = _hrefs(html, "https://outlook.live.com/")
    (event,) = _resolves(client, f"{BASE}/sessions/{SESSION}.ics")
    start, end = (event.start.strftime("%Y%m%dT%H%M%SZ"), event.end.strftime("%Y%m%dT%H%M%SZ"))
    asked = parse_qs(urlsplit(google).query)
    assert asked["dates"] == [f"{start}/{end}"]
    assert asked["text"] == [event.summary]
    assert asked["ctz"] == ["Europe/Paris"]
    assert asked["details"] == [f"{BASE}/sessions/{SESSION}"]
    composed = parse_qs(urlsplit(outlook).query)
    assert composed["startdt"] == [event.start.isoformat()]
    assert composed["enddt"] == [event.end.isoformat()]
    assert composed["subject"] == [event.summary]


def test_speaker_page_subscribes_to_the_speakers_feed(client, demo):
    html = client.get("/speakers/julien-perrot").get_data(as_text=True)
    assert "webcal://congress.test/speakers/julien-perrot.ics" in _hrefs(html, "webcal://")
    assert "Sessions de Julien Perrot" in html
    assert _resolves(client, f"{BASE}/speakers/julien-perrot.ics")


def test_applications_page_lists_schedule_files_with_qr_codes(client, demo):
    html = client.get("/applications").get_data(as_text=True)
    for name in ("schedule.xml", "schedule.json", "programme.ics"):
        assert f'<a href="{BASE}/{name}">{BASE}/{name}</a>' in html
        assert f'<svg role="img" aria-label="Code QR de {BASE}/{name}"' in html
        assert client.get(f"/{name}").status_code == 200
    assert "/applications" in client.get("/programme").get_data(as_text=True)
