"""The speakers' space forms: shape only; ``cfp.space`` decides what the values mean."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from congress.cfp.models import Participation
from congress.cfp.space import BIO_MAX, ORGANISATION_MAX, POSITION_MAX
from congress.i18n import lazy_gettext as _l

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


def _not_longer(limit: int) -> Length:
    return Length(max=limit, message=_l("This field may not exceed %(n)d characters.", n=limit))


class RespondForm(FlaskForm):
    """Confirm or decline one's participation."""

    participation = RadioField(
        _l("Your answer"),
        choices=[
            SelectChoice(Participation.CONFIRMED.value, _l("I confirm I will speak")),
            SelectChoice(Participation.DECLINED.value, _l("I decline: I will not speak")),
        ],
        validators=[InputRequired(_l("Choose whether you confirm or decline."))],
    )


class ProfileForm(FlaskForm):
    """The speaker's public profile, shown on the programme's speaker page."""

    bio = TextAreaField(_l("Biography"), validators=[_not_longer(BIO_MAX)])
    organisation = StringField(_l("Organisation"), validators=[_not_longer(ORGANISATION_MAX)])
    position_title = StringField(_l("Position"), validators=[_not_longer(POSITION_MAX)])
    photo = FileField(
        _l("New photo (JPEG, PNG or WebP, optional)"),
        render_kw={"accept": IMAGE_ACCEPT},
    )


class SlidesForm(FlaskForm):
    """The session's slides, one PDF (a new one replaces the previous)."""

    slides = FileField(
        _l("Slides (PDF)"),
        validators=[FileRequired(_l("Choose a file to send."))],
        render_kw={"accept": "application/pdf,.pdf"},
    )
