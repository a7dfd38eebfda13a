"""The iCalendar builders, checked through parsers other than the one that writes.

``icalendar`` writes the feed, so reading it back with ``icalendar`` would only
prove it agrees with itself. The bytes are read instead by:

* ``ical`` (allenporter): strict, pydantic-validated; resolves known TZIDs
  with the system zone database, so it checks the local wall times;
* ``vobject``: evaluates the feed's own ``VTIMEZONE`` (through dateutil), so it
  checks the hand-derived rules as a client without a zone database would;
* ``ics``: the parser already used elsewhere in the project's tests;
* ``dateutil``: expands the ``RRULE`` lines and evaluates ``VTIMEZONE`` blocks.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import ics
import pytest
import vobject
from dateutil import rrule, tz
from ical.calendar_stream import IcsCalendarStream

from congress.calendar.ical import IcsCalendar, IcsEvent, build_calendar, vtimezone

pytestmark = pytest.mark.unit

PARIS = ZoneInfo("Europe/Paris")
DTSTAMP = datetime(2014, 3, 20, 12, 0, tzinfo=UTC)

# 1 April 2014, 09:00-09:45 in Le Mans: summer time (UTC+2) since 30 March.
OPENING_START = datetime(2014, 4, 1, 7, 0, tzinfo=UTC)
OPENING_END = datetime(2014, 4, 1, 7, 45, tzinfo=UTC)
# 28 March 2014, 09:00-10:00 in Le Mans: still winter time (UTC+1).
WORKSHOP_START = datetime(2014, 3, 28, 8, 0, tzinfo=UTC)
WORKSHOP_END = datetime(2014, 3, 28, 9, 0, tzinfo=UTC)

TRICKY_SUMMARY = "Sécurité : l'hôpital, le SI; «RGPD» \\ été"
TRICKY_DESCRIPTION = (
    "Première ligne, avec virgule; et point-virgule.\n"
    "Deuxième ligne — Œuvre, ça, garçon, Noël, naïve, Zoë.\n"
    "Chemin C:\\Données\\ et fin."
)
TRICKY_LOCATION = "Salle Érard, Palais des congrès; Le Mans"
CALENDAR_DESCRIPTION = "Congrès national de la sécurité des SI de santé, Le Mans;\n1-3 avril"


def make_event(**changes: Any) -> IcsEvent:
    """A confirmed talk of the demo edition; ``changes`` override any field."""
    values: dict[str, Any] = {
        "uid": "3f2c9a8e-5b1d-4c6e-9f0a-1b2c3d4e5f60@congress.example",
        "summary": "Ouverture du congrès",
        "description": "Accueil des participants.",
        "starts_at": OPENING_START,
        "ends_at": OPENING_END,
        "location": "Amphithéâtre Molière",
        "url": "https://congress.example/sessions/ouverture",
        "categories": ("Plénière", "Gouvernance"),
        "cancelled": False,
        "sequence": 0,
        "last_modified": datetime(2014, 3, 1, 10, 30, tzinfo=UTC),
        "created": datetime(2014, 2, 1, 9, 0, tzinfo=UTC),
    }
    values.update(changes)
    return IcsEvent(**values)


def make_calendar(*events: IcsEvent, timezone: str = "Europe/Paris", **changes: Any) -> IcsCalendar:
    values: dict[str, Any] = {
        "name": "APSSIS 2014 — programme",
        "description": CALENDAR_DESCRIPTION,
        "timezone": timezone,
        "events": events,
        "url": "https://congress.example/programme.ics",
    }
    values.update(changes)
    return IcsCalendar(**values)


def demo_feed() -> bytes:
    """Two talks either side of the change to summer time, one cancelled."""
    return build_calendar(
        make_calendar(
            make_event(),
            make_event(
                uid="0b7d1e2f-3a4b-4c5d-8e6f-708192a3b4c5@congress.example",
                summary="Atelier annulé",
                description="",
                starts_at=WORKSHOP_START,
                ends_at=WORKSHOP_END,
                location="Salle 2",
                url=None,
                categories=(),
                cancelled=True,
                sequence=3,
                created=None,
            ),
        ),
        dtstamp=DTSTAMP,
    )


def wall(text: str) -> datetime:
    """A naive local wall time, as in a VTIMEZONE DTSTART and for dateutil."""
    return datetime.fromisoformat(text)


def unfolded(data: bytes) -> list[str]:
    """Content lines with RFC 5545 folding undone."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def block(data: bytes, name: str) -> list[str]:
    """Unfolded lines of the first ``name`` component, BEGIN and END included."""
    lines = unfolded(data)
    start = lines.index(f"BEGIN:{name}")
    return lines[start : lines.index(f"END:{name}", start) + 1]


def sub_blocks(lines: list[str], name: str) -> list[list[str]]:
    """Every ``name`` sub-component inside ``lines``."""
    found: list[list[str]] = []
    for index, line in enumerate(lines):
        if line == f"BEGIN:{name}":
            found.append(lines[index : lines.index(f"END:{name}", index) + 1])
    return found


def value(lines: list[str], prop: str) -> str:
    """The one value of ``prop`` (with its parameters) in ``lines``."""
    matches = [line for line in lines if line.split(":", 1)[0].split(";", 1)[0] == prop]
    assert len(matches) == 1, (prop, matches)
    return matches[0].split(":", 1)[1]


def rrule_parts(line_value: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in line_value.split(";"))


def vtimezone_text(tzid: str, first: datetime, last: datetime) -> str:
    return vtimezone(tzid, first, last).to_ical().decode("utf-8")


def dateutil_zone(vtimezone_ics: str) -> tz.tzical:
    """The zone as a client without a zone database computes it from the block."""
    return tz.tzical(io.StringIO(vtimezone_ics)).get()


def by_uid(events: Any, uid_of: Any) -> dict[str, Any]:
    return {uid_of(event): event for event in events}


OPENING_UID = "3f2c9a8e-5b1d-4c6e-9f0a-1b2c3d4e5f60@congress.example"
WORKSHOP_UID = "0b7d1e2f-3a4b-4c5d-8e6f-708192a3b4c5@congress.example"


# --- independent parsers: times ----------------------------------------------


def test_ical_parser_reads_talk_times_either_side_of_the_dst_change() -> None:
    parsed = IcsCalendarStream.calendar_from_ics(demo_feed().decode("utf-8"))
    events = by_uid(parsed.events, lambda event: event.uid)

    opening, workshop = events[OPENING_UID], events[WORKSHOP_UID]
    assert opening.dtstart.astimezone(UTC) == datetime(2014, 4, 1, 7, 0, tzinfo=UTC)
    assert opening.dtend.astimezone(UTC) == datetime(2014, 4, 1, 7, 45, tzinfo=UTC)
    assert workshop.dtstart.astimezone(UTC) == datetime(2014, 3, 28, 8, 0, tzinfo=UTC)
    assert workshop.dtend.astimezone(UTC) == datetime(2014, 3, 28, 9, 0, tzinfo=UTC)
    assert opening.dtstart.replace(tzinfo=None) == wall("2014-04-01T09:00")
    assert workshop.dtstart.replace(tzinfo=None) == wall("2014-03-28T09:00")


def test_vobject_reads_talk_times_through_the_feeds_own_vtimezone() -> None:
    parsed = vobject.readOne(demo_feed().decode("utf-8"))
    events = by_uid(parsed.vevent_list, lambda event: event.uid.value)

    opening, workshop = events[OPENING_UID], events[WORKSHOP_UID]
    # vobject builds the tzinfo from our VTIMEZONE block, not from a zone database.
    assert type(opening.dtstart.value.tzinfo).__name__ == "_tzicalvtz"
    assert opening.dtstart.value.astimezone(UTC) == datetime(2014, 4, 1, 7, 0, tzinfo=UTC)
    assert opening.dtend.value.astimezone(UTC) == datetime(2014, 4, 1, 7, 45, tzinfo=UTC)
    assert workshop.dtstart.value.astimezone(UTC) == datetime(2014, 3, 28, 8, 0, tzinfo=UTC)
    assert workshop.dtend.value.astimezone(UTC) == datetime(2014, 3, 28, 9, 0, tzinfo=UTC)


def test_ics_parser_reads_talk_times_and_statuses() -> None:
    parsed = ics.Calendar(demo_feed().decode("utf-8"))
    events = by_uid(parsed.events, lambda event: event.uid)

    opening, workshop = events[OPENING_UID], events[WORKSHOP_UID]
    assert opening.begin.datetime.astimezone(UTC) == datetime(2014, 4, 1, 7, 0, tzinfo=UTC)
    assert opening.end.datetime.astimezone(UTC) == datetime(2014, 4, 1, 7, 45, tzinfo=UTC)
    assert workshop.begin.datetime.astimezone(UTC) == datetime(2014, 3, 28, 8, 0, tzinfo=UTC)
    assert (opening.status, workshop.status) == ("CONFIRMED", "CANCELLED")
    assert opening.categories == {"Plénière", "Gouvernance"}
    assert opening.location == "Amphithéâtre Molière"


def test_event_times_are_local_wall_times_with_tzid() -> None:
    opening = block(demo_feed(), "VEVENT")

    assert value(opening, "DTSTART") == "20140401T090000"
    assert "DTSTART;TZID=Europe/Paris:20140401T090000" in opening
    assert "DTEND;TZID=Europe/Paris:20140401T094500" in opening
    assert "DTSTAMP:20140320T120000Z" in opening


# --- independent parsers: identity and text ----------------------------------


def test_identity_status_and_metadata_round_trip_through_ical() -> None:
    parsed = IcsCalendarStream.calendar_from_ics(demo_feed().decode("utf-8"))
    events = by_uid(parsed.events, lambda event: event.uid)

    opening, workshop = events[OPENING_UID], events[WORKSHOP_UID]
    assert [event.uid for event in parsed.events] == [OPENING_UID, WORKSHOP_UID]
    assert (opening.sequence, workshop.sequence) == (0, 3)
    assert (opening.status.value, workshop.status.value) == ("CONFIRMED", "CANCELLED")
    assert workshop.summary == "Atelier annulé"  # no prefix added by the builder
    assert opening.categories == ["Plénière", "Gouvernance"]
    assert workshop.categories == []
    assert opening.location == "Amphithéâtre Molière"
    assert opening.url == "https://congress.example/sessions/ouverture"
    assert workshop.url is None
    assert opening.dtstamp == DTSTAMP
    assert opening.last_modified == datetime(2014, 3, 1, 10, 30, tzinfo=UTC)
    assert opening.created == datetime(2014, 2, 1, 9, 0, tzinfo=UTC)
    assert workshop.created is None
    assert opening.transparency == "OPAQUE"


def test_identity_and_status_round_trip_through_vobject() -> None:
    parsed = vobject.readOne(demo_feed().decode("utf-8"))
    events = by_uid(parsed.vevent_list, lambda event: event.uid.value)

    opening, workshop = events[OPENING_UID], events[WORKSHOP_UID]
    assert (opening.sequence.value, workshop.sequence.value) == ("0", "3")
    assert (opening.status.value, workshop.status.value) == ("CONFIRMED", "CANCELLED")
    assert opening.categories.value == ["Plénière", "Gouvernance"]
    assert opening.location.value == "Amphithéâtre Molière"
    assert opening.transp.value == "OPAQUE"
    assert "categories" not in workshop.contents
    assert "url" not in workshop.contents
    assert "created" not in workshop.contents


@pytest.mark.parametrize("reader", ["ical", "vobject"])
def test_non_ascii_and_special_characters_round_trip(reader: str) -> None:
    data = build_calendar(
        make_calendar(
            make_event(
                summary=TRICKY_SUMMARY,
                description=TRICKY_DESCRIPTION,
                location=TRICKY_LOCATION,
            )
        ),
        dtstamp=DTSTAMP,
    )
    text = data.decode("utf-8")

    if reader == "ical":
        event = IcsCalendarStream.calendar_from_ics(text).events[0]
        read = (event.summary, event.description, event.location)
    else:
        event = vobject.readOne(text).vevent
        read = (event.summary.value, event.description.value, event.location.value)
    assert read == (TRICKY_SUMMARY, TRICKY_DESCRIPTION, TRICKY_LOCATION)


def test_category_with_a_comma_stays_one_category() -> None:
    data = build_calendar(
        make_calendar(make_event(categories=("Santé, données", "Cloud"))), dtstamp=DTSTAMP
    )

    assert "CATEGORIES:Santé\\, données,Cloud" in unfolded(data)
    # ``ical`` splits on escaped commas too, so only vobject and ics are asked.
    assert vobject.readOne(data.decode("utf-8")).vevent.categories.value == [
        "Santé, données",
        "Cloud",
    ]
    assert next(iter(ics.Calendar(data.decode("utf-8")).events)).categories == {
        "Santé, données",
        "Cloud",
    }


def test_url_is_written_as_a_uri_not_escaped_text() -> None:
    link = "https://congress.example/sessions/x?tracks=a,b;lang=fr"
    data = build_calendar(make_calendar(make_event(url=link)), dtstamp=DTSTAMP)

    assert f"URL:{link}" in block(data, "VEVENT")
    assert IcsCalendarStream.calendar_from_ics(data.decode("utf-8")).events[0].url == link


# --- calendar properties -----------------------------------------------------


def test_calendar_properties_for_subscribing_clients() -> None:
    lines = unfolded(demo_feed())
    head = lines[: lines.index("BEGIN:VTIMEZONE")]

    assert head == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//APSSIS//congress//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "NAME:APSSIS 2014 — programme",
        "X-WR-CALNAME:APSSIS 2014 — programme",
        "DESCRIPTION:Congrès national de la sécurité des SI de santé\\, Le Mans\\;\\n1-3 avril",
        "X-WR-CALDESC:Congrès national de la sécurité des SI de santé\\, Le Mans\\;\\n1-3 avril",
        "X-WR-TIMEZONE:Europe/Paris",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "URL:https://congress.example/programme.ics",
        "SOURCE;VALUE=URI:https://congress.example/programme.ics",
    ]
    text = demo_feed().decode("utf-8")
    parsed = IcsCalendarStream.calendar_from_ics(text)
    assert parsed.refresh_interval == timedelta(hours=1)
    assert parsed.name == ["APSSIS 2014 — programme"]
    assert parsed.description == [CALENDAR_DESCRIPTION]
    assert parsed.x_wr_timezone == "Europe/Paris"
    read_back = vobject.readOne(text).contents
    assert read_back["x-wr-calname"][0].value == "APSSIS 2014 — programme"
    assert read_back["x-wr-caldesc"][0].value == CALENDAR_DESCRIPTION


def test_refresh_interval_and_missing_url_follow_the_calendar() -> None:
    data = build_calendar(
        make_calendar(make_event(), refresh=timedelta(minutes=30), url=None), dtstamp=DTSTAMP
    )
    head = unfolded(data)[: unfolded(data).index("BEGIN:VTIMEZONE")]

    assert "REFRESH-INTERVAL;VALUE=DURATION:PT30M" in head
    assert "X-PUBLISHED-TTL:PT30M" in head
    assert not [line for line in head if line.startswith(("URL", "SOURCE"))]


def test_confirmed_event_lines() -> None:
    opening = block(demo_feed(), "VEVENT")

    assert value(opening, "UID") == OPENING_UID
    assert value(opening, "STATUS") == "CONFIRMED"
    assert value(opening, "SEQUENCE") == "0"
    assert value(opening, "LAST-MODIFIED") == "20140301T103000Z"
    assert value(opening, "CREATED") == "20140201T090000Z"
    assert value(opening, "TRANSP") == "OPAQUE"
    assert value(opening, "CATEGORIES") == "Plénière,Gouvernance"


def test_dtstamp_and_last_modified_are_written_in_utc() -> None:
    data = build_calendar(
        make_calendar(make_event(last_modified=datetime(2014, 3, 1, 11, 30, tzinfo=PARIS))),
        dtstamp=datetime(2014, 3, 20, 13, 0, tzinfo=PARIS),
    )
    event = block(data, "VEVENT")

    assert value(event, "DTSTAMP") == "20140320T120000Z"
    assert value(event, "LAST-MODIFIED") == "20140301T103000Z"


# --- VTIMEZONE ---------------------------------------------------------------


def test_paris_vtimezone_uses_yearly_rrules_and_no_rdate() -> None:
    lines = block(demo_feed(), "VTIMEZONE")
    (standard,) = sub_blocks(lines, "STANDARD")
    (daylight,) = sub_blocks(lines, "DAYLIGHT")

    assert value(lines, "TZID") == "Europe/Paris"
    assert not [line for line in lines if line.startswith("RDATE")]
    assert value(daylight, "RRULE") == "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"
    assert value(standard, "RRULE") == "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
    assert (value(daylight, "TZOFFSETFROM"), value(daylight, "TZOFFSETTO")) == ("+0100", "+0200")
    assert (value(standard, "TZOFFSETFROM"), value(standard, "TZOFFSETTO")) == ("+0200", "+0100")
    assert (value(daylight, "TZNAME"), value(standard, "TZNAME")) == ("CEST", "CET")
    # First changes of the block: the year before the congress.
    assert value(daylight, "DTSTART") == "20130331T020000"
    assert value(standard, "DTSTART") == "20131027T030000"


def test_paris_rrules_expand_to_the_2014_changes() -> None:
    lines = block(demo_feed(), "VTIMEZONE")
    year_2014 = (wall("2014-01-01T00:00"), wall("2015-01-01T00:00"))

    changes = []
    for name in ("DAYLIGHT", "STANDARD"):
        (sub,) = sub_blocks(lines, name)
        start = wall(value(sub, "DTSTART"))
        rule = rrule.rrulestr(value(sub, "RRULE"), dtstart=start)
        changes += rule.between(*year_2014)

    assert changes == [wall("2014-03-30T02:00"), wall("2014-10-26T03:00")]


def test_paris_vtimezone_evaluated_by_dateutil_switches_at_the_right_minute() -> None:
    zone = dateutil_zone("\r\n".join(block(demo_feed(), "VTIMEZONE")) + "\r\n")

    assert zone.utcoffset(wall("2014-03-30T01:59")) == timedelta(hours=1)
    assert zone.utcoffset(wall("2014-03-30T03:00")) == timedelta(hours=2)
    assert zone.utcoffset(wall("2014-10-26T01:59")) == timedelta(hours=2)
    assert zone.utcoffset(wall("2014-10-26T03:00")) == timedelta(hours=1)


def test_southern_hemisphere_zone_has_summer_time_around_new_year() -> None:
    first = datetime(2014, 1, 10, tzinfo=UTC)
    lines = unfolded(vtimezone("Australia/Sydney", first, first).to_ical())
    (standard,) = sub_blocks(lines, "STANDARD")
    (daylight,) = sub_blocks(lines, "DAYLIGHT")

    assert value(daylight, "RRULE") == "FREQ=YEARLY;BYMONTH=10;BYDAY=1SU"
    assert value(standard, "RRULE") == "FREQ=YEARLY;BYMONTH=4;BYDAY=1SU"
    assert (value(daylight, "TZOFFSETFROM"), value(daylight, "TZOFFSETTO")) == ("+1000", "+1100")
    assert (value(standard, "TZOFFSETFROM"), value(standard, "TZOFFSETTO")) == ("+1100", "+1000")
    assert (value(daylight, "DTSTART"), value(standard, "DTSTART")) == (
        "20131006T020000",
        "20130407T030000",
    )
    assert not [line for line in lines if line.startswith("RDATE")]


def test_southern_hemisphere_event_read_through_the_vtimezone() -> None:
    summer_talk = make_event(
        starts_at=datetime(2014, 1, 14, 23, 0, tzinfo=UTC),  # 15 January, 10:00 AEDT
        ends_at=datetime(2014, 1, 15, 0, 0, tzinfo=UTC),
    )
    data = build_calendar(make_calendar(summer_talk, timezone="Australia/Sydney"), dtstamp=DTSTAMP)
    event = vobject.readOne(data.decode("utf-8")).vevent

    assert "DTSTART;TZID=Australia/Sydney:20140115T100000" in unfolded(data)
    assert event.dtstart.value.utcoffset() == timedelta(hours=11)
    assert event.dtstart.value.astimezone(UTC) == datetime(2014, 1, 14, 23, 0, tzinfo=UTC)


def test_new_york_rule_uses_nth_sundays() -> None:
    first = datetime(2014, 4, 1, tzinfo=UTC)
    lines = unfolded(vtimezone("America/New_York", first, first).to_ical())
    (standard,) = sub_blocks(lines, "STANDARD")
    (daylight,) = sub_blocks(lines, "DAYLIGHT")

    assert value(daylight, "RRULE") == "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"
    assert value(standard, "RRULE") == "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"
    assert (value(daylight, "TZOFFSETFROM"), value(daylight, "TZOFFSETTO")) == ("-0500", "-0400")


def test_ambiguous_weekday_rule_is_settled_by_the_following_years() -> None:
    # Paraguay ended summer time on the 4th Sunday of March; in 2016 and 2017
    # that was also the last Sunday (27th, 26th), later years tell them apart.
    first = datetime(2017, 5, 1, tzinfo=UTC)
    lines = unfolded(vtimezone("America/Asuncion", first, first).to_ical())
    (standard,) = sub_blocks(lines, "STANDARD")

    assert value(standard, "RRULE") == "FREQ=YEARLY;BYMONTH=3;BYDAY=4SU"
    assert value(standard, "DTSTART") == "20160327T000000"


def test_ambiguous_last_sunday_stays_last_sunday() -> None:
    # 27 March 2016 and 26 March 2017 are both the 4th and the last Sunday;
    # 31 March 2019 shows Paris follows "last Sunday".
    first = datetime(2017, 4, 1, tzinfo=UTC)
    lines = unfolded(vtimezone("Europe/Paris", first, first).to_ical())
    (daylight,) = sub_blocks(lines, "DAYLIGHT")

    assert value(daylight, "RRULE") == "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"
    assert value(daylight, "DTSTART") == "20160327T020000"


@pytest.mark.parametrize(("tzid", "offset"), [("Asia/Tokyo", "+0900"), ("UTC", "+0000")])
def test_zone_without_dst_has_a_single_standard_observance(tzid: str, offset: str) -> None:
    first = datetime(2014, 4, 1, tzinfo=UTC)
    lines = unfolded(vtimezone(tzid, first, first).to_ical())
    (standard,) = sub_blocks(lines, "STANDARD")

    assert sub_blocks(lines, "DAYLIGHT") == []
    assert not [line for line in lines if line.startswith(("RRULE", "RDATE"))]
    assert value(standard, "DTSTART") == "20130101T000000"
    assert (value(standard, "TZOFFSETFROM"), value(standard, "TZOFFSETTO")) == (offset, offset)


def test_irregular_zone_falls_back_to_one_observance_per_change() -> None:
    # Iran changed clocks on fixed dates (22 March, 22 September): no weekday rule.
    first = datetime(2014, 4, 1, tzinfo=UTC)
    lines = unfolded(vtimezone("Asia/Tehran", first, first).to_ical())
    observances = sub_blocks(lines, "STANDARD") + sub_blocks(lines, "DAYLIGHT")

    assert not [line for line in lines if line.startswith(("RRULE", "RDATE"))]
    assert all(len([x for x in sub if x.startswith("DTSTART")]) == 1 for sub in observances)
    assert sorted(value(sub, "DTSTART") for sub in sub_blocks(lines, "DAYLIGHT")) == [
        "20130322T000000",
        "20140322T000000",
    ]
    assert sorted(value(sub, "DTSTART") for sub in sub_blocks(lines, "STANDARD")) == [
        "20130101T000000",
        "20130922T000000",
        "20140922T000000",
    ]


@pytest.mark.parametrize(
    ("tzid", "year"),
    [
        ("Europe/Paris", 2014),
        ("America/New_York", 2014),
        ("Australia/Sydney", 2014),
        ("Asia/Tokyo", 2014),
        ("UTC", 2014),
        ("Asia/Tehran", 2014),  # fixed dates: per-change observances
        ("Europe/Moscow", 2014),  # standard offset moved on 26 October 2014
        ("America/Santiago", 2014),  # irregular changes, DST in force on 1 January
        ("America/Asuncion", 2017),
        ("Europe/Dublin", 2014),  # tzdata's negative DST in winter
    ],
)
def test_vtimezone_agrees_with_zoneinfo_every_day_of_the_range(tzid: str, year: int) -> None:
    zone = ZoneInfo(tzid)
    text = vtimezone_text(
        tzid, datetime(year, 3, 1, tzinfo=UTC), datetime(year, 11, 30, tzinfo=UTC)
    )
    evaluated = dateutil_zone(text)

    # The year before only gives the observances a start; the events' year is
    # what must be right.
    day = date(year, 1, 1)
    while day.year == year:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=zone)
        assert evaluated.utcoffset(noon.replace(tzinfo=None)) == noon.utcoffset(), day
        day += timedelta(days=1)


def test_summer_observance_is_daylight_even_with_negative_dst() -> None:
    first = datetime(2014, 4, 1, tzinfo=UTC)
    lines = unfolded(vtimezone("Europe/Dublin", first, first).to_ical())
    (daylight,) = sub_blocks(lines, "DAYLIGHT")

    assert (value(daylight, "TZOFFSETTO"), value(daylight, "TZNAME")) == ("+0100", "IST")


# --- structure of the stream -------------------------------------------------


def test_one_vtimezone_before_the_events() -> None:
    talks = [
        make_event(
            uid=f"talk-{index}@congress.example",
            starts_at=OPENING_START + timedelta(days=index % 3, hours=index),
            ends_at=OPENING_END + timedelta(days=index % 3, hours=index),
        )
        for index in range(6)
    ]
    lines = unfolded(build_calendar(make_calendar(*talks), dtstamp=DTSTAMP))

    assert lines.count("BEGIN:VTIMEZONE") == 1
    assert lines.count("BEGIN:VEVENT") == 6
    assert lines.index("END:VTIMEZONE") < lines.index("BEGIN:VEVENT")


def test_empty_feed_still_has_its_vtimezone_and_parses() -> None:
    data = build_calendar(make_calendar(), dtstamp=DTSTAMP)

    assert unfolded(data).count("BEGIN:VTIMEZONE") == 1
    parsed = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert parsed.events == []
    assert [timezone.tz_id for timezone in parsed.timezones] == ["Europe/Paris"]


def test_lines_are_folded_at_75_octets_and_end_with_crlf() -> None:
    data = build_calendar(
        make_calendar(make_event(description="Données de santé — " * 40, summary="é" * 100)),
        dtstamp=DTSTAMP,
    )
    physical = data.split(b"\r\n")

    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in physical) <= 75
    assert any(line.startswith(b" ") for line in physical)  # something was folded
    for line in physical:
        line.decode("utf-8")  # folds never split a multi-byte character
    parsed = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert parsed.events[0].description == "Données de santé — " * 40


def test_output_is_deterministic_and_keeps_event_order() -> None:
    first = make_event(uid="b@congress.example")
    second = make_event(uid="a@congress.example", starts_at=WORKSHOP_START, ends_at=WORKSHOP_END)

    forward = build_calendar(make_calendar(first, second), dtstamp=DTSTAMP)
    again = build_calendar(make_calendar(first, second), dtstamp=DTSTAMP)
    backward = build_calendar(make_calendar(second, first), dtstamp=DTSTAMP)

    assert forward == again
    uids = [line for line in unfolded(forward) if line.startswith("UID:")]
    assert uids == ["UID:b@congress.example", "UID:a@congress.example"]
    assert [line for line in unfolded(backward) if line.startswith("UID:")] == uids[::-1]


# --- refused input -----------------------------------------------------------


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="starts_at must be timezone-aware"):
        make_event(starts_at=datetime(2014, 4, 1, 9, 0))  # noqa: DTZ001
    with pytest.raises(ValueError, match="dtstamp must be timezone-aware"):
        build_calendar(make_calendar(make_event()), dtstamp=datetime(2014, 3, 20))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": OPENING_START}, "must end after it starts"),
        ({"uid": ""}, "needs a UID"),
        ({"sequence": -1}, "SEQUENCE cannot be negative"),
        ({"created": datetime(2014, 2, 1)}, "created must be timezone-aware"),  # noqa: DTZ001
    ],
)
def test_invalid_event_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_event(**changes)
