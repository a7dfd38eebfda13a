"""Ticket categories as organisers set them up: names, prices, early-bird, seats.

Why a module of its own: the price rules (euros typed the French or the English
way, stored as exact integer cents; an early-bird price never above the price,
holding until the end of a day of the edition's zone) are read by the dashboard
today and by an import tomorrow, and must not live in a view. Capacity goes
through ``services.set_capacity``, so seats gained are given to the waiting list
at once, as when it is changed from the registrations page.

Editing a price changes no stored amount: a registration's price is computed
from its category at the moment it was made (``fees.current_price``), so quotes
and future invoices of existing registrations follow the new base price, while
invoices already issued keep their own lines and never change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func

from congress.audit.log import record
from congress.core.errors import DomainError, NotFound
from congress.core.field_errors import FieldChecks
from congress.core.money import from_cents, to_cents
from congress.core.text import slugify
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.registration import fees, services
from congress.registration.models import TicketCategory

__all__ = [
    "CategoryData",
    "create_category",
    "early_until_of",
    "euros_text",
    "from_row",
    "get_category",
    "parse_euros",
    "update_category",
]

NAME_MAX = 200
PRICE_MAX_CENTS = 10_000_000  # 100,000 euros: far above any congress fee, far below an int
CAPACITY_MAX = 100_000
POSITION_MAX = 1_000
# "1 280,50", "1280.5", "280 €": digits, one decimal mark, thousands spaces.
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_AMOUNT = re.compile(r"\d+(?:[.,]\d{1,2})?")


@dataclass(slots=True)
class CategoryData:
    """The form as typed: amounts stay text until ``parse_euros`` reads them."""

    name: str = ""
    name_en: str = ""
    price: str = ""
    early_price: str = ""
    early_last_day: date | None = None
    capacity: int | None = None
    public: bool = True
    position: int | None = None


def parse_euros(raw: str, field: str) -> int:
    """An amount in euros as typed ("280", "280,00", "280.50", "1 280 €") in integer cents.

    Two decimals at most: a fraction of a cent cannot be invoiced.
    """
    text = _SPACES.sub("", raw or "").removesuffix("€")
    if not text:
        raise DomainError(_l("Enter a price in euros; 0 for a free ticket."), field=field)
    if not _AMOUNT.fullmatch(text):
        raise DomainError(
            _l("Enter an amount in euros, such as 280 or 280,50 (two decimals at most)."),
            field=field,
        )
    try:
        cents = to_cents(Decimal(text.replace(",", ".")))
    except (InvalidOperation, ValueError) as error:  # pragma: no cover - the pattern forbids it
        raise DomainError(
            _l("Enter a price in euros; 0 for a free ticket."), field=field
        ) from error
    if cents > PRICE_MAX_CENTS:
        raise DomainError(_l("A price is at most 100,000 euros."), field=field)
    return cents


def euros_text(cents: int | None, language: str) -> str:
    """Cents as the form shows them back: "280,50" in French, "280.50" in English."""
    if cents is None:
        return ""
    text = format(from_cents(cents), "f")
    return text if language == "en" else text.replace(".", ",")


def early_until_of(last_day: date, event: Event) -> datetime:
    """The instant the early price stops: midnight after ``last_day`` in the edition's zone, in UTC.

    The inverse of ``fees.early_last_day``. Midnight is never skipped nor repeated
    by the French clock changes (they happen at 2 and 3 a.m.), so the wall time is
    always exact.
    """
    midnight = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=event.zone)
    return midnight.astimezone(UTC)


def from_row(category: TicketCategory, language: str) -> dict[str, Any]:
    """A category as the edit form's starting values."""
    return {
        "name": category.name,
        "name_en": category.name_en,
        "price": euros_text(category.price_cents, language),
        "early_price": euros_text(category.early_price_cents, language),
        "early_last_day": fees.early_last_day(category),
        "capacity": category.capacity,
        "public": category.public,
        "position": category.position,
    }


def get_category(event: Event, category_id: int) -> TicketCategory:
    """One of the edition's categories, or 404 (another edition's id is not found either)."""
    category = db.session.get(TicketCategory, category_id)
    if category is None or category.event_id != event.id:
        raise NotFound(_l("This ticket category does not exist."))
    return category


# ---------------------------------------------------------------- rules


def _name(raw: str, field: str, *, required: bool) -> str:
    name = " ".join((raw or "").split())
    if required and not name:
        raise DomainError(_l("This field is required."), field=field)
    if len(name) > NAME_MAX:
        raise DomainError(
            _l("This field may not exceed %(n)d characters.", n=NAME_MAX), field=field
        )
    return name


def _bounded(value: int | None, field: str, maximum: int, message: Any) -> int:
    if value is None or not 0 <= value <= maximum:
        raise DomainError(message, field=field)
    return value


def _check(event: Event, data: CategoryData, *, seats_taken: int = 0) -> dict[str, Any]:
    """Column values for ``data``; or ``FieldErrors`` naming every refused field.

    The capacity cannot go below the ``seats_taken`` already.
    """
    checks = FieldChecks()
    values: dict[str, Any] = {
        "name": checks.run(lambda: _name(data.name, "name", required=True), ""),
        "name_en": checks.run(lambda: _name(data.name_en, "name_en", required=False), ""),
        "public": bool(data.public),
    }
    price = checks.run(lambda: parse_euros(data.price, "price"), None)
    early: int | None = None
    if (data.early_price or "").strip():
        early = checks.run(lambda: parse_euros(data.early_price, "early_price"), None)
    if early is not None and price is not None and early > price:
        checks.refuse(
            DomainError(_l("The early-bird price cannot be above the price."), field="early_price")
        )
    has_early = bool((data.early_price or "").strip())
    if has_early and data.early_last_day is None:
        checks.refuse(
            DomainError(_l("Give the last day of the early-bird price."), field="early_last_day")
        )
    if not has_early and data.early_last_day is not None:
        checks.refuse(
            DomainError(
                _l("Give the early-bird price, or leave its last day empty."),
                field="early_price",
            )
        )
    values["price_cents"] = price
    values["early_price_cents"] = early if has_early else None
    values["early_until"] = (
        early_until_of(data.early_last_day, event)
        if has_early and data.early_last_day is not None
        else None
    )
    values["capacity"] = checks.run(
        lambda: _bounded(
            data.capacity,
            "capacity",
            CAPACITY_MAX,
            _l("The capacity must be a positive number."),
        ),
        0,
    )
    if values["capacity"] < seats_taken and not checks.failed("capacity"):
        checks.refuse(
            DomainError(
                _l(
                    "The capacity cannot be lower than the seats already taken (%(n)d).",
                    n=seats_taken,
                ),
                field="capacity",
            )
        )
    values["position"] = checks.run(
        lambda: _bounded(
            data.position,
            "position",
            POSITION_MAX,
            _l("The position is a whole number from 0 to %(n)d.", n=POSITION_MAX),
        ),
        0,
    )
    checks.raise_any()
    return values


def _unique_slug(event: Event, name: str) -> str:
    base = slugify(name, max_length=70)
    taken = set(
        db.session.scalars(
            db.select(TicketCategory.slug).where(
                TicketCategory.event_id == event.id, TicketCategory.slug.like(f"{base}%")
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _logged(value: Any) -> Any:
    """A value as the audit log keeps it (JSON): instants in ISO 8601."""
    return value.isoformat() if isinstance(value, datetime) else value


# ---------------------------------------------------------------- changes


def create_category(event: Event, data: CategoryData) -> TicketCategory:
    """A new category of the edition, audited; one commit.

    Left empty, the position puts it after the others.
    """
    if data.position is None:
        last = db.session.scalar(
            db.select(func.max(TicketCategory.position)).where(TicketCategory.event_id == event.id)
        )
        data = replace(data, position=min((last or 0) + 1, POSITION_MAX))
    values = _check(event, data)
    category = TicketCategory(event_id=event.id, slug=_unique_slug(event, values["name"]), **values)
    db.session.add(category)
    db.session.flush()
    record(
        "category.created",
        object_type="category",
        object_id=category.slug,
        changes={name: _logged(value) for name, value in values.items()},
    )
    db.session.commit()
    return category


def update_category(category: TicketCategory, data: CategoryData) -> list[str]:
    """Change a category; returns the names of the fields changed. One commit.

    An empty position keeps the current one. Its capacity cannot go below the seats
    already taken; when it grows, waiting
    attendees get the new seats (``services.set_capacity``).
    """
    event = category.event
    if data.position is None:
        data = replace(data, position=category.position)
    values = _check(event, data, seats_taken=category.seats_taken)
    new_capacity = values.pop("capacity")
    changes = {}
    for name, value in values.items():
        old = getattr(category, name)
        if old != value:
            changes[name] = [_logged(old), _logged(value)]
            setattr(category, name, value)
    if changes:
        record(
            "category.updated",
            object_type="category",
            object_id=category.slug,
            changes=changes,
        )
    if new_capacity != category.capacity:
        services.set_capacity(category, new_capacity)  # audits the capacity, commits all
        return sorted([*changes, "capacity"])
    db.session.commit()
    return sorted(changes)
