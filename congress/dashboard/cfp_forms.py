"""The form that opens, moves or closes the edition's call for papers.

The dates are typed as the edition's wall-clock time (a datetime-local control);
the view turns them into UTC instants. The form only checks their shape: both
being present and the closing coming after the opening are the service's rules.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, TextAreaField
from wtforms.validators import Length, Optional

from congress.dashboard.entity_forms import LOCAL_DATETIME_FORMATS, LONG_TEXT_MAX
from congress.i18n import lazy_gettext as _l

_NOT_A_TIME = _l("Enter a date and a time, such as 2014-03-01 09:00.")


def _rules(label: object) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Length(max=LONG_TEXT_MAX)],
        render_kw={"maxlength": LONG_TEXT_MAX, "rows": 8},
    )


class CallForm(FlaskForm):
    opens_at = DateTimeLocalField(
        _l("Proposals accepted from"),
        format=LOCAL_DATETIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=_NOT_A_TIME,
    )
    closes_at = DateTimeLocalField(
        _l("Proposals accepted until"),
        format=LOCAL_DATETIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=_NOT_A_TIME,
    )
    rules = _rules(_l("Rules in French (Markdown)"))
    rules_en = _rules(_l("Rules in English (Markdown)"))
    respond_by = DateTimeLocalField(
        _l("Accepted speakers answer by"),
        format=LOCAL_DATETIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=_NOT_A_TIME,
    )
    speaker_info = _rules(_l("Practical details in French (Markdown)"))
    speaker_info_en = _rules(_l("Practical details in English (Markdown)"))
    technical_setup = _rules(_l("Technical setup in French (Markdown)"))
    technical_setup_en = _rules(_l("Technical setup in English (Markdown)"))
