"""Dashboard forms (shape only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from congress.i18n import lazy_gettext as _l
from congress.registration.forms import RegistrationForm

REQUIRED = _l("This field is required.")


class ManualRegistrationForm(RegistrationForm):
    """An organiser types a registration in: every category, consent given on paper."""


class MoveForm(FlaskForm):
    category = SelectField(_l("Move to category"), coerce=int, validators=[InputRequired(REQUIRED)])


class CapacityForm(FlaskForm):
    capacity = IntegerField(
        _l("Capacity"), validators=[InputRequired(REQUIRED), NumberRange(min=0, max=100_000)]
    )
