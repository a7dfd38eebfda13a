"""Ticket categories: the list with each price as attendees read it, a form to add or edit.

Why separate from the registrations page: that page is the desk's (it shows who
registered); setting prices is the edition's set-up (``EDIT_EVENT``). Every rule
is ``registration.categories``' (prices typed in euros, early-bird until the end
of a day in the edition's zone, capacity through the waiting list); a refusal
shows beside each field it names, with what was typed kept.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_babel import get_locale

from congress.accounts.permissions import Permission
from congress.core.clock import now
from congress.core.errors import NotFound
from congress.dashboard.actions import save_form
from congress.dashboard.blueprint import bp, needs
from congress.dashboard.fees_forms import CategoryForm
from congress.edition.queries import current_event_or_404
from congress.i18n import gettext as _
from congress.registration import categories, fees, queries


def _language() -> str:
    return str(get_locale() or "fr")


@bp.get("/categories")
@needs(Permission.EDIT_EVENT)
def categories_list() -> str:
    event = current_event_or_404()
    moment = now()
    rows = [
        (category, fees.price_text(category, moment), fees.early_last_day(category))
        for category in queries.categories(event)
    ]
    return render_template("dashboard/categories.html", event=event, rows=rows)


@bp.route("/categories/new", methods=["GET", "POST"])
@needs(Permission.EDIT_EVENT)
def category_new() -> Any:
    event = current_event_or_404()
    form = CategoryForm() if request.method == "POST" else CategoryForm(data={"public": True})
    status = 200
    if request.method == "POST":
        result = save_form(
            form,
            lambda: categories.create_category(event, form.category_data()),
            lambda: _("Ticket category “%(name)s” added.", name=form.name.data),
            url_for("dashboard.categories_list"),
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template(
        "dashboard/category_form.html", event=event, form=form, category=None, price_line=None
    ), status


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@needs(Permission.EDIT_EVENT)
def category_edit(category_id: int) -> Any:
    event = current_event_or_404()
    try:
        category = categories.get_category(event, category_id)
    except NotFound:
        abort(404)
    if request.method == "POST":
        form = CategoryForm()
    else:
        form = CategoryForm(data=categories.from_row(category, _language()))
    status = 200
    if request.method == "POST":
        result = save_form(
            form,
            lambda: categories.update_category(category, form.category_data()),
            lambda: _("Ticket category “%(name)s” saved.", name=form.name.data),
            url_for("dashboard.categories_list"),
        )
        if not isinstance(result, int):
            return result
        status = result
        category = categories.get_category(event, category_id)  # as stored, after the rollback
    return render_template(
        "dashboard/category_form.html",
        event=event,
        form=form,
        category=category,
        price_line=fees.price_text(category, now()),
    ), status
