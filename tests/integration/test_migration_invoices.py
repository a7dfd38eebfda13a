"""0013 and 0014: the billing tables and, from the migration itself, the invoice triggers."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from congress import create_app
from congress.extensions import db
from congress.migrations_support import enable_migrations

pytestmark = pytest.mark.integration

FEES = "b4d5e6f7a8c2"  # 0012_fees
INVOICES = "d6f7a8b9c0e4"  # 0014_invoices


def _refused(statement: str) -> None:
    with pytest.raises((IntegrityError, DBAPIError)), db.engine.begin() as connection:
        connection.execute(text(statement))


def test_invoice_triggers_come_with_the_migration_and_leave_with_it(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    enable_migrations(app)
    with app.app_context():
        upgrade(revision=INVOICES)
        tables = set(inspect(db.engine).get_table_names())
        assert {
            "organiser",
            "billing_details",
            "invoice",
            "invoice_line",
            "invoice_counter",
            "payment",
            "payment_reminder",
        } <= tables
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO invoice_counter (year, last_number) VALUES (2014, 0)")
            )
        _refused("UPDATE invoice_counter SET last_number = 2 WHERE year = 2014")  # a gap
        _refused("DELETE FROM invoice_counter")
        _refused("INSERT INTO invoice_counter (year, last_number) VALUES (2015, 9)")

        downgrade(revision=FEES)
        tables = set(inspect(db.engine).get_table_names())
        assert not tables & {"organiser", "billing_details", "invoice", "invoice_counter"}
        upgrade(revision=INVOICES)  # and back up: the triggers' names are free again
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO invoice_counter (year, last_number) VALUES (2014, 0)")
            )
        _refused("UPDATE invoice_counter SET last_number = 2 WHERE year = 2014")
        db.engine.dispose()
