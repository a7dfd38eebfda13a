"""Registration forms: shape only (lengths, required, choices); the services judge meaning."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from congress.i18n import lazy_gettext as _l
from congress.registration.labels import JOB_ROLE_LABELS, ORGANISATION_TYPE_LABELS
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
