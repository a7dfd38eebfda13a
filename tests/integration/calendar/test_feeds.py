"""The public calendar feeds and schedule exports over HTTP, against the demo edition.

The feeds are read back with three parsers that share no code with icalendar, which writes
them: ``ical`` (strict, pydantic models), ``vobject`` (dateutil's zone rules, built from our
``VTIMEZONE``) and ``ics`` (a TatSu grammar). What the tests expect is derived from the
database with their own queries, never through ``programme.queries``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from zoneinfo import ZoneInfo

import ics
import jsonschema
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from ical.timezone import IcsTimezoneInfo
from lxml import etree

from congress.caching.store import cache
from congress.edition.models import Event
from congress.extensions import db
from congress.programme import services
from congress.programme.models import (
    Disclosure,
    Room,
    SpeakerRole,
    Talk,
    TalkKind,
    TalkStatus,
)
from tests.schemas import SCHEDULE_SCHEMAS

pytestmark = pytest.mark.integration

PARIS = ZoneInfo("Europe/Paris")
ICS_TYPE = "text/calendar; charset=utf-8"
UID_DOMAIN = "congres.apssis"
FEED_MAX_AGE = 300

AMBER_SLUG = "attaque-sous-domaines-ministere-sante-janvier-2014"
RED_SLUG = "intrusion-persistante-reseau-imagerie"
CLEAR_SLUG = "defiguration-site-internet-centre-hospitalier"
SESSION_SLUG = "securite-si-affaire-de-direction-generale"


# --- what each feed should hold ------------------------------------------------------------


@dataclass(frozen=True)
class Feed:
    url: str
    filename: str
    title: str
    covers: Callable[[Talk], bool]


FEEDS = (
    Feed(
        "/programme.ics",
        "apssis-2014-programme.ics",
        "APSSIS 2014 – programme",
        lambda talk: True,
    ),
    Feed(
        "/programme/2014-04-01.ics",
        "apssis-2014-day-2014-04-01.ics",
        "APSSIS 2014 – mardi 1 avril 2014",
        lambda talk: talk.starts_at.astimezone(PARIS).date() == date(2014, 4, 1),
    ),
    Feed(
        "/tracks/menaces-attaques.ics",
        "apssis-2014-track-menaces-attaques.ics",
        "APSSIS 2014 – Menaces et analyse d'attaques",
        lambda talk: talk.track is not None and talk.track.slug == "menaces-attaques",
    ),
    Feed(
        "/rooms/grand-amphi.ics",
        "apssis-2014-room-grand-amphi.ics",
        "APSSIS 2014 – Grand amphithéâtre",
        lambda talk: talk.room is not None and talk.room.slug == "grand-amphi",
    ),
    Feed(
        f"/sessions/{SESSION_SLUG}.ics",
        f"apssis-2014-session-{SESSION_SLUG}.ics",
        "APSSIS 2014 – La sécurité du système d'information, une affaire de direction générale",
        lambda talk: talk.slug == SESSION_SLUG,
    ),
    Feed(
        "/speakers/laurence-gautier.ics",
        "apssis-2014-speaker-laurence-gautier.ics",
        "APSSIS 2014 – Laurence Gautier",
        lambda talk: any(speaker.slug == "laurence-gautier" for speaker in talk.speakers),
    ),
)
FEED_IDS = [feed.url for feed in FEEDS]


def _event() -> Event:
    db.session.expire_all()
    return db.session.scalars(db.select(Event)).one()


def _talk(slug: str) -> Talk:
    db.session.expire_all()
    return db.session.scalars(db.select(Talk).where(Talk.slug == slug)).one()


def _public_talks() -> list[Talk]:
    """Every talk the public may see, read here without the app's query layer."""
    db.session.expire_all()
    stmt = db.select(Talk).where(Talk.status != TalkStatus.DRAFT).order_by(Talk.id)
    return list(db.session.scalars(stmt))


def _drafts() -> list[Talk]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Talk).where(Talk.status == TalkStatus.DRAFT)))


def _talk_at_0915_on_first_day() -> Talk:
    """The demo talk starting at 09:15, Le Mans time, on 1 April 2014 (found, not named)."""
    wanted = datetime(2014, 4, 1, 9, 15, tzinfo=PARIS)
    found = [talk for talk in _public_talks() if talk.starts_at.astimezone(PARIS) == wanted]
    assert len(found) == 1, [talk.slug for talk in found]
    return found[0]


def _uid(talk: Talk) -> str:
    return f"{talk.uid}@{UID_DOMAIN}"


# --- three independent parsers ---------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    """One VEVENT as a parser understood it, times converted to UTC."""

    uid: str
    summary: str
    status: str
    sequence: int
    start: datetime
    end: datetime
    categories: frozenset[str]


def _read_ical(text: str) -> list[Parsed]:
    calendar = IcsCalendarStream.calendar_from_ics(text)
    return [
        Parsed(
            uid=event.uid,
            summary=event.summary,
            status=event.status.value,
            sequence=event.sequence,
            start=event.dtstart.astimezone(UTC),
            end=event.dtend.astimezone(UTC),
            categories=frozenset(event.categories),
        )
        for event in calendar.events
    ]


def _read_vobject(text: str) -> list[Parsed]:
    calendar = vobject.readOne(text)
    return [
        Parsed(
            uid=event.uid.value,
            summary=event.summary.value,
            status=event.status.value,
            sequence=int(event.sequence.value),
            start=event.dtstart.value.astimezone(UTC),
            end=event.dtend.value.astimezone(UTC),
            categories=frozenset(
                value for line in event.contents.get("categories", []) for value in line.value
            ),
        )
        for event in calendar.contents.get("vevent", [])
    ]


def _read_ics(text: str) -> list[Parsed]:
    calendar = ics.Calendar(text)
    parsed = []
    for event in calendar.events:
        sequence = [line.value for line in event.extra if line.name == "SEQUENCE"]
        assert len(sequence) == 1, event.uid
        parsed.append(
            Parsed(
                uid=event.uid,
                summary=event.name,
                status=event.status,
                sequence=int(sequence[0]),
                start=event.begin.to("utc").datetime,
                end=event.end.to("utc").datetime,
                categories=frozenset(event.categories),
            )
        )
    return parsed


PARSERS: dict[str, Callable[[str], list[Parsed]]] = {
    "ical": _read_ical,
    "vobject": _read_vobject,
    "ics": _read_ics,
}


def _by_uid(events: list[Parsed]) -> dict[str, Parsed]:
    found = {event.uid: event for event in events}
    assert len(found) == len(events), "a UID appears twice"
    return found


def _fetch_ics(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.content_type == ICS_TYPE
    return response.get_data(as_text=True)


# --- turning any answer into the text a reader sees -------------------------------------------


def _unfold(text: str) -> str:
    """RFC 5545 3.1: a CRLF followed by one space or tab continues the previous line."""
    return re.sub(r"\r\n[ \t]", "", text)


def _unescape(value: str) -> str:
    """A TEXT value with its escapes undone (RFC 5545 3.3.11)."""
    return re.sub(
        r"\\([\\;,nN])", lambda match: "\n" if match.group(1) in "nN" else match.group(1), value
    )


def _ics_text(text: str) -> str:
    """Unfolded and unescaped, so a folded or escaped phrase is found."""
    return _unescape(_unfold(text))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _visible(response: Any) -> str:
    """Everything a reader of the answer sees, whatever the format, with escapes undone."""
    body = response.get_data(as_text=True)
    if response.mimetype == "text/calendar":
        return _ics_text(body)
    if response.mimetype == "application/json":
        return "\n".join(_strings(json.loads(body)))
    if response.mimetype == "application/xml":
        root = etree.fromstring(response.get_data())
        texts = list(root.itertext())
        texts += [value for element in root.iter() for value in element.attrib.values()]
        return "\n".join(texts)
    assert response.mimetype == "text/html", response.mimetype
    return html.unescape(re.sub(r"\s+", " ", body))


def _phrases(markdown: str) -> list[str]:
    """Distinctive phrases of an abstract: its sentences and list items, markup removed."""
    plain = re.sub(r"[*_`]", "", markdown)
    parts = (part.strip(" -") for part in re.split(r"[.;:!?\n]+", plain))
    return [part for part in parts if len(part) >= 25]


# --- HTTP: media type, file name, validators -------------------------------------------------


@pytest.mark.parametrize("feed", FEEDS, ids=FEED_IDS)
def test_feed_answers_calendar_attachment_with_cache_validators(client, demo, feed):
    response = client.get(feed.url)
    event = _event()

    assert response.status_code == 200
    assert response.headers["Content-Type"] == ICS_TYPE
    assert response.headers["Content-Disposition"] == f'attachment; filename="{feed.filename}"'
    assert re.fullmatch(r'"[0-9a-f]{20}"', response.headers["ETag"])
    assert response.headers["Last-Modified"] == format_datetime(
        event.programme_updated_at.astimezone(UTC).replace(microsecond=0), usegmt=True
    )
    assert response.cache_control.public is True
    assert response.cache_control.max_age == FEED_MAX_AGE
    assert response.get_data().startswith(b"BEGIN:VCALENDAR\r\n")
    assert response.get_data().endswith(b"END:VCALENDAR\r\n")


@pytest.mark.parametrize("feed", FEEDS, ids=FEED_IDS)
def test_feed_conditional_get_with_matching_etag_is_304(client, demo, feed):
    first = client.get(feed.url)
    etag = first.headers["ETag"]

    again = client.get(feed.url, headers={"If-None-Match": etag})
    other = client.get(feed.url, headers={"If-None-Match": '"0123456789abcdef0123"'})

    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert again.cache_control.public is True
    assert again.cache_control.max_age == FEED_MAX_AGE
    assert other.status_code == 200
    assert other.get_data() == first.get_data()


def test_feed_etag_is_the_same_for_the_same_programme(client, demo):
    first = client.get("/programme.ics")
    cache.clear()
    second = client.get("/programme.ics")

    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.get_data() == first.get_data()


@pytest.mark.parametrize(
    "url",
    [
        "/tracks/nope.ics",
        "/rooms/nope.ics",
        "/sessions/nope.ics",
        "/speakers/nope.ics",
        "/programme/2014-03-31.ics",
        "/programme/2014-04-04.ics",
        "/programme/2015-04-01.ics",
        "/programme/2014-02-30.ics",
        "/programme/demain.ics",
    ],
)
def test_feed_of_unknown_scope_or_day_outside_edition_is_404(client, demo, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "ETag" not in response.headers
    assert response.mimetype == "text/html"


def test_day_feed_in_another_date_spelling_is_404(client, demo):
    """Only /programme/<YYYY-MM-DD>.ics: other ISO 8601 spellings would be duplicate URLs."""
    for url in ("/programme/20140401.ics", "/programme/2014-W14-2.ics"):
        assert client.get(url).status_code == 404, url


def test_unknown_feed_with_if_none_match_star_is_still_404(client, demo):
    """RFC 9110 13.1.2: "*" matches only a representation that exists; a 404 stays a 404."""
    response = client.get("/sessions/nope.ics", headers={"If-None-Match": "*"})

    assert response.status_code == 404


# --- the calendar as each parser reads it ----------------------------------------------------


@pytest.mark.parametrize("feed", FEEDS, ids=FEED_IDS)
def test_feed_calendar_properties_read_by_ical(client, demo, feed):
    calendar = IcsCalendarStream.calendar_from_ics(_fetch_ics(client, feed.url))
    # ical leaves unknown X- properties as raw, escaped text.
    extras = {extra.name: _unescape(extra.value) for extra in calendar.extras}

    assert calendar.version == "2.0"
    assert calendar.prodid == "-//APSSIS//congress//FR"
    assert calendar.calscale == "GREGORIAN"
    assert calendar.method == "PUBLISH"
    assert calendar.name == [feed.title]
    assert calendar.x_wr_timezone == "Europe/Paris"
    assert calendar.refresh_interval == timedelta(hours=1)
    assert extras["x-wr-calname"] == feed.title
    assert extras["x-published-ttl"] == "PT1H"
    assert [zone.tz_id for zone in calendar.timezones] == ["Europe/Paris"]
    observances = calendar.timezones[0].standard + calendar.timezones[0].daylight
    assert len(observances) == 2
    assert all(observance.rrule is not None for observance in observances)
    assert all(observance.rdate == [] for observance in observances)


@pytest.mark.parametrize("feed", FEEDS, ids=FEED_IDS)
def test_feed_calendar_properties_read_by_vobject(client, demo, feed):
    calendar = vobject.readOne(_fetch_ics(client, feed.url))

    def value(name: str) -> str:
        lines = calendar.contents[name]
        assert len(lines) == 1, name
        return lines[0].value

    assert value("version") == "2.0"
    assert value("prodid") == "-//APSSIS//congress//FR"
    assert value("calscale") == "GREGORIAN"
    assert value("method") == "PUBLISH"
    assert value("name") == feed.title
    assert value("x-wr-calname") == feed.title
    assert value("x-wr-timezone") == "Europe/Paris"
    assert value("refresh-interval") == "PT1H"
    assert calendar.contents["refresh-interval"][0].params == {"VALUE": ["DURATION"]}
    assert value("x-published-ttl") == "PT1H"
    zones = calendar.contents["vtimezone"]
    assert len(zones) == 1
    assert zones[0].tzid.value == "Europe/Paris"
    observances = [child for child in zones[0].getChildren() if child.name != "TZID"]
    assert sorted(child.name for child in observances) == ["DAYLIGHT", "STANDARD"]
    for observance in observances:
        assert len(observance.contents["rrule"]) == 1
        assert "rdate" not in observance.contents


def test_feed_name_is_escaped_text(client, demo):
    """NAME is TEXT (RFC 7986): a comma is escaped as in X-WR-CALNAME, or vobject reads a list."""
    text = _fetch_ics(client, f"/sessions/{SESSION_SLUG}.ics")
    title = "APSSIS 2014 – La sécurité du système d'information, une affaire de direction générale"
    lines = _unfold(text).split("\r\n")

    assert "X-WR-CALNAME:" + title.replace(",", "\\,") in lines
    assert vobject.readOne(text).contents["name"][0].value == title
    assert "NAME:" + title.replace(",", "\\,") in lines


@pytest.mark.parametrize("feed", FEEDS, ids=FEED_IDS)
def test_feed_calendar_properties_read_by_ics(client, demo, feed):
    text = _fetch_ics(client, feed.url)
    calendar = ics.Calendar(text)
    # ics keeps properties it does not model as raw, escaped content lines.
    extra = {line.name: (_unescape(line.value), line.params) for line in calendar.extra}

    assert calendar.creator == "-//APSSIS//congress//FR"
    assert calendar.scale == "gregorian"  # ics lower-cases CALSCALE
    assert calendar.method == "PUBLISH"
    assert extra["NAME"] == (feed.title, {})
    assert extra["X-WR-CALNAME"] == (feed.title, {})
    assert extra["X-WR-TIMEZONE"] == ("Europe/Paris", {})
    assert extra["REFRESH-INTERVAL"] == ("PT1H", {"VALUE": ["DURATION"]})
    assert extra["X-PUBLISHED-TTL"] == ("PT1H", {})
    lines = _unfold(text).split("\r\n")
    assert lines.count("VERSION:2.0") == 1
    assert lines.count("BEGIN:VTIMEZONE") == 1
    assert lines.count("TZID:Europe/Paris") == 1
    assert sum(line.startswith("RRULE:FREQ=YEARLY;") for line in lines) == 2
    assert not any(line.startswith("RDATE") for line in lines)


@pytest.mark.parametrize("feed", FEEDS, ids=FEED_IDS)
def test_feed_events_are_the_published_talks_of_its_scope(client, demo, feed):
    text = _fetch_ics(client, feed.url)
    talks = [talk for talk in _public_talks() if feed.covers(talk)]

    assert talks, "the scope is empty: the test would prove nothing"
    for parser, read in PARSERS.items():
        events = _by_uid(read(text))
        assert set(events) == {_uid(talk) for talk in talks}, parser
        for talk in talks:
            event = events[_uid(talk)]
            where = (parser, talk.slug)
            assert (event.start, event.end) == (talk.starts_at, talk.ends_at), where
            assert event.sequence == talk.sequence, where
            cancelled = talk.status is TalkStatus.CANCELLED
            assert event.status == ("CANCELLED" if cancelled else "CONFIRMED"), where


def test_talk_at_0915_le_mans_is_0715_utc_for_every_parser(client, demo):
    talk = _talk_at_0915_on_first_day()
    urls = ["/programme.ics", "/programme/2014-04-01.ics", f"/sessions/{talk.slug}.ics"]

    for url in urls:
        text = _fetch_ics(client, url)
        # The bytes keep the venue's wall time, for the VTIMEZONE to convert.
        assert "\r\nDTSTART;TZID=Europe/Paris:20140401T091500\r\n" in _unfold(text)
        for parser, read in PARSERS.items():
            event = _by_uid(read(text))[_uid(talk)]
            assert event.start == datetime(2014, 4, 1, 7, 15, tzinfo=UTC), (url, parser)
            assert event.end == datetime(2014, 4, 1, 8, 15, tzinfo=UTC), (url, parser)
            assert event.summary == talk.title, (url, parser)


def test_feed_vtimezone_alone_converts_le_mans_times(client, demo):
    """Clients without a zone database use our VTIMEZONE: its rules alone must be right."""
    text = _fetch_ics(client, "/programme.ics")
    ical_zone = IcsTimezoneInfo.from_timezone(
        IcsCalendarStream.calendar_from_ics(text).timezones[0]
    )
    vobject_zone = vobject.readOne(text).vtimezone.gettzinfo()

    for zone in (ical_zone, vobject_zone):
        summer = datetime(2014, 4, 1, 9, 15, tzinfo=zone).astimezone(UTC)
        winter = datetime(2014, 3, 28, 9, 0, tzinfo=zone).astimezone(UTC)
        assert summer == datetime(2014, 4, 1, 7, 15, tzinfo=UTC)
        assert winter == datetime(2014, 3, 28, 8, 0, tzinfo=UTC)


# --- UID, SEQUENCE, STATUS through edits -----------------------------------------------------


def test_uids_are_stable_across_requests_and_edits(client, demo):
    talk = _talk_at_0915_on_first_day()
    first = _by_uid(_read_ical(_fetch_ics(client, "/programme.ics")))
    cache.clear()
    second = _by_uid(_read_ical(_fetch_ics(client, "/programme.ics")))

    data = services.talk_data(talk)
    data.title = "La sécurité du SI, une affaire de direction (titre révisé)"
    services.update_talk(talk, data)
    services.move_talk(
        _talk(talk.slug),
        datetime(2014, 4, 2, 14, 0, tzinfo=PARIS),
        datetime(2014, 4, 2, 15, 0, tzinfo=PARIS),
        db.session.scalars(db.select(Room).where(Room.slug == "salle-plantagenet")).one(),
        allow_conflicts=True,  # the demo's rooms are full: only the feeds matter here
    )
    edited = _by_uid(_read_ical(_fetch_ics(client, "/programme.ics")))
    session = _by_uid(_read_ical(_fetch_ics(client, f"/sessions/{talk.slug}.ics")))

    assert set(first) == set(second) == set(edited)
    assert len(first) == len(_public_talks())
    assert edited[_uid(talk)].summary == data.title
    assert edited[_uid(talk)].start == datetime(2014, 4, 2, 12, 0, tzinfo=UTC)
    assert set(session) == {_uid(talk)}
    assert _uid(talk) == f"{_talk(talk.slug).uid}@{UID_DOMAIN}"


def test_moving_a_talk_raises_sequence_by_one_and_changes_etag(client, demo):
    talk = _talk_at_0915_on_first_day()
    url = f"/sessions/{talk.slug}.ics"
    before = client.get(url)
    programme_before = client.get("/programme.ics")
    sequence_before = _by_uid(_read_vobject(before.get_data(as_text=True)))[_uid(talk)].sequence

    plantagenet = db.session.scalars(db.select(Room).where(Room.slug == "salle-plantagenet")).one()
    changed = services.move_talk(
        talk,
        datetime(2014, 4, 1, 16, 0, tzinfo=PARIS),
        datetime(2014, 4, 1, 17, 0, tzinfo=PARIS),
        plantagenet,
        allow_conflicts=True,  # the demo's rooms are full: only the feeds matter here
    )
    after = client.get(url)
    programme_after = client.get("/programme.ics")
    stale = client.get(url, headers={"If-None-Match": before.headers["ETag"]})

    assert changed == ["starts_at", "ends_at", "room"]
    assert after.headers["ETag"] != before.headers["ETag"]
    assert programme_after.headers["ETag"] != programme_before.headers["ETag"]
    assert stale.status_code == 200
    for text in (after.get_data(as_text=True), programme_after.get_data(as_text=True)):
        for parser in PARSERS.values():
            event = _by_uid(parser(text))[_uid(talk)]
            assert event.sequence == sequence_before + 1
            assert event.start == datetime(2014, 4, 1, 14, 0, tzinfo=UTC)
            assert event.end == datetime(2014, 4, 1, 15, 0, tzinfo=UTC)
        assert "\r\nLOCATION:Salle Plantagenêt, Palais des congrès" in _ics_text(text)


def test_title_edit_keeps_sequence_but_changes_etag(client, demo):
    """Only time, room and status are revisions clients must replace (models.Talk docstring)."""
    talk = _talk_at_0915_on_first_day()
    url = f"/sessions/{talk.slug}.ics"
    before = client.get(url)

    data = services.talk_data(talk)
    data.title = "Titre corrigé"
    services.update_talk(talk, data)
    after = client.get(url)

    event = _by_uid(_read_ical(after.get_data(as_text=True)))[_uid(talk)]
    assert event.summary == "Titre corrigé"
    assert event.sequence == 0
    assert after.headers["ETag"] != before.headers["ETag"]


def test_cancelled_talk_stays_in_feeds_cancelled_with_higher_sequence(client, demo):
    talk = _talk_at_0915_on_first_day()
    title = talk.title
    before = {
        url: _by_uid(_read_ical(_fetch_ics(client, url)))[_uid(talk)]
        for url in ("/programme.ics", f"/sessions/{talk.slug}.ics")
    }

    services.cancel_talk(talk)

    assert _talk(talk.slug).status is TalkStatus.CANCELLED
    for url, old in before.items():
        assert old.status == "CONFIRMED"
        text = _fetch_ics(client, url)
        for name, parser in PARSERS.items():
            event = _by_uid(parser(text))[_uid(talk)]
            assert event.status == "CANCELLED", (url, name)
            assert event.sequence == old.sequence + 1, (url, name)
            assert event.summary == f"[Annulé] {title}", (url, name)
            assert event.start == old.start, (url, name)


def test_cancelled_talk_page_marks_it_cancelled(client, demo):
    talk = _talk_at_0915_on_first_day()
    before = client.get(f"/sessions/{talk.slug}").get_data(as_text=True)

    services.cancel_talk(talk)
    response = client.get(f"/sessions/{talk.slug}")
    page = response.get_data(as_text=True)

    assert "is-cancelled" not in before
    assert "Cette session est annulée." not in before
    assert response.status_code == 200
    assert '<article class="session track-gouvernance-conformite is-cancelled">' in page
    assert '<p class="notice" role="note">Cette session est annulée.</p>' in page
    assert '<span class="badge cancelled">Annulée</span>' in page


# --- drafts never leak -----------------------------------------------------------------------

# Each URL with what the same reading must find there, so that an absence means something.
PUBLISHED_TITLES = None
DRAFT_FREE_URLS = (
    ("/programme", PUBLISHED_TITLES),
    ("/programme?q=brouillon", "0 session correspond."),
    ("/programme?day=2014-04-02", PUBLISHED_TITLES),
    ("/programme?day=2014-04-03", PUBLISHED_TITLES),
    ("/programme.ics", PUBLISHED_TITLES),
    ("/programme/2014-04-02.ics", PUBLISHED_TITLES),
    ("/programme/2014-04-03.ics", PUBLISHED_TITLES),
    ("/rooms/salle-plantagenet.ics", PUBLISHED_TITLES),
    ("/tracks/donnees-vie-privee.ics", PUBLISHED_TITLES),
    ("/speakers", "Gilles Aubert"),
    ("/speakers/gilles-aubert", PUBLISHED_TITLES),
    ("/speakers/gilles-aubert.ics", PUBLISHED_TITLES),
    ("/speakers/catherine-moulin", PUBLISHED_TITLES),
    ("/speakers/catherine-moulin.ics", PUBLISHED_TITLES),
    ("/schedule.xml", PUBLISHED_TITLES),
    ("/schedule.json", PUBLISHED_TITLES),
)


def test_demo_has_two_drafts(demo):
    drafts = _drafts()

    assert len(drafts) == 2
    assert all("(brouillon)" in talk.title for talk in drafts)


@pytest.mark.parametrize(("url", "control"), DRAFT_FREE_URLS)
def test_drafts_appear_in_no_page_or_feed(client, demo, url, control):
    response = client.get(url)
    seen = _visible(response)
    drafts = _drafts()

    assert response.status_code == 200
    assert len(drafts) == 2
    assert "(brouillon)" not in seen
    for talk in drafts:
        assert talk.title not in seen
        assert talk.slug not in seen
        assert talk.uid not in seen
    if control is PUBLISHED_TITLES:
        assert [talk for talk in _public_talks() if talk.title in seen]
    else:
        assert control in seen


def test_search_for_a_draft_finds_nothing(client, demo):
    page = client.get("/programme?q=brouillon").get_data(as_text=True)

    assert '<p class="match-count" role="status">0 session correspond.</p>' in page


@pytest.mark.parametrize("suffix", ["", ".ics"])
def test_draft_session_page_and_feed_are_404(client, demo, suffix):
    drafts = _drafts()

    for talk in drafts:
        response = client.get(f"/sessions/{talk.slug}{suffix}")
        assert response.status_code == 404, talk.slug
        assert talk.title not in html.unescape(response.get_data(as_text=True))


def test_speaker_with_only_drafts_is_not_public(client, demo):
    event = _event()
    speaker = services.create_speaker(event, "Anaïs Brouillard", affiliation="CHU fictif")
    talk = services.create_talk(
        event,
        services.TalkData(
            title="Séance en préparation (brouillon)",
            kind=TalkKind.TALK,
            starts_at=datetime(2014, 4, 3, 9, 0, tzinfo=PARIS),
            ends_at=datetime(2014, 4, 3, 9, 45, tzinfo=PARIS),
            speakers=[(speaker, SpeakerRole.SPEAKER)],
        ),
    )
    slug = speaker.slug

    hidden_list = client.get("/speakers").get_data(as_text=True)
    hidden_page = client.get(f"/speakers/{slug}")
    hidden_feed = client.get(f"/speakers/{slug}.ics")

    data = services.talk_data(_talk(talk.slug))
    data.status = TalkStatus.CONFIRMED
    services.update_talk(_talk(talk.slug), data)
    shown_list = client.get("/speakers").get_data(as_text=True)
    shown_feed = client.get(f"/speakers/{slug}.ics")

    assert "Anaïs Brouillard" not in hidden_list
    assert hidden_page.status_code == 404
    assert hidden_feed.status_code == 404
    assert "Anaïs Brouillard" in shown_list
    assert shown_feed.status_code == 200
    assert set(_by_uid(_read_ical(shown_feed.get_data(as_text=True)))) == {_uid(_talk(talk.slug))}


# --- TLP:AMBER and TLP:RED abstracts stay private -------------------------------------------

RESTRICTED_URLS = (
    "/sessions/{slug}",
    "/sessions/{slug}.ics",
    "/programme.ics",
    "/programme/{day}.ics",
    "/tracks/menaces-attaques.ics",
    "/speakers/{speaker}.ics",
    "/schedule.xml",
    "/schedule.json",
)
RESTRICTED = [
    pytest.param(AMBER_SLUG, "TLP:AMBER", Disclosure.TLP_AMBER, id="amber"),
    pytest.param(RED_SLUG, "TLP:RED", Disclosure.TLP_RED, id="red"),
]


def _url(template: str, talk: Talk) -> str:
    return template.format(
        slug=talk.slug,
        day=talk.starts_at.astimezone(PARIS).date().isoformat(),
        speaker=talk.speakers[0].slug,
    )


@pytest.mark.parametrize("template", RESTRICTED_URLS)
@pytest.mark.parametrize(("slug", "label", "disclosure"), RESTRICTED)
def test_restricted_abstract_is_withheld_but_labelled(
    client, demo, template, slug, label, disclosure
):
    talk = _talk(slug)
    phrases = _phrases(talk.abstract)
    response = client.get(_url(template, talk))
    seen = _visible(response)

    assert talk.disclosure is disclosure
    assert len(phrases) >= 2
    assert response.status_code == 200
    assert talk.title in seen
    assert label in seen
    for phrase in phrases:
        assert phrase not in seen


@pytest.mark.parametrize("template", RESTRICTED_URLS)
def test_public_abstract_is_shown_where_restricted_one_is_not(client, demo, template):
    """The control of the test above: the same reading finds an unrestricted abstract."""
    talk = _talk(CLEAR_SLUG)
    seen = _visible(client.get(_url(template, talk)))

    assert talk.disclosure is Disclosure.TLP_CLEAR
    assert _phrases(talk.abstract)
    for phrase in _phrases(talk.abstract):
        assert phrase in seen


@pytest.mark.parametrize(("slug", "label", "disclosure"), RESTRICTED)
def test_restricted_talk_label_is_a_category(client, demo, slug, label, disclosure):
    talk = _talk(slug)

    for url in ("/programme.ics", f"/sessions/{slug}.ics"):
        text = _fetch_ics(client, url)
        for parser, read in PARSERS.items():
            event = _by_uid(read(text))[_uid(talk)]
            expected = {"Analyse d'attaque", "Menaces et analyse d'attaques", label}
            assert event.categories == expected, (url, parser)


@pytest.mark.parametrize(("slug", "label", "disclosure"), RESTRICTED)
def test_search_does_not_match_words_of_a_restricted_abstract(
    client, demo, slug, label, disclosure
):
    talk = _talk(slug)
    public = " ".join([talk.title, *(speaker.name for speaker in talk.speakers)]).lower()
    words = [word for word in re.findall(r"\w{9,}", talk.abstract.lower()) if word not in public]
    by_title = client.get("/programme", query_string={"q": talk.title.split()[0]})
    by_abstract = client.get("/programme", query_string={"q": words[0]})

    assert f'href="/sessions/{talk.slug}"' in by_title.get_data(as_text=True)
    assert f'href="/sessions/{talk.slug}"' not in by_abstract.get_data(as_text=True)


# --- frab schedule: schemas and version -------------------------------------------------------


def _schedule_guids_xml(root: Any) -> list[str]:
    return [element.get("guid") for element in root.iter("event")]


def _schedule_guids_json(document: dict[str, Any]) -> list[str]:
    return [
        event["guid"]
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def test_schedule_xml_is_valid_versioned_and_complete(client, demo):
    schema = etree.XMLSchema(etree.parse(str(SCHEDULE_SCHEMAS / "schedule.xml.xsd")))
    response = client.get("/schedule.xml")
    root = etree.fromstring(response.get_data())

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="apssis-2014-schedule.xml"'
    )
    schema.assertValid(root)
    assert root.findtext("version") == str(_event().programme_version) == "1"
    guids = _schedule_guids_xml(root)
    assert sorted(guids) == sorted(talk.uid for talk in _public_talks())

    talk = _talk(CLEAR_SLUG)
    data = services.talk_data(talk)
    data.title = "Défiguration : nouveau titre"
    services.update_talk(talk, data)
    root = etree.fromstring(client.get("/schedule.xml").get_data())

    schema.assertValid(root)
    assert root.findtext("version") == str(_event().programme_version) == "2"
    titles = [
        element.findtext("title")
        for element in root.iter("event")
        if element.get("guid") == talk.uid
    ]
    assert titles == ["Défiguration : nouveau titre"]


def test_schedule_json_is_valid_versioned_and_complete(client, demo):
    schema = json.loads((SCHEDULE_SCHEMAS / "schedule.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker())
    response = client.get("/schedule.json")
    document = response.get_json()

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="apssis-2014-schedule.json"'
    )
    assert [error.message for error in validator.iter_errors(document)] == []
    assert document["schedule"]["version"] == str(_event().programme_version) == "1"
    guids = _schedule_guids_json(document)
    assert sorted(guids) == sorted(talk.uid for talk in _public_talks())

    services.cancel_talk(_talk(CLEAR_SLUG))
    document = client.get("/schedule.json").get_json()

    assert [error.message for error in validator.iter_errors(document)] == []
    assert document["schedule"]["version"] == str(_event().programme_version) == "2"


# --- the cache follows the programme version -------------------------------------------------


def test_feed_shows_a_new_title_immediately(client, demo):
    talk = _talk_at_0915_on_first_day()
    old_title = talk.title
    before = client.get("/programme.ics")
    cached = client.get("/programme.ics")

    data = services.talk_data(talk)
    data.title = "Gouverner la sécurité : le directoire en première ligne"
    services.update_talk(talk, data)
    after = client.get("/programme.ics")
    summaries = {event.uid: event.summary for event in _read_ical(after.get_data(as_text=True))}

    assert cached.get_data() == before.get_data()
    assert summaries[_uid(talk)] == "Gouverner la sécurité : le directoire en première ligne"
    assert old_title not in _ics_text(after.get_data(as_text=True))
    assert after.headers["ETag"] != before.headers["ETag"]
    assert _event().programme_version == 2
