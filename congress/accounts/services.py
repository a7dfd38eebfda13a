"""Account rules shared by the CLI, the dashboard and tests."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from congress.accounts import totp
from congress.accounts.models import RecoveryCode, Role, User
from congress.accounts.password_policy import check_password
from congress.accounts.passwords import hash_password, verify_password
from congress.accounts.second_factor_lock import SecondFactorLocked, lock_duration
from congress.audit.log import Actor, record
from congress.core.clock import now
from congress.core.errors import Conflict, DomainError
from congress.core.security_log import log_event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 12
LOCK_AFTER = 5  # failures before the account locks
MAX_LOCK = timedelta(hours=1)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_organiser(email: str, password: str, role: Role, display_name: str = "") -> User:
    """Create an organiser account; refuses weak passwords and duplicates."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise DomainError(_l("Enter a valid e-mail address."), field="email")
    check_password(password, [email, display_name])
    if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
        raise Conflict(_l("An account with this e-mail address already exists."), field="email")
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name or email.split("@", 1)[0],
    )
    db.session.add(user)
    db.session.flush()
    record(
        "account.created",
        object_type="user",
        object_id=user.id,
        changes={"email": [None, email], "role": [None, role.value]},
    )
    db.session.commit()
    return user


def _audit(user: User, action: str, changes: dict[str, object] | None = None) -> None:
    """An entry about the account, made by its own holder (no commit)."""
    actor = Actor("organiser", str(user.id), user.email)
    record(action, object_type="user", object_id=user.id, changes=changes, actor=actor)


@dataclass(frozen=True, slots=True)
class Authentication:
    user: User | None
    needs_second_factor: bool = False


def authenticate(email: str, password: str) -> Authentication:
    """Check a password; same answer and cost whether or not the account exists.

    After ``LOCK_AFTER`` failures in a row the account locks for 1, 2, 4 ...
    minutes (at most an hour); a locked account refuses even the right password,
    and the lock is recorded in the audit log. A correct password clears these
    password failures only: wrong second-factor codes keep counting, or a
    guesser who knows the password could alternate and never be locked.
    """
    address = normalise_email(email)
    user = db.session.scalars(db.select(User).where(User.email == address)).first()
    valid = verify_password(user.password_hash if user else None, password)
    moment = now()
    locked = user is not None and user.locked_until is not None and user.locked_until > moment
    if user is None or not valid or not user.active or locked:
        if user is not None and not locked:
            user.failed_logins += 1
            if user.failed_logins >= LOCK_AFTER:
                minutes = 2 ** min(user.failed_logins - LOCK_AFTER, 6)
                user.locked_until = moment + min(timedelta(minutes=minutes), MAX_LOCK)
                record(
                    "login.locked",
                    object_type="user",
                    object_id=user.id,
                    changes={"failures": user.failed_logins, "minutes": minutes},
                    actor=Actor("anonymous", "", address[:254]),
                )
        record(
            "login.failed",
            object_type="user",
            object_id=user.id if user else "",
            changes={"locked": locked},
            actor=Actor("anonymous", "", address[:254]),
        )
        db.session.commit()
        return Authentication(None)
    user.failed_logins = 0
    user.locked_until = None
    if user.totp_enabled:
        db.session.commit()
        return Authentication(user, needs_second_factor=True)
    _logged_in(user)
    return Authentication(user)


def _logged_in(user: User) -> None:
    user.last_login_at = now()
    _audit(user, "login.succeeded")
    db.session.commit()


def verify_second_factor(user: User, code: str) -> bool:
    """A fresh TOTP code or an unused recovery code completes the login.

    Wrong codes (TOTP and recovery alike) count on the account, whatever the
    address or session; a correct password does not clear them, only a correct
    code or an administrator setting the password. After ``LOCK_AFTER`` in a
    row the second step locks on the schedule of ``accounts.second_factor_lock``;
    while it is locked no code is even checked and ``SecondFactorLocked`` is
    raised, so a guesser learns nothing from the attempt.
    """
    _lock_account_row(user)
    moment = now()
    locked_until = user.second_factor_locked_until
    if locked_until is not None and locked_until > moment:
        _audit(user, "login.second_factor_failed", {"locked": True})
        db.session.commit()
        raise SecondFactorLocked(
            _l(
                "Too many wrong codes: the second step of this account is locked for a while. "
                "Try again later."
            ),
            retry_after=math.ceil((locked_until - moment).total_seconds()),
        )
    if _second_factor_matches(user, code, moment):
        user.second_factor_failures = 0
        user.second_factor_locked_until = None
        _logged_in(user)
        return True
    user.second_factor_failures += 1
    _audit(user, "login.second_factor_failed", {"locked": False})
    lock = lock_duration(user.second_factor_failures)
    if lock is not None:
        user.second_factor_locked_until = moment + lock
        minutes = int(lock.total_seconds()) // 60
        _audit(
            user,
            "login.second_factor_locked",
            {"failures": user.second_factor_failures, "minutes": minutes},
        )
        log_event(
            "login.second_factor_locked",
            user=user.id,
            failures=user.second_factor_failures,
            minutes=minutes,
        )
    db.session.commit()
    return False


def _lock_account_row(user: User) -> None:
    """Reload the account under a row lock (PostgreSQL) for the rest of the transaction.

    Two guesses sent at the same instant from two addresses must not both read
    the same failure count (a lost update would hand out extra tries), nor both
    accept the same TOTP step.
    """
    db.session.execute(
        db.select(User)
        .where(User.id == user.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _second_factor_matches(user: User, code: str, moment: datetime) -> bool:
    """Check the code as TOTP, then as an unused recovery code; consume what matched."""
    secret = totp.unseal(user.totp_secret) if user.totp_secret else None
    step = totp.matching_step(secret, code, moment, user.totp_last_step) if secret else None
    if step is not None:
        user.totp_last_step = step
        return True
    recovery = db.session.scalars(
        db.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == totp.recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
    ).first()
    if recovery is None:
        return False
    recovery.used_at = moment
    _audit(user, "login.recovery_code_used")
    return True


def start_totp_setup(user: User) -> str:
    """A new secret, kept pending until the user proves their app has it."""
    secret = totp.new_secret()
    user.totp_pending_secret = totp.seal(secret)
    db.session.commit()
    return secret


def pending_secret(user: User) -> str | None:
    return totp.unseal(user.totp_pending_secret) if user.totp_pending_secret else None


def confirm_totp_setup(user: User, code: str) -> list[str]:
    """Enable the second factor once a code from the new secret checks; returns recovery codes."""
    secret = pending_secret(user)
    step = totp.matching_step(secret, code, now(), 0) if secret else None
    if secret is None or step is None:
        raise DomainError(_l("This code is not valid. Check your device's clock."), field="code")
    user.totp_secret = totp.seal(secret)
    user.totp_pending_secret = None
    user.totp_last_step = step
    user.totp_enabled_at = now()
    codes = _replace_recovery_codes(user)
    _audit(user, "account.totp_enabled")
    db.session.commit()
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=totp.recovery_hash(code)))
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    codes = _replace_recovery_codes(user)
    _audit(user, "account.recovery_codes_renewed")
    db.session.commit()
    return codes


def disable_totp(user: User) -> None:
    """Turn the second factor off; administrators may not (it is required for them)."""
    if user.role is Role.ADMIN:
        raise DomainError(_l("Administrators must keep a second factor."))
    user.totp_secret = None
    user.totp_pending_secret = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    _audit(user, "account.totp_disabled")
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise DomainError(_l("The current password is wrong."), field="current_password")
    check_password(new, [user.email, user.display_name])
    user.password_hash = hash_password(new)
    user.session_version += 1  # every other session of this account ends
    _audit(user, "account.password_changed")
    db.session.commit()


def end_sessions(user: User) -> None:
    """Invalidate every session of the account (logout, password change)."""
    user.session_version += 1
    _audit(user, "logout")
    db.session.commit()


def needs_totp_setup(user: User) -> bool:
    """Administrators must use a second factor before reaching the dashboard."""
    return user.role is Role.ADMIN and not user.totp_enabled


def set_password(email: str, password: str) -> User:
    """Set an organiser's password from the command line (a forgotten password, an import).

    Ends the account's sessions and clears both locks (password and second
    factor): the command line is how an administrator lets a locked-out
    organiser back in. The policy applies as everywhere.
    """
    user = db.session.scalars(db.select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        raise DomainError(_l("No organiser account has this e-mail address."), field="email")
    check_password(password, [user.email, user.display_name])
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None
    user.second_factor_failures = 0
    user.second_factor_locked_until = None
    record(
        "account.password_set",
        object_type="user",
        object_id=user.id,
        actor=Actor("system", "", "command line"),
    )
    db.session.commit()
    return user
