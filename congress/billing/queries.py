"""Reads of invoices, credit notes and payments."""

from __future__ import annotations

from congress.billing.models import Invoice, InvoiceLine
from congress.extensions import db
from congress.registration.models import Registration


def documents_of(registration: Registration) -> list[Invoice]:
    """Invoices and credit notes with a line billing ``registration``, oldest first."""
    return list(
        db.session.scalars(
            db.select(Invoice)
            .where(
                Invoice.id.in_(
                    db.select(InvoiceLine.invoice_id).where(
                        InvoiceLine.registration_id == registration.id
                    )
                )
            )
            .order_by(Invoice.year, Invoice.number)
        )
    )
