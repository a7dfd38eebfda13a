"""The facts one quote, invoice or credit note states, as plain values.

Both renderings read the same object: the PDF template (``templates/documents/
invoice.html``) and the EN 16931 XML (``facturx.py``), so the document a person
reads and the one Chorus Pro reads cannot say different things. Totals are
computed here once, as EN 16931 does: line nets (quantity × unit price, to the
cent), their sum, VAT on that sum per rate (``core.money.vat_of``), gross = net
+ VAT exactly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from congress.core.money import CENT, vat_of


class Kind(enum.StrEnum):
    QUOTE = "quote"
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    street: str
    postcode: str
    city: str
    country_code: str = "FR"
    siret: str = ""
    vat_number: str = ""
    email: str = ""
    legal_form: str = ""
    share_capital: str = ""
    registry: str = ""

    @property
    def siren(self) -> str:
        return self.siret[:9]


@dataclass(frozen=True, slots=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal

    @property
    def net(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Payee:
    """How to pay: bank transfer details and the terms every invoice must state."""

    iban: str
    bic: str
    bank_name: str
    late_payment_rate: Decimal
    payment_days: int


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    kind: Kind
    reference: str
    issued_on: date
    service_start: date
    service_end: date
    # Due date for an invoice; end of validity for a quote.
    due_on: date
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    payee: Payee
    edition_name: str
    language: str = "fr"
    vat_exemption: str = ""
    buyer_reference: str = ""  # Chorus Pro service code (BT-10)
    order_number: str = ""  # purchase order / engagement number (BT-13)
    public_body: bool = False
    preceding_reference: str = ""  # the invoice a credit note cancels (BT-25)
    preceding_issued_on: date | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def exempt(self) -> bool:
        return bool(self.vat_exemption)

    @property
    def net_total(self) -> Decimal:
        return sum((line.net for line in self.lines), Decimal("0.00"))

    def vat_breakdown(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        """(rate, taxable base, VAT) per rate, in rate order."""
        rates = sorted({line.vat_rate for line in self.lines})
        breakdown = []
        for rate in rates:
            nets = [line.net for line in self.lines if line.vat_rate == rate]
            base = sum(nets, Decimal("0.00"))
            vat = Decimal("0.00") if self.exempt else vat_of(nets, rate)
            breakdown.append((rate, base, vat))
        return breakdown

    @property
    def vat_total(self) -> Decimal:
        return sum((vat for _rate, _base, vat in self.vat_breakdown()), Decimal("0.00"))

    @property
    def gross_total(self) -> Decimal:
        return self.net_total + self.vat_total
