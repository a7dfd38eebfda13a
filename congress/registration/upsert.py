"""One statement that creates a registration or finds the active one for its address.

``INSERT ... ON CONFLICT (event_id, email) WHERE status != 'cancelled' DO UPDATE
... RETURNING *`` on the partial unique index ``uq_registration_active_email``
(PostgreSQL 9.5+, SQLite 3.35+). Whether the address is new or known, the
database runs the same statement and hands back the row, so the caller goes on
with the same statements either way (see ``services.register``). The
statement is also what makes two simultaneous submissions of one address safe:
PostgreSQL makes the second wait on the first's row and then takes the update
branch, SQLite serialises writers; neither raises an integrity error.

The update branch replaces the given columns only while the row is pending
(``CASE WHEN status = 'pending' THEN excluded.x ELSE x END``); a confirmed or
waiting row is rewritten with its own values, which still returns it. Which
columns a re-submission may replace is the services' rule, passed in.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam, case, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from congress.extensions import db
from congress.registration.models import Registration, RegistrationStatus

# The predicate of ``uq_registration_active_email``, written as the index has it:
# PostgreSQL picks a partial index for ON CONFLICT only when the statement's
# predicate implies the index's, which a bound parameter would not.
ACTIVE = text("status != 'cancelled'")


def insert_or_find_active(
    values: Mapping[str, Any], *, replace_if_pending: Iterable[str]
) -> Registration:
    """Insert ``values`` as a registration, or return the address's active one.

    The returned object is loaded from the statement's RETURNING row
    (``populate_existing``), so an instance already in the session shows the
    row as it now is. The caller tells the cases apart by ``uid`` (a new row
    carries the ``uid`` it passed) and by ``status``.
    """
    dialect = db.session.get_bind().dialect.name
    stmt = _statement(dialect, tuple(values), tuple(replace_if_pending))
    return db.session.scalars(
        stmt, dict(values), execution_options={"populate_existing": True}
    ).one()


@functools.cache
def _statement(dialect: str, columns: tuple[str, ...], replace: tuple[str, ...]) -> Any:
    """The upsert for these columns, built once per process with bound parameters.

    Why cached: building it is most of its cost. ``excluded`` copies the
    table's columns and each ``CASE`` and value needs its cache key computed, a
    few milliseconds a registration at rush time on the private pool's two
    workers; the statement text is the same for every submission, only the
    parameters change. Each parameter carries its column's type so enums and
    zone-aware datetimes are bound as the model binds them.
    """
    table = Registration.__table__
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(table).values(
        {name: bindparam(name, type_=table.c[name].type) for name in columns}
    )
    excluded = stmt.excluded
    pending = table.c.status == RegistrationStatus.PENDING
    replaced = {name: case((pending, excluded[name]), else_=table.c[name]) for name in replace}
    if not replaced:  # DO UPDATE needs one assignment to return a conflicting row
        replaced = {"status": table.c.status}
    upsert = stmt.on_conflict_do_update(
        index_elements=["event_id", "email"], index_where=ACTIVE, set_=replaced
    ).returning(*table.c)
    # A Core statement loaded as entities: executed with one parameter set, an
    # ORM-enabled INSERT would take the slower bulk path.
    return select(Registration).from_statement(upsert)
