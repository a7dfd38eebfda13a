"""``/partenaires``: the edition's published partners, by level.

Not in the programme's page cache: that cache is keyed by the programme
version, which a partner change does not raise. The page is one statement, and
nginx's short cache still serves it to anonymous visitors.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from congress.edition.queries import current_event_or_404
from congress.partners import queries
from congress.partners.labels import HEADING_TEXT, LEVEL_TEXT

bp = Blueprint("partners", __name__)


@bp.record_once
def _label_globals(state) -> None:  # type: ignore[no-untyped-def]
    """Level names as template globals, so the home page's strip macro sees them too."""
    state.app.jinja_env.globals.update(
        partner_level_labels=LEVEL_TEXT, partner_level_headings=HEADING_TEXT
    )


@bp.get("/partenaires")
def index() -> str:
    event = current_event_or_404()
    groups = queries.by_level(queries.published_partners(event))
    return render_template("partners/index.html", event=event, groups=groups)
