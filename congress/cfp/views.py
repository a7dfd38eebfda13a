"""Public call-for-papers pages and a proposal's private pages under ``/cfp/s/<token>``.

Like registrations, a link from an e-mail never changes anything on GET (mail
gateways open links to scan them): confirming and withdrawing ask for a button
press (POST with CSRF). Every page under ``/cfp/`` is ``no-store`` and those
reached through a token send ``Referrer-Policy: strict-origin``
(``congress.security``).
"""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from wtforms import SelectChoice

from congress.cfp import services
from congress.cfp.forms import EditForm, ProposalForm, SubmissionForm, co_speaker_numbers
from congress.cfp.labels import LANGUAGE_LABELS, STATUS_LABELS
from congress.cfp.models import SUBMITTABLE_KINDS, CallForPapers, Submission, SubmissionStatus
from congress.cfp.models import SubmissionTokenPurpose as Purpose
from congress.core.clock import now
from congress.core.errors import DomainError
from congress.core.forms import ButtonForm, show_refusals
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404
from congress.extensions import limiter
from congress.i18n import lazy_gettext as _l
from congress.programme import queries as programme_queries
from congress.programme.labels import DISCLOSURE_CODES, DISCLOSURE_HELP, KIND_LABELS

bp = Blueprint("cfp", __name__)

limiter.limit(lambda: current_app.config["RATELIMIT_TOKEN_PAGES"])(bp)

# The forms that carry an attachment: they alone accept a request above MAX_CONTENT_LENGTH.
UPLOAD_ENDPOINTS = frozenset({"cfp.submit", "cfp.manage"})
# Room for the form's other fields and the multipart envelope around the file.
ENVELOPE_BYTES = 1024 * 1024


class UploadTooLarge(DomainError):
    """A request larger than any acceptable attachment: refused before it is read."""

    status_code = 413


def _file_limit() -> int:
    return int(current_app.config["CFP_FILE_MAX_BYTES"])


@bp.url_value_preprocessor
def _upload_limit(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """Let a proposal with its attachment through the 1 MB request limit.

    URL value preprocessors run before every ``before_request`` hook, among them
    the CSRF check that reads the body, so the limit is raised here. A request
    announcing more than that gets the limit's own message (413), unread; one
    that does not announce its length and goes beyond it gets werkzeug's 413.
    """
    if endpoint not in UPLOAD_ENDPOINTS or request.method != "POST":
        return
    request.max_content_length = _file_limit() + ENVELOPE_BYTES
    if (request.content_length or 0) > request.max_content_length:
        raise UploadTooLarge(
            _l(
                "The file is larger than %(n)d MB: nothing was saved. Go back, choose a "
                "smaller PDF and send the form again.",
                n=_file_limit() // (1024 * 1024),
            )
        )


def _file_refused(form: ProposalForm) -> None:
    """A file is never kept when the form comes back: say so beside its field."""
    if form.has_upload():
        form.attachment.errors = [
            *list(form.attachment.errors or []),
            _l("Choose the file again: a file is not kept when the form is sent back."),
        ]


def _language() -> str:
    return str(get_locale() or "fr")


def _track_choices(event: Event) -> list[SelectChoice]:
    return [SelectChoice(0, str(_l("No preference")))] + [
        SelectChoice(track.id, track.name) for track in programme_queries.tracks(event)
    ]


def _labels() -> dict[str, Any]:
    return {
        "kind_labels": KIND_LABELS,
        "disclosure_codes": DISCLOSURE_CODES,
        "disclosure_help": DISCLOSURE_HELP,
        "status_labels": STATUS_LABELS,
        "language_labels": LANGUAGE_LABELS,
    }


def _state(call: CallForPapers | None) -> str:
    """``open``, ``closed`` or ``not_yet``: what the page says about the window."""
    if call is None:
        return "none"
    moment = now()
    if moment >= call.closes_at:
        return "closed"
    return "open" if call.is_open(moment) else "not_yet"


@bp.get("/cfp")
def index() -> str:
    event = current_event_or_404()
    call = services.call_for(event)
    rules = ""
    if call is not None:
        rules = call.rules_en if _language() == "en" and call.rules_en else call.rules
    return render_template(
        "cfp/index.html",
        event=event,
        call=call,
        open=services.is_open(event),
        state=_state(call),
        tracks=programme_queries.tracks(event),
        kinds=SUBMITTABLE_KINDS,
        rules=rules,
        **_labels(),
    )


@bp.route("/cfp/submit", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTER"], methods=["POST"])
def submit() -> Any:
    event = current_event_or_404()
    call = services.call_for(event)
    if not services.is_open(event):
        return render_template("cfp/closed.html", event=event, call=call), 409
    form = SubmissionForm()
    form.track_id.choices = _track_choices(event)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.submit(event, form.submission_data(_file_limit()), language=_language())
            except DomainError as error:
                show_refusals(form, error)
                status = error.status_code
            else:
                return redirect(url_for("cfp.sent"))
        else:
            status = 400
        _file_refused(form)
    return render_template(
        "cfp/submit.html",
        event=event,
        call=call,
        form=form,
        co_speakers=co_speaker_numbers(),
        **_labels(),
    ), status


@bp.get("/cfp/sent")
def sent() -> str:
    return render_template("cfp/sent.html", event=current_event_or_404())


@bp.route("/cfp/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> Any:
    row = services.find_token(token, Purpose.CONFIRM)
    submission = row.submission
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        outcome = services.confirm(token)
        if outcome.manage_token:
            flash(_l("Your proposal has been submitted."), "success")
            return redirect(url_for("cfp.manage", token=outcome.manage_token))
        return render_template("cfp/already_confirmed.html", event=submission.event)
    if row.used_at is not None or submission.status is not SubmissionStatus.PENDING:
        return render_template("cfp/already_confirmed.html", event=submission.event)
    return render_template(
        "cfp/confirm.html", event=submission.event, form=form, submission=submission
    ), (400 if request.method == "POST" else 200)


def _managed(token: str) -> Submission:
    return services.find_token(token, Purpose.MANAGE).submission


def _form_for(submission: Submission) -> EditForm:
    if request.method == "POST":
        form = EditForm()
    else:
        form = EditForm(obj=submission)
        form.remove_attachment.data = False
        form.kind.data = submission.kind.value
        form.disclosure.data = submission.disclosure.value
        form.track_id.data = submission.track_id or 0
    form.track_id.choices = _track_choices(submission.event)
    return form


@bp.route("/cfp/s/<token>", methods=["GET", "POST"])
def manage(token: str) -> Any:
    """The proposal as submitted, its form while it may change, and the way to withdraw it."""
    submission = _managed(token)
    editable = services.editable(submission)
    form = _form_for(submission)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.update(submission, form.proposal_data(_file_limit()))
            except DomainError as error:
                show_refusals(form, error)
                status = error.status_code
            else:
                flash(_l("Your proposal has been saved."), "success")
                return redirect(url_for("cfp.manage", token=token))
        else:
            status = 400
        _file_refused(form)
    return render_template(
        "cfp/manage.html",
        event=submission.event,
        submission=submission,
        token=token,
        form=form,
        editable=editable,
        call=services.call_for(submission.event),
        **_labels(),
    ), status


@bp.get("/cfp/s/<token>/attachment.pdf")
def attachment(token: str) -> Response:
    """The submitter's own attachment, as a download (never shown inline)."""
    submission = _managed(token)
    data = services.read_attachment(submission)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{submission.attachment_name or "attachment.pdf"}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/cfp/s/<token>/data.json")
def data(token: str) -> Response:
    """Everything the site holds on the proposal, as JSON (access and portability)."""
    submission = _managed(token)
    body = json.dumps(services.export_data(submission), ensure_ascii=False, indent=1)
    response = Response(body + "\n", mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="proposal.json"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/cfp/s/<token>/withdraw", methods=["GET", "POST"])
def withdraw(token: str) -> Any:
    submission = _managed(token)
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.withdraw(submission)
        except DomainError as error:
            form.form_errors.append(error.message)
            return render_template(
                "cfp/withdraw.html", event=submission.event, submission=submission, form=form
            ), error.status_code
        flash(_l("Your proposal has been withdrawn."), "info")
        return redirect(url_for("cfp.manage", token=token))
    return render_template(
        "cfp/withdraw.html", event=submission.event, submission=submission, form=form
    ), (400 if request.method == "POST" else 200)


@bp.route("/cfp/speaker-confirm/<token>", methods=["GET", "POST"])
def speaker_confirm(token: str) -> Any:
    row = services.find_token(token, Purpose.COSPEAKER)
    submission = row.submission
    form = ButtonForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.confirm_co_speaker(token)
            except DomainError as error:
                form.form_errors.append(error.message)
                status = error.status_code
        else:
            status = 400
    return render_template(
        "cfp/speaker_confirm.html",
        event=submission.event,
        submission=submission,
        speaker=row.speaker,
        form=form,
        **_labels(),
    ), status
