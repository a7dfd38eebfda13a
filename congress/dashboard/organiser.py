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

from flask import render_template, request, url_for
from flask_babel import get_locale

from congress.accounts.permissions import Permission
from congress.billing.organiser import from_row, set_organiser
from congress.dashboard.actions import save_form
from congress.dashboard.blueprint import bp, needs
from congress.dashboard.fees_forms import OrganiserForm
from congress.edition.queries import current_event_or_404, organiser_of
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
        result = save_form(
            form,
            lambda: set_organiser(event, form.organiser_data()),
            lambda: _("The organiser's identity is saved."),
            url_for("dashboard.organiser"),
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template(
        "dashboard/organiser.html", event=event, form=form, stored=stored
    ), status
