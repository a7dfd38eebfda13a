"""Pure iCalendar (RFC 5545) builders for the programme feeds.

Nothing here knows about Flask, the database or HTTP: the exporters turn talks
into ``IcsEvent`` values and call ``build_calendar``. Keeping the builders pure
lets the tests parse the exact bytes a calendar client receives.

Choices made for real clients rather than for the letter of the RFC:

* Event times are written in the venue's wall time with ``TZID`` rather than
  in UTC: the bytes say what the printed programme says ("09:00, Le Mans"),
  clients show the event's zone in its details, and the ``VTIMEZONE`` sent
  along lets clients without a zone database convert them correctly.
* The ``VTIMEZONE`` is derived by hand from ``zoneinfo`` as yearly ``RRULE``
  observances. icalendar's automatic generation lists every transition in one
  multi-date ``RDATE`` line; some clients read only the first date of such a
  line, apply summer time only from then on or not at all, and show summer
  talks an hour late.
* ``REFRESH-INTERVAL`` (RFC 7986) and ``X-PUBLISHED-TTL`` (Apple, Google,
  Outlook) both ask subscribers to poll again, so a cancelled talk disappears
  within the hour.
* Output is deterministic: the same input gives the same bytes, so the views
  can derive an ETag from them and clients do not re-import unchanged feeds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

__all__ = [
    "IcsCalendar",
    "IcsEvent",
    "build_calendar",
    "fold_line",
    "location_text",
    "vtimezone",
]

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

#: Sampling step when scanning a zone for transitions. Real zones never change
#: offset twice within six hours, and each hit is then bisected to the second.
_SCAN_STEP = 6 * 3600

#: Extra years looked at only to choose between two weekday rules that both fit
#: the scanned years (e.g. "4SU" and "-1SU" when the date is always the 25th-28th).
#: Seven consecutive years show every weekday/date alignment.
_TIE_BREAK_YEARS = 7

#: A content line this long or longer is folded; each piece keeps at most 74 octets.
_FOLD_AT = 75
#: Escape characters (TEXT backslash, RFC 6868 caret) that must not end a folded piece.
_NO_FOLD_AFTER = frozenset(b"\\^")
_END_CALENDAR = b"END:VCALENDAR\r\n"
#: A wall time (no zone, as ``DTSTART;TZID=`` carries it) used to ask icalendar for its format.
_PROBE_TIME = datetime(2000, 1, 1)  # noqa: DTZ001 - deliberately naive


def location_text(*parts: str | None) -> str:
    """A ``LOCATION`` from its parts, widest last ("room, venue, city"), blank ones left out.

    Why: an edition created by importing a schedule file has no venue or city
    until organisers fill them in, and a blind join showed calendar users
    "Amphithéâtre Pasteur, , ".
    """
    return ", ".join(text for text in (part.strip() for part in parts if part) if text)


@dataclass(frozen=True, slots=True)
class IcsEvent:
    """One talk as a calendar event, already flattened to plain values.

    ``uid`` must stay the same for the talk's whole life and ``sequence`` must
    grow with each significant change: that is how clients update or cancel the
    event they already hold instead of adding a duplicate.
    """

    uid: str
    summary: str
    description: str
    starts_at: datetime
    ends_at: datetime
    location: str
    url: str | None
    categories: tuple[str, ...]
    cancelled: bool
    sequence: int
    last_modified: datetime
    created: datetime | None = None

    def __post_init__(self) -> None:
        """Refuse values that would produce an invalid or ambiguous event."""
        if not self.uid:
            raise ValueError("an event needs a UID")
        if self.sequence < 0:
            raise ValueError("SEQUENCE cannot be negative")
        for name in ("starts_at", "ends_at", "last_modified", "created"):
            _require_aware(getattr(self, name), name)
        if self.ends_at <= self.starts_at:
            # RFC 5545 3.8.2.2: DTEND must be later than DTSTART.
            raise ValueError("an event must end after it starts")


@dataclass(frozen=True, slots=True)
class IcsCalendar:
    """A whole feed: its metadata, the zone its times are shown in, its events."""

    name: str
    description: str
    timezone: str
    events: tuple[IcsEvent, ...]
    prodid: str = "-//APSSIS//congress//FR"
    refresh: timedelta = timedelta(hours=1)
    url: str | None = None


def build_calendar(calendar: IcsCalendar, *, dtstamp: datetime) -> bytes:
    """Serialise ``calendar`` to iCalendar bytes (UTF-8, CRLF, folded at 75 octets).

    ``dtstamp`` is passed in rather than read from a clock so the output only
    depends on the arguments; the caller usually gives the programme's last
    change, which keeps the bytes (and the ETag) stable between changes.
    """
    _require_aware(dtstamp, "dtstamp")
    zone = ZoneInfo(calendar.timezone)

    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", calendar.prodid)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # NAME/DESCRIPTION are RFC 7986; the X-WR-* twins are what Apple, Google and
    # Outlook actually read. icalendar writes unknown X- values raw, so they are
    # wrapped in vText: TEXT is their default type (RFC 5545 3.8.8.2) and a raw
    # comma or newline would corrupt the line.
    cal.add("name", icalendar.vText(calendar.name))
    cal.add("x-wr-calname", icalendar.vText(calendar.name))
    cal.add("description", calendar.description)
    cal.add("x-wr-caldesc", icalendar.vText(calendar.description))
    cal.add("x-wr-timezone", icalendar.vText(calendar.timezone))
    cal.add("refresh-interval", icalendar.vDuration(calendar.refresh), {"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(calendar.refresh))
    if calendar.url:
        cal.add("url", icalendar.vUri(calendar.url))
        cal.add("source", icalendar.vUri(calendar.url), {"VALUE": "URI"})

    # The one zone every event uses, defined before any event refers to it:
    # some clients read the stream once, top to bottom. An empty feed (a day or
    # a speaker without talks) still gets it, around ``dtstamp``, because RFC
    # 5545 requires at least one component and strict parsers reject none.
    stamp = dtstamp.astimezone(UTC)
    first = min((event.starts_at for event in calendar.events), default=stamp)
    last = max((event.ends_at for event in calendar.events), default=stamp)
    cal.add_component(vtimezone(calendar.timezone, first, last))

    # Insertion order, not icalendar's alphabetical sort: the order above is
    # deliberate and equally deterministic.
    head = cal.to_ical(sorted=False)
    if not head.endswith(_END_CALENDAR):  # pragma: no cover - icalendar's own format
        raise RuntimeError("unexpected end of an icalendar calendar")
    # The events are written by ``_vevent`` (same bytes as icalendar.Event,
    # several times faster) and placed where icalendar would put them.
    zoned = _zoned_form(calendar.timezone)
    dtstamp_text = _datetime_text(stamp)
    events = b"".join(_vevent(event, zone, zoned, dtstamp_text) for event in calendar.events)
    return head[: -len(_END_CALENDAR)] + events + _END_CALENDAR


def vtimezone(tzid: str, first: datetime, last: datetime) -> icalendar.Timezone:
    """Describe the IANA zone ``tzid`` for the years from ``first`` to ``last``.

    The rules are read from ``zoneinfo`` over those years plus the one before
    (so the observance in force at the first event has a start in the block)
    and written as:

    * a single ``STANDARD`` observance when the zone does not change offset;
    * one ``STANDARD`` and one ``DAYLIGHT`` observance with a yearly ``RRULE``
      (``BYMONTH`` + ``BYDAY``, e.g. ``-1SU`` for "last Sunday") when every
      year has the same two changes, as in Europe/Paris since 1996;
    * otherwise one observance per change, each with a single-date ``DTSTART``.

    Never a multi-date ``RDATE`` line: some clients read only its first date
    and then show summer events an hour late.
    """
    zone = ZoneInfo(tzid)
    first_year = _local_year(first, zone) - 1
    last_year = max(_local_year(last, zone), first_year + 1)
    years = tuple(range(first_year, last_year + 1))
    transitions = _transitions(tzid, first_year, last_year)

    component = icalendar.Timezone()
    component.add("tzid", tzid)
    rules = _yearly_rules(tzid, transitions, years) if transitions else None
    if rules is not None:
        for transition, byday in rules:
            rule = _YearlyRule(
                {"FREQ": "YEARLY", "BYMONTH": transition.onset.month, "BYDAY": byday}
            )
            component.add_component(_observance(transition, daylight=transition.forward, rule=rule))
        return component

    # No change at all (Asia/Tokyo, UTC), or irregular ones (a zone abolishing
    # DST, moving its standard offset, following a lunar calendar...): start
    # with what is in force on 1 January, then list each change on its own.
    opening = _in_force(zone, first_year)
    if not transitions or transitions[0].onset > opening.onset:
        component.add_component(_observance(opening, daylight=opening.daylight))
    for transition in transitions:
        component.add_component(_observance(transition, daylight=transition.daylight))
    return component


# --- events -----------------------------------------------------------------


def _vevent(event: IcsEvent, zone: ZoneInfo, zoned: tuple[str, str], dtstamp: str) -> bytes:
    """One ``VEVENT``, byte for byte what ``icalendar.Event`` writes for the same properties.

    Why not ``icalendar.Event``: for a programme of 1,000 talks, building and
    serialising the components took most of the feed's time (property
    objects, parameter handling, per-character folding). Values are still
    escaped by icalendar's own value classes (``vText``, ``vUri``,
    ``vDDDTypes``); only the line assembly and the folding (``fold_line``)
    are done here. Times are local wall time with ``TZID`` so they match the
    ``VTIMEZONE``.
    """
    params, suffix = zoned
    lines = [
        "BEGIN:VEVENT",
        "UID:" + _text(event.uid),
        "DTSTAMP:" + dtstamp,
        f"DTSTART{params}:{_datetime_text(_wall_time(event.starts_at, zone))}{suffix}",
        f"DTEND{params}:{_datetime_text(_wall_time(event.ends_at, zone))}{suffix}",
        "SUMMARY:" + _text(event.summary),
        "DESCRIPTION:" + _text(event.description),
        "LOCATION:" + _text(event.location),
    ]
    if event.url:
        # URI, not text: text escaping would turn "," and ";" in a query string
        # into "\," and "\;" and break the link.
        lines.append("URL:" + icalendar.vUri(event.url).to_ical().decode())
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(_text(name) for name in event.categories))
    # Cancelled events stay in the feed with STATUS:CANCELLED (same UID, higher
    # SEQUENCE) so clients remove the copy they already hold.
    lines.append("STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED")
    lines.append(f"SEQUENCE:{int(event.sequence)}")
    lines.append("LAST-MODIFIED:" + _datetime_text(event.last_modified.astimezone(UTC)))
    if event.created is not None:
        lines.append("CREATED:" + _datetime_text(event.created.astimezone(UTC)))
    lines.append("TRANSP:OPAQUE")
    lines.append("END:VEVENT")
    return b"".join(fold_line(line.encode()) + b"\r\n" for line in lines)


@lru_cache(maxsize=16)
def _zoned_form(tzid: str) -> tuple[str, str]:
    """How icalendar writes a wall time with ``TZID=tzid``: (parameters, value suffix).

    Asked of icalendar itself, once per zone, so quoting and its special
    cases stay the library's: ``(";TZID=Europe/Paris", "")`` for most zones,
    but ``("", "Z")`` for ``UTC``, which it writes as a UTC time.
    """
    probe = icalendar.Event()
    probe.add("dtstart", _PROBE_TIME, {"TZID": tzid})
    line = str(probe.content_lines(sorted=False)[1])
    value = ":" + _datetime_text(_PROBE_TIME)
    at = line.index(value)
    return line[len("DTSTART") : at], line[at + len(value) :]


@lru_cache(maxsize=1024)
def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 3.3.11 says, by icalendar itself.

    Cached because rooms, places and categories repeat on most events.
    """
    return icalendar.vText(value).to_ical().decode()


def _datetime_text(moment: datetime) -> str:
    """A DATE-TIME value (RFC 5545 3.3.5) as icalendar's ``vDatetime`` writes it.

    ``20140401T090000`` for a wall time, ``20140401T070000Z`` for UTC; seconds
    kept, microseconds dropped. Written here because ``vDDDTypes`` spent more
    on zone lookups than on the digits; it has nothing to escape, and the
    tests compare it with icalendar's own output.
    """
    offset = moment.utcoffset()
    if offset is not None and offset:
        raise ValueError("a DATE-TIME is written as wall time or in UTC")
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}T"
        f"{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
        + ("Z" if offset is not None else "")
    )


def fold_line(line: bytes) -> bytes:
    """Fold one content line at 75 octets (RFC 5545 3.1), exactly as icalendar does.

    Each physical line holds at most 74 octets of content (a continuation
    line adds its leading space), is cut only between UTF-8 characters, and
    never ends with a backslash or caret, which some clients would read as an
    escape broken across the fold (icalendar issue #1501). Most lines are
    short and returned as they are.
    """
    if len(line) < _FOLD_AT:
        return line
    pieces: list[bytes] = []
    start, size = 0, len(line)
    while size - start >= _FOLD_AT:
        end = start + _FOLD_AT - 1
        while line[end] & 0xC0 == 0x80:  # not inside a multi-byte character
            end -= 1
        if end - start > 1 and line[end - 1] in _NO_FOLD_AFTER:
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)


def _wall_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """The naive local time shown on the programme, for a ``TZID=`` value.

    A time in the repeated hour of an autumn change would be read as its first
    occurrence (RFC 5545 3.3.5); congress talks never start at 02:30 at night.
    """
    return moment.astimezone(zone).replace(tzinfo=None)


def _require_aware(value: datetime | None, name: str) -> None:
    """Naive datetimes would silently be read as the server's local time."""
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{name} must be timezone-aware")


# --- timezones --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Transition:
    """One change of offset or name, as a ``VTIMEZONE`` observance sees it."""

    onset: datetime  # naive local wall time of the change, read in offset_from
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool  # summer time in zoneinfo's sense (a positive DST amount)

    @property
    def forward(self) -> bool:
        """Whether clocks go forward, i.e. towards summer time."""
        return self.offset_to > self.offset_from

    def shape(self) -> tuple[object, ...]:
        """What must repeat every year for one ``RRULE`` to describe the change."""
        return (
            self.onset.month,
            self.onset.time(),
            self.offset_from,
            self.offset_to,
            self.name,
        )


class _YearlyRule(icalendar.vRecur):
    """``RRULE`` written as ``FREQ=YEARLY;BYMONTH=m;BYDAY=d``.

    icalendar's canonical order puts ``BYDAY`` before ``BYMONTH``. Both are
    valid; this is the order of RFC 5545's own ``VTIMEZONE`` examples and of
    the tzdata-derived definitions clients ship, so the block reads like the
    ones they already know.
    """

    canonical_order = ("FREQ", "BYMONTH", "BYDAY")


def _observance(
    change: _Transition, *, daylight: bool, rule: icalendar.vRecur | None = None
) -> icalendar.TimezoneStandard | icalendar.TimezoneDaylight:
    """A ``STANDARD`` or ``DAYLIGHT`` sub-component starting with ``change``."""
    sub = icalendar.TimezoneDaylight() if daylight else icalendar.TimezoneStandard()
    sub.add("dtstart", change.onset)
    sub.add("tzoffsetfrom", change.offset_from)
    sub.add("tzoffsetto", change.offset_to)
    sub.add("tzname", change.name)
    if rule is not None:
        sub.add("rrule", rule)
    return sub


def _in_force(zone: ZoneInfo, year: int) -> _Transition:
    """The observance in force at 00:00 local on 1 January of ``year``.

    Written as a "change" from and to the same offset, the usual way to give
    a zone's first observance a start without inventing an earlier offset.
    """
    start = datetime(year, 1, 1, tzinfo=zone)
    offset = _offset(start)
    return _Transition(
        onset=start.replace(tzinfo=None),
        offset_from=offset,
        offset_to=offset,
        name=start.tzname() or zone.key,
        daylight=_is_summer(start),
    )


def _is_summer(local: datetime) -> bool:
    """Summer time in force; a negative DST (Irish winter in tzdata) counts as standard."""
    amount = local.dst()
    return amount is not None and amount > timedelta(0)


def _local_year(moment: datetime, zone: ZoneInfo) -> int:
    """Year of ``moment`` in ``zone`` (naive values are taken as already local)."""
    if moment.tzinfo is None:
        return moment.year
    return moment.astimezone(zone).year


def _offset(local: datetime) -> timedelta:
    """UTC offset of an aware datetime; zoneinfo always knows it."""
    offset = local.utcoffset()
    if offset is None:  # pragma: no cover - only for naive values
        raise ValueError("aware datetime expected")
    return offset


def _state(zone: ZoneInfo, timestamp: int) -> tuple[timedelta | None, timedelta | None, str | None]:
    """Offset, DST amount and abbreviation in force at a POSIX timestamp."""
    local = datetime.fromtimestamp(timestamp, zone)
    return local.utcoffset(), local.dst(), local.tzname()


@lru_cache(maxsize=64)
def _transitions(tzid: str, first_year: int, last_year: int) -> tuple[_Transition, ...]:
    """Every change of offset, DST flag or abbreviation starting in the years given.

    ``zoneinfo`` does not expose its transition table, so the zone is sampled
    every few hours and each change is bisected to the second (tzdata
    transitions fall on whole seconds). Cached: a feed asks for the same zone
    and years on every request.
    """
    zone = ZoneInfo(tzid)
    start = int(datetime(first_year, 1, 1, tzinfo=zone).timestamp())
    end = int(datetime(last_year + 1, 1, 1, tzinfo=zone).timestamp())
    found: list[_Transition] = []
    previous = _state(zone, start)
    low = start
    while low < end:
        high = min(low + _SCAN_STEP, end)
        current = _state(zone, high)
        if current != previous:
            found.append(_bisect(zone, low, high, previous))
        previous, low = current, high
    return tuple(found)


def _bisect(
    zone: ZoneInfo,
    low: int,
    high: int,
    before: tuple[timedelta | None, timedelta | None, str | None],
) -> _Transition:
    """Find the first second after ``low`` whose state differs from ``before``."""
    while high - low > 1:
        middle = (low + high) // 2
        if _state(zone, middle) == before:
            low = middle
        else:
            high = middle
    previous = datetime.fromtimestamp(low, zone)
    after = datetime.fromtimestamp(high, zone)
    offset_from = _offset(previous)
    return _Transition(
        # RFC 5545 3.6.5: an observance's DTSTART is the local time of the change
        # "relative to TZOFFSETFROM", e.g. 02:00 for Paris in March, 03:00 in October.
        onset=(datetime.fromtimestamp(high, UTC) + offset_from).replace(tzinfo=None),
        offset_from=offset_from,
        offset_to=_offset(after),
        name=after.tzname() or zone.key,
        daylight=_is_summer(after),
    )


def _yearly_rules(
    tzid: str, transitions: Sequence[_Transition], years: Sequence[int]
) -> list[tuple[_Transition, str]] | None:
    """Fit one yearly ``BYMONTH`` + ``BYDAY`` rule per kind of change, or ``None``.

    It fits when each year has exactly one change to summer time and one back,
    each always in the same month, at the same local time, between the same
    offsets, on the same "nth (or last) weekday" of the month. Each rule comes
    with its first change in the block, used as the observance's ``DTSTART``
    (which RFC 5545 requires to be the first occurrence of the rule).
    """
    rules: list[tuple[_Transition, str]] = []
    # Grouped by direction, not by zoneinfo's DST flag: tzdata gives Ireland a
    # negative DST in winter, but clients expect DAYLIGHT to be the summer offset.
    for forward in (False, True):
        changes = [t for t in transitions if t.forward is forward]
        if [t.onset.year for t in changes] != list(years):
            return None
        shape = changes[0].shape()
        if any(t.shape() != shape for t in changes):
            return None
        candidates = _common_byday(t.onset.date() for t in changes)
        if not candidates:
            return None
        if len(candidates) > 1:
            candidates = _break_tie(tzid, candidates, changes[0], years[-1])
        rules.append((changes[0], _preferred(candidates)))
    # STANDARD (clocks back) first, then DAYLIGHT: a fixed order keeps the bytes stable.
    return rules


def _byday_candidates(day: date) -> set[str]:
    """The ``BYDAY`` values that select ``day`` within its month.

    Only 1..4 and -1 (last): a fifth weekday does not exist every year, so a
    "5SU" rule would skip years; tzdata never uses one.
    """
    weekday = _WEEKDAYS[day.weekday()]
    candidates = set()
    nth = (day.day - 1) // 7 + 1
    if nth <= 4:
        candidates.add(f"{nth}{weekday}")
    if (day + timedelta(days=7)).month != day.month:
        candidates.add(f"-1{weekday}")
    return candidates


def _common_byday(days: Iterable[date]) -> set[str]:
    """The ``BYDAY`` values that select every one of ``days``."""
    common: set[str] | None = None
    for day in days:
        candidates = _byday_candidates(day)
        common = candidates if common is None else common & candidates
    return common or set()


def _break_tie(tzid: str, candidates: set[str], model: _Transition, last_year: int) -> set[str]:
    """Narrow ambiguous rules with the following years' changes of the same shape.

    In the scanned years both rules give the same dates, so the events are right
    either way; looking ahead picks the rule the zone really follows, which is
    what a client applying the ``RRULE`` to other years will compute.
    """
    later = _transitions(tzid, last_year + 1, last_year + _TIE_BREAK_YEARS)
    for transition in later:
        if transition.forward is not model.forward or transition.shape() != model.shape():
            continue
        narrowed = candidates & _byday_candidates(transition.onset.date())
        if not narrowed:
            break  # the zone changed its rule: keep what fits the scanned years
        candidates = narrowed
    return candidates


def _preferred(candidates: set[str]) -> str:
    """Deterministic choice: "last weekday" first (tzdata's ``lastSun``), then nth."""
    return min(candidates, key=lambda value: (not value.startswith("-"), value))
