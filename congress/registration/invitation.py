"""A registration's calendar invitation: its facts flattened for ``calendar.invitation``.

The calendar builds the ``.ics`` from plain values and knows nothing of a
``Registration``; this module is where registration decides what those values
are (the attendee's name and address, the days they chose, the edition's name,
place and zone, the e-mail's sender as organizer).
"""

from __future__ import annotations

from email.utils import parseaddr

from flask import current_app

from congress.calendar.ical import location_text
from congress.calendar.invitation import InvitationFacts, build_invitation
from congress.mail.outbox import ICS_CONTENT_TYPE, Attachment
from congress.registration.models import Registration

__all__ = ["congress_days_invitation", "invitation_attachment", "invitation_facts"]

FILENAME = "invitation.ics"


def invitation_facts(registration: Registration, *, organizer: str) -> InvitationFacts:
    """The invitation's values for ``registration``; ``organizer`` is a mailbox ("Name <addr>").

    An organizer without a display name is shown under the edition's name.
    The sequence is the feed generation, which grows whenever the attendee's
    links are reissued, so a resent invitation replaces the one clients hold.
    """
    event = registration.event
    organizer_name, organizer_address = parseaddr(organizer)
    return InvitationFacts(
        uid=registration.uid,
        sequence=registration.feed_generation,
        attendee_name=registration.full_name,
        attendee_email=registration.email,
        days=tuple(registration.days),
        timezone=event.timezone,
        summary=f"{event.acronym or event.name} – {event.city}",
        location=location_text(event.venue, event.address, event.city),
        organizer_name=organizer_name or event.name,
        organizer_address=organizer_address,
    )


def congress_days_invitation(registration: Registration, *, organizer: str, uid_domain: str) -> str:
    """The ``.ics`` text inviting the attendee to the days they chose."""
    return build_invitation(
        invitation_facts(registration, organizer=organizer), uid_domain=uid_domain
    )


def invitation_attachment(registration: Registration) -> Attachment:
    """The invitation as the confirmation and promotion e-mails carry it.

    Sent by the configured mail sender, with UIDs in the configured domain.
    """
    content = congress_days_invitation(
        registration,
        organizer=current_app.config["MAIL_SENDER"],
        uid_domain=current_app.config["UID_DOMAIN"],
    )
    return Attachment(filename=FILENAME, content_type=ICS_CONTENT_TYPE, content=content)
