"""Public pages of the site as a whole: the home page and practical information.

The home page moved here from ``edition`` because it now shows what lies above
the edition (registration state, key figures of the programme, highlighted
sessions); its URL stays ``/``. Neither page is in the programme's page cache:
the registration state changes with every registration, and content edits
do not bump the programme version. Both cost a fixed number of statements.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import get_locale

from congress.core.clock import now
from congress.edition.queries import current_event_or_404, request_event
from congress.partners import queries as partners_queries
from congress.programme import queries as programme_queries
from congress.programme.labels import KIND_TEXT
from congress.site import queries
from congress.site.sections import HOME, PRACTICAL, Section

bp = Blueprint("site", __name__)


def _language() -> str:
    return str(get_locale() or "fr")


def _shown(section: Section, saved: dict[str, Any], language: str) -> dict[str, Any]:
    """A section as a page shows it: title, anchor, Markdown text, French fallback flag."""
    row = saved.get(section.key)
    text, fallback = row.text(language) if row is not None else ("", False)
    return {
        "key": section.key,
        "title": section.title,
        "anchor": section.anchor,
        "text": text,
        "fallback": fallback,
    }


@bp.get("/")
def home() -> str:
    # Read here, not only in the layout (which tolerates a database outage so that
    # error pages render): an outage must answer 503, not "no edition yet".
    event = request_event()
    if event is None:
        return render_template("site/home.html", event=None)
    language = _language()
    return render_template(
        "site/home.html",
        event=event,
        why=_shown(HOME, queries.sections(event), language),
        registration=queries.registration_state(event, now()),
        figures=queries.figures(event),
        highlights=queries.highlights(event),
        partners=partners_queries.published_partners(event),
        language=language,
        kind_labels=KIND_TEXT,
    )


@bp.get("/infos-pratiques")
def practical() -> str:
    """Venue, rooms, map, travel, accessibility, stay, meals, Wi-Fi, contact, what to bring."""
    event = current_event_or_404()
    language = _language()
    saved = queries.sections(event)
    return render_template(
        "site/practical.html",
        event=event,
        sections=[_shown(section, saved, language) for section in PRACTICAL],
        rooms=programme_queries.rooms(event),
    )
