"""The calendar invitation attached to a confirmation e-mail.

Outlook, Apple Mail and Gmail offer "add to calendar" for a ``METHOD:REQUEST``
object that names an organizer and the attendee; one VEVENT per day the
attendee comes, with a UID derived from the registration so a later update
(another day chosen) replaces rather than duplicates.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from email.utils import parseaddr
from typing import TYPE_CHECKING

import icalendar

from congress.calendar.ical import vtimezone
from congress.core.clock import now

if TYPE_CHECKING:
    from congress.registration.models import Registration

DAY_START = time(8, 30)
DAY_END = time(18, 30)


def congress_days_invitation(registration: Registration, *, organizer: str, uid_domain: str) -> str:
    event = registration.event
    zone = event.zone
    organizer_name, organizer_address = parseaddr(organizer)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//APSSIS//congress//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")
    days = registration.days
    first = datetime.combine(days[0], DAY_START, tzinfo=zone)
    last = datetime.combine(days[-1], DAY_END, tzinfo=zone)
    calendar.add_component(vtimezone(event.timezone, first, last))
    stamp = now().astimezone(UTC)
    for day in days:
        vevent = icalendar.Event()
        vevent.add("uid", f"{registration.uid}-{day.isoformat()}@{uid_domain}")
        vevent.add("dtstamp", stamp)
        vevent.add("sequence", registration.feed_generation)
        vevent.add("summary", f"{event.acronym or event.name} – {event.city}")
        vevent.add("dtstart", datetime.combine(day, DAY_START, tzinfo=zone))
        vevent.add("dtend", datetime.combine(day, DAY_END, tzinfo=zone))
        vevent.add("location", f"{event.venue}, {event.address}, {event.city}")
        vevent.add("status", "CONFIRMED")
        vevent.add("transp", "OPAQUE")
        organizer_prop = icalendar.vCalAddress(f"mailto:{organizer_address}")
        organizer_prop.params["cn"] = icalendar.vText(organizer_name or event.name)
        vevent.add("organizer", organizer_prop)
        attendee = icalendar.vCalAddress(f"mailto:{registration.email}")
        attendee.params["cn"] = icalendar.vText(registration.full_name)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = icalendar.vText("ACCEPTED")
        attendee.params["rsvp"] = icalendar.vText("FALSE")
        vevent.add("attendee", attendee)
        calendar.add_component(vevent)
    return calendar.to_ical().decode()
