"""Dashboard forms for rooms, tracks, speakers and the edition's facts (shape only).

They check lengths, presence and formats; the programme services judge meaning
(a capacity that makes no sense, days that would strand sessions, a room still
in use). Limits follow the columns of ``programme.models`` and ``edition.models``.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    ColorField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SearchField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from congress.core.errors import DomainError
from congress.i18n import lazy_gettext as _l
from congress.programme.services import SPEAKER_EMAIL_MAX, SPEAKER_PHONE_MAX, speaker_phone
from congress.registration.forms import email_syntax

REQUIRED = _l("This field is required.")
VAT_RATE_MESSAGE = _l("The VAT rate lies between 0 and 100, with at most two decimals.")
VAT_EXEMPTION_MAX = 200
NAME_MAX = 200
ACRONYM_MAX = 40
CITY_MAX = 80
TIMEZONE_MAX = 64
SHORT_TEXT_MAX = 2_000
LONG_TEXT_MAX = 20_000
CAPACITY_MAX = 100_000
Q_MAX = 100
HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"
# The browser's datetime-local control sends "2014-03-01T09:00"; a typed space also passes.
LOCAL_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _text(label: Any, maximum: int, *, required: bool = False, **render: Any) -> StringField:
    validators: list[Any] = [Length(max=maximum)]
    if required:
        validators.insert(0, DataRequired(REQUIRED))
    return StringField(
        label, validators=validators, filters=[_strip], render_kw={"maxlength": maximum, **render}
    )


def _area(label: Any, maximum: int, rows: int = 4) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Length(max=maximum)],
        filters=[_strip],
        render_kw={"maxlength": maximum, "rows": rows},
    )


class RoomForm(FlaskForm):
    name = _text(_l("Name"), NAME_MAX, required=True)
    capacity = IntegerField(
        _l("Capacity (seats, optional)"),
        validators=[
            Optional(),
            NumberRange(
                min=1, max=CAPACITY_MAX, message=_l("The capacity must be a positive number.")
            ),
        ],
        render_kw={"min": 1, "max": CAPACITY_MAX, "inputmode": "numeric"},
    )


class TrackForm(FlaskForm):
    name = _text(_l("Name"), NAME_MAX, required=True)
    colour = ColorField(
        _l("Colour"),
        default="#4a5568",
        validators=[
            DataRequired(REQUIRED),
            Regexp(HEX_COLOUR, message=_l("Give the colour as #rrggbb, for example #1d4ed8.")),
        ],
        filters=[_lower],
    )
    description = _area(_l("Description (optional)"), SHORT_TEXT_MAX, rows=3)


def phone_syntax(form: FlaskForm, field: Any) -> None:
    """The programme's telephone rule, reported with the other field errors."""
    try:
        speaker_phone(field.data)
    except DomainError as error:
        raise ValidationError(str(error.message)) from error


class SpeakerForm(FlaskForm):
    name = _text(_l("Name"), NAME_MAX, required=True, autocomplete="off")
    position_title = _text(_l("Position (optional)"), NAME_MAX)
    affiliation = _text(_l("Affiliation (optional)"), NAME_MAX)
    bio = _area(_l("Biography (optional, Markdown)"), LONG_TEXT_MAX, rows=6)
    # Private contact details: the same address check as registration's; autocomplete
    # off, since the organiser's own address or number is never the right answer.
    email = EmailField(
        _l("E-mail address (optional)"),
        validators=[Length(max=SPEAKER_EMAIL_MAX), email_syntax],
        filters=[_strip],
        render_kw={"maxlength": SPEAKER_EMAIL_MAX, "autocomplete": "off", "spellcheck": "false"},
    )
    phone = TelField(
        _l("Telephone (optional)"),
        validators=[Length(max=SPEAKER_PHONE_MAX), phone_syntax],
        filters=[_strip],
        render_kw={"maxlength": SPEAKER_PHONE_MAX, "autocomplete": "off"},
    )


IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
CHOOSE_FILE = _l("Choose a file to send.")


class PhotoForm(FlaskForm):
    """A speaker's photo (multipart); the file itself is judged by ``congress.media``."""

    photo = FileField(
        _l("Photo (JPEG, PNG or WebP, 5 MB at most)"),
        validators=[FileRequired(CHOOSE_FILE)],
        render_kw={"accept": IMAGE_ACCEPT},
    )


class SpeakerSearchForm(PlainForm):
    """Search by name or affiliation (GET, changes nothing: no CSRF token)."""

    q = SearchField(
        _l("Name or affiliation"),
        validators=[Length(max=Q_MAX)],
        render_kw={"autocomplete": "off", "maxlength": Q_MAX},
    )


def valid_zone(form: Any, field: Any) -> None:
    """An IANA time-zone name that ``zoneinfo`` can load ("Europe/Paris")."""
    if not field.data:
        return
    try:
        ZoneInfo(field.data)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValidationError(
            _l("Unknown time zone: give an IANA name such as Europe/Paris.")
        ) from error


class EventForm(FlaskForm):
    """The edition's facts; registration times are wall-clock times in its zone."""

    name = _text(_l("Name"), NAME_MAX, required=True)
    acronym = _text(_l("Acronym (optional)"), ACRONYM_MAX)
    venue = _text(_l("Venue"), NAME_MAX, required=True)
    address = _text(_l("Address"), NAME_MAX, required=True)
    city = _text(_l("City"), CITY_MAX, required=True)
    timezone = StringField(
        _l("Time zone"),
        validators=[DataRequired(REQUIRED), Length(max=TIMEZONE_MAX), valid_zone],
        filters=[_strip],
        render_kw={"maxlength": TIMEZONE_MAX, "autocomplete": "off", "spellcheck": "false"},
    )
    first_day = DateField(_l("First day"), validators=[InputRequired(REQUIRED)])
    last_day = DateField(_l("Last day"), validators=[InputRequired(REQUIRED)])
    description = _area(_l("Description in French (Markdown)"), LONG_TEXT_MAX, rows=8)
    description_en = _area(_l("Description in English (Markdown)"), LONG_TEXT_MAX, rows=8)
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens (optional)"),
        format=LOCAL_DATETIME_FORMATS,
        validators=[Optional()],
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes (optional)"),
        format=LOCAL_DATETIME_FORMATS,
        validators=[Optional()],
    )
    # Text, not DecimalField: "5,5" as French people type it is accepted, and the
    # typed value is shown back as typed; registration.fees judges the range.
    vat_rate = StringField(
        _l("VAT rate (%)"),
        validators=[
            Optional(),
            Regexp(r"^\d{1,3}([.,]\d{1,2})?$", message=VAT_RATE_MESSAGE),
        ],
        filters=[_strip],
        render_kw={"maxlength": 6, "inputmode": "decimal", "autocomplete": "off"},
    )
    vat_exemption = _text(_l("VAT exemption mention (optional)"), VAT_EXEMPTION_MAX)
