"""Reads of the outbox for the organisers: what is stuck or failing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func

from congress.extensions import db
from congress.mail.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True, slots=True)
class DeliveryHealth:
    """Messages given up on, and messages still retrying after a failure."""

    failed: int
    retrying: int


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def delivery_health() -> DeliveryHealth:
    """One statement: failed messages, and pending ones that already failed at least once."""
    pending = OutboxMessage.status == OutboxStatus.PENDING
    failed, retrying = db.session.execute(
        db.select(
            _count(OutboxMessage.status == OutboxStatus.FAILED),
            _count(pending & (OutboxMessage.attempts > 0)),
        )
    ).one()
    return DeliveryHealth(int(failed), int(retrying))
