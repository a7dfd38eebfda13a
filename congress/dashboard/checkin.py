"""The check-in desk: scan or type a badge code, or find a person by name.

A keyboard-wedge scanner types the code and Enter into the autofocused field,
so the desk works without JavaScript; ``static/js/checkin.js`` adds a camera
scanner where the browser has ``BarcodeDetector``. Every answer is rendered
server-side with the result panel, and the page costs a constant number of
SQL statements whatever the number of attendees.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, IntegerField, SearchField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from congress.accounts.permissions import Permission
from congress.dashboard.blueprint import bp, needs
from congress.edition.queries import request_event
from congress.i18n import lazy_gettext as _l
from congress.registration import checkin as service
from congress.registration.labels import STATUS_LABELS

Q_MAX = 100


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Scan or type the code.")), Length(max=service.CODE_MAX)],
        render_kw={
            "autofocus": True,
            "autocomplete": "off",
            "autocapitalize": "off",
            "spellcheck": "false",
            "inputmode": "text",
            "maxlength": service.CODE_MAX,
        },
    )


class PickForm(FlaskForm):
    """A "Check in" button of the search results."""

    registration_id = IntegerField(validators=[InputRequired()])
    q = HiddenField(validators=[Length(max=Q_MAX)])


class SearchForm(Form):
    """Search by name (GET, changes nothing: no CSRF token)."""

    q = SearchField(
        _l("Name or organisation"),
        validators=[Length(max=Q_MAX)],
        render_kw={"autocomplete": "off", "maxlength": Q_MAX},
    )


@bp.route("/checkin", methods=["GET", "POST"])
@needs(Permission.CHECK_IN)
def checkin() -> Any:
    event = request_event()
    if event is None:
        abort(404)
    user = current_user._get_current_object()
    code_form = CodeForm()
    result = None
    status = 200
    q = request.args.get("q", "")
    if request.method == "POST":
        if "registration_id" in request.form:
            pick = PickForm()
            if pick.validate_on_submit():
                q = pick.q.data or ""
                result = service.check_in_registration(event, pick.registration_id.data, user=user)
            else:
                status = 400
        elif code_form.validate_on_submit():
            result = service.check_in_code(event, code_form.code.data or "", user=user)
        else:
            status = 400
        if result is not None:
            code_form = CodeForm(formdata=None)  # empty and focused for the next scan
    q = q.strip()[:Q_MAX]
    day = service.today(event)
    found = service.search(event, q) if q else []
    return render_template(
        "dashboard/checkin.html",
        event=event,
        day=day,
        congress_day=day in event.days,
        counts=service.day_counts(event, day),
        code_form=code_form,
        search_form=SearchForm(data={"q": q}),
        q=q,
        found=found,
        checked_in=service.checked_in_on(day, [r.id for r in found]),
        result=result,
        Outcome=service.Outcome,
        Reason=service.Reason,
        status_labels=STATUS_LABELS,
    ), status
