"""Registration forms: shape only (lengths, required, choices); the services judge meaning."""

from __future__ import annotations

from typing import Any

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from congress.i18n import lazy_gettext as _l
from congress.registration import billing_details as billing
from congress.registration.labels import JOB_ROLE_LABELS, ORGANISATION_TYPE_LABELS
from congress.registration.models import Payer
from congress.registration.services import NAME_MAX, NEEDS_MAX, ORGANISATION_MAX

REQUIRED = _l("This field is required.")


def email_syntax(form: FlaskForm, field: Any) -> None:
    """Report a malformed address with the other field errors, in one round trip."""
    if field.data:
        try:
            validate_email(field.data.strip(), check_deliverability=False)
        except EmailNotValidError as error:
            raise ValidationError(str(_l("Enter a valid e-mail address."))) from error


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DetailsForm(FlaskForm):
    """Fields an attendee may change later from the management page."""

    first_name = StringField(
        _l("First name"),
        validators=[DataRequired(REQUIRED), Length(max=NAME_MAX)],
        render_kw={"autocomplete": "given-name", "maxlength": NAME_MAX},
    )
    last_name = StringField(
        _l("Last name"),
        validators=[DataRequired(REQUIRED), Length(max=NAME_MAX)],
        render_kw={"autocomplete": "family-name", "maxlength": NAME_MAX},
    )
    organisation = StringField(
        _l("Organisation"),
        validators=[DataRequired(REQUIRED), Length(max=ORGANISATION_MAX)],
        render_kw={"autocomplete": "organization", "maxlength": ORGANISATION_MAX},
    )
    organisation_type = SelectField(
        _l("Type of organisation"),
        choices=[SelectChoice(key.value, label) for key, label in ORGANISATION_TYPE_LABELS.items()],
        validators=[InputRequired(REQUIRED)],
    )
    job_role = SelectField(
        _l("Role"),
        choices=[SelectChoice(key.value, label) for key, label in JOB_ROLE_LABELS.items()],
        validators=[InputRequired(REQUIRED)],
    )
    days = CheckboxesField(_l("Days you will attend"), validators=[InputRequired(REQUIRED)])
    accessibility_needs = TextAreaField(
        _l("Accessibility needs (optional)"),
        validators=[Length(max=NEEDS_MAX)],
        render_kw={"maxlength": NEEDS_MAX, "rows": 3},
    )
    dietary_needs = TextAreaField(
        _l("Dietary needs (optional)"),
        validators=[Length(max=NEEDS_MAX)],
        render_kw={"maxlength": NEEDS_MAX, "rows": 3},
    )
    needs_consent = BooleanField(
        _l(
            "I agree that the organisers keep these needs, which may reveal health information, "
            "to welcome me; they are deleted with my registration."
        )
    )
    newsletter = BooleanField(_l("Send me news of the next editions"), default=False)


class RegistrationForm(DetailsForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(REQUIRED), Length(max=254), email_syntax],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )
    category = RadioField(_l("Ticket"), coerce=int, validators=[InputRequired(REQUIRED)])
    privacy_consent = BooleanField(
        _l(
            "I have read the privacy notice and agree to my data being used to organise "
            "the congress"
        ),
        validators=[DataRequired(_l("You must accept the privacy notice to register."))],
    )


def country_choices(language: str) -> list[SelectChoice]:
    """Countries named in the page's language, France first (most payers are French)."""
    names = Locale.parse(language).territories
    rest = sorted(
        (code for code in billing.COUNTRIES if code != "FR"), key=lambda code: names.get(code, code)
    )
    return [SelectChoice(code, names.get(code, code)) for code in ["FR", *rest]]


class BillingFields(Form):
    """Who pays and where the invoice goes; shared by the registration form and the
    private link's billing page. All optional here: which ones a payer needs is the
    rule of ``billing_details.check``, which also judges the numbers."""

    payer = RadioField(
        _l("Who pays?"),
        choices=[
            SelectChoice(Payer.EMPLOYER.value, _l("My employer or organisation")),
            SelectChoice(Payer.SELF.value, _l("Myself")),
        ],
        default=Payer.EMPLOYER.value,
    )
    public_body = BooleanField(_l("The organisation is a public body (invoice through Chorus Pro)"))
    legal_name = StringField(
        _l("Legal name of the organisation, or name on the invoice"),
        validators=[Optional(), Length(max=billing.LEGAL_NAME_MAX)],
        render_kw={"autocomplete": "billing organization", "maxlength": billing.LEGAL_NAME_MAX},
    )
    siret = StringField(
        _l("SIRET number"),
        validators=[Optional(), Length(max=30)],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "maxlength": 30},
    )
    vat_number = StringField(
        _l("EU VAT number (if any)"),
        validators=[Optional(), Length(max=30)],
        render_kw={"autocomplete": "off", "maxlength": 30},
    )
    street = StringField(
        _l("Billing address"),
        validators=[Optional(), Length(max=billing.STREET_MAX)],
        render_kw={"autocomplete": "billing street-address", "maxlength": billing.STREET_MAX},
    )
    postcode = StringField(
        _l("Postcode"),
        validators=[Optional(), Length(max=billing.POSTCODE_MAX)],
        render_kw={"autocomplete": "billing postal-code", "maxlength": billing.POSTCODE_MAX},
    )
    city = StringField(
        _l("City"),
        validators=[Optional(), Length(max=billing.CITY_MAX)],
        render_kw={"autocomplete": "billing address-level2", "maxlength": billing.CITY_MAX},
    )
    # Checked against the list by the service, whose message says what to do.
    country_code = SelectField(
        _l("Country"),
        default="FR",
        validate_choice=False,
        render_kw={"autocomplete": "billing country"},
    )
    service_code = StringField(
        _l("Chorus Pro service code (if the buyer gives one)"),
        validators=[Optional(), Length(max=billing.SERVICE_CODE_MAX)],
        render_kw={"autocomplete": "off", "maxlength": billing.SERVICE_CODE_MAX},
    )
    order_number = StringField(
        _l("Purchase-order or engagement number (if any)"),
        validators=[Optional(), Length(max=billing.ORDER_NUMBER_MAX)],
        render_kw={"autocomplete": "off", "maxlength": billing.ORDER_NUMBER_MAX},
    )
    invoice_email = EmailField(
        _l("E-mail address for the invoice (optional)"),
        validators=[Optional(), Length(max=254), email_syntax],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )

    def billing_data(self) -> billing.BillingData:
        """The fields as typed, for the service to judge."""
        return billing.BillingData(
            payer=Payer.SELF if self.payer.data == Payer.SELF.value else Payer.EMPLOYER,
            public_body=bool(self.public_body.data),
            legal_name=self.legal_name.data or "",
            siret=self.siret.data or "",
            vat_number=self.vat_number.data or "",
            street=self.street.data or "",
            postcode=self.postcode.data or "",
            city=self.city.data or "",
            country_code=self.country_code.data or "",
            service_code=self.service_code.data or "",
            order_number=self.order_number.data or "",
            invoice_email=self.invoice_email.data or "",
        )


class BillingForm(FlaskForm, BillingFields):
    """The private link's billing page."""


class RegistrationWithBillingForm(RegistrationForm, BillingFields):
    """The public registration form: the attendee's details, then who pays."""
