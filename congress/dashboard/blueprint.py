"""The dashboard blueprint and its default-deny guard.

Every request under ``/dashboard`` passes the guard before its view runs: an
anonymous visitor is sent to the login page, and a logged-in organiser reaches
a view only if that view declares a permission (``@needs``) that their role
grants. A view that declares nothing is refused, so a forgotten declaration
fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from congress.accounts.permissions import Permission, can
from congress.accounts.services import needs_totp_setup
from congress.audit.log import Actor, set_actor
from congress.core.errors import Forbidden
from congress.i18n import lazy_gettext as _l

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

F = TypeVar("F", bound=Callable[..., Any])


def needs(permission: Permission) -> Callable[[F], F]:
    """Declare the permission a dashboard view requires."""

    def decorate(view: F) -> F:
        view.required_permission = permission  # type: ignore[attr-defined]
        return view

    return decorate


@bp.before_request
def guard() -> Response | None:
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if needs_totp_setup(current_user):
        return redirect(url_for("accounts.totp_setup"))
    view = current_app.view_functions.get(request.endpoint or "")
    permission = getattr(view, "required_permission", None)
    if permission is None or not can(current_user, permission):
        raise Forbidden(_l("Your role does not allow this action."))
    set_actor(Actor("organiser", str(current_user.id), current_user.email))
    return None


# Dashboard sections in menu order: (endpoint, label).
SECTIONS: tuple[tuple[str, Any], ...] = (
    ("dashboard.index", _l("Overview")),
    ("dashboard.programme", _l("Programme")),
    ("dashboard.rooms", _l("Rooms")),
    ("dashboard.tracks", _l("Tracks")),
    ("dashboard.speakers", _l("Speakers")),
    ("dashboard.partners", _l("Partners")),
    ("dashboard.cfp", _l("Call for papers")),
    ("dashboard.cfp_reviews", _l("Proposals to review")),
    ("dashboard.cfp_ranking", _l("Ranking of proposals")),
    ("dashboard.edit_event", _l("The edition")),
    ("dashboard.site_content", _l("Site pages")),
    ("dashboard.registrations", _l("Registrations")),
    ("dashboard.checkin", _l("Check-in")),
    ("dashboard.invoices", _l("Invoices")),
    ("dashboard.payments", _l("Payments")),
    ("dashboard.messages", _l("Messages")),
    ("dashboard.exports", _l("Exports")),
    ("dashboard.stats", _l("Statistics")),
    ("dashboard.audit", _l("Audit log")),
    ("dashboard.team", _l("Team")),
)


def menu() -> list[tuple[str, Any]]:
    """The sections this organiser may open, as (url, label)."""
    items = []
    for endpoint, label in SECTIONS:
        view = current_app.view_functions.get(endpoint)
        permission = getattr(view, "required_permission", None)
        if permission is not None and can(current_user, permission):
            items.append((url_for(endpoint), label))
    return items


@bp.app_context_processor
def dashboard_helpers() -> dict[str, Any]:
    return {
        "can": lambda permission: can(current_user, permission),
        "Permission": Permission,
        "dashboard_menu": menu,
    }
