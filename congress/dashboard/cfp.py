"""The proposals received by the call for papers, read-only for now (issue 18, slice 1).

Programme editors see every proposal's title, kind, requested label, status and
speakers; abstracts stay on the proposal's own page until review exists.
"""

from __future__ import annotations

from flask import render_template

from congress.accounts.permissions import Permission
from congress.cfp import queries, services
from congress.cfp.labels import STATUS_LABELS
from congress.dashboard.blueprint import bp, needs
from congress.edition.queries import current_event_or_404
from congress.programme.labels import DISCLOSURE_CODES, KIND_LABELS


@bp.get("/cfp")
@needs(Permission.EDIT_PROGRAMME)
def cfp() -> str:
    event = current_event_or_404()
    return render_template(
        "dashboard/cfp.html",
        event=event,
        call=services.call_for(event),
        submissions=queries.submissions(event),
        kind_labels=KIND_LABELS,
        disclosure_codes=DISCLOSURE_CODES,
        status_labels=STATUS_LABELS,
    )
