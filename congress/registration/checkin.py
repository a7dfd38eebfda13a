"""Check-in at the desk: one presence per confirmed attendee and day.

"Today" is the current date in the edition's zone (``clock.now()``), so a desk
in Le Mans at 00:30 local time checks people in for the local day, not the UTC
one. Each call is one unit of work: the ``check_in`` row and its audit entry are
committed together; a refused scan commits only its ``checkin.refused`` entry.

A code is looked up by its hash (one indexed query). Only confirmed
registrations carry a code hash: cancelling clears it, so a cancelled
attendee's code answers "unknown code"; the search path (by registration id)
names every status.

Two desks scanning the same badge at once cannot create two rows: the unique
constraint on (registration, day) refuses the second insert, which then
answers ``already`` with the first record.

Training (``rehearsal=<a congress day>``): the desk rehearses before the
congress with real codes. The code is judged exactly as on that day, the
answer is the one the real desk would give, and nothing is written: no
check-in row, no audit entry, no commit.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from congress.audit.log import Actor, record
from congress.core import tokens
from congress.core.clock import now
from congress.core.text import fold
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.registration.models import CheckIn, Registration, RegistrationStatus

SEARCH_LIMIT = 20
SEARCH_WORDS = 5
CODE_MAX = 200
# Letters that French (and most Latin-script) names may write with an accent.
_ACCENTED = frozenset("aceinouy")


class Outcome(enum.StrEnum):
    OK = "ok"  # recorded now
    ALREADY = "already"  # recorded earlier today
    REFUSED = "refused"


class Reason(enum.StrEnum):
    UNKNOWN_CODE = "unknown_code"
    UNKNOWN_REGISTRATION = "unknown_registration"
    WAITING = "waiting"
    PENDING = "pending"
    CANCELLED = "cancelled"
    NOT_REGISTERED_TODAY = "not_registered_today"
    NOT_A_CONGRESS_DAY = "not_a_congress_day"


REASON_MESSAGES: dict[Reason, Any] = {
    Reason.UNKNOWN_CODE: _l(
        "Unknown code: no confirmed registration has this code "
        "(the code of a cancelled registration no longer works)."
    ),
    Reason.UNKNOWN_REGISTRATION: _l("Unknown registration."),
    Reason.WAITING: _l("Refused: this person is on the waiting list and holds no seat."),
    Reason.PENDING: _l("Refused: this registration was never confirmed by e-mail."),
    Reason.CANCELLED: _l("Refused: this registration has been cancelled."),
    Reason.NOT_REGISTERED_TODAY: _l("Refused: this person is not registered for today."),
    Reason.NOT_A_CONGRESS_DAY: _l("Refused: today is not a day of the congress."),
}

_STATUS_REASONS = {
    RegistrationStatus.WAITING: Reason.WAITING,
    RegistrationStatus.PENDING: Reason.PENDING,
    RegistrationStatus.CANCELLED: Reason.CANCELLED,
}


@dataclass(frozen=True, slots=True)
class CheckInResult:
    """What the desk sees after a scan.

    ``checked_in_at`` and ``by_label`` describe the record: the new one for
    ``ok``, the earlier one for ``already``; both are empty for ``refused``.
    """

    outcome: Outcome
    day: date
    registration: Registration | None = None
    checked_in_at: datetime | None = None
    by_label: str = ""
    reason: Reason | None = None

    @property
    def message(self) -> Any:
        return REASON_MESSAGES[self.reason] if self.reason is not None else ""


@dataclass(frozen=True, slots=True)
class DayCounts:
    checked_in: int
    expected: int


def today(event: Event) -> date:
    """The current date in the edition's zone."""
    return now().astimezone(event.zone).date()


def day_bit(event: Event, day: date) -> int:
    """The ``days_mask`` bit of ``day``, or 0 when it is not a day of the edition."""
    return 1 << (day - event.first_day).days if day in event.days else 0


def staff_label(user: Any) -> str:
    return (getattr(user, "display_name", "") or getattr(user, "email", "")).strip()


def _actor(user: Any) -> Actor:
    return Actor("organiser", str(user.id), getattr(user, "email", ""))


# ---------------------------------------------------------------- checking in


def check_in_code(
    event: Event, code: str, *, user: Any, rehearsal: date | None = None
) -> CheckInResult:
    """Check in the holder of ``code`` (the QR content, surrounding whitespace ignored).

    With ``rehearsal`` (a day of the edition), answer as on that day and write nothing.
    """
    cleaned = code.strip()
    day = _desk_day(event, rehearsal)
    if not tokens.plausible(cleaned):
        return _refuse(event, day, None, Reason.UNKNOWN_CODE, user, rehearsal=rehearsal)
    row = db.session.execute(
        _lookup(day).where(
            Registration.event_id == event.id,
            Registration.checkin_code_hash == tokens.hash_token(cleaned),
        )
    ).first()
    if row is None:
        return _refuse(event, day, None, Reason.UNKNOWN_CODE, user, rehearsal=rehearsal)
    return _check_in(event, day, row[0], row[1], user, rehearsal=rehearsal)


def check_in_registration(
    event: Event, registration_id: int, *, user: Any, rehearsal: date | None = None
) -> CheckInResult:
    """Check in a registration chosen from the search results (``rehearsal``: see above)."""
    day = _desk_day(event, rehearsal)
    row = db.session.execute(
        _lookup(day).where(Registration.event_id == event.id, Registration.id == registration_id)
    ).first()
    if row is None:
        return _refuse(event, day, None, Reason.UNKNOWN_REGISTRATION, user, rehearsal=rehearsal)
    return _check_in(event, day, row[0], row[1], user, rehearsal=rehearsal)


def _desk_day(event: Event, rehearsal: date | None) -> date:
    """Today, or the congress day a rehearsal plays; a rehearsal needs a day of the edition."""
    if rehearsal is None:
        return today(event)
    if rehearsal not in event.days:
        raise ValueError(f"{rehearsal} is not a day of {event.slug}")
    return rehearsal


def rehearsal_day(event: Event) -> date:
    """The day a rehearsal plays by default: today during the congress, else its first day."""
    current = today(event)
    return current if current in event.days else event.first_day


def _lookup(day: date):
    """The registration with today's check-in, if any, in one statement."""
    return (
        db.select(Registration, CheckIn)
        .outerjoin(CheckIn, and_(CheckIn.registration_id == Registration.id, CheckIn.day == day))
        .options(joinedload(Registration.category))
    )


def _check_in(
    event: Event,
    day: date,
    registration: Registration,
    existing: CheckIn | None,
    user: Any,
    *,
    rehearsal: date | None = None,
) -> CheckInResult:
    reason = _STATUS_REASONS.get(registration.status)
    if reason is None and day not in event.days:
        reason = Reason.NOT_A_CONGRESS_DAY
    if reason is None and not registration.days_mask & day_bit(event, day):
        reason = Reason.NOT_REGISTERED_TODAY
    if reason is not None:
        return _refuse(event, day, registration, reason, user, rehearsal=rehearsal)
    if existing is not None:
        return _already(day, registration, existing)

    moment = now()
    label = staff_label(user)
    if rehearsal is not None:  # what the real desk would record, recorded nowhere
        return CheckInResult(Outcome.OK, day, registration, moment, label)
    uid = registration.uid
    registration_id = registration.id
    db.session.add(
        CheckIn(
            registration_id=registration_id,
            day=day,
            checked_in_at=moment,
            by_user_id=user.id,
            by_label=label,
        )
    )
    try:
        db.session.flush()
        record(
            "checkin",
            object_type="registration",
            object_id=uid,
            changes={"day": day},
            actor=_actor(user),
        )
        db.session.commit()
    except IntegrityError:
        # Another desk recorded the same person a moment ago: report its record.
        db.session.rollback()
        first = db.session.execute(_lookup(day).where(Registration.id == registration_id)).one()
        if first[1] is None:  # the conflict was something else: let it surface
            raise
        return _already(day, first[0], first[1])
    return CheckInResult(Outcome.OK, day, registration, moment, label)


def _already(day: date, registration: Registration, existing: CheckIn) -> CheckInResult:
    return CheckInResult(
        Outcome.ALREADY, day, registration, existing.checked_in_at, existing.by_label
    )


def _refuse(
    event: Event,
    day: date,
    registration: Registration | None,
    reason: Reason,
    user: Any,
    *,
    rehearsal: date | None = None,
) -> CheckInResult:
    """Audit the refusal (reason and registration uid only) and say why; a rehearsal only says."""
    if rehearsal is not None:
        return CheckInResult(Outcome.REFUSED, day, registration, reason=reason)
    record(
        "checkin.refused",
        object_type="registration" if registration is not None else "",
        object_id=registration.uid if registration is not None else "",
        changes={"day": day, "reason": reason},
        actor=_actor(user),
    )
    db.session.commit()
    return CheckInResult(Outcome.REFUSED, day, registration, reason=reason)


# ---------------------------------------------------------------- reads


def search(event: Event, q: str) -> list[Registration]:
    """Registrations whose name or organisation contain every word of ``q``.

    Accents and case are ignored both ways ("helene" finds "Hélène" and
    "Hélène" finds "Helene"). The database cannot fold accents portably, so
    letters that may carry one are single-character wildcards in SQL and the
    candidates are checked exactly in Python. Confirmed ones first, then by
    name; at most ``SEARCH_LIMIT``; one statement (categories loaded with them).
    """
    words = [fold(word) for word in q.split()[:SEARCH_WORDS]]
    words = [word for word in words if word.strip("%_")]
    if not words:
        return []
    stmt = db.select(Registration).where(Registration.event_id == event.id)
    columns = (Registration.first_name, Registration.last_name, Registration.organisation)
    for word in words:
        pattern = "".join("_" if ch in _ACCENTED or ch in "%_" else ch for ch in word)
        stmt = stmt.where(or_(*(func.lower(column).like(f"%{pattern}%") for column in columns)))
    stmt = (
        stmt.options(joinedload(Registration.category))
        .order_by(
            case((Registration.status == RegistrationStatus.CONFIRMED, 0), else_=1),
            func.lower(Registration.last_name),
            func.lower(Registration.first_name),
            Registration.id,
        )
        .limit(SEARCH_LIMIT * 10)
    )
    found = []
    for registration in db.session.scalars(stmt).unique():
        haystack = fold(
            f"{registration.first_name} {registration.last_name} {registration.organisation}"
        )
        if all(word in haystack for word in words):
            found.append(registration)
            if len(found) == SEARCH_LIMIT:
                break
    return found


def checked_in_on(day: date, registration_ids: list[int]) -> dict[int, CheckIn]:
    """Check-ins of ``day`` for these registrations, by registration id (one statement)."""
    if not registration_ids:
        return {}
    rows = db.session.scalars(
        db.select(CheckIn).where(CheckIn.day == day, CheckIn.registration_id.in_(registration_ids))
    )
    return {row.registration_id: row for row in rows}


def day_counts(event: Event, day: date) -> DayCounts:
    """Check-ins recorded on ``day`` and confirmed attendees expected that day (one statement)."""
    bit = day_bit(event, day)
    checked_in = (
        db.select(func.count(CheckIn.id))
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.event_id == event.id, CheckIn.day == day)
        .scalar_subquery()
    )
    expected = (
        db.select(func.count(Registration.id))
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.days_mask.op("&")(bit) != 0,
        )
        .scalar_subquery()
    )
    row = db.session.execute(db.select(checked_in, expected)).one()
    return DayCounts(int(row[0] or 0), int(row[1] or 0) if bit else 0)


# ---------------------------------------------------------------- paper sheet

SHEET_CODE_LENGTH = 8


@dataclass(frozen=True, slots=True)
class SheetLine:
    """One line of the printed desk sheet."""

    last_name: str
    first_name: str
    organisation: str
    category: str
    code_start: str  # the first characters of the code printed on the confirmation
    checked_in: bool


def desk_sheet(event: Event, day: date, *, language: str, user: Any) -> list[SheetLine]:
    """Confirmed attendees expected on ``day``, alphabetically, for a desk without network.

    The sheet carries names and organisations on paper, so printing it is
    audited (who, which day, how many lines); the caller commits nothing else.
    Two statements: the registrations with their categories, that day's check-ins.
    """
    from congress.registration.services import checkin_code  # the code is the services' secret

    expected = db.session.scalars(
        db.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.days_mask.op("&")(day_bit(event, day)) != 0,
        )
        .options(joinedload(Registration.category))
    ).all()
    # In Python: accents must not send "Éric" after "Zoé", as a byte order in SQL would.
    expected = sorted(expected, key=lambda r: (fold(r.last_name), fold(r.first_name), r.id))
    present = checked_in_on(day, [registration.id for registration in expected])
    lines = [
        SheetLine(
            last_name=registration.last_name,
            first_name=registration.first_name,
            organisation=registration.organisation,
            category=registration.category.label(language),
            code_start=checkin_code(registration)[:SHEET_CODE_LENGTH],
            checked_in=registration.id in present,
        )
        for registration in expected
    ]
    record(
        "checkin.sheet_printed",
        object_type="event",
        object_id=event.slug,
        changes={"day": day, "lines": len(lines)},
        actor=_actor(user),
    )
    db.session.commit()
    return lines
