"""Account rules shared by the CLI, the dashboard and tests."""

from __future__ import annotations

from congress.accounts.models import Role, User
from congress.accounts.passwords import hash_password, verify_password
from congress.audit.log import Actor, record
from congress.core.clock import now
from congress.core.errors import Conflict, DomainError
from congress.extensions import db
from congress.i18n import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 12


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_organiser(email: str, password: str, role: Role, display_name: str = "") -> User:
    """Create an organiser account; refuses short passwords and duplicates."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise DomainError(_l("Enter a valid e-mail address."), field="email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
        raise Conflict(_l("An account with this e-mail address already exists."), field="email")
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name or email.split("@", 1)[0],
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account matching the credentials, or None; same cost either way."""
    user = db.session.scalars(db.select(User).where(User.email == normalise_email(email))).first()
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.active:
        record(
            "login.failed",
            object_type="user",
            object_id=user.id if user else "",
            actor=Actor("anonymous", "", normalise_email(email)[:254]),
        )
        db.session.commit()
        return None
    user.last_login_at = now()
    record(
        "login.succeeded",
        object_type="user",
        object_id=user.id,
        actor=Actor("organiser", str(user.id), user.email),
    )
    db.session.commit()
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session of the account (logout, password change)."""
    user.session_version += 1
    record(
        "logout",
        object_type="user",
        object_id=user.id,
        actor=Actor("organiser", str(user.id), user.email),
    )
    db.session.commit()
