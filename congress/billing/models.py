"""Invoices, credit notes, their lines, payments and reminders.

An ``Invoice`` row is either an invoice (UNTDID 1001 code 380) or a credit note
(381); both draw their number from one sequence per calendar year,
``invoice_counter``, so the series "2014-0001, 2014-0002, …" has no gap and no
duplicate: the counter row is incremented in the transaction that inserts the
document (a rolled-back issue gives its number back), a database trigger
refuses any number other than the counter's, and ``UNIQUE(year, number)``
refuses a second one. Another trigger refuses every UPDATE of an issued
document and every DELETE before its ten years are over (Code de commerce
L123-22), whatever path the statement comes from: a service, the CLI or psql.

The document keeps its own copy of the seller's and buyer's identities and
amounts, the Factur-X XML and the PDF exactly as issued, so erasing an
attendee's personal data (retention, right to erasure) leaves the invoice as
the law requires it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.core.clock import now
from congress.core.models import Base, intpk, str_enum
from congress.edition.models import Event
from congress.edition.privacy import INVOICE_RETENTION_YEARS

MONEY = Numeric(12, 2)
RETENTION_YEARS = INVOICE_RETENTION_YEARS  # the privacy notice states the same period


class DocumentKind(enum.StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"

    @property
    def type_code(self) -> str:
        """UNTDID 1001 document type, as EN 16931 (BT-3) writes it."""
        return "380" if self is DocumentKind.INVOICE else "381"


class PaymentMethod(enum.StrEnum):
    TRANSFER = "transfer"  # virement
    MANDATE = "mandate"  # mandat administratif (public payers)
    CHEQUE = "cheque"


class InvoiceCounter(Base):
    """The last number issued in a year; one row per year, locked by each issue."""

    __tablename__ = "invoice_counter"
    __table_args__ = (CheckConstraint("last_number >= 0", name="last_number_positive"),)

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Invoice(Base):
    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("year", "number", name="uq_invoice_year_number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("gross_total = net_total + vat_total", name="totals_add_up"),
        CheckConstraint(
            "(kind = 'credit_note') = (credited_invoice_id IS NOT NULL)",
            name="credit_note_references_invoice",
        ),
    )

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, "document_kind"))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    service_start: Mapped[date] = mapped_column(Date)
    service_end: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    # The invoice a credit note cancels, wholly or some of its lines (one attendee of
    # an employer's group invoice may cancel alone).
    credited_invoice_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), index=True
    )
    language: Mapped[str] = mapped_column(String(8), default="fr")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # The buyer as it was at issue, for lists, reminders and the accountant's export.
    buyer_name: Mapped[str] = mapped_column(String(200))
    buyer_siret: Mapped[str] = mapped_column(String(14), default="")
    buyer_vat_number: Mapped[str] = mapped_column(String(20), default="")
    buyer_email: Mapped[str] = mapped_column(String(254), default="")
    payer_key: Mapped[str] = mapped_column(String(254), index=True)
    public_body: Mapped[bool] = mapped_column(default=False)
    service_code: Mapped[str] = mapped_column(String(100), default="")
    order_number: Mapped[str] = mapped_column(String(50), default="")
    net_total: Mapped[Decimal] = mapped_column(MONEY)
    vat_total: Mapped[Decimal] = mapped_column(MONEY)
    gross_total: Mapped[Decimal] = mapped_column(MONEY)
    # The document as issued: EN 16931 CII XML and the Factur-X PDF/A-3 holding it.
    xml: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    issued_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(default=now)

    event: Mapped[Event] = relationship()
    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.position"
    )
    credited_invoice: Mapped[Invoice | None] = relationship(remote_side="Invoice.id")

    @property
    def reference(self) -> str:
        """The number as printed: year and a four-digit sequence, e.g. 2014-0007."""
        return f"{self.year}-{self.number:04d}"

    @property
    def is_credit_note(self) -> bool:
        return self.kind is DocumentKind.CREDIT_NOTE


class InvoiceLine(Base):
    __tablename__ = "invoice_line"
    __table_args__ = (
        UniqueConstraint("invoice_id", "position", name="uq_invoice_line_position"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_positive"),
    )

    id: Mapped[intpk]
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)
    # The registration the line bills (kept for the attendee's private link; the
    # description below is what the document says).
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="RESTRICT"), index=True
    )
    description: Mapped[str] = mapped_column(String(400))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    net_amount: Mapped[Decimal] = mapped_column(MONEY)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Payment(Base):
    """Money received against an invoice; several partial payments may settle one."""

    __tablename__ = "payment"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[intpk]
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(MONEY)
    method: Mapped[PaymentMethod] = mapped_column(str_enum(PaymentMethod, "payment_method"))
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(120), default="")
    recorded_by: Mapped[str] = mapped_column(String(254), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=now)

    invoice: Mapped[Invoice] = relationship()


class PaymentReminder(Base):
    """A reminder e-mailed for an unpaid invoice (queued through the outbox)."""

    __tablename__ = "payment_reminder"

    id: Mapped[intpk]
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), index=True
    )
    sent_to: Mapped[str] = mapped_column(String(254))
    sent_by: Mapped[str] = mapped_column(String(254), default="")
    sent_at: Mapped[datetime] = mapped_column(default=now)
