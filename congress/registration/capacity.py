"""Seat counting that cannot oversell.

Every seat is taken by one conditional UPDATE:
``UPDATE ... SET taken = taken + 1 WHERE id = :id AND taken < :limit``.
The database applies it atomically: on PostgreSQL the second of two racing
transactions waits for the first's row lock, then re-evaluates the WHERE clause
against the committed row (READ COMMITTED) and updates nothing if the last seat
has gone; SQLite serialises writers outright. The row count tells the caller
whether it got a seat, so no read-then-write window exists and no explicit
lock is needed. Releasing a seat is the mirror UPDATE, floored at zero.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from congress.extensions import db
from congress.registration.models import SeatCounter, TicketCategory

_NO_SYNC = {"synchronize_session": False}


def take_category_seat(category_id: int) -> bool:
    """Take one seat in the category if one is free; True when taken."""
    result = db.session.execute(
        update(TicketCategory)
        .where(
            TicketCategory.id == category_id,
            TicketCategory.seats_taken < TicketCategory.capacity,
        )
        .values(seats_taken=TicketCategory.seats_taken + 1)
        .execution_options(**_NO_SYNC)
    )
    return result.rowcount == 1


def release_category_seat(category_id: int) -> None:
    db.session.execute(
        update(TicketCategory)
        .where(TicketCategory.id == category_id, TicketCategory.seats_taken > 0)
        .values(seats_taken=TicketCategory.seats_taken - 1)
        .execution_options(**_NO_SYNC)
    )


def _ensure_counter(talk_id: int) -> None:
    """Create the talk's counter row once; a concurrent creator is not an error."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(SeatCounter).values(talk_id=talk_id, taken=0).on_conflict_do_nothing()
    )


def take_talk_seat(talk_id: int, seat_limit: int) -> bool:
    _ensure_counter(talk_id)
    result = db.session.execute(
        update(SeatCounter)
        .where(SeatCounter.talk_id == talk_id, SeatCounter.taken < seat_limit)
        .values(taken=SeatCounter.taken + 1)
        .execution_options(**_NO_SYNC)
    )
    return result.rowcount == 1


def release_talk_seat(talk_id: int) -> None:
    db.session.execute(
        update(SeatCounter)
        .where(SeatCounter.talk_id == talk_id, SeatCounter.taken > 0)
        .values(taken=SeatCounter.taken - 1)
        .execution_options(**_NO_SYNC)
    )


def seats_taken(talk_ids: list[int]) -> dict[int, int]:
    """Reserved seats per talk, in one statement."""
    if not talk_ids:
        return {}
    rows = db.session.execute(
        db.select(SeatCounter.talk_id, SeatCounter.taken).where(SeatCounter.talk_id.in_(talk_ids))
    )
    return dict(rows.tuples().all())
