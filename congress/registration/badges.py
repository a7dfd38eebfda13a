"""What goes on printed badges: confirmed attendees, their category's colour, their check-in code.

The registration domain decides who gets a badge (a confirmed registration,
nobody on the waiting list or unconfirmed), in which order the sheets come out
and what each badge says; ``documents.badges`` only lays the values out.
A badge carries a name, an organisation and the check-in code on paper, so
every print is audited (who, how many, which order or whose badge), like the
desk sheet.

Colours: a ticket category has no colour of its own, so the band takes the
category's rank in the edition's order (``position``, then id) in a fixed
palette. Same edition, same colours on every print; every colour keeps white
text at WCAG AA contrast (4.5:1 or more, checked by the tests), and the band
always names the category, so colour is never the only sign.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import joinedload

from congress.audit.log import Actor, record
from congress.core.errors import Conflict, DomainError, NotFound
from congress.core.text import fold
from congress.documents.badges import Badge, qr_data_uri
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.registration.models import Registration, RegistrationStatus, TicketCategory
from congress.registration.services import checkin_code

# Dark enough for white text (contrast with #fff from 5.7:1 to 9.1:1), and far apart.
PALETTE: tuple[str, ...] = (
    "#0b5372",  # the site's blue
    "#b3400f",  # the site's accent orange
    "#1f6f3f",  # green
    "#6b3fa0",  # purple
    "#8a1c3b",  # burgundy
    "#7a5200",  # brown
    "#2f4f9e",  # indigo
    "#3d4f5c",  # slate
)


class BadgeOrder(enum.StrEnum):
    """How the sheets are sorted: alphabetically, or grouped by category (then by name)."""

    NAME = "name"
    CATEGORY = "category"


def colour_for(rank: int) -> str:
    """The band colour of the category at ``rank`` (0-based) in the edition's order."""
    return PALETTE[rank % len(PALETTE)]


def _categories(event: Event) -> list[TicketCategory]:
    return list(
        db.session.scalars(
            db.select(TicketCategory)
            .where(TicketCategory.event_id == event.id)
            .order_by(TicketCategory.position, TicketCategory.id)
        )
    )


def _badge(registration: Registration, colours: dict[int, str]) -> Badge:
    return Badge(
        name_lines=(registration.first_name, registration.last_name),
        organisation=registration.organisation,
        category=registration.category.label(registration.language),
        colour=colours[registration.category_id],
        qr=qr_data_uri(checkin_code(registration)),
    )


def _name_key(registration: Registration) -> tuple[str, str, int]:
    # In Python: accents must not send "Éric" after "Zoé", as a byte order in SQL would.
    return (fold(registration.last_name), fold(registration.first_name), registration.id)


def _actor(user: Any) -> Actor:
    return Actor("organiser", str(user.id), getattr(user, "email", ""))


def parse_order(value: str | None) -> BadgeOrder:
    """``?sort=`` as an order (absent: by name); anything else is a bad request."""
    if not value:
        return BadgeOrder.NAME
    try:
        return BadgeOrder(value)
    except ValueError:
        raise DomainError(_l("Badges are sorted by name or by category."), field="sort") from None


def edition_badges(
    event: Event, *, order: BadgeOrder, category_id: int | None, user: Any
) -> list[Badge]:
    """Badges of the edition's confirmed attendees (of one category if given), audited.

    Two statements: the categories, the registrations with theirs. Raises
    ``NotFound`` for a category of another edition and when nobody is left to
    print for (nothing is audited then).
    """
    categories = _categories(event)
    colours = {category.id: colour_for(rank) for rank, category in enumerate(categories)}
    ranks = {category.id: rank for rank, category in enumerate(categories)}
    chosen = None
    if category_id is not None:
        chosen = next((c for c in categories if c.id == category_id), None)
        if chosen is None:
            raise NotFound(_l("This ticket category does not exist."), field="category")
    stmt = (
        db.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.erased_at.is_(None),
        )
        .options(joinedload(Registration.category))
    )
    if chosen is not None:
        stmt = stmt.where(Registration.category_id == chosen.id)
    registrations: Sequence[Registration] = db.session.scalars(stmt).all()
    if order is BadgeOrder.CATEGORY:
        registrations = sorted(registrations, key=lambda r: (ranks[r.category_id], *_name_key(r)))
    else:
        registrations = sorted(registrations, key=_name_key)
    if not registrations:
        raise NotFound(_l("No confirmed registration to print a badge for."))
    badges = [_badge(registration, colours) for registration in registrations]
    record(
        "badges.printed",
        object_type="event",
        object_id=event.slug,
        changes={
            "badges": len(badges),
            "sort": order.value,
            "category": chosen.name if chosen is not None else "",
        },
        actor=_actor(user),
    )
    db.session.commit()
    return badges


def desk_badge(event: Event, uid: str, *, user: Any) -> Badge:
    """The badge of one confirmed registration, printed at the desk (audited)."""
    registration = db.session.scalars(
        db.select(Registration)
        .where(Registration.event_id == event.id, Registration.uid == uid)
        .options(joinedload(Registration.category))
    ).first()
    if registration is None or registration.erased_at is not None:
        raise NotFound(_l("This registration does not exist."))
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise Conflict(_l("Only a confirmed registration gets a badge."))
    colours = {category.id: colour_for(rank) for rank, category in enumerate(_categories(event))}
    badge = _badge(registration, colours)
    record(
        "badge.printed",
        object_type="registration",
        object_id=registration.uid,
        actor=_actor(user),
    )
    db.session.commit()
    return badge
