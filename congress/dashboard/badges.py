"""Printing badges: the edition's sheets, and one badge at the check-in desk.

``/dashboard/badges.pdf?sort=name|category&category=<id>`` gives A4 sheets of
the confirmed attendees' badges; ``/dashboard/registrations/<uid>/badge.pdf``
gives one attendee's badge, for someone who arrives without one. Both need
``PRINT_BADGES`` (administrators and the desk). The files carry names and
check-in codes: they are audited by the service, never stored by a cache
(``no-store``), and named after the edition only, so a download folder or a
printer queue shows no one's name. The sheets are a file to keep for the
print run (``attachment``); the desk's badge opens in the browser's viewer,
one click from the desk printer (``inline``).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, request
from flask_login import current_user

from congress.accounts.permissions import Permission
from congress.core.errors import DomainError
from congress.dashboard.blueprint import bp, needs
from congress.documents.badges import Badge, render_badges
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404
from congress.i18n import gettext as _
from congress.i18n import lazy_gettext as _l
from congress.registration import badges as service


def _category_id() -> int | None:
    """``?category=`` as an id; absent or empty means every category, anything else is a 400."""
    raw = (request.args.get("category") or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise DomainError(_l("Choose a ticket category from the list."), field="category")
    return int(raw)


def _pdf(event: Event, badges: Sequence[Badge], stem: str, disposition: str) -> Response:
    body = render_badges(
        badges,
        edition_name=event.acronym or event.name,
        title=_("Badges of %(edition)s", edition=event.acronym or event.name),
    )
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'{disposition}; filename="{stem}-{event.slug}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@bp.get("/badges.pdf")
@needs(Permission.PRINT_BADGES)
def badges_pdf() -> Response:
    """The sheets of badges, sorted by name or by category, of one category or all."""
    event = current_event_or_404()
    order = service.parse_order(request.args.get("sort"))
    badges = service.edition_badges(
        event, order=order, category_id=_category_id(), user=current_user
    )
    return _pdf(event, badges, "badges", "attachment")


@bp.get("/registrations/<uid>/badge.pdf")
@needs(Permission.PRINT_BADGES)
def registration_badge(uid: str) -> Response:
    """One attendee's badge, printed at the desk."""
    event = current_event_or_404()
    badge = service.desk_badge(event, uid, user=current_user)
    return _pdf(event, [badge], "badge", "inline")
