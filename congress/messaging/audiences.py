"""Who a message goes to: each audience is a function of the edition and one parameter.

An audience returns a ``Selection``: a translated label and the SELECT of the
registrations it holds. Erased registrations are never in an audience (they no
longer carry an address), and "attendees" means confirmed registrations: the
waiting list is its own audience. The codes are stored with each message, so
they never change; the parameter is a ticket category id, a day (ISO) or a
session id, as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select

from congress.core.errors import DomainError
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.programme.models import Talk
from congress.registration.models import (
    AgendaItem,
    CheckIn,
    Registration,
    RegistrationStatus,
    TicketCategory,
)
from congress.typography import long_date


@dataclass(frozen=True, slots=True)
class Selection:
    """An audience resolved for one edition: what to call it and who is in it."""

    code: str
    parameter: str
    label: Any  # a lazy translated string
    statement: Select[tuple[Registration]]


def _base(event: Event, status: RegistrationStatus) -> Select[tuple[Registration]]:
    return (
        db.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == status,
            Registration.erased_at.is_(None),
        )
        .order_by(Registration.id)
    )


def confirmed(event: Event, _parameter: str = "") -> Selection:
    """Every confirmed attendee."""
    return Selection(
        "confirmed", "", _l("All confirmed attendees"), _base(event, RegistrationStatus.CONFIRMED)
    )


def waiting(event: Event, _parameter: str = "") -> Selection:
    """Everyone on the waiting list."""
    return Selection(
        "waiting", "", _l("The waiting list"), _base(event, RegistrationStatus.WAITING)
    )


def category(event: Event, parameter: str) -> Selection:
    """Confirmed attendees holding a ticket of one category."""
    found = None
    if parameter.isdigit():
        found = db.session.get(TicketCategory, int(parameter))
    if found is None or found.event_id != event.id:
        raise DomainError(_l("Choose a ticket category."), field="category")
    statement = _base(event, RegistrationStatus.CONFIRMED).where(
        Registration.category_id == found.id
    )
    return Selection(
        "category",
        str(found.id),
        _l("Confirmed attendees of the ticket category “%(name)s”", name=found.name),
        statement,
    )


def day(event: Event, parameter: str) -> Selection:
    """Confirmed attendees who chose to come on one day (bit of ``days_mask``)."""
    try:
        chosen = date.fromisoformat(parameter)
    except ValueError:
        chosen = None
    if chosen is None or chosen not in event.days:
        raise DomainError(_l("Choose a day of the edition."), field="day")
    bit = 1 << (chosen - event.first_day).days
    statement = _base(event, RegistrationStatus.CONFIRMED).where(
        Registration.days_mask.op("&")(bit) != 0
    )
    return Selection(
        "day",
        chosen.isoformat(),
        _l("Confirmed attendees coming on %(day)s", day=long_date(chosen)),
        statement,
    )


def session(event: Event, parameter: str) -> Selection:
    """Confirmed attendees who put one session in their agenda."""
    found = None
    if parameter.isdigit():
        found = db.session.get(Talk, int(parameter))
    if found is None or found.event_id != event.id:
        raise DomainError(_l("Choose a session."), field="talk")
    statement = _base(event, RegistrationStatus.CONFIRMED).where(
        Registration.id.in_(
            db.select(AgendaItem.registration_id).where(AgendaItem.talk_id == found.id)
        )
    )
    return Selection(
        "session",
        str(found.id),
        _l("Attendees with the session “%(title)s” in their agenda", title=found.title),
        statement,
    )


def not_checked_in(event: Event, _parameter: str = "") -> Selection:
    """Confirmed attendees checked in on no day yet."""
    statement = _base(event, RegistrationStatus.CONFIRMED).where(
        ~db.exists().where(CheckIn.registration_id == Registration.id)
    )
    return Selection("not_checked_in", "", _l("Confirmed attendees not yet checked in"), statement)


#: code -> (function, the form field naming its parameter or None), in the form's order.
AUDIENCES: dict[str, tuple[Callable[[Event, str], Selection], str | None]] = {
    "confirmed": (confirmed, None),
    "waiting": (waiting, None),
    "category": (category, "category"),
    "day": (day, "day"),
    "session": (session, "talk"),
    "not_checked_in": (not_checked_in, None),
}

#: The audiences' names in the form, before a parameter is chosen.
CHOICE_LABELS: dict[str, Any] = {
    "confirmed": _l("All confirmed attendees"),
    "waiting": _l("The waiting list"),
    "category": _l("Confirmed attendees of one ticket category"),
    "day": _l("Confirmed attendees coming on one day"),
    "session": _l("Attendees who put one session in their agenda"),
    "not_checked_in": _l("Confirmed attendees not yet checked in"),
}


def resolve(event: Event, code: str, parameter: str = "") -> Selection:
    """The audience ``code`` with its ``parameter``, or a ``DomainError`` naming the field."""
    entry = AUDIENCES.get(code)
    if entry is None:
        raise DomainError(_l("Choose who receives the message."), field="audience")
    function, _field = entry
    return function(event, parameter or "")


def members(selection: Selection) -> list[Registration]:
    return list(db.session.scalars(selection.statement))


def count(selection: Selection) -> int:
    subquery = selection.statement.order_by(None).subquery()
    return db.session.scalar(db.select(db.func.count()).select_from(subquery)) or 0
