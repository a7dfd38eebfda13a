"""Organisers' registration pages: list, detail with history, manual entry, actions, CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from wtforms import SelectChoice

from congress.accounts.permissions import Permission, can
from congress.audit.log import record
from congress.audit.models import AuditEntry
from congress.core.errors import DomainError
from congress.core.forms import ButtonForm
from congress.core.text import parse_day
from congress.dashboard.actions import button_action, run_flashed, show_refusal
from congress.dashboard.blueprint import bp, needs
from congress.dashboard.forms import CapacityForm, ManualRegistrationForm, MoveForm
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.registration import queries, services
from congress.registration.labels import (
    JOB_ROLE_LABELS,
    ORGANISATION_TYPE_LABELS,
    STATUS_LABELS,
)
from congress.registration.models import (
    JobRole,
    OrganisationType,
    Registration,
    RegistrationStatus,
    TicketCategory,
)


def _filters(event: Event) -> queries.RegistrationFilter:
    status_raw = request.args.get("status", "")
    status = (
        RegistrationStatus(status_raw)
        if status_raw in {s.value for s in RegistrationStatus}
        else None
    )
    category_id = request.args.get("category", type=int)
    return queries.RegistrationFilter(
        q=(request.args.get("q") or "")[:100],
        status=status,
        category_id=category_id,
        day=parse_day(request.args.get("day", "")),
        page=max(1, min(request.args.get("page", 1, type=int) or 1, 10_000)),
    )


def _registration(event: Event, uid: str) -> Registration:
    registration = db.session.scalars(
        db.select(Registration).where(Registration.event_id == event.id, Registration.uid == uid)
    ).first()
    if registration is None:
        abort(404)
    return registration


@bp.get("/registrations")
@needs(Permission.VIEW_REGISTRATIONS)
def registrations() -> str:
    event = current_event_or_404()
    filters = _filters(event)
    return render_template(
        "dashboard/registrations.html",
        event=event,
        filters=filters,
        page=queries.search(event, filters),
        counts=queries.category_counts(event),
        statuses=STATUS_LABELS,
        capacity_form=CapacityForm(),
    )


@bp.get("/registrations/<uid>")
@needs(Permission.VIEW_REGISTRATIONS)
def registration_detail(uid: str) -> str:
    event = current_event_or_404()
    registration = _registration(event, uid)
    show_needs = can(current_user, Permission.VIEW_NEEDS)
    # Reading someone's file (and health-revealing needs) is itself traced.
    record("registration.viewed", object_type="registration", object_id=registration.uid)
    db.session.commit()
    history = db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.object_type == "registration", AuditEntry.object_id == uid)
        .order_by(AuditEntry.seq.desc())
        .limit(200)
    ).all()
    move_form = MoveForm()
    move_form.category.choices = [
        SelectChoice(c.id, c.name)
        for c in queries.categories(event)
        if c.id != registration.category_id
    ]
    return render_template(
        "dashboard/registration.html",
        event=event,
        registration=registration,
        history=history,
        show_needs=show_needs,
        status_label=STATUS_LABELS[registration.status],
        organisation_types=ORGANISATION_TYPE_LABELS,
        job_roles=JOB_ROLE_LABELS,
        move_form=move_form,
        button=ButtonForm(),
    )


@bp.route("/registrations/new", methods=["GET", "POST"])
@needs(Permission.MANAGE_REGISTRATIONS)
def registration_new() -> Any:
    event = current_event_or_404()
    form = ManualRegistrationForm()
    form.days.choices = [SelectChoice(day.isoformat(), day.isoformat()) for day in event.days]
    form.category.choices = [SelectChoice(c.id, c.name) for c in queries.categories(event)]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            data = services.RegistrationData(
                first_name=form.first_name.data or "",
                last_name=form.last_name.data or "",
                email=form.email.data or "",
                organisation=form.organisation.data or "",
                organisation_type=OrganisationType(form.organisation_type.data),
                job_role=JobRole(form.job_role.data),
                category_id=form.category.data,
                days=[date.fromisoformat(value) for value in form.days.data or []],
                privacy_consent=bool(form.privacy_consent.data),
                accessibility_needs=form.accessibility_needs.data or "",
                dietary_needs=form.dietary_needs.data or "",
                needs_consent=bool(form.needs_consent.data),
                newsletter=bool(form.newsletter.data),
            )
            try:
                registration = services.add_by_organiser(
                    event, data, language=str(get_locale() or "fr")
                )
            except DomainError as error:
                status = show_refusal(form, error)
            else:
                flash(_l("Registration added."), "success")
                return redirect(url_for("dashboard.registration_detail", uid=registration.uid))
        else:
            status = 400
    return render_template("dashboard/registration_new.html", event=event, form=form), status


def _act(uid: str, action: Callable[[Registration], object], done: Any) -> Any:
    """One button on a registration's page: run ``action``, then back to that page."""
    registration = _registration(current_event_or_404(), uid)
    return button_action(
        lambda: action(registration),
        done,
        url_for("dashboard.registration_detail", uid=uid),
    )


@bp.post("/registrations/<uid>/cancel")
@needs(Permission.MANAGE_REGISTRATIONS)
def registration_cancel(uid: str) -> Any:
    return _act(uid, services.cancel, _l("Registration cancelled."))


@bp.post("/registrations/<uid>/promote")
@needs(Permission.MANAGE_REGISTRATIONS)
def registration_promote(uid: str) -> Any:
    return _act(uid, services.promote_one, _l("Promoted from the waiting list."))


@bp.post("/registrations/<uid>/move")
@needs(Permission.MANAGE_REGISTRATIONS)
def registration_move(uid: str) -> Any:
    event = current_event_or_404()
    registration = _registration(event, uid)
    form = MoveForm()
    form.category.choices = [SelectChoice(c.id, c.name) for c in queries.categories(event)]
    if not form.validate_on_submit():
        abort(400)
    category = db.session.get(TicketCategory, form.category.data)
    if category is None or category.event_id != event.id:
        abort(400)
    run_flashed(
        lambda: services.move_category(registration, category),
        _l("Moved to %(name)s.", name=category.name),
    )
    return redirect(url_for("dashboard.registration_detail", uid=uid))


@bp.post("/categories/<int:category_id>/capacity")
@needs(Permission.MANAGE_REGISTRATIONS)
def category_capacity(category_id: int) -> Any:
    event = current_event_or_404()
    category = db.session.get(TicketCategory, category_id)
    if category is None or category.event_id != event.id:
        abort(404)
    form = CapacityForm()
    if not form.validate_on_submit():
        flash(_l("The capacity must be a positive number."), "error")
        return redirect(url_for("dashboard.registrations"))
    promoted = services.set_capacity(category, form.capacity.data)
    flash(_l("Capacity saved; %(n)d promoted from the waiting list.", n=len(promoted)), "success")
    return redirect(url_for("dashboard.registrations"))


@bp.get("/registrations.csv")
@needs(Permission.EXPORT_REGISTRATIONS)
def registrations_csv() -> Response:
    """The first release's address of the registrations file, kept for bookmarks.

    It wrote codes, UTC times and English column names that nobody could read in
    a spreadsheet; the file now has one home, ``dashboard.export_registrations``,
    which takes the same filters. 308 keeps the method and the query.
    """
    return redirect(url_for("dashboard.export_registrations", **request.args), code=308)
