"""The only place where access is decided: a role x permission matrix.

Views and templates ask ``can(user, Permission.X)``; nothing else looks at roles.
Adding a route means naming the permission it needs; a route that names none is
refused by the dashboard guard (default deny).
"""

from __future__ import annotations

import enum
from typing import Any

from congress.accounts.models import Role
from congress.core.errors import Forbidden
from congress.i18n import lazy_gettext as _l


class Permission(enum.StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    EDIT_PROGRAMME = "edit_programme"
    EDIT_EVENT = "edit_event"
    EDIT_PARTNERS = "edit_partners"
    EDIT_SITE_CONTENT = "edit_site_content"  # home and practical pages' texts
    VIEW_REGISTRATIONS = "view_registrations"
    MANAGE_REGISTRATIONS = "manage_registrations"
    VIEW_NEEDS = "view_needs"  # accessibility and dietary needs: health data
    EXPORT_REGISTRATIONS = "export_registrations"
    CHECK_IN = "check_in"
    VIEW_STATS = "view_stats"
    VIEW_AUDIT = "view_audit"
    MANAGE_ACCOUNTS = "manage_accounts"
    SEND_MESSAGES = "send_messages"  # organisers' messages to attendees
    PRINT_BADGES = "print_badges"
    MANAGE_BILLING = "manage_billing"  # invoices, credit notes, payments, the seller's identity
    # Read and score the proposals one is assigned to (cfp.confidentiality decides which).
    REVIEW_PROPOSALS = "review_proposals"
    # Assign reviewers, decide, release decisions, set the speakers' practical details.
    MANAGE_CFP = "manage_cfp"


MATRIX: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.EDITOR: frozenset(
        {
            Permission.VIEW_DASHBOARD,
            Permission.EDIT_PROGRAMME,
            Permission.EDIT_PARTNERS,
            Permission.EDIT_SITE_CONTENT,
            Permission.VIEW_STATS,
            Permission.SEND_MESSAGES,
        }
    ),
    Role.DESK: frozenset(
        {
            Permission.VIEW_DASHBOARD,
            Permission.VIEW_REGISTRATIONS,
            Permission.VIEW_NEEDS,
            Permission.EXPORT_REGISTRATIONS,
            Permission.CHECK_IN,
            Permission.VIEW_STATS,
            Permission.PRINT_BADGES,
        }
    ),
    Role.REVIEWER: frozenset({Permission.VIEW_DASHBOARD, Permission.REVIEW_PROPOSALS}),
}


def can(user: Any, permission: Permission) -> bool:
    """True when an authenticated, active organiser's role grants ``permission``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not getattr(user, "is_active", False):
        return False
    return permission in MATRIX.get(user.role, frozenset())


def require(user: Any, permission: Permission) -> None:
    if not can(user, permission):
        raise Forbidden(_l("Your role does not allow this action."))
