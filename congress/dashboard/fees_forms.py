"""Forms of the fees pages: the seller's identity and the ticket categories (shape only).

They bound lengths and read dates and whole numbers; everything that has a
meaning (a SIRET's key, a VAT number matching it, an IBAN, a price typed
"280,50", an early-bird price above the price) is judged by the services
``billing.organiser`` and ``registration.categories``, which report every
refused field at once.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.validators import Length, Optional

from congress.billing.organiser import LIMITS, OrganiserData
from congress.i18n import lazy_gettext as _l
from congress.registration.categories import (
    CAPACITY_MAX,
    NAME_MAX,
    POSITION_MAX,
    CategoryData,
)

NUMBER_MAX = 40  # typed numbers (SIRET, IBAN...) with their spaces


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _text(label: Any, maximum: int, **render: Any) -> StringField:
    return StringField(
        label,
        validators=[Length(max=maximum)],
        filters=[_strip],
        render_kw={"maxlength": maximum, **render},
    )


class OrganiserForm(FlaskForm):
    legal_name = _text(_l("Legal name"), LIMITS["legal_name"], autocomplete="organization")
    legal_form = _text(_l("Legal form"), LIMITS["legal_form"])
    share_capital = _text(_l("Share capital"), LIMITS["share_capital"])
    registry = _text(_l("Trade and companies register"), LIMITS["registry"])
    siret = _text(_l("SIRET number"), NUMBER_MAX, inputmode="numeric", autocomplete="off")
    vat_number = _text(_l("VAT number"), NUMBER_MAX, autocomplete="off")
    street = _text(_l("Address"), LIMITS["street"], autocomplete="street-address")
    postcode = _text(_l("Postcode"), 16, autocomplete="postal-code")
    city = _text(_l("City"), LIMITS["city"], autocomplete="address-level2")
    # Checked against the list by the service, whose message says what to do.
    country_code = SelectField(
        _l("Country"), default="FR", validate_choice=False, render_kw={"autocomplete": "country"}
    )
    email = EmailField(
        _l("E-mail"),
        validators=[Length(max=LIMITS["email"])],
        filters=[_strip],
        render_kw={"maxlength": LIMITS["email"], "autocomplete": "email"},
    )
    phone = TelField(
        _l("Telephone"),
        validators=[Length(max=LIMITS["phone"])],
        filters=[_strip],
        render_kw={"maxlength": LIMITS["phone"], "autocomplete": "tel"},
    )
    iban = _text(_l("IBAN"), NUMBER_MAX, autocomplete="off", spellcheck="false")
    bic = _text(_l("BIC"), NUMBER_MAX, autocomplete="off", spellcheck="false")
    bank_name = _text(_l("Bank"), LIMITS["bank_name"])
    late_payment_rate = _text(_l("Late-payment rate (percent a year)"), 10, inputmode="decimal")
    payment_days = _text(_l("Payment term (days)"), 10, inputmode="numeric")
    quote_validity_days = _text(_l("Validity of quotes (days)"), 10, inputmode="numeric")
    invoice_on_confirmation = BooleanField(
        _l("Issue the invoice automatically when a paying registration is confirmed")
    )
    training_declaration = _text(
        _l("Training body's declaration number (NDA)"), NUMBER_MAX, inputmode="numeric"
    )
    signatory = _text(_l("Signatory of certificates"), LIMITS["signatory"])

    def organiser_data(self) -> OrganiserData:
        """The fields as typed, for the service to judge."""
        return OrganiserData(
            **{
                name: getattr(self, name).data or ""
                for name in (
                    "legal_name",
                    "legal_form",
                    "share_capital",
                    "street",
                    "postcode",
                    "city",
                    "country_code",
                    "siret",
                    "vat_number",
                    "registry",
                    "email",
                    "phone",
                    "iban",
                    "bic",
                    "bank_name",
                    "training_declaration",
                    "signatory",
                    "late_payment_rate",
                    "payment_days",
                    "quote_validity_days",
                )
            },
            invoice_on_confirmation=bool(self.invoice_on_confirmation.data),
        )


class CategoryForm(FlaskForm):
    name = _text(_l("Name (French)"), NAME_MAX)
    name_en = _text(_l("Name (English)"), NAME_MAX, lang="en")
    price = _text(_l("Price before tax (euros)"), 20, inputmode="decimal")
    early_price = _text(_l("Early-bird price before tax (euros)"), 20, inputmode="decimal")
    early_last_day = DateField(
        _l("Last day of the early-bird price"),
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )
    # Ranges are the service's to judge, with the other fields; the form reads numbers only.
    capacity = IntegerField(
        _l("Capacity"),
        validators=[Optional()],
        render_kw={"min": 0, "max": CAPACITY_MAX, "inputmode": "numeric"},
    )
    public = BooleanField(_l("Offered on the public registration form"))
    position = IntegerField(
        _l("Display order"),
        validators=[Optional()],
        render_kw={"min": 0, "max": POSITION_MAX, "inputmode": "numeric"},
    )

    def category_data(self) -> CategoryData:
        """The fields as typed, for the service to judge."""
        return CategoryData(
            name=self.name.data or "",
            name_en=self.name_en.data or "",
            price=self.price.data or "",
            early_price=self.early_price.data or "",
            early_last_day=self.early_last_day.data,
            capacity=self.capacity.data,
            public=bool(self.public.data),
            position=self.position.data,
        )
