"""What a ticket costs at a given moment, and how that is said to the attendee.

Why a module of its own: the registration form, the manage page and later the
invoices must quote the same amounts, so the rule (early-bird price strictly
before its date, the edition's VAT rate or exemption) lives in one place and the
arithmetic in ``core.money``. Amounts are written by Babel in the request's
language ("280,00 € HT" / "€280.00 excl. VAT"), never by hand.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import format_currency, format_date, format_decimal, get_locale
from flask_babel import gettext as _

from congress.audit.log import record
from congress.core.errors import DomainError
from congress.core.money import CENT, Price, from_cents
from congress.edition.models import Event
from congress.i18n import lazy_gettext as _l
from congress.registration.models import TicketCategory

__all__ = [
    "VAT_EXEMPTION_MAX",
    "check_vat",
    "current_price",
    "early_bird_applies",
    "early_last_day",
    "price_text",
    "set_vat",
]

VAT_EXEMPTION_MAX = 200


def check_vat(rate: Decimal | None, exemption: str) -> Decimal:
    """A rate from 0 to 100 with at most two decimals; a mention of at most 200 characters."""
    if rate is None or not rate.is_finite():
        raise DomainError(_l("Give the VAT rate as a number, for example 20."), field="vat_rate")
    if not Decimal("0") <= rate <= Decimal("100") or rate != rate.quantize(CENT):
        raise DomainError(
            _l("The VAT rate lies between 0 and 100, with at most two decimals."),
            field="vat_rate",
        )
    if len(exemption) > VAT_EXEMPTION_MAX:
        raise DomainError(
            _l("The exemption mention is at most %(n)d characters.", n=VAT_EXEMPTION_MAX),
            field="vat_exemption",
        )
    return rate.quantize(CENT)


def set_vat(event: Event, rate: Decimal | None, exemption: str) -> list[str]:
    """Set the edition's VAT configuration, audited; the caller's transaction commits.

    Not part of the programme's facts: a change here leaves the programme's version
    (and the caches keyed on it) alone.
    """
    checked = check_vat(rate, exemption)
    before = {
        "vat_rate": str(Decimal(event.vat_rate).quantize(CENT)),
        "vat_exemption": event.vat_exemption,
    }
    event.vat_rate = checked
    event.vat_exemption = exemption
    after = {"vat_rate": str(event.vat_rate), "vat_exemption": event.vat_exemption}
    changes = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    if changes:
        record("event.updated", object_type="event", object_id=event.id, changes=changes)
    return sorted(changes)


def early_bird_applies(category: TicketCategory, at: datetime) -> bool:
    """The early price holds strictly before ``early_until`` (both UTC)."""
    return (
        category.early_price_cents is not None
        and category.early_until is not None
        and at < category.early_until
    )


def current_price(category: TicketCategory, at: datetime) -> Price:
    """The category's net price at ``at`` with its edition's VAT configuration."""
    cents = category.price_cents
    if early_bird_applies(category, at):
        cents = category.early_price_cents or 0
    event = category.event
    return Price(
        net=from_cents(cents),
        vat_rate=Decimal(event.vat_rate),
        exemption_mention=event.vat_exemption or "",
    )


def early_last_day(category: TicketCategory) -> date | None:
    """The last day, in the edition's zone, on which the early price still holds."""
    if category.early_until is None:
        return None
    return (category.early_until.astimezone(category.event.zone) - timedelta(microseconds=1)).date()


def _day(day: date) -> str:
    """ "1er mars 2014" / "March 1, 2014": the ordinal French wants on a first day."""
    text = format_date(day, format="long")
    if day.day == 1 and str(get_locale() or "fr").startswith("fr"):
        text = re.sub(r"(?<!\d)1(?=\s)", "1er", text, count=1)
    return text


def price_text(category: TicketCategory, at: datetime) -> str:
    """The price as shown to attendees, with and without tax, in the request's language."""
    price = current_price(category, at)
    if price.free:
        text = _("Free")
    elif price.exempt:
        text = _(
            "%(net)s (%(mention)s)",
            net=format_currency(price.net, "EUR"),
            mention=price.exemption_mention,
        )
    else:
        text = _(
            "%(net)s excl. VAT · %(gross)s incl. VAT (VAT %(rate)s%%)",
            net=format_currency(price.net, "EUR"),
            gross=format_currency(price.gross, "EUR"),
            rate=format_decimal(price.vat_rate, format="#,##0.##"),
        )
    if early_bird_applies(category, at):
        last_day = early_last_day(category)
        if last_day is not None:
            text += " – " + _("early-bird price until %(day)s", day=_day(last_day))
    return text
