"""Public registration pages and the attendee's private pages under ``/r/<token>``.

Links in e-mails never change anything on GET: hospital mail gateways open
every link to scan it, so confirming, cancelling and erasing ask for a button
press (POST with CSRF). Every page reached through a token is ``no-store``.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from datetime import date
from typing import Any

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from wtforms import SelectChoice

from congress.calendar.discovery import webcal
from congress.calendar.exporters.base import Audience
from congress.calendar.views import render_export
from congress.core.clock import now
from congress.core.errors import DomainError
from congress.core.forms import ButtonForm, show_refusals
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404
from congress.extensions import limiter
from congress.i18n import lazy_gettext as _l
from congress.programme import queries as programme_queries
from congress.programme.models import Talk, TalkStatus
from congress.registration import (
    billing_details,
    capacity,
    certificates,
    fees,
    panels,
    services,
)
from congress.registration.agenda import AgendaClash, ClashChoice, clashes
from congress.registration.forms import (
    BillingForm,
    DetailsForm,
    RegistrationForm,
    RegistrationWithBillingForm,
    country_choices,
)
from congress.registration.labels import STATUS_LABELS
from congress.registration.models import (
    JobRole,
    OrganisationType,
    Registration,
    RegistrationStatus,
    TokenPurpose,
)
from congress.typography import long_date

bp = Blueprint("registration", __name__)

# Per client address; the values come from the configuration so a load test or
# a congress behind a large hospital NAT can tune them without a code change.
limiter.limit(lambda: current_app.config["RATELIMIT_TOKEN_PAGES"])(bp)


def _language() -> str:
    return str(get_locale() or "fr")


def _day_choices(event: Event) -> list[SelectChoice]:
    return [SelectChoice(day.isoformat(), long_date(day)) for day in event.days]


def _category_choices(event: Event) -> list[SelectChoice]:
    language = _language()
    moment = now()
    choices = []
    for category in services.public_categories(event):
        label = f"{category.label(language)} – {fees.price_text(category, moment)}"
        if category.seats_left == 0:
            label += " – " + str(_l("full: waiting list"))
        choices.append(SelectChoice(category.id, label))
    return choices


def _free_category_ids(event: Event) -> list[int]:
    """Tickets that need no billing details: static/js/billing.js folds the fields away."""
    moment = now()
    return [
        category.id
        for category in services.public_categories(event)
        if not billing_details.needed(category, moment)
    ]


def _data_from(form: DetailsForm, *, category_id: int = 0, email: str = "") -> Any:
    return services.RegistrationData(
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or "",
        email=email,
        organisation=form.organisation.data or "",
        organisation_type=OrganisationType(form.organisation_type.data),
        job_role=JobRole(form.job_role.data),
        category_id=category_id,
        days=[date.fromisoformat(value) for value in form.days.data or []],
        privacy_consent=bool(getattr(form, "privacy_consent", None) and form.privacy_consent.data)
        or not isinstance(form, RegistrationForm),
        accessibility_needs=form.accessibility_needs.data or "",
        dietary_needs=form.dietary_needs.data or "",
        needs_consent=bool(form.needs_consent.data),
        newsletter=bool(form.newsletter.data),
    )


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTER"], methods=["POST"])
def register() -> Any:
    event = current_event_or_404()
    form = RegistrationWithBillingForm()
    form.days.choices = _day_choices(event)
    form.category.choices = _category_choices(event)
    form.country_code.choices = country_choices(_language())
    is_open = event.registration_open(now())
    status = 200
    if not is_open:
        return render_template("registration/closed.html", event=event), 409
    if request.method == "POST":
        if form.validate_on_submit():
            data = _data_from(form, category_id=form.category.data, email=form.email.data)
            data.billing = form.billing_data()
            try:
                services.register(event, data, language=_language())
            except DomainError as error:
                show_refusals(form, error)
                status = error.status_code
            else:
                return redirect(url_for("registration.sent"))
        else:
            status = 400
    free = _free_category_ids(event)
    return render_template(
        "registration/register.html",
        event=event,
        form=form,
        show_billing=len(free) < len(form.category.choices),
        free_categories=" ".join(str(category_id) for category_id in free),
    ), status


@bp.get("/register/sent")
def sent() -> str:
    return render_template("registration/sent.html", event=current_event_or_404())


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> Any:
    event = current_event_or_404()
    registration = services.find_by_token(token, TokenPurpose.CONFIRM)
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        outcome = services.confirm(token)
        if outcome.manage_token:
            flash(
                STATUS_LABELS[outcome.registration.status],
                "success"
                if outcome.registration.status is RegistrationStatus.CONFIRMED
                else "info",
            )
            return redirect(url_for("registration.manage", token=outcome.manage_token))
        return render_template("registration/already_confirmed.html", event=event)
    if registration.status is not RegistrationStatus.PENDING:
        return render_template("registration/already_confirmed.html", event=event)
    return render_template(
        "registration/confirm.html", event=event, form=form, registration=registration
    ), (400 if request.method == "POST" else 200)


def _managed(token: str) -> Registration:
    return services.find_by_token(token, TokenPurpose.MANAGE)


@bp.get("/r/<token>")
def manage(token: str) -> str:
    registration = _managed(token)
    event = registration.event
    return render_template(
        "registration/manage.html",
        event=event,
        registration=registration,
        # What they owe is the price when they registered (early-bird included).
        price_text=fees.price_text(registration.category, registration.created_at),
        token=token,
        status_label=STATUS_LABELS[registration.status],
        feed_url=_feed_url(registration),
        form=ButtonForm(),
        panels=panels.for_registration(registration),
        billing_needed=billing_details.needed(registration.category, registration.created_at),
        certificate_available=certificates.available(registration),
    )


def _feed_url(registration: Registration) -> str:
    return f"{current_app.config['BASE_URL']}/r/{services.feed_token(registration)}/agenda.ics"


@bp.route("/r/<token>/edit", methods=["GET", "POST"])
def edit(token: str) -> Any:
    registration = _managed(token)
    event = registration.event
    form = DetailsForm(obj=None if request.method == "POST" else registration)
    form.days.choices = _day_choices(event)
    if request.method == "GET":
        form.organisation_type.data = registration.organisation_type.value
        form.job_role.data = registration.job_role.value
        form.days.data = [day.isoformat() for day in registration.days]
        form.needs_consent.data = registration.needs_consent_at is not None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.update_details(registration, _data_from(form))
            except DomainError as error:
                show_refusals(form, error)
                status = error.status_code
            else:
                flash(_l("Your details have been saved."), "success")
                return redirect(url_for("registration.manage", token=token))
        else:
            status = 400
    return render_template(
        "registration/edit.html", event=event, form=form, registration=registration, token=token
    ), status


@bp.route("/r/<token>/billing", methods=["GET", "POST"])
def billing(token: str) -> Any:
    """Who pays and where the invoice goes: editable until an invoice is issued, then shown."""
    registration = _managed(token)
    event = registration.event
    row = registration.billing
    stored = None if request.method == "POST" or row is None else billing_details.from_row(row)
    form = BillingForm(data=asdict(stored) if stored else None)
    form.country_code.choices = country_choices(_language())
    frozen = row is not None and row.invoiced_at is not None
    needed = billing_details.needed(registration.category, registration.created_at)
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 400
        else:
            try:
                billing_details.set_billing_details(registration, form.billing_data())
            except DomainError as error:
                show_refusals(form, error)
                status = error.status_code
            else:
                flash(_l("Your billing details have been saved."), "success")
                return redirect(url_for("registration.manage", token=token))
    return render_template(
        "registration/billing.html",
        event=event,
        registration=registration,
        token=token,
        form=form,
        details=row,
        frozen=frozen,
        needed=needed,
        frozen_message=billing_details.FROZEN,
    ), status


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str) -> Any:
    registration = _managed(token)
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        services.cancel(registration)
        return render_template("registration/cancelled.html", event=registration.event)
    return render_template(
        "registration/cancel.html", event=registration.event, form=form, token=token
    ), (400 if request.method == "POST" else 200)


@bp.route("/r/<token>/erase", methods=["GET", "POST"])
def erase(token: str) -> Any:
    registration = _managed(token)
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        event = registration.event
        services.erase(registration)
        return render_template("registration/erased.html", event=event)
    return render_template(
        "registration/erase.html", event=registration.event, form=form, token=token
    ), (400 if request.method == "POST" else 200)


@bp.get("/r/<token>/data.json")
def data_json(token: str) -> Response:
    registration = _managed(token)
    body = json.dumps(services.export_data(registration), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-registration.json"'
    return response


@bp.get("/r/<token>/certificate.pdf")
def certificate(token: str) -> Response:
    """The attendance certificate, once checked in; a translated 404 page before."""
    registration = _managed(token)
    body = certificates.certificate_pdf(registration)
    response = Response(body, mimetype="application/pdf")
    name = certificates.filename(registration)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/r/<token>/qr.svg")
def qr_svg(token: str) -> Response:
    registration = _managed(token)
    if registration.status is not RegistrationStatus.CONFIRMED:
        abort(404)
    qr = segno.make(services.checkin_code(registration), error="m")
    # A standalone document: the XML declaration and the SVG namespace, without which
    # an <img> shows nothing (0 x 0) and an image viewer refuses the downloaded file.
    document = io.BytesIO()
    qr.save(
        document,
        kind="svg",
        scale=6,
        border=2,
        title=str(_l("Check-in code")),
        xmldecl=True,
        svgns=True,
        encoding="utf-8",
    )
    return Response(document.getvalue(), mimetype="image/svg+xml")


@bp.get("/r/<token>/print")
def print_page(token: str) -> str:
    registration = _managed(token)
    return render_template(
        "registration/print.html",
        event=registration.event,
        registration=registration,
        token=token,
        status_label=STATUS_LABELS[registration.status],
        code=services.checkin_code(registration)
        if registration.status is RegistrationStatus.CONFIRMED
        else None,
    )


@bp.route("/r/<token>/agenda", methods=["GET", "POST"])
def agenda(token: str) -> Any:
    registration = _managed(token)
    event = registration.event
    form = ButtonForm()
    status = 200
    pending_clash: tuple[Talk, list[Talk]] | None = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        talk_id = request.form.get("talk", type=int)
        action = request.form.get("action")
        choice = request.form.get("clash", ClashChoice.ASK.value)
        if talk_id is None or action not in {"add", "remove"} or choice not in set(ClashChoice):
            abort(400)
        try:
            if action == "add":
                talk = next((t for t in programme_queries.talks_of(event, [talk_id])), None)
                if talk is None:
                    abort(404)
                services.add_to_agenda(registration, talk, on_clash=ClashChoice(choice))
                flash(_l("“%(title)s” is in your agenda.", title=talk.title), "success")
            else:
                services.remove_from_agenda(registration, talk_id)
                flash(_l("The session has been removed from your agenda."), "success")
        except AgendaClash as clash:
            # Not flashed: the page itself asks which to keep, next to the session.
            pending_clash = (talk, clash.clashing)
            status = clash.status_code
        except DomainError as error:
            flash(error.message, "error")
            status = error.status_code
        else:
            return redirect(url_for("registration.agenda", token=token))
    talks = programme_queries.published_talks(event)
    chosen = {item.talk_id for item in registration.agenda}
    overlaps = clashes([t for t in talks if t.id in chosen and t.status is TalkStatus.CONFIRMED])
    limited = [t.id for t in talks if t.seat_limit]
    taken = capacity.seats_taken(limited)
    return render_template(
        "registration/agenda.html",
        event=event,
        registration=registration,
        token=token,
        talks=[t for t in talks if t.kind.value not in ("break",)],
        chosen=chosen,
        overlaps=overlaps,
        pending_clash=pending_clash,
        taken=taken,
        form=form,
        feed_url=_feed_url(registration),
        webcal_url=webcal(_feed_url(registration)),
        confirmed=registration.status is RegistrationStatus.CONFIRMED,
        cancelled_status=TalkStatus.CANCELLED,
    ), status


@bp.post("/r/<token>/agenda/feed")
def reissue_feed(token: str) -> Response:
    registration = _managed(token)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    services.reissue_feed(registration)
    flash(_l("A new agenda link has been made; the old one no longer works."), "success")
    return redirect(url_for("registration.agenda", token=token))


@bp.get("/r/<token>/agenda.ics")
def agenda_feed(token: str) -> Response:
    """The attendee's own feed: follows programme changes, includes restricted abstracts."""
    registration = services.find_by_token(token, TokenPurpose.FEED)
    event = registration.event
    talks = programme_queries.talks_of(event, [item.talk_id for item in registration.agenda])
    return render_export(
        "ics",
        event,
        "agenda",
        str(_l("%(name)s – my agenda", name=event.acronym or event.name)),
        talks,
        audience=Audience.ATTENDEE,
    )
