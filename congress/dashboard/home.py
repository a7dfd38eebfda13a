"""Dashboard home: where are we? The figures an organiser team checks every morning.

Each block shows only to the roles that may see what it counts; every figure
comes from its domain's reads (registration statistics and queries, the
outbox's health, the programme's drafts), a constant number of statements.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, render_template
from flask_babel import format_date, get_locale
from flask_login import current_user

from congress.accounts.permissions import Permission, can
from congress.core.clock import now
from congress.dashboard import charts
from congress.dashboard.blueprint import bp, needs
from congress.edition.queries import request_event
from congress.i18n import gettext as _
from congress.mail.queries import delivery_health
from congress.programme import queries as programme_queries
from congress.registration import queries as registration_queries
from congress.registration import stats as registration_stats

TIMELINE_DAYS = 42  # six weeks of registrations on the chart
UNCONFIRMED_AFTER = timedelta(hours=48)


@bp.get("/")
@needs(Permission.VIEW_DASHBOARD)
def index() -> str:
    event = request_event()
    if event is None:
        abort(404)
    user = current_user._get_current_object()
    context: dict[str, Any] = {"event": event}
    if can(user, Permission.VIEW_REGISTRATIONS):
        categories = registration_stats.by_category(event)
        today = now().astimezone(event.zone).date()
        since = today - timedelta(days=TIMELINE_DAYS - 1)
        recent = [
            (row.day, row.new)
            for row in registration_stats.registrations_over_time(event, since=since)
        ]
        context.update(
            categories=categories,
            language=str(get_locale() or "fr"),
            waiting=sum(row.waiting for row in categories),
            workshops=registration_stats.seat_fill(event),
            stale=registration_queries.stale_pending(event, older_than=UNCONFIRMED_AFTER),
            mail=delivery_health(),
            timeline=charts.line_chart(
                _("New registrations per day, last six weeks"),
                recent,
                date_label=lambda day: format_date(day, format="medium"),
                empty_text=_("No registration in the last six weeks."),
            ),
        )
    if can(user, Permission.EDIT_PROGRAMME):
        context["drafts_count"], context["drafts"] = programme_queries.unpublished_changes(event)
    return render_template("dashboard/index.html", **context)
