"""The attendance certificate (attestation de présence) as a PDF/A-3b page.

Pure: the caller (``registration.certificates``) decides who gets one and which
days it names, and hands plain values here. Why PDF/A: the certificate is filed
by the attendee's employer (HR, the training budget's funder) and must still
open the same way years later, fonts and logo embedded.

Hours are given twice per day, on purpose: the times (first session's start,
last session's end) tell when the attendee was expected in the room, and the
duration counts only the time some session was running, so coffee breaks and
lunch are not claimed as training time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from flask_babel import force_locale

from congress.documents.pdf import render
from congress.i18n import gettext as _

__all__ = [
    "AttendedDay",
    "CertificateFacts",
    "OrganiserFacts",
    "duration_text",
    "render_certificate",
    "times_text",
]

NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class AttendedDay:
    """One day the attendee was checked in, with the hours of that day's programme.

    ``starts``/``ends`` are local wall times; both are None (and ``minutes`` 0)
    when no session of that day was published. ``afternoon`` marks a half-day:
    the attendee arrived after the morning's sessions, and the hours are the
    afternoon's.
    """

    day: date
    starts: time | None
    ends: time | None
    minutes: int
    afternoon: bool = False


@dataclass(frozen=True, slots=True)
class OrganiserFacts:
    """Who issues the certificate, as the edition's organiser record names it."""

    legal_name: str
    legal_form: str
    street: str
    postcode: str
    city: str
    siret: str
    email: str
    training_declaration: str  # "" when the organiser is not a declared training body
    signatory: str


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """Everything a certificate prints; ``days`` are only the days checked in."""

    language: str
    attendee: str
    organisation: str
    edition_name: str
    edition_acronym: str
    first_day: date
    last_day: date
    venue: str
    address: str
    city: str
    days: tuple[AttendedDay, ...]
    organiser: OrganiserFacts | None
    issued_on: date
    issued_in: str  # the town named in "Fait à ..."

    @property
    def total_minutes(self) -> int:
        return sum(day.minutes for day in self.days)

    @property
    def title(self) -> str:
        """The document's title in the current language (PDF metadata and heading)."""
        return _("Certificate of attendance")


def duration_text(minutes: int) -> str:
    """ "7 h 15" in French, "7 h 15 min" in English; spaces that never break a line."""
    hours, rest = divmod(minutes, 60)
    if rest:
        text = _("%(hours)d h %(minutes)02d min", hours=hours, minutes=rest)
    else:
        text = _("%(hours)d h", hours=hours)
    return text.replace(" ", NBSP)


def times_text(day: AttendedDay) -> str:
    """ "08:45–18:30" (24-hour clock in both languages, as the programme pages write it)."""
    if day.starts is None or day.ends is None:
        return ""
    return f"{day.starts:%H:%M}\u2013{day.ends:%H:%M}"


def render_certificate(facts: CertificateFacts) -> bytes:
    """The certificate in ``facts.language``, as PDF/A-3b bytes."""
    with force_locale(facts.language):
        return render(
            "certificate.html",
            archival=True,
            facts=facts,
            lang=facts.language,
            duration_text=duration_text,
            times_text=times_text,
        )
