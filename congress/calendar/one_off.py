"""The calendar object a programme-change e-mail carries for one session.

Why: someone who downloaded a session's ``.ics`` once, instead of subscribing,
holds a copy no feed will ever refresh. A calendar client that opens an
attached object with the same UID and a higher SEQUENCE replaces the event it
holds (RFC 5545 3.8.7.4), or marks it cancelled when ``STATUS:CANCELLED``
comes with it. The object is the very VEVENT every feed serves (``talk_event``:
same UID, SEQUENCE, summary and cancellation), in a ``METHOD:PUBLISH``
calendar like the session's own download, so one parser check covers both.
"""

from __future__ import annotations

from datetime import datetime

from congress.calendar.exporters.ics import FeedWording, talk_event
from congress.calendar.ical import IcsCalendar, build_calendar, location_text
from congress.edition.models import Event
from congress.programme.models import Talk

# A published calendar, not an invitation: clients import it and match by UID,
# they do not ask the reader to accept or decline.
SESSION_CONTENT_TYPE = "text/calendar; method=PUBLISH; charset=utf-8"


def session_calendar(
    talk: Talk, event: Event, *, base_url: str, uid_domain: str, generated_at: datetime
) -> bytes:
    """One session as an attendee's calendar holds it, in the current language.

    The attendee chose the session, so the abstract follows the attendee
    audience of the feeds (restricted abstracts included, as in their agenda
    feed). Call inside ``force_locale`` for the reader's language.
    """
    wording = FeedWording.for_current_language()
    calendar = IcsCalendar(
        name=talk.title,
        description=location_text(event.name, event.venue, event.city),
        timezone=event.timezone,
        events=(
            talk_event(
                talk,
                event,
                base_url=base_url,
                uid_domain=uid_domain,
                restricted_visible=True,
                wording=wording,
            ),
        ),
    )
    return build_calendar(calendar, dtstamp=generated_at)
