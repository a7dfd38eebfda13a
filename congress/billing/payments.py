"""Payments received against invoices, what is still owed, and reminders.

What an invoice still asks for is its total, less its credit notes, less the
payments recorded against it; a credit note owes nothing (it is settled by
reducing the invoice). A payment may be partial; it may not exceed what is
owed, be dated in the future or before the invoice, or be negative: a public
payer's administrative mandate often arrives in parts, and an overpayment is a
refund to handle by hand, not a number to record. Reminders go through the
outbox to the buyer's invoicing address with the PDF attached.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func

from congress.audit.log import record
from congress.billing.models import (
    DocumentKind,
    Invoice,
    Payment,
    PaymentMethod,
    PaymentReminder,
)
from congress.core.clock import now
from congress.core.errors import Conflict, DomainError
from congress.core.money import CENT
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.mail.outbox import render_and_queue

ZERO = Decimal("0.00")
AGE_BUCKETS = (0, 30, 60, 90)  # days past due: not yet due, 1-30, 31-60, 61-90, over 90


def parse_amount(raw: str) -> Decimal:
    """ "1 234,50", "1234.5" or "336" as an exact amount; refuses what is not one."""
    cleaned = raw.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.replace("€", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise DomainError(_l("Enter an amount in euros, e.g. 336,00."), field="amount") from None
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise DomainError(_l("Enter an amount in euros and cents, e.g. 336,00."), field="amount")
    return amount.quantize(CENT)


@dataclass(frozen=True, slots=True)
class Balance:
    invoice: Invoice
    credited: Decimal
    paid: Decimal

    @property
    def owed(self) -> Decimal:
        return max(self.invoice.gross_total - self.credited - self.paid, ZERO)

    @property
    def settled(self) -> bool:
        return self.owed == ZERO

    def days_late(self, today: date) -> int:
        return max((today - self.invoice.due_on).days, 0)


def balances(event_id: int) -> list[Balance]:
    """Every invoice of the edition with its credited and paid sums (three statements)."""
    invoices = db.session.scalars(
        db.select(Invoice)
        .where(Invoice.event_id == event_id, Invoice.kind == DocumentKind.INVOICE)
        .order_by(Invoice.year, Invoice.number)
    ).all()
    credited = dict(
        db.session.execute(
            db.select(Invoice.credited_invoice_id, func.sum(Invoice.gross_total))
            .where(Invoice.event_id == event_id, Invoice.kind == DocumentKind.CREDIT_NOTE)
            .group_by(Invoice.credited_invoice_id)
        ).all()
    )
    paid = dict(
        db.session.execute(
            db.select(Payment.invoice_id, func.sum(Payment.amount))
            .join(Invoice, Invoice.id == Payment.invoice_id)
            .where(Invoice.event_id == event_id)
            .group_by(Payment.invoice_id)
        ).all()
    )
    return [
        Balance(
            invoice,
            Decimal(credited.get(invoice.id) or ZERO),
            Decimal(paid.get(invoice.id) or ZERO),
        )
        for invoice in invoices
    ]


def balance_of(invoice: Invoice) -> Balance:
    return next(b for b in balances(invoice.event_id) if b.invoice.id == invoice.id)


def record_payment(
    invoice: Invoice,
    *,
    amount: Decimal,
    method: PaymentMethod,
    paid_on: date,
    reference: str,
    recorded_by: str,
) -> Payment:
    """Record money received; refuses what the invoice does not owe."""
    if invoice.kind is not DocumentKind.INVOICE:
        raise Conflict(_l("Payments are recorded against invoices, not credit notes."))
    db.session.execute(  # one recorder at a time per invoice: the owed sum stays true
        db.select(Invoice.id).where(Invoice.id == invoice.id).with_for_update()
    ).all()
    if amount <= ZERO:
        raise DomainError(_l("A payment is a positive amount."), field="amount")
    owed = balance_of(invoice).owed
    if amount > owed:
        raise DomainError(
            _l(
                "This invoice still owes %(owed)s €: a larger payment is a refund to handle "
                "by hand.",
                owed=f"{owed:.2f}".replace(".", ","),
            ),
            field="amount",
        )
    today = now().astimezone(invoice.event.zone).date()
    if paid_on > today:
        raise DomainError(_l("A payment cannot be dated in the future."), field="paid_on")
    if paid_on < invoice.issued_on:
        raise DomainError(_l("A payment cannot precede its invoice."), field="paid_on")
    reference = " ".join(reference.split())[:120]
    payment = Payment(
        invoice_id=invoice.id,
        amount=amount,
        method=method,
        paid_on=paid_on,
        reference=reference,
        recorded_by=recorded_by,
    )
    db.session.add(payment)
    record(
        "payment.recorded",
        object_type="invoice",
        object_id=invoice.reference,
        changes={"amount": [None, f"{amount:.2f}"], "method": [None, method.value]},
    )
    db.session.commit()
    return payment


def send_reminder(invoice: Invoice, *, sent_by: str) -> PaymentReminder:
    """E-mail the buyer a reminder with the invoice attached; refuses a settled invoice."""
    balance = balance_of(invoice)
    if balance.settled:
        raise Conflict(_l("This invoice is settled: there is nothing to remind."))
    if not invoice.buyer_email:
        raise Conflict(_l("This invoice has no e-mail address to send a reminder to."))
    render_and_queue(
        "payment_reminder",
        invoice.buyer_email,
        kind="payment_reminder",
        language="fr",  # the invoice's language: French accounting documents
        invoice=invoice,
        owed=balance.owed,
        event=invoice.event,
        attachments=[
            {
                "filename": f"facture-{invoice.reference}.pdf",
                "content_type": "application/pdf",
                "content": base64.b64encode(invoice.pdf).decode("ascii"),
            }
        ],
    )
    reminder = PaymentReminder(invoice_id=invoice.id, sent_to=invoice.buyer_email, sent_by=sent_by)
    db.session.add(reminder)
    record(
        "invoice.reminded",
        object_type="invoice",
        object_id=invoice.reference,
        changes={"owed": [None, f"{balance.owed:.2f}"]},
    )
    db.session.commit()
    return reminder


def reminders_count(event_id: int) -> dict[int, int]:
    return dict(
        db.session.execute(
            db.select(PaymentReminder.invoice_id, func.count(PaymentReminder.id))
            .join(Invoice, Invoice.id == PaymentReminder.invoice_id)
            .where(Invoice.event_id == event_id)
            .group_by(PaymentReminder.invoice_id)
        ).all()
    )


def age_bucket(days_late: int) -> int:
    """Index into ``AGE_BUCKETS``-based columns: 0 not late, 1 up to 30 days … 4 over 90."""
    if days_late <= 0:
        return 0
    for index, limit in enumerate(AGE_BUCKETS[1:], start=1):
        if days_late <= limit:
            return index
    return len(AGE_BUCKETS)
