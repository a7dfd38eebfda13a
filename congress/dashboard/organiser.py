"""The seller's identity page: who the edition's quotes, invoices and certificates name.

Administrators only (``MANAGE_BILLING``): it holds the bank details invoices ask
payments to be made to. The page shows the stored identity, or empty fields
before the first save, which creates it. Every rule is
``billing.organiser.set_organiser``'s; a refusal shows beside each field it
names, with what was typed kept.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale

from congress.accounts.permissions import Permission
from congress.billing.organiser import from_row, set_organiser
from congress.core.errors import DomainError
from congress.core.field_errors import refusals
from congress.dashboard.actions import show_error
from congress.dashboard.blueprint import bp, needs
from congress.dashboard.fees_forms import OrganiserForm
from congress.edition.queries import current_event_or_404, organiser_of
from congress.extensions import db
from congress.i18n import gettext as _
from congress.registration.forms import country_choices


@bp.route("/organiser", methods=["GET", "POST"])
@needs(Permission.MANAGE_BILLING)
def organiser() -> Any:
    event = current_event_or_404()
    stored = organiser_of(event)
    if request.method == "POST":
        form = OrganiserForm()
    else:
        form = OrganiserForm(data=asdict(from_row(stored)))
    form.country_code.choices = country_choices(str(get_locale() or "fr"))
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 400
        else:
            try:
                set_organiser(event, form.organiser_data())
            except DomainError as error:
                db.session.rollback()
                for refusal in refusals(error):
                    show_error(form, refusal.field, refusal.message)
                status = error.status_code
            else:
                flash(_("The organiser's identity is saved."), "success")
                return redirect(url_for("dashboard.organiser"))
    return render_template(
        "dashboard/organiser.html", event=event, form=form, stored=stored
    ), status
