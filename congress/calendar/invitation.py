"""The calendar invitation attached to a confirmation e-mail.

Outlook, Apple Mail and Gmail offer "add to calendar" for a ``METHOD:REQUEST``
object that names an organizer and the attendee; one VEVENT per day the
attendee comes, with a UID derived from the attendee's stable identifier so a
later update (another day chosen) replaces rather than duplicates.

The builder takes plain values (``InvitationFacts``), not a registration: the
calendar sits below registration, which flattens its rows into these facts and
hands them down, as the programme's exporters do with ``IcsEvent``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import icalendar

from congress.calendar.ical import vtimezone
from congress.core.clock import now

__all__ = ["DAY_END", "DAY_START", "InvitationFacts", "build_invitation"]

DAY_START = time(8, 30)
DAY_END = time(18, 30)


@dataclass(frozen=True, slots=True)
class InvitationFacts:
    """What an invitation to the congress days says, already flattened to plain values.

    ``uid`` must stay the same for the attendee's whole registration and
    ``sequence`` must grow when the invitation changes: each day's UID is
    derived from the first, and clients replace the event they hold when a
    higher sequence arrives.
    """

    uid: str
    sequence: int
    attendee_name: str
    attendee_email: str
    days: tuple[date, ...]  # in order, at least one
    timezone: str  # IANA name of the edition's zone
    summary: str
    location: str
    organizer_name: str
    organizer_address: str

    def __post_init__(self) -> None:
        """Refuse values that would give an invitation with no day or no identity."""
        if not self.uid:
            raise ValueError("an invitation needs a UID")
        if not self.days:
            raise ValueError("an invitation needs at least one day")
        if self.sequence < 0:
            raise ValueError("SEQUENCE cannot be negative")


def build_invitation(facts: InvitationFacts, *, uid_domain: str) -> str:
    """The ``METHOD:REQUEST`` calendar text: one VEVENT per day, stamped now."""
    zone = ZoneInfo(facts.timezone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//APSSIS//congress//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")
    first = datetime.combine(facts.days[0], DAY_START, tzinfo=zone)
    last = datetime.combine(facts.days[-1], DAY_END, tzinfo=zone)
    calendar.add_component(vtimezone(facts.timezone, first, last))
    stamp = now().astimezone(UTC)
    for day in facts.days:
        vevent = icalendar.Event()
        vevent.add("uid", f"{facts.uid}-{day.isoformat()}@{uid_domain}")
        vevent.add("dtstamp", stamp)
        vevent.add("sequence", facts.sequence)
        vevent.add("summary", facts.summary)
        vevent.add("dtstart", datetime.combine(day, DAY_START, tzinfo=zone))
        vevent.add("dtend", datetime.combine(day, DAY_END, tzinfo=zone))
        vevent.add("location", facts.location)
        vevent.add("status", "CONFIRMED")
        vevent.add("transp", "OPAQUE")
        organizer = icalendar.vCalAddress(f"mailto:{facts.organizer_address}")
        organizer.params["cn"] = icalendar.vText(facts.organizer_name)
        vevent.add("organizer", organizer)
        attendee = icalendar.vCalAddress(f"mailto:{facts.attendee_email}")
        attendee.params["cn"] = icalendar.vText(facts.attendee_name)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = icalendar.vText("ACCEPTED")
        attendee.params["rsvp"] = icalendar.vText("FALSE")
        vevent.add("attendee", attendee)
        calendar.add_component(vevent)
    return calendar.to_ical().decode()
