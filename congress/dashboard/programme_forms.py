"""The session (talk) editor form: shape only; conflicts are the programme's rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from congress.i18n import lazy_gettext as _l
from congress.programme.labels import DISCLOSURE_CODES, KIND_LABELS, STATUS_LABELS
from congress.programme.models import Disclosure

REQUIRED = _l("This field is required.")


class TalkForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(REQUIRED), Length(max=300)],
        render_kw={"maxlength": 300},
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, v) for k, v in KIND_LABELS.items()]
    )
    status = SelectField(
        _l("Status"), choices=[SelectChoice(k.value, v) for k, v in STATUS_LABELS.items()]
    )
    disclosure = SelectField(
        _l("Sharing label"),
        choices=[SelectChoice(Disclosure.NONE.value, _l("None"))]
        + [SelectChoice(k.value, v) for k, v in DISCLOSURE_CODES.items()],
    )
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("fr", _l("French")), SelectChoice("en", _l("English"))],
    )
    day = SelectField(_l("Day"), validators=[InputRequired(REQUIRED)])
    starts_at = TimeField(_l("Start (local time)"), validators=[InputRequired(REQUIRED)])
    ends_at = TimeField(_l("End (local time)"), validators=[InputRequired(REQUIRED)])
    room = SelectField(_l("Room"), coerce=int)
    track = SelectField(_l("Track"), coerce=int)
    seat_limit = IntegerField(
        _l("Seat limit (workshops)"), validators=[Optional(), NumberRange(min=1, max=10_000)]
    )
    speakers = SelectMultipleField(_l("Speakers"), coerce=int)
    moderator = SelectField(_l("Moderator (round tables)"), coerce=int)
    abstract = TextAreaField(
        _l("Abstract (Markdown)"), validators=[Length(max=20_000)], render_kw={"rows": 8}
    )
