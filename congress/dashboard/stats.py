"""Statistics of the edition: charts, each with its figures in a table."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import format_date, get_locale
from markupsafe import Markup

from congress.accounts.permissions import Permission
from congress.dashboard import charts
from congress.dashboard.blueprint import bp, needs
from congress.edition.queries import request_event
from congress.i18n import gettext as _
from congress.registration import stats as registration_stats
from congress.registration.labels import JOB_ROLE_LABELS, ORGANISATION_TYPE_LABELS


@bp.get("/stats")
@needs(Permission.VIEW_STATS)
def stats() -> str:
    event = request_event()
    if event is None:
        abort(404)
    figures = registration_stats.edition_stats(event)
    language = str(get_locale() or "fr")
    empty = _("No data yet.")
    chart_set: dict[str, Markup] = {
        "timeline": charts.line_chart(
            _("Active registrations, cumulated by day"),
            [(row.day, row.total) for row in figures.timeline],
            date_label=lambda day: format_date(day, format="medium"),
            empty_text=empty,
        ),
        "categories": charts.bar_chart(
            _("Confirmed registrations against capacity, per category"),
            [(row.label(language), row.capacity) for row in figures.categories],
            paired=[row.confirmed for row in figures.categories],
            legend=(_("Capacity"), _("Confirmed")),
            empty_text=empty,
        ),
        "organisation_types": charts.bar_chart(
            _("Active registrations per type of organisation"),
            [
                (str(ORGANISATION_TYPE_LABELS[row.organisation_type]), row.count)
                for row in figures.organisation_types
            ],
            empty_text=empty,
        ),
        "job_roles": charts.bar_chart(
            _("Active registrations per job"),
            [(str(JOB_ROLE_LABELS[row.job_role]), row.count) for row in figures.job_roles],
            empty_text=empty,
        ),
        "days": charts.bar_chart(
            _("Expected attendees and check-ins, per day"),
            [(format_date(row.day, format="full"), row.expected) for row in figures.days],
            paired=[row.checked_in for row in figures.days],
            legend=(_("Expected"), _("Checked in")),
            empty_text=empty,
        ),
        "workshops": charts.bar_chart(
            _("Seats taken in the sessions with a seat limit, in percent"),
            [(row.title, row.percent) for row in figures.workshops],
            max_value=100,
            unit="\u00a0%" if language == "fr" else "%",
            empty_text=empty,
        ),
    }
    return render_template(
        "dashboard/stats.html",
        event=event,
        figures=figures,
        charts=chart_set,
        language=language,
        organisation_labels=ORGANISATION_TYPE_LABELS,
        job_labels=JOB_ROLE_LABELS,
    )
