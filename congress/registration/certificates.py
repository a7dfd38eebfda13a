"""Attendance certificates (attestations de présence): who gets one, what it says, sending it.

The rule is the check-in desk's record, nothing else: a certificate names the
days a confirmed attendee was checked in, never a day they only registered
for. Hence one may be downloaded from the private link as soon as there is a
check-in (it names the days checked in so far, dated the day it is made), and
it is e-mailed once, after the congress's last day, by ``send_certificates``.

Hours come from the published programme (confirmed sessions; breaks and social
events are not sessions): per day, from the first session's start to the last
one's end, and a duration that counts only the time some session was running.
Half-days: the desk records one arrival per day, with its time. An attendee who
arrived after the morning's last session (during lunch or later) attended the
afternoon only, and the certificate says so, with the afternoon's hours. A
departure is not recorded, so a morning-only presence cannot be told apart from
a full day; the printed note says how presence is counted.

"Sent once" is held by ``certificate_sent_at``, set by a conditional UPDATE
(``... WHERE certificate_sent_at IS NULL``) in the same transaction as the
outbox row: two runs at once cannot both claim a registration, and a run that
fails midway leaves the rest for the next one.
"""

from __future__ import annotations

import base64
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import force_locale
from sqlalchemy import update

from congress.core.clock import now
from congress.core.errors import Conflict, NotFound
from congress.documents.certificate import (
    AttendedDay,
    CertificateFacts,
    OrganiserFacts,
    render_certificate,
)
from congress.edition.models import Event, Organiser
from congress.edition.queries import organiser_of
from congress.extensions import db
from congress.i18n import DEFAULT_LANGUAGE, LANGUAGES
from congress.i18n import gettext as _
from congress.i18n import lazy_gettext as _l
from congress.mail.outbox import Attachment, render_and_queue
from congress.programme.models import Talk, TalkKind, TalkStatus
from congress.programme.queries import published_criteria
from congress.registration.checkin import today
from congress.registration.models import CheckIn, Registration, RegistrationStatus
from congress.typography import long_date

__all__ = [
    "KIND",
    "CongressNotOver",
    "NoCertificate",
    "attended_days",
    "available",
    "certificate_facts",
    "certificate_pdf",
    "filename",
    "send_certificates",
]

KIND = "attendance_certificate"
PDF_CONTENT_TYPE = "application/pdf"
# Not sessions of the congress: their time is not attendance time.
NOT_SESSIONS = (TalkKind.BREAK, TalkKind.SOCIAL)
NOON = time(12, 0)


class NoCertificate(NotFound):
    """This registration has no certificate (not confirmed, or never checked in)."""


class CongressNotOver(Conflict):
    """Certificates are sent after the congress's last day, not before."""


def _language(registration: Registration) -> str:
    return registration.language if registration.language in LANGUAGES else DEFAULT_LANGUAGE


# ---------------------------------------------------------------- who and which days


def _may_have_one(registration: Registration) -> bool:
    return registration.status is RegistrationStatus.CONFIRMED and registration.erased_at is None


def attended_days(registration: Registration) -> list[date]:
    """The days of the edition this registration was checked in, in order (one statement)."""
    event = registration.event
    days = db.session.scalars(
        db.select(CheckIn.day)
        .where(
            CheckIn.registration_id == registration.id,
            CheckIn.day >= event.first_day,
            CheckIn.day <= event.last_day,
        )
        .order_by(CheckIn.day)
    )
    return list(dict.fromkeys(days))


def available(registration: Registration) -> bool:
    """Whether the private page offers a certificate: confirmed and checked in at least once."""
    return _may_have_one(registration) and bool(attended_days(registration))


def _days_checked_in(registration: Registration) -> list[date]:
    """``attended_days``, or ``NoCertificate`` with the reason the attendee can act on."""
    if not _may_have_one(registration):
        raise NoCertificate(_l("There is no attendance certificate for this registration."))
    days = attended_days(registration)
    if not days:
        raise NoCertificate(
            _l(
                "No attendance certificate yet: it is issued once you have been checked in "
                "at the welcome desk, and names the days you were checked in."
            )
        )
    return days


# ---------------------------------------------------------------- hours of the programme


def _local(moment: datetime, event: Event) -> datetime:
    return moment.astimezone(event.zone)


@dataclass(frozen=True, slots=True)
class DayHours:
    """A day's programme hours as a whole and, when it has a morning, for its afternoon."""

    full: AttendedDay
    afternoon: AttendedDay | None = None
    # The end of the morning's last session (aware, local): arriving then or later
    # means attending the afternoon only.
    morning_ends: datetime | None = None

    def for_arrival(self, arrived_at: datetime | None) -> AttendedDay:
        if (
            arrived_at is not None
            and self.afternoon is not None
            and self.morning_ends is not None
            and arrived_at >= self.morning_ends
        ):
            return self.afternoon
        return self.full


def _attended(
    day: date, sessions: list[tuple[datetime, datetime]], *, afternoon: bool = False
) -> AttendedDay:
    return AttendedDay(
        day,
        _wall(sessions[0][0]),
        _wall(max(end for _, end in sessions)),
        _covered_minutes(sessions),
        afternoon=afternoon,
    )


def programme_hours(event: Event, days: Iterable[date]) -> dict[date, DayHours]:
    """Each day's hours from the published programme, in one statement.

    Times: the first session's start and the last one's end (local wall time).
    Minutes: the union of the sessions' intervals, so parallel sessions count
    once and the gaps between them (breaks, lunch) not at all. A day without a
    published session gets no times and 0 minutes, but is still a day. The
    afternoon is the sessions starting at noon or later, when the day also has
    morning sessions.
    """
    wanted = set(days)
    rows = db.session.execute(
        db.select(Talk.starts_at, Talk.ends_at)
        .where(
            *published_criteria(event),
            Talk.status == TalkStatus.CONFIRMED,
            Talk.kind.not_in(NOT_SESSIONS),
        )
        .order_by(Talk.starts_at, Talk.ends_at)
    ).all()
    by_day: dict[date, list[tuple[datetime, datetime]]] = defaultdict(list)
    for starts_at, ends_at in rows:
        start, end = _local(starts_at, event), _local(ends_at, event)
        if start.date() in wanted:
            by_day[start.date()].append((start, end))
    hours = {}
    for day in sorted(wanted):
        sessions = by_day.get(day, [])
        if not sessions:
            hours[day] = DayHours(AttendedDay(day, None, None, 0))
            continue
        morning = [(start, end) for start, end in sessions if start.time() < NOON]
        afternoon = [(start, end) for start, end in sessions if start.time() >= NOON]
        if morning and afternoon:
            hours[day] = DayHours(
                _attended(day, sessions),
                _attended(day, afternoon, afternoon=True),
                max(end for _, end in morning),
            )
        else:
            hours[day] = DayHours(_attended(day, sessions))
    return hours


def arrivals(registration: Registration) -> dict[date, datetime]:
    """When the registration was checked in on each day of its edition (local time)."""
    event = registration.event
    rows = db.session.execute(
        db.select(CheckIn.day, CheckIn.checked_in_at).where(
            CheckIn.registration_id == registration.id,
            CheckIn.day >= event.first_day,
            CheckIn.day <= event.last_day,
        )
    )
    return {day: _local(moment, event) for day, moment in rows}


def _wall(moment: datetime) -> time:
    return moment.time().replace(tzinfo=None)


def _covered_minutes(sessions: list[tuple[datetime, datetime]]) -> int:
    """Minutes during which at least one of ``sessions`` (sorted by start) runs."""
    total = 0
    current_start, current_end = sessions[0]
    for start, end in sessions[1:]:
        if start > current_end:
            total += int((current_end - current_start).total_seconds()) // 60
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    total += int((current_end - current_start).total_seconds()) // 60
    return total


# ---------------------------------------------------------------- the certificate


def _organiser_facts(organiser: Organiser | None) -> OrganiserFacts | None:
    if organiser is None:
        return None
    return OrganiserFacts(
        legal_name=organiser.legal_name,
        legal_form=organiser.legal_form,
        street=organiser.street,
        postcode=organiser.postcode,
        city=organiser.city,
        siret=organiser.siret,
        email=organiser.email,
        training_declaration=organiser.training_declaration.strip(),
        signatory=organiser.signatory,
    )


def _facts(
    registration: Registration,
    days: list[date],
    hours: dict[date, DayHours],
    organiser: OrganiserFacts | None,
    arrived: dict[date, datetime],
) -> CertificateFacts:
    event = registration.event
    return CertificateFacts(
        language=_language(registration),
        attendee=registration.full_name,
        organisation=registration.organisation,
        edition_name=event.name,
        edition_acronym=event.acronym,
        first_day=event.first_day,
        last_day=event.last_day,
        venue=event.venue,
        address=event.address,
        city=event.city,
        days=tuple(hours[day].for_arrival(arrived.get(day)) for day in days),
        organiser=organiser,
        issued_on=today(event),
        issued_in=organiser.city if organiser is not None else event.city,
    )


def certificate_facts(registration: Registration) -> CertificateFacts:
    """What this registration's certificate says today; ``NoCertificate`` when it has none."""
    days = _days_checked_in(registration)
    event = registration.event
    return _facts(
        registration,
        days,
        programme_hours(event, days),
        _organiser_facts(organiser_of(event)),
        arrivals(registration),
    )


def certificate_pdf(registration: Registration) -> bytes:
    """The certificate as PDF/A-3b, in the attendee's language; ``NoCertificate`` otherwise."""
    return render_certificate(certificate_facts(registration))


def filename(registration: Registration) -> str:
    """ "attestation-presence-apssis-2014.pdf": the edition only, no personal data."""
    with force_locale(_language(registration)):
        stem = f"{_('attendance-certificate')}-{registration.event.slug}"
    # A header value: nothing but lowercase letters, digits and hyphens.
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") + ".pdf"


# ---------------------------------------------------------------- sending once


def congress_over(event: Event) -> bool:
    """Whether the congress's last day is over in its own zone."""
    return today(event) > event.last_day


def _unsent(event: Event) -> list[Registration]:
    """Confirmed registrations checked in at least once and not sent a certificate yet."""
    checked_in = db.select(CheckIn.id).where(CheckIn.registration_id == Registration.id).exists()
    return list(
        db.session.scalars(
            db.select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.erased_at.is_(None),
                Registration.certificate_sent_at.is_(None),
                checked_in,
            )
            .order_by(Registration.id)
        )
    )


def _claim(registration_id: int) -> bool:
    """Mark the certificate sent unless another run did: the one conditional UPDATE."""
    result = db.session.execute(
        update(Registration)
        .where(
            Registration.id == registration_id,
            Registration.certificate_sent_at.is_(None),
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .values(certificate_sent_at=now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def send_certificates(event: Event) -> int:
    """E-mail each eligible attendee their certificate once; how many were queued now.

    Refused (``CongressNotOver``) until the congress's last day is over, so no
    certificate leaves before every day could be checked in. Each registration
    is one transaction: claim, queue the e-mail with the PDF, commit. The PDF
    is made before the claim, so no lock is held while it renders.
    """
    if not congress_over(event):
        raise CongressNotOver(
            _l(
                "The congress is not over: attendance certificates are sent after its last "
                "day (%(day)s).",
                day=long_date(event.last_day),
            )
        )
    organiser = _organiser_facts(organiser_of(event))
    candidates = _unsent(event)
    attended: dict[int, list[date]] = defaultdict(list)
    arrived: dict[int, dict[date, datetime]] = defaultdict(dict)
    if candidates:
        rows = db.session.execute(
            db.select(CheckIn.registration_id, CheckIn.day, CheckIn.checked_in_at)
            .where(
                CheckIn.registration_id.in_([r.id for r in candidates]),
                CheckIn.day >= event.first_day,
                CheckIn.day <= event.last_day,
            )
            .order_by(CheckIn.day)
        )
        for registration_id, day, moment in rows:
            if day not in attended[registration_id]:
                attended[registration_id].append(day)
                arrived[registration_id][day] = _local(moment, event)
    hours = programme_hours(event, {day for days in attended.values() for day in days})
    # Plain values first: each commit below expires the loaded rows.
    work = [
        (
            registration.id,
            _facts(
                registration,
                attended[registration.id],
                hours,
                organiser,
                arrived[registration.id],
            ),
        )
        for registration in candidates
        if attended[registration.id]
    ]
    sent = 0
    for registration_id, facts in work:
        pdf = render_certificate(facts)
        if not _claim(registration_id):
            db.session.rollback()
            continue
        registration = db.session.get_one(Registration, registration_id)
        render_and_queue(
            "attendance_certificate",
            registration.email,
            kind=KIND,
            language=facts.language,
            registration_id=registration_id,
            attachments=[
                Attachment(
                    filename(registration),
                    PDF_CONTENT_TYPE,
                    base64.b64encode(pdf).decode("ascii"),
                )
            ],
            registration=registration,
            event=registration.event,
            facts=facts,
        )
        db.session.commit()
        sent += 1
    return sent
