"""Amounts of money, exact: ``Decimal`` euros, VAT computed as EN 16931 does.

Why here and pure: the registration form, the manage page and later the
invoices must agree to the cent, so one rule computes VAT for all of them.
EN 16931 computes the VAT of each rate on the *sum* of the line net amounts,
rounded half-up to the cent, and the gross is that net plus that VAT exactly
(GrandTotal = TaxBasisTotal + TaxTotal). Display belongs to Babel, not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["CENT", "DEFAULT_VAT_RATE", "Price", "from_cents", "to_cents", "vat_of"]

CENT = Decimal("0.01")
DEFAULT_VAT_RATE = Decimal("20.00")


def from_cents(cents: int) -> Decimal:
    """Integer cents (how prices are stored, exact) as a two-decimal amount."""
    return (Decimal(cents) / 100).quantize(CENT)


def to_cents(amount: Decimal) -> int:
    """A two-decimal amount back to integer cents; refuses fractions of a cent."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of cents")
    return int(cents)


def vat_of(nets: Iterable[Decimal], rate: Decimal) -> Decimal:
    """VAT of one rate over several line amounts: on their sum, rounded once."""
    total = sum(nets, Decimal("0"))
    return (total * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Price:
    """A net price before tax with the VAT that applies to it.

    ``exemption_mention`` not empty means no VAT is due (e.g. "TVA non
    applicable, art. 293 B du CGI"): the VAT is 0.00 whatever the rate, and
    the mention must be shown in place of an amount with tax.
    """

    net: Decimal
    vat_rate: Decimal = DEFAULT_VAT_RATE
    exemption_mention: str = ""

    def __post_init__(self) -> None:
        if self.net < 0:
            raise ValueError("a price cannot be negative")
        if not Decimal("0") <= self.vat_rate <= Decimal("100"):
            raise ValueError("a VAT rate lies between 0 and 100")
        object.__setattr__(self, "net", self.net.quantize(CENT, rounding=ROUND_HALF_UP))

    @property
    def exempt(self) -> bool:
        return bool(self.exemption_mention)

    @property
    def free(self) -> bool:
        return self.net == 0

    @property
    def vat(self) -> Decimal:
        if self.exempt:
            return Decimal("0.00")
        return vat_of([self.net], self.vat_rate)

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat
