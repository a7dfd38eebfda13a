"""Reads of partners: the public list grouped by level, the dashboard's list."""

from __future__ import annotations

from sqlalchemy.orm import joinedload

from congress.edition.models import Event
from congress.extensions import db
from congress.partners.models import Partner, PartnerLevel


def _ordered(event: Event):  # type: ignore[no-untyped-def]
    return (
        db.select(Partner)
        .where(Partner.event_id == event.id)
        .options(joinedload(Partner.logo))
        .order_by(Partner.position, Partner.name, Partner.id)
    )


def all_partners(event: Event) -> list[Partner]:
    """Every partner of the edition, published or not, levels in order (one statement)."""
    found = list(db.session.scalars(_ordered(event)))
    return sorted(found, key=lambda partner: partner.level.rank)


def published_partners(event: Event) -> list[Partner]:
    """The published partners, levels in order, then position and name (one statement)."""
    found = list(db.session.scalars(_ordered(event).where(Partner.published.is_(True))))
    return sorted(found, key=lambda partner: partner.level.rank)


def by_level(partners: list[Partner]) -> list[tuple[PartnerLevel, list[Partner]]]:
    """``partners`` (already in order) grouped by level; levels without partners left out."""
    groups: dict[PartnerLevel, list[Partner]] = {}
    for partner in partners:
        groups.setdefault(partner.level, []).append(partner)
    return [(level, groups[level]) for level in PartnerLevel if level in groups]
