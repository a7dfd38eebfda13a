"""What the application sends to the database during a block: statements and their width.

Why one module: statement-count guards (a page costs a constant number of
statements, a registration does the same work for every address) are how the
tests hold principle 6 of the design, and each needs the same listener on the
engine, added and always removed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event as sa_event

from congress.extensions import db


@contextmanager
def on_each_statement(record: Callable[[str, Any], None]) -> Iterator[None]:
    """Call ``record(statement, parameters)`` for every statement sent meanwhile."""

    def listener(conn, cursor, statement, parameters, context, executemany) -> None:
        record(statement, parameters)

    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)


@contextmanager
def sql_statements(*, normalised: bool = False) -> Iterator[list[str]]:
    """Every SQL statement sent meanwhile, in order (whitespace collapsed if ``normalised``)."""
    sent: list[str] = []
    with on_each_statement(
        lambda statement, _: sent.append(" ".join(statement.split()) if normalised else statement)
    ):
        yield sent


@contextmanager
def bind_widths() -> Iterator[list[int]]:
    """The number of bind parameters of each statement sent meanwhile."""
    widths: list[int] = []
    with on_each_statement(lambda _, parameters: widths.append(len(parameters or ()))):
        yield widths


# An edition row as the first migrations' schema takes it, for tests that upgrade a
# database holding data (every migration test starts from the same edition).
FIRST_EVENT_ROW = (
    "INSERT INTO event (id, slug, name, acronym, venue, address, city, timezone,"
    " first_day, last_day, description, description_en, programme_version,"
    " programme_updated_at, created_at) VALUES (1, 'e', 'E', 'E', 'V', 'A', 'C',"
    " 'Europe/Paris', '2014-04-01', '2014-04-03', '', '', 1,"
    " '2014-01-01 00:00:00+00:00', '2014-01-01 00:00:00+00:00')"
)
