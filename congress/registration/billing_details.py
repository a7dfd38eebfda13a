"""Who pays a registration and where the invoice goes: the rules for billing details.

Why a module of its own: the registration form, the private link's billing page
and, later, the invoices read the same rules (which fields a payer needs, what a
valid SIRET or VAT number is), so they live here once, next to the model. The
numbers are checked with python-stdnum, which follows the official algorithms
(Luhn for the SIRET, the French VAT key computed from the SIREN, each member
state's VAT format), rather than with home-made patterns.

Billing details are optional when registering: a form whose billing fields are
all left empty stores none, and the attendee may add them later from the private
link, until an invoice is issued (``invoiced_at``, set by billing): from then on
the invoice holds its own copy and these values are frozen. A free ticket needs
none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import bindparam, exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat
from stdnum.fr import siret as fr_siret

from congress.audit.log import Actor, current_actor, record
from congress.core.clock import now
from congress.core.errors import Conflict, DomainError
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.registration import fees
from congress.registration.models import (
    BillingDetails,
    Payer,
    Registration,
    RegistrationStatus,
    TicketCategory,
)

LEGAL_NAME_MAX = 200
STREET_MAX = 200
CITY_MAX = 80
POSTCODE_MAX = 16
SERVICE_CODE_MAX = 100
ORDER_NUMBER_MAX = 50
VAT_MAX = 20
EMAIL_MAX = 254

FROZEN = _l(
    "Billing details can no longer be changed: an invoice was issued; contact the organisers"
)

# The columns a person types; ``payer``, ``public_body`` and ``country_code`` are choices.
TYPED = (
    "legal_name",
    "siret",
    "vat_number",
    "street",
    "postcode",
    "city",
    "service_code",
    "order_number",
    "invoice_email",
)
STORED = ("payer", "public_body", "country_code", *TYPED)

SERVICE_CODE = re.compile(r"[A-Za-z0-9_-]+")
FRENCH_POSTCODE = re.compile(r"\d{5}")
# ISO 3166 alpha-2 codes CLDR names; groupings (EU, UN) and private-use codes are not countries.
COUNTRIES = frozenset(
    code
    for code in Locale.parse("en").territories
    if len(code) == 2 and code.isalpha() and code not in {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}
)
# VAT prefixes that differ from the ISO country code of the address.
VAT_PREFIX_COUNTRY = {"EL": "GR", "XI": "GB"}
COUNTRY_VAT_PREFIX = {"GR": "EL"}


@dataclass(slots=True)
class BillingData:
    """What the person typed in the billing fields, already shaped by the form."""

    payer: Payer = Payer.EMPLOYER
    public_body: bool = False
    legal_name: str = ""
    siret: str = ""
    vat_number: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    country_code: str = "FR"
    service_code: str = ""
    order_number: str = ""
    invoice_email: str = ""

    @property
    def blank(self) -> bool:
        """Nothing typed: the person left billing for later (the choices alone say nothing)."""
        return not any(str(getattr(self, name)).strip() for name in TYPED)


def from_row(row: BillingDetails) -> BillingData:
    """The stored details as the form's data, to pre-fill the billing page."""
    return BillingData(**{field.name: getattr(row, field.name) for field in fields(BillingData)})


# ---------------------------------------------------------------- single rules


def _line(value: str, limit: int, field: str) -> str:
    """Trimmed single-line text without control characters, within its length."""
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    if len(cleaned) > limit:
        raise DomainError(_l("This field may not exceed %(n)d characters.", n=limit), field=field)
    return cleaned


def _required(value: str, field: str) -> str:
    if not value:
        raise DomainError(_l("This field is required."), field=field)
    return value


def check_siret(raw: str) -> str:
    """14 digits with a valid Luhn key; spaces, dots and dashes typed in between are dropped."""
    number = re.sub(r"[\s.\-]", "", raw)
    if not number:
        return ""
    if not number.isdigit() or len(number) != 14:
        raise DomainError(
            _l("A SIRET number has 14 digits (9 for the SIREN, then 5 for the establishment)."),
            field="siret",
        )
    try:
        return fr_siret.validate(number)
    except stdnum_errors.ValidationError as error:
        raise DomainError(
            _l(
                "This SIRET number is not valid: its last digit does not match the others. "
                "Check it against the establishment's notice."
            ),
            field="siret",
        ) from error


def check_postcode(raw: str, country_code: str) -> str:
    """Five digits in France; elsewhere any short code (formats differ too much to check)."""
    postcode = _line(raw, POSTCODE_MAX, "postcode")
    if country_code == "FR" and postcode:
        postcode = postcode.replace(" ", "")
        if not FRENCH_POSTCODE.fullmatch(postcode):
            raise DomainError(_l("A French postcode has 5 digits."), field="postcode")
    return postcode


def check_vat_number(raw: str, country_code: str, siret: str = "") -> str:
    """A valid EU VAT number of the address's country; a French one must carry the SIREN.

    A number typed without its country prefix takes the address's. Outside the
    EU the number is kept as typed (letters and digits only): there is no common
    format to check it against.
    """
    number = re.sub(r"[\s.\-]", "", raw).upper()
    if not number:
        return ""
    if len(number) > VAT_MAX or not number.isalnum():
        raise DomainError(
            _l("Enter the VAT number with letters and digits only, at most %(n)d.", n=VAT_MAX),
            field="vat_number",
        )
    northern_ireland = country_code == "GB" and number.startswith("XI")
    if country_code.lower() not in eu_vat.MEMBER_STATES and not northern_ireland:
        return number
    if number[:2].isdigit():
        number = COUNTRY_VAT_PREFIX.get(country_code, country_code) + number
    try:
        number = eu_vat.validate(number)
    except stdnum_errors.ValidationError as error:
        raise DomainError(
            _l(
                "This VAT number is not valid: check its country prefix and digits "
                "(for example FR 40 303 265 045)."
            ),
            field="vat_number",
        ) from error
    prefix = number[:2]
    if VAT_PREFIX_COUNTRY.get(prefix, prefix) != country_code:
        raise DomainError(
            _l("This VAT number is not from the country of the billing address."),
            field="vat_number",
        )
    if prefix == "FR" and siret and number[4:] != siret[:9]:
        raise DomainError(
            _l(
                "This VAT number does not match the SIRET: a French VAT number ends with "
                "the SIREN, the first 9 digits of the SIRET."
            ),
            field="vat_number",
        )
    return number


def check_service_code(raw: str) -> str:
    """A Chorus Pro service code: letters, digits, dashes and underscores, 100 at most."""
    code = raw.strip()
    if len(code) > SERVICE_CODE_MAX:
        raise DomainError(
            _l("This field may not exceed %(n)d characters.", n=SERVICE_CODE_MAX),
            field="service_code",
        )
    if code and not SERVICE_CODE.fullmatch(code):
        raise DomainError(
            _l("A service code has only letters, digits, dashes (-) and underscores (_)."),
            field="service_code",
        )
    return code


def check_invoice_email(raw: str) -> str:
    address = raw.strip()
    if not address:
        return ""
    if len(address) > EMAIL_MAX:
        raise DomainError(
            _l("This field may not exceed %(n)d characters.", n=EMAIL_MAX), field="invoice_email"
        )
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise DomainError(_l("Enter a valid e-mail address."), field="invoice_email") from error


def check_country(raw: str) -> str:
    code = raw.strip().upper()
    if code not in COUNTRIES:
        raise DomainError(_l("Choose a country from the list."), field="country_code")
    return code


# ---------------------------------------------------------------- the whole set


def check(data: BillingData, *, person_name: str) -> dict[str, Any]:
    """The details cleaned and complete for their payer, as column values; or a DomainError.

    * the attendee pays: the name on the invoice (their own name by default)
      and a postal address; no organisation numbers;
    * an employer pays: its legal name and address, then its SIRET if it is
      French, else its VAT number if it is in the EU;
    * a public body pays (an employer on Chorus Pro): its SIRET; the service
      code and the engagement number are asked for by some buyers only.

    The first failing field is reported, with a message saying how to fix it.
    """
    country = check_country(data.country_code)
    values: dict[str, Any] = {
        "payer": data.payer,
        "public_body": data.payer is Payer.EMPLOYER and data.public_body,
        "country_code": country,
        "legal_name": _line(data.legal_name, LEGAL_NAME_MAX, "legal_name"),
    }
    if data.payer is Payer.SELF and not values["legal_name"]:
        values["legal_name"] = person_name[:LEGAL_NAME_MAX]
    _required(values["legal_name"], "legal_name")
    values["street"] = _required(_line(data.street, STREET_MAX, "street"), "street")
    values["postcode"] = _required(check_postcode(data.postcode, country), "postcode")
    values["city"] = _required(_line(data.city, CITY_MAX, "city"), "city")
    values["invoice_email"] = check_invoice_email(data.invoice_email)
    if data.payer is Payer.SELF:
        values.update(siret="", vat_number="", service_code="", order_number="")
        return values
    siret = check_siret(data.siret)
    if not siret and (country == "FR" or values["public_body"]):
        raise DomainError(
            _l("Enter the organisation's SIRET number (14 digits)."),
            field="siret",
        )
    vat_number = check_vat_number(data.vat_number, country, siret)
    if not vat_number and country != "FR" and country.lower() in eu_vat.MEMBER_STATES:
        raise DomainError(
            _l("Enter the organisation's VAT number: it is needed to invoice outside France."),
            field="vat_number",
        )
    values["siret"] = siret
    values["vat_number"] = vat_number
    values["service_code"] = check_service_code(data.service_code)
    values["order_number"] = _line(data.order_number, ORDER_NUMBER_MAX, "order_number")
    return values


def needed(category: TicketCategory, at: datetime) -> bool:
    """Whether a ticket of this category bought at ``at`` is paid for (free ones need none)."""
    return not fees.current_price(category, at).free


def for_registering(
    category: TicketCategory, data: BillingData | None, *, person_name: str, at: datetime
) -> dict[str, Any] | None:
    """The column values to store with a new registration, or None when there are none.

    A free ticket takes none, whatever was typed; an empty set of fields is left
    for later (the private link).
    """
    if data is None or data.blank or not needed(category, at):
        return None
    return check(data, person_name=person_name)


def store_while_pending(registration_id: int, values: dict[str, Any]) -> None:
    """Write a registration's details in one statement, whatever the registration's state.

    ``INSERT ... SELECT ... WHERE <the registration is pending> ON CONFLICT
    (registration_id) DO UPDATE ... WHERE invoiced_at IS NULL``: a new or
    pending registration takes the details typed; a confirmed or waiting one
    keeps those on record (they are changed from the private link), and an
    invoiced one is never touched. Why one statement for all: the registration
    form must do the same work for a known address as for a new one, so that
    its answer time tells nothing (see ``services._submit``).
    """
    table = BillingDetails.__table__
    row = {**values, "registration_id": registration_id, "updated_at": now()}
    columns = list(row)
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    pending = exists().where(
        Registration.__table__.c.id == bindparam("registration_id"),
        Registration.__table__.c.status == RegistrationStatus.PENDING,
    )
    source = select(
        *[bindparam(name, type_=table.c[name].type).label(name) for name in columns]
    ).where(pending)
    stmt = insert(table).from_select(columns, source)
    stmt = stmt.on_conflict_do_update(
        index_elements=["registration_id"],
        set_={name: stmt.excluded[name] for name in columns if name != "registration_id"},
        where=table.c.invoiced_at.is_(None),
    )
    db.session.execute(stmt, row)


# ---------------------------------------------------------------- the private link


def set_billing_details(registration: Registration, data: BillingData) -> list[str]:
    """Enter or change a registration's billing details; returns the fields changed.

    Refused once an invoice was issued (the invoice keeps its own copy, and a
    change would no longer reach it), for a free ticket and for a cancelled
    registration. Audited with the names of the fields changed, never their
    values. One commit.
    """
    if registration.status is RegistrationStatus.CANCELLED:
        raise Conflict(_l("This registration has been cancelled."))
    if not needed(registration.category, registration.created_at):
        raise Conflict(_l("A free ticket needs no billing details."))
    # Locked so that an invoice issued meanwhile cannot miss a change made now.
    row = db.session.scalars(
        db.select(BillingDetails)
        .where(BillingDetails.registration_id == registration.id)
        .with_for_update()
    ).first()
    try:
        if row is not None and row.invoiced_at is not None:
            raise Conflict(FROZEN)
        values = check(data, person_name=registration.full_name)
    except DomainError:
        db.session.rollback()  # nothing changed; the lock goes at once
        raise
    if row is None:
        row = BillingDetails(registration=registration)
        db.session.add(row)
        changed = sorted(name for name in STORED if values[name] not in ("", False))
    else:
        changed = sorted(name for name in STORED if getattr(row, name) != values[name])
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = now()
    if changed:
        record(
            "registration.billing_updated",
            object_type="registration",
            object_id=registration.uid,
            # That they changed, never what they say: names and addresses stay out of the log.
            changes={name: ["…", "…"] for name in changed},
            actor=_attendee_or_current(registration),
        )
    db.session.commit()
    return changed


def _attendee_or_current(registration: Registration) -> Actor:
    actor = current_actor()
    if actor.type == "organiser":
        return actor
    return Actor("attendee", registration.uid, "")


# ---------------------------------------------------------------- erasure and access


def blank(row: BillingDetails) -> None:
    """Blank what names or locates the payer; the payer kind, country and invoice date stay."""
    for name in TYPED:
        setattr(row, name, "")
    row.updated_at = now()


def export(row: BillingDetails | None) -> dict[str, Any] | None:
    """The stored details for the attendee's data export (right of access)."""
    if row is None:
        return None
    return {
        "payer": row.payer.value,
        "public_body": row.public_body,
        **{name: getattr(row, name) for name in ("country_code", *TYPED)},
        "invoiced_at": row.invoiced_at.isoformat() if row.invoiced_at else None,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }
