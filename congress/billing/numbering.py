"""The next number of a year's invoice sequence, gapless under concurrency.

``take_number`` runs inside the transaction that inserts the document: it makes
sure the year's counter row exists (an INSERT that does nothing on conflict),
then increments it with one UPDATE … RETURNING. On PostgreSQL the UPDATE takes
the row's lock, so a second issuer waits until the first commits or rolls back
and then reads the committed value: two transactions never get the same number,
and a rolled-back one gives its number back with its document. SQLite runs one
writer at a time, which gives the same order. The triggers of ``guards.py``
hold the rule whatever path the SQL comes from.
"""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from congress.billing.models import InvoiceCounter
from congress.extensions import db


def take_number(year: int) -> int:
    """The next number of ``year`` (1, 2, 3 …), reserved until this transaction ends."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(InvoiceCounter)
        .values(year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    return db.session.execute(
        db.update(InvoiceCounter)
        .where(InvoiceCounter.year == year)
        .values(last_number=InvoiceCounter.last_number + 1)
        .returning(InvoiceCounter.last_number)
    ).scalar_one()
