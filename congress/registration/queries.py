"""Reads of registrations for the organisers' pages (constant statements per page)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy.orm import joinedload

from congress.core.clock import now
from congress.core.text import fold
from congress.edition.models import Event
from congress.extensions import db
from congress.registration.models import Registration, RegistrationStatus, TicketCategory

PER_PAGE = 50


@dataclass(slots=True)
class CategoryCount:
    category: TicketCategory
    by_status: dict[RegistrationStatus, int] = field(default_factory=dict)

    @property
    def confirmed(self) -> int:
        return self.by_status.get(RegistrationStatus.CONFIRMED, 0)

    @property
    def waiting(self) -> int:
        return self.by_status.get(RegistrationStatus.WAITING, 0)

    @property
    def pending(self) -> int:
        return self.by_status.get(RegistrationStatus.PENDING, 0)


def categories(event: Event) -> list[TicketCategory]:
    stmt = (
        db.select(TicketCategory)
        .where(TicketCategory.event_id == event.id)
        .order_by(TicketCategory.position, TicketCategory.id)
    )
    return list(db.session.scalars(stmt))


def category_counts(event: Event) -> list[CategoryCount]:
    """Registrations per category and status, against each capacity (two statements)."""
    counts = {category.id: CategoryCount(category) for category in categories(event)}
    rows = db.session.execute(
        db.select(Registration.category_id, Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.category_id, Registration.status)
    )
    for category_id, status, number in rows:
        if category_id in counts:
            counts[category_id].by_status[status] = number
    return list(counts.values())


@dataclass(frozen=True, slots=True)
class RegistrationFilter:
    q: str = ""
    status: RegistrationStatus | None = None
    category_id: int | None = None
    day: date | None = None
    page: int = 1


@dataclass(slots=True)
class Page:
    items: list[Registration]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(event: Event, filters: RegistrationFilter):
    stmt = db.select(Registration).where(Registration.event_id == event.id)
    if filters.status is not None:
        stmt = stmt.where(Registration.status == filters.status)
    if filters.category_id is not None:
        stmt = stmt.where(Registration.category_id == filters.category_id)
    if filters.day is not None and filters.day in event.days:
        bit = 1 << (filters.day - event.first_day).days
        stmt = stmt.where(Registration.days_mask.op("&")(bit) != 0)
    for word in fold(filters.q).split()[:5]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Registration.search_text.like(f"%{escaped}%", escape="\\"))
    return stmt


def search(event: Event, filters: RegistrationFilter, per_page: int = PER_PAGE) -> Page:
    """One page of matching registrations, newest first (two statements)."""
    base = _filtered(event, filters)
    total = db.session.scalar(db.select(func.count()).select_from(base.subquery())) or 0
    page = max(1, filters.page)
    items = db.session.scalars(
        base.options(joinedload(Registration.category))
        .order_by(Registration.created_at.desc(), Registration.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(items), total, page, per_page)


def all_matching(event: Event, filters: RegistrationFilter) -> list[Registration]:
    """Every matching registration (exports), oldest first."""
    stmt = _filtered(event, filters).options(joinedload(Registration.category))
    return list(db.session.scalars(stmt.order_by(Registration.id)))


def stale_pending(event: Event, *, older_than: timedelta) -> int:
    """Registrations whose address is still unconfirmed after ``older_than`` (one statement).

    A confirmation link that was never opened usually means a mistyped
    address or a filtered e-mail: the organisers may want to call.
    """
    cutoff = now() - older_than
    return int(
        db.session.scalar(
            db.select(func.count(Registration.id)).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.PENDING,
                Registration.created_at < cutoff,
            )
        )
        or 0
    )
