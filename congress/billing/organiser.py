"""The seller's identity: what the organiser types once so that quotes, invoices and
certificates can name it as the law requires.

Why in billing: the identity exists for the documents billing issues (the
mandatory mentions of a French invoice: name, address, SIRET, VAT number,
late-payment penalties, payment term) and for the attendance certificates (the
training body's declaration number). ``edition`` holds the row but sits below
the audit log, so the rules and their audit live here.

Numbers are checked with python-stdnum (Luhn for the SIRET, the French VAT key
computed from the SIREN, ISO 13616 for the IBAN, ISO 9362 for the BIC), through
the same rules the attendees' billing details use where they overlap. Every
field is checked before any refusal is raised, so the form shows them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from email_validator import EmailNotValidError, validate_email
from stdnum import bic as stdnum_bic
from stdnum import exceptions as stdnum_errors
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as eu_vat

from congress.audit.log import record
from congress.core.errors import DomainError
from congress.core.field_errors import FieldChecks
from congress.core.money import CENT
from congress.edition.models import Event, Organiser
from congress.edition.queries import organiser_of
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.programme.services import speaker_phone
from congress.registration.billing_details import (
    check_country,
    check_postcode,
    check_siret,
    check_vat_number,
)

__all__ = ["OrganiserData", "from_row", "set_organiser"]

# Column lengths of ``edition.models.Organiser``.
LIMITS = {
    "legal_name": 200,
    "legal_form": 120,
    "share_capital": 60,
    "street": 200,
    "city": 80,
    "registry": 120,
    "email": 254,
    "phone": 32,
    "bank_name": 120,
    "signatory": 120,
}
REQUIRED = ("legal_name", "street", "city")
PAYMENT_DAYS = (0, 60)  # Code de commerce L441-10: at most 60 days from the invoice
QUOTE_VALIDITY_DAYS = (1, 365)
LATE_RATE_MAX = Decimal("100")
TRAINING_DECLARATION = re.compile(r"\d{11}")
# Bank details are not worth keeping in the audit log: that they changed is enough.
UNLOGGED = frozenset({"iban", "bic"})


@dataclass(slots=True)
class OrganiserData:
    """The form as typed: numbers stay text until the rules have read them."""

    legal_name: str = ""
    legal_form: str = ""
    share_capital: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    country_code: str = "FR"
    siret: str = ""
    vat_number: str = ""
    registry: str = ""
    email: str = ""
    phone: str = ""
    iban: str = ""
    bic: str = ""
    bank_name: str = ""
    training_declaration: str = ""
    signatory: str = ""
    late_payment_rate: str = "10"
    payment_days: str = "30"
    quote_validity_days: str = "30"
    invoice_on_confirmation: bool = False


def from_row(organiser: Organiser | None) -> OrganiserData:
    """The stored identity as the form's starting values (the defaults before the first save)."""
    if organiser is None:
        return OrganiserData()
    values: dict[str, Any] = {}
    for field in fields(OrganiserData):
        value = getattr(organiser, field.name)
        if isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        elif isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        values[field.name] = value
    return OrganiserData(**values)


# ---------------------------------------------------------------- single rules


def _line(value: str, field: str, *, required: bool = False) -> str:
    """Trimmed one-line text without control characters, within its column."""
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    limit = LIMITS[field]
    if len(cleaned) > limit:
        raise DomainError(_l("This field may not exceed %(n)d characters.", n=limit), field=field)
    if required and not cleaned:
        raise DomainError(_l("This field is required."), field=field)
    return cleaned


def check_email(raw: str) -> str:
    address = _line(raw, "email", required=True)
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise DomainError(_l("Enter a valid e-mail address."), field="email") from error


def check_phone(raw: str) -> str:
    return speaker_phone(_line(raw, "phone")) or ""


def check_iban(raw: str) -> str:
    """Stored compact and upper-case (``FR7630006000011234567890189``); blank is none."""
    if not raw.strip():
        return ""
    try:
        return str(stdnum_iban.validate(raw))
    except stdnum_errors.ValidationError as error:
        raise DomainError(
            _l(
                "This IBAN is not valid: check its country letters and digits, "
                "for example FR76 3000 6000 0112 3456 7890 189."
            ),
            field="iban",
        ) from error


def check_bic(raw: str) -> str:
    """8 or 11 characters: bank, country, place and, optionally, branch; blank is none."""
    if not raw.strip():
        return ""
    try:
        return str(stdnum_bic.validate(raw))
    except stdnum_errors.ValidationError as error:
        raise DomainError(
            _l("A BIC has 8 or 11 letters and digits, for example AGRIFRPP or AGRIFRPP882."),
            field="bic",
        ) from error


def check_training_declaration(raw: str) -> str:
    """The 11 digits of a training body's declaration, written as the prefecture does."""
    digits = re.sub(r"[\s.\-]", "", raw)
    if not digits:
        return ""
    if not TRAINING_DECLARATION.fullmatch(digits):
        raise DomainError(
            _l("A training body's declaration number has 11 digits, for example 52 72 01234 72."),
            field="training_declaration",
        )
    return f"{digits[:2]} {digits[2:4]} {digits[4:9]} {digits[9:]}"


def check_late_payment_rate(raw: str) -> Decimal:
    """A yearly rate in percent, "10" or "10,5", from 0 to 100 with two decimals at most."""
    message = _l("The late-payment rate is a percentage from 0 to 100, with at most two decimals.")
    try:
        rate = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation as error:
        raise DomainError(message, field="late_payment_rate") from error
    if not rate.is_finite() or not Decimal("0") <= rate <= LATE_RATE_MAX:
        raise DomainError(message, field="late_payment_rate")
    if rate != rate.quantize(CENT):
        raise DomainError(message, field="late_payment_rate")
    return rate.quantize(CENT)


def _days(raw: str, bounds: tuple[int, int], field: str, message: Any) -> int:
    text = raw.strip()
    if not text.isdigit() or not bounds[0] <= int(text) <= bounds[1]:
        raise DomainError(message, field=field)
    return int(text)


def check_payment_days(raw: str) -> int:
    return _days(
        raw,
        PAYMENT_DAYS,
        "payment_days",
        _l("The payment term is a whole number of days from 0 to 60 (the legal maximum)."),
    )


def check_quote_validity_days(raw: str) -> int:
    return _days(
        raw,
        QUOTE_VALIDITY_DAYS,
        "quote_validity_days",
        _l("A quote's validity is a whole number of days from 1 to 365."),
    )


# ---------------------------------------------------------------- the whole identity


def check(event: Event, data: OrganiserData) -> dict[str, Any]:
    """The identity cleaned, as column values; or ``FieldErrors`` naming every bad field.

    A French seller needs its SIRET; a VAT number, when given, must be valid and,
    if French, carry the SIREN (its key is computed from it). An edition that
    charges VAT needs the seller's VAT number on its invoices, unless the seller is
    outside the EU.
    """
    checks = FieldChecks()
    values: dict[str, Any] = {}
    for name in ("legal_name", "legal_form", "share_capital", "street", "city", "registry"):
        values[name] = checks.run(
            lambda name=name: _line(getattr(data, name), name, required=name in REQUIRED), ""
        )
    for name in ("bank_name", "signatory"):
        values[name] = checks.run(lambda name=name: _line(getattr(data, name), name), "")
    country = checks.run(lambda: check_country(data.country_code), "FR")
    values["country_code"] = country
    values["postcode"] = checks.run(lambda: _postcode(data.postcode, country), "")
    siret = checks.run(lambda: check_siret(data.siret), "")
    if not siret and country == "FR" and not checks.failed("siret"):
        checks.refuse(DomainError(_l("Enter the SIRET number (14 digits)."), field="siret"))
    values["siret"] = siret
    vat_number = checks.run(lambda: check_vat_number(data.vat_number, country, siret), "")
    charges_vat = not (event.vat_exemption or "").strip()
    in_eu = country.lower() in eu_vat.MEMBER_STATES
    if charges_vat and in_eu and not vat_number and not checks.failed("vat_number"):
        checks.refuse(
            DomainError(
                _l(
                    "The edition charges VAT, so its invoices must show the seller's VAT "
                    "number: enter it, or the VAT exemption mention on the edition's page."
                ),
                field="vat_number",
            )
        )
    values["vat_number"] = vat_number
    values["email"] = checks.run(lambda: check_email(data.email), "")
    values["phone"] = checks.run(lambda: check_phone(data.phone), "")
    values["iban"] = checks.run(lambda: check_iban(data.iban), "")
    values["bic"] = checks.run(lambda: check_bic(data.bic), "")
    values["training_declaration"] = checks.run(
        lambda: check_training_declaration(data.training_declaration), ""
    )
    values["late_payment_rate"] = checks.run(
        lambda: check_late_payment_rate(data.late_payment_rate), Decimal("0")
    )
    values["payment_days"] = checks.run(lambda: check_payment_days(data.payment_days), 0)
    values["quote_validity_days"] = checks.run(
        lambda: check_quote_validity_days(data.quote_validity_days), 1
    )
    values["invoice_on_confirmation"] = bool(data.invoice_on_confirmation)
    checks.raise_any()
    return values


def _postcode(raw: str, country: str) -> str:
    postcode = check_postcode(raw, country)
    if not postcode:
        raise DomainError(_l("This field is required."), field="postcode")
    return postcode


def _logged(name: str, value: Any) -> Any:
    if name in UNLOGGED:
        return "…"
    if isinstance(value, Decimal):
        return str(value.quantize(CENT))
    return value


def set_organiser(event: Event, data: OrganiserData) -> Organiser:
    """Enter or change the edition's seller; audited with what changed; one commit.

    Documents already issued keep their own copy of the identity (an invoice never
    changes), so a change here only reaches quotes, invoices and certificates made
    from now on.
    """
    values = check(event, data)
    organiser = organiser_of(event)
    if organiser is None:
        organiser = Organiser(event_id=event.id)
        db.session.add(organiser)
        before: dict[str, Any] = {}
    else:
        before = {name: getattr(organiser, name) for name in values}
    changes = {}
    for name, value in values.items():
        old = before.get(name)
        if isinstance(old, Decimal):
            old = old.quantize(CENT)
        if name not in before or old != value:
            changes[name] = [_logged(name, old), _logged(name, value)]
        setattr(organiser, name, value)
    if changes:
        record(
            "organiser.updated",
            object_type="organiser",
            object_id=event.id,
            changes=changes,
        )
    db.session.commit()
    return organiser
