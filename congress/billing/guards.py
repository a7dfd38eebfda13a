"""Database triggers that make invoice numbering gapless and issued documents immutable.

Why in the database: a rule kept only in Python holds for the code paths that
call it; an invoice is a legal document, and the guarantee must also hold for a
CLI script, a migration or someone at the SQL prompt. The triggers:

- ``invoice_counter``: a year's row starts at 0, moves by exactly +1, is never
  deleted;
- ``invoice``: a new document must carry its year's current counter value (so
  numbers follow the counter one by one, and ``UNIQUE(year, number)`` refuses a
  repeat); no UPDATE ever; no DELETE before ten full years have passed since the
  end of the (calendar) year of issue, as L123-22 counts from the year's close;
- ``invoice_line``: no UPDATE; no DELETE while its invoice must be kept.

The ten years are written in the SQL as ``10`` (``models.RETENTION_YEARS``; a
unit test keeps the two equal). On PostgreSQL a deferred constraint trigger also
checks, at commit, that a counter moved in the transaction has its document: a
number cannot be taken and dropped.

The same statements serve the migration (``install``) and the test schema
built from the models (``install`` after ``create_all``, see ``listen``).
"""

from __future__ import annotations

from sqlalchemy import Connection, MetaData, event, text

_SQLITE_CREATE = [
    """CREATE TRIGGER invoice_counter_starts_at_zero BEFORE INSERT ON invoice_counter
    WHEN NEW.last_number <> 0
    BEGIN SELECT RAISE(ABORT, 'an invoice counter starts at 0'); END""",
    """CREATE TRIGGER invoice_counter_steps_by_one BEFORE UPDATE ON invoice_counter
    WHEN NEW.year IS NOT OLD.year OR NEW.last_number IS NOT OLD.last_number + 1
    BEGIN SELECT RAISE(ABORT, 'an invoice counter only moves by one'); END""",
    """CREATE TRIGGER invoice_counter_kept BEFORE DELETE ON invoice_counter
    BEGIN SELECT RAISE(ABORT, 'an invoice counter is never deleted'); END""",
    """CREATE TRIGGER invoice_number_from_counter BEFORE INSERT ON invoice
    WHEN NEW.number IS NOT (SELECT last_number FROM invoice_counter WHERE year = NEW.year)
    BEGIN SELECT RAISE(ABORT, 'an invoice number must be its year''s counter value'); END""",
    """CREATE TRIGGER invoice_immutable BEFORE UPDATE ON invoice
    BEGIN SELECT RAISE(ABORT, 'an issued invoice or credit note is immutable'); END""",
    """CREATE TRIGGER invoice_kept BEFORE DELETE ON invoice
    WHEN OLD.issued_on >= date('now', 'start of year', '-10 years')
    BEGIN SELECT RAISE(ABORT, 'an invoice is kept 10 years'); END""",
    """CREATE TRIGGER invoice_line_immutable BEFORE UPDATE ON invoice_line
    BEGIN SELECT RAISE(ABORT, 'an issued invoice line is immutable'); END""",
    """CREATE TRIGGER invoice_line_kept BEFORE DELETE ON invoice_line
    WHEN (SELECT issued_on FROM invoice WHERE id = OLD.invoice_id)
         >= date('now', 'start of year', '-10 years')
    BEGIN SELECT RAISE(ABORT, 'an invoice line is kept 10 years'); END""",
]
_SQLITE_NAMES = [
    "invoice_counter_starts_at_zero",
    "invoice_counter_steps_by_one",
    "invoice_counter_kept",
    "invoice_number_from_counter",
    "invoice_immutable",
    "invoice_kept",
    "invoice_line_immutable",
    "invoice_line_kept",
]

_PG_CREATE = [
    """CREATE FUNCTION congress_invoice_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_TABLE_NAME = 'invoice_counter' THEN
        IF TG_OP = 'INSERT' AND NEW.last_number <> 0 THEN
          RAISE EXCEPTION 'an invoice counter starts at 0';
        ELSIF TG_OP = 'UPDATE' AND (NEW.year <> OLD.year
                                    OR NEW.last_number <> OLD.last_number + 1) THEN
          RAISE EXCEPTION 'an invoice counter only moves by one';
        ELSIF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'an invoice counter is never deleted';
        END IF;
      ELSIF TG_TABLE_NAME = 'invoice' THEN
        IF TG_OP = 'INSERT' AND NEW.number IS DISTINCT FROM
            (SELECT last_number FROM invoice_counter WHERE year = NEW.year) THEN
          RAISE EXCEPTION 'an invoice number must be its year''s counter value';
        ELSIF TG_OP = 'UPDATE' THEN
          RAISE EXCEPTION 'an issued invoice or credit note is immutable';
        ELSIF TG_OP = 'DELETE'
            AND OLD.issued_on >= date_trunc('year', current_date) - interval '10 years' THEN
          RAISE EXCEPTION 'an invoice is kept 10 years';
        END IF;
      ELSIF TG_TABLE_NAME = 'invoice_line' THEN
        IF TG_OP = 'UPDATE' THEN
          RAISE EXCEPTION 'an issued invoice line is immutable';
        ELSIF TG_OP = 'DELETE' AND (SELECT issued_on FROM invoice WHERE id = OLD.invoice_id)
            >= date_trunc('year', current_date) - interval '10 years' THEN
          RAISE EXCEPTION 'an invoice line is kept 10 years';
        END IF;
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$""",
    """CREATE FUNCTION congress_invoice_counter_used() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM invoice WHERE year = NEW.year
                     AND number = NEW.last_number) THEN
        RAISE EXCEPTION 'invoice number %-% was taken without its document',
          NEW.year, NEW.last_number;
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER invoice_counter_guard BEFORE INSERT OR UPDATE OR DELETE
    ON invoice_counter FOR EACH ROW EXECUTE FUNCTION congress_invoice_guard()""",
    """CREATE TRIGGER invoice_guard BEFORE INSERT OR UPDATE OR DELETE
    ON invoice FOR EACH ROW EXECUTE FUNCTION congress_invoice_guard()""",
    """CREATE TRIGGER invoice_line_guard BEFORE UPDATE OR DELETE
    ON invoice_line FOR EACH ROW EXECUTE FUNCTION congress_invoice_guard()""",
    """CREATE CONSTRAINT TRIGGER invoice_counter_used AFTER UPDATE ON invoice_counter
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION congress_invoice_counter_used()""",
]
_PG_DROP = [
    "DROP TRIGGER IF EXISTS invoice_counter_used ON invoice_counter",
    "DROP TRIGGER IF EXISTS invoice_line_guard ON invoice_line",
    "DROP TRIGGER IF EXISTS invoice_guard ON invoice",
    "DROP TRIGGER IF EXISTS invoice_counter_guard ON invoice_counter",
    "DROP FUNCTION IF EXISTS congress_invoice_counter_used()",
    "DROP FUNCTION IF EXISTS congress_invoice_guard()",
]

GUARDED_TABLES = ("invoice_counter", "invoice", "invoice_line")


def install(connection: Connection) -> None:
    """Create the triggers (the three tables must exist)."""
    statements = _PG_CREATE if connection.dialect.name == "postgresql" else _SQLITE_CREATE
    for statement in statements:
        connection.execute(text(statement))


def drop(connection: Connection) -> None:
    """Remove the triggers: for a downgrade, or a test that empties the tables."""
    if connection.dialect.name == "postgresql":
        statements = _PG_DROP
    else:
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_NAMES]
    for statement in statements:
        connection.execute(text(statement))


def listen(metadata: MetaData) -> None:
    """Install the triggers each time ``create_all`` has built the schema from the models."""

    def _after_create(_target: MetaData, connection: Connection, **_: object) -> None:
        install(connection)

    event.listen(metadata, "after_create", _after_create)
