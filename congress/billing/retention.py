"""Invoices and credit notes whose legal retention is over: deleted by ``flask congress purge``.

Article L123-22 of the Code de commerce keeps accounting documents ten years,
counted from the close of the financial year (the calendar year here): a
document issued in 2014 may go on 1 January 2025. The database triggers
(``guards.py``) refuse any earlier deletion, so this module only decides what
is due and deletes it in the order the foreign keys want: payments and
reminders, lines, then credit notes before the invoices they reference (an
invoice whose later credit note is still kept stays too).
"""

from __future__ import annotations

from datetime import date

from congress.audit.log import SYSTEM, record
from congress.billing.models import (
    RETENTION_YEARS,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentReminder,
)
from congress.core.clock import now
from congress.extensions import db


def kept_since(today: date) -> date:
    """The first issue date still kept on ``today`` (1 January, ten years back)."""
    return date(today.year - RETENTION_YEARS, 1, 1)


def forget_expired() -> int:
    """Delete the documents past their retention; how many (one transaction)."""
    cutoff = kept_since(now().date())
    expired = set(db.session.scalars(db.select(Invoice.id).where(Invoice.issued_on < cutoff)))
    referenced_by_kept = set(
        db.session.scalars(
            db.select(Invoice.credited_invoice_id).where(
                Invoice.credited_invoice_id.is_not(None), Invoice.id.not_in(expired)
            )
        )
    )
    doomed = expired - referenced_by_kept
    if not doomed:
        return 0
    ids = list(doomed)
    db.session.execute(db.delete(Payment).where(Payment.invoice_id.in_(ids)))
    db.session.execute(db.delete(PaymentReminder).where(PaymentReminder.invoice_id.in_(ids)))
    db.session.execute(db.delete(InvoiceLine).where(InvoiceLine.invoice_id.in_(ids)))
    db.session.execute(
        db.delete(Invoice).where(Invoice.id.in_(ids), Invoice.credited_invoice_id.is_not(None))
    )
    db.session.execute(db.delete(Invoice).where(Invoice.id.in_(ids)))
    record(
        "invoice.forgotten",
        object_type="invoice",
        object_id=f"< {cutoff.isoformat()}",
        changes={"documents": [None, len(ids)]},
        actor=SYSTEM,
    )
    db.session.commit()
    return len(ids)
