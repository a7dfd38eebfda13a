"""Dashboard home: the edition at a glance."""

from __future__ import annotations

from flask import abort, render_template

from congress.accounts.permissions import Permission
from congress.dashboard.blueprint import bp, needs
from congress.edition.queries import request_event
from congress.registration import queries as registration_queries


@bp.get("/")
@needs(Permission.VIEW_DASHBOARD)
def index() -> str:
    event = request_event()
    if event is None:
        abort(404)
    return render_template(
        "dashboard/index.html", event=event, counts=registration_queries.category_counts(event)
    )
