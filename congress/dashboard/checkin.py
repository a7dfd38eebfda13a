"""The check-in desk: scan or type a badge code, or find a person by name.

A keyboard-wedge scanner types the code and Enter into the autofocused field,
so the desk works without JavaScript; ``static/js/checkin.js`` adds a camera
scanner where the browser has ``BarcodeDetector``. Every answer is rendered
server-side with the result panel, and the page costs a constant number of
SQL statements whatever the number of attendees.

``?training=1`` is the rehearsal desk: the same page and answers as on the
congress day chosen (``day=``, default today or the first day), marked on
every side, recording nothing (see ``registration.checkin``).
``/dashboard/checkin/sheet`` prints the alphabetical list for a desk without
network.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, IntegerField, SearchField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from congress.accounts.permissions import Permission
from congress.dashboard.blueprint import bp, needs
from congress.edition.queries import day_of_edition_or_400, request_event
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
    rehearsal = _rehearsal(event)
    code_form = CodeForm()
    result = None
    status = 200
    q = request.args.get("q", "")
    if request.method == "POST":
        if "registration_id" in request.form:
            pick = PickForm()
            if pick.validate_on_submit():
                q = pick.q.data or ""
                result = service.check_in_registration(
                    event, pick.registration_id.data, user=user, rehearsal=rehearsal
                )
            else:
                status = 400
        elif code_form.validate_on_submit():
            result = service.check_in_code(
                event, code_form.code.data or "", user=user, rehearsal=rehearsal
            )
        else:
            status = 400
        if result is not None:
            code_form = CodeForm(formdata=None)  # empty and focused for the next scan
    q = q.strip()[:Q_MAX]
    day = rehearsal or service.today(event)
    found = service.search(event, q) if q else []
    training_args = {"training": 1, "day": day.isoformat()} if rehearsal else {}
    return render_template(
        "dashboard/checkin.html",
        event=event,
        day=day,
        rehearsal=rehearsal,
        desk_url=url_for("dashboard.checkin", **training_args),
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


def _rehearsal(event: Any) -> date | None:
    """The congress day a training desk plays, or None for the real desk; 400 on a bad day."""
    if request.args.get("training") != "1":
        return None
    return _chosen_day(event)


def _chosen_day(event: Any) -> date:
    """``?day=`` when it is a day of the edition (400 otherwise), else today or the first day."""
    wanted = request.args.get("day")
    if not wanted:
        return service.rehearsal_day(event)
    return day_of_edition_or_400(event, wanted)


@bp.get("/checkin/sheet")
@needs(Permission.CHECK_IN)
def desk_sheet() -> Any:
    """The printable list for a desk whose network failed: names, codes' start, a box to tick."""
    event = request_event()
    if event is None:
        abort(404)
    day = _chosen_day(event)
    user = current_user._get_current_object()
    lines = service.desk_sheet(event, day, language=str(get_locale() or "fr"), user=user)
    return render_template("dashboard/desk_sheet.html", event=event, day=day, lines=lines)
