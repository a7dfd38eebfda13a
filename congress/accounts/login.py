"""Flask-Login wiring: identities carry a session version so logout revokes them."""

from __future__ import annotations

from congress.accounts.models import User
from congress.extensions import db, login_manager
from congress.i18n import lazy_gettext as _l


def load_user(identity: str) -> User | None:
    """Resolve ``"<id>:<session_version>"``; a stale version means logged out."""
    user_id, _, version = identity.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def init_login_manager() -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to reach the organisers' area.")
    login_manager.session_protection = "strong"
