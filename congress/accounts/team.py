"""Team management: inviting organisers, their roles, disabling them, lost second factors.

Why a module of its own: these are an administrator's acts on *other*
accounts, each audited with the administrator as actor (the request's actor,
set by the dashboard guard), while ``accounts.services`` holds what an
organiser does to their own account. Every function validates, changes,
audits and commits once, or raises a ``DomainError`` and changes nothing.

The one rule that guards the whole site: there is always at least one active
administrator. Disabling or demoting an administrator is a single guarded
``UPDATE`` after the active administrators' rows are locked (``FOR UPDATE`` on
PostgreSQL), so two administrators disabling each other at the same instant
cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import aliased

from congress.accounts.models import Invitation, RecoveryCode, Role, User
from congress.accounts.password_policy import check_password
from congress.accounts.passwords import hash_password
from congress.accounts.services import normalise_email
from congress.audit.log import Actor, record
from congress.core import tokens
from congress.core.clock import now
from congress.core.errors import Conflict, DomainError, Expired, NotFound
from congress.core.security_log import log_event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.mail.outbox import render_and_queue

__all__ = [
    "INVITATION_LIFETIME",
    "ROLE_LABELS",
    "InvitationUnusable",
    "LastAdministrator",
    "UnknownInvitation",
    "accept_invitation",
    "change_role",
    "disable",
    "enable",
    "forget_invitations",
    "invitation_for_token",
    "invite",
    "pending_invitations",
    "reset_second_factor",
    "revoke_invitation",
    "set_organisation",
    "team_members",
]

INVITATION_LIFETIME = timedelta(hours=48)
# An invitation names a person by e-mail: once it can no longer be used (accepted,
# withdrawn or expired) it is kept this long for the team page's and audit's sake,
# then forgotten by ``flask congress purge``.
INVITATION_KEPT = timedelta(days=30)

ROLE_LABELS: dict[Role, Any] = {
    Role.ADMIN: _l("Administrator"),
    Role.EDITOR: _l("Programme editor"),
    Role.DESK: _l("Reception desk"),
    Role.REVIEWER: _l("Programme committee reviewer"),
}


class LastAdministrator(Conflict):
    """The change would leave the site without an active administrator."""


class InvitationUnusable(DomainError):
    """An invitation link that can no longer create an account (used or withdrawn)."""

    status_code = 410


class UnknownInvitation(NotFound):
    """No invitation has this token (mistyped, cut, or never issued)."""


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # only here, once: the database keeps its hash


# ---------------------------------------------------------------- reading


def team_members() -> list[User]:
    """Every organiser account, active ones first, then by e-mail."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.email)).all())


def _pending_clause(moment: datetime) -> Any:
    return and_(
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > moment,
    )


def pending_invitations() -> list[Invitation]:
    """Invitations still usable now, soonest to expire first."""
    return list(
        db.session.scalars(
            select(Invitation).where(_pending_clause(now())).order_by(Invitation.expires_at)
        ).all()
    )


# ---------------------------------------------------------------- inviting


def _audit_user(action: str, user: User, changes: dict[str, object] | None = None) -> None:
    record(action, object_type="user", object_id=user.id, changes=changes)


def invite(
    email: str,
    role: Role,
    *,
    invited_by: User | None,
    base_url: str,
    language: str,
) -> IssuedInvitation:
    """Invite ``email`` as ``role``: a 48-hour single-use link, e-mailed through the outbox.

    Refused when an account already has the address (re-inviting cannot take
    over an account). A pending invitation to the same address is revoked, so
    only the newest link works.
    """
    address = normalise_email(email)
    if "@" not in address or len(address) > 254 or address.startswith("@"):
        raise DomainError(_l("Enter a valid e-mail address."), field="email")
    if db.session.scalar(select(User.id).where(User.email == address)) is not None:
        raise Conflict(_l("An account with this e-mail address already exists."), field="email")
    moment = now()
    previous = db.session.scalars(
        select(Invitation).where(Invitation.email == address, _pending_clause(moment))
    ).all()
    for old in previous:
        old.revoked_at = moment
        record(
            "invitation.revoked",
            object_type="invitation",
            object_id=old.id,
            changes={"email": old.email, "reason": "reinvited"},
        )
    token, token_hash = tokens.new_token()
    invitation = Invitation(
        email=address,
        role=role,
        token_hash=token_hash,
        invited_by_id=invited_by.id if invited_by is not None else None,
        created_at=moment,
        expires_at=moment + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    record(
        "account.invited",
        object_type="invitation",
        object_id=invitation.id,
        changes={"email": [None, address], "role": [None, role.value]},
    )
    render_and_queue(
        "team_invitation",
        address,
        kind="team_invitation",
        language=language,
        invitation=invitation,
        role_label=ROLE_LABELS[role],
        inviter=(invited_by.display_name or invited_by.email) if invited_by else "",
        accept_url=f"{base_url.rstrip('/')}/team/invitation/{token}",
        hours=int(INVITATION_LIFETIME.total_seconds() // 3600),
    )
    db.session.commit()
    return IssuedInvitation(invitation, token)


def revoke_invitation(invitation_id: int) -> Invitation:
    """Withdraw a pending invitation: its link stops working at once."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound(_l("This invitation does not exist."))
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise Conflict(_l("This invitation is no longer pending."))
    invitation.revoked_at = now()
    record(
        "invitation.revoked",
        object_type="invitation",
        object_id=invitation.id,
        changes={"email": invitation.email, "reason": "revoked"},
    )
    db.session.commit()
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The pending invitation a link's token opens; refusals say why, in 4xx terms."""
    invitation = None
    if tokens.plausible(token):
        invitation = db.session.scalars(
            select(Invitation).where(Invitation.token_hash == tokens.hash_token(token))
        ).first()
    if invitation is None or not tokens.matches(token, invitation.token_hash):
        log_event("token.rejected", purpose="invitation", reason="unknown")
        raise UnknownInvitation(_l("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            _l("This invitation has already been used. Log in with the account it created.")
        )
    if invitation.revoked_at is not None:
        raise InvitationUnusable(
            _l("This invitation was withdrawn. Ask an administrator for a new one.")
        )
    if invitation.expires_at <= now():
        raise Expired(_l("This invitation has expired. Ask an administrator for a new one."))
    return invitation


def accept_invitation(token: str, display_name: str, password: str) -> User:
    """Create the invited organiser's account; the link works once.

    The invitation is claimed by one guarded ``UPDATE`` (still pending at this
    instant), so two submissions of the same link create one account at most.
    """
    invitation = invitation_for_token(token)
    name = " ".join(display_name.split())[:120]
    if not name:
        raise DomainError(_l("This field is required."), field="display_name")
    check_password(password, [invitation.email, name])
    if db.session.scalar(select(User.id).where(User.email == invitation.email)) is not None:
        raise Conflict(_l("An account with this e-mail address already exists."))
    moment = now()
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, _pending_clause(moment))
        .values(accepted_at=moment)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise InvitationUnusable(
            _l("This invitation has already been used. Log in with the account it created.")
        )
    user = User(
        email=invitation.email,
        display_name=name,
        password_hash=hash_password(password),
        role=invitation.role,
    )
    db.session.add(user)
    db.session.flush()
    invitation.user_id = user.id
    invitation.accepted_at = moment
    actor = Actor("organiser", str(user.id), user.email)
    record(
        "invitation.accepted",
        object_type="invitation",
        object_id=invitation.id,
        changes={"email": user.email, "role": user.role.value},
        actor=actor,
    )
    record(
        "account.created",
        object_type="user",
        object_id=user.id,
        changes={"email": [None, user.email], "role": [None, user.role.value]},
        actor=actor,
    )
    db.session.commit()
    return user


# ---------------------------------------------------------------- changing accounts


def _member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("This organiser account does not exist."))
    return user


def _lock_active_admins() -> None:
    """Lock the active administrators' rows until the commit (PostgreSQL; SQLite serialises)."""
    db.session.execute(
        select(User.id).where(User.role == Role.ADMIN, User.active.is_(True)).with_for_update()
    )


def _another_active_admin(user_id: int) -> Any:
    """``EXISTS`` another active administrator than ``user_id`` (evaluated inside the UPDATE)."""
    other = aliased(User)
    return (
        select(other.id)
        .where(other.role == Role.ADMIN, other.active.is_(True), other.id != user_id)
        .exists()
    )


def _guarded_update(user: User, values: dict[str, Any]) -> None:
    """Apply ``values`` unless ``user`` is the last active administrator; else refuse.

    The guard lives in the statement itself, after the row locks: a refusal
    does not depend on what this process read a moment earlier.
    """
    _lock_active_admins()
    result = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.role != Role.ADMIN, User.active.is_(False), _another_active_admin(user.id)),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise LastAdministrator(
            _l(
                "This is the last active administrator: promote another organiser "
                "to administrator first."
            )
        )
    db.session.refresh(user)


def change_role(user_id: int, role: Role) -> User:
    """Give an organiser another role; the last active administrator keeps theirs."""
    user = _member(user_id)
    before = user.role
    if before is role:
        return user
    values: dict[str, Any] = {"role": role, "session_version": User.session_version + 1}
    if before is Role.ADMIN:
        _guarded_update(user, values)
    else:
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(user)
    _audit_user("account.role_changed", user, {"role": [before.value, role.value]})
    db.session.commit()
    return user


def disable(user_id: int) -> User:
    """Close an account: it can no longer log in and its live sessions end now."""
    user = _member(user_id)
    if not user.active:
        raise Conflict(_l("This account is already disabled."))
    _guarded_update(user, {"active": False, "session_version": User.session_version + 1})
    _audit_user("account.disabled", user, {"active": [True, False]})
    db.session.commit()
    return user


def enable(user_id: int) -> User:
    """Open a disabled account again (with the password and second factor it had)."""
    user = _member(user_id)
    if user.active:
        raise Conflict(_l("This account is already active."))
    user.active = True
    user.failed_logins = 0
    user.locked_until = None
    _audit_user("account.enabled", user, {"active": [False, True]})
    db.session.commit()
    return user


ORGANISATION_MAX = 200


def set_organisation(user_id: int, organisation: str) -> User:
    """Record where an organiser works; blank for none.

    A reviewer never sees the proposals of their own organisation
    (``cfp.review.conflicted`` compares it, folded, with the speakers'), so a
    wrong or missing one here is a conflict of interest left unnoticed.
    """
    user = _member(user_id)
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in organisation).split())
    if len(cleaned) > ORGANISATION_MAX:
        raise DomainError(
            _l("This field may not exceed %(n)d characters.", n=ORGANISATION_MAX),
            field="organisation",
        )
    before = user.organisation
    if before == cleaned:
        return user
    user.organisation = cleaned
    _audit_user("account.organisation_changed", user, {"organisation": [before, cleaned]})
    db.session.commit()
    return user


def reset_second_factor(user_id: int) -> User:
    """Forget a lost second factor: secret and recovery codes go, sessions end.

    An administrator must enrol again at the next login (``needs_totp_setup``);
    other roles log in with their password and may enrol again.
    """
    user = _member(user_id)
    if user.totp_secret is None and user.totp_pending_secret is None:
        raise Conflict(_l("This account has no second factor to reset."))
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = 0
    user.second_factor_failures = 0
    user.second_factor_locked_until = None
    user.session_version += 1
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    _audit_user("account.second_factor_reset", user)
    db.session.commit()
    return user


def forget_invitations() -> int:
    """Delete invitations that ended more than ``INVITATION_KEPT`` ago; how many went.

    An invitation ends when it is accepted, withdrawn or past its expiry; the
    address it names is personal data with no further use (the account, if one
    was made, holds its own copy; the audit trail keeps the acts).
    """
    cutoff = now() - INVITATION_KEPT
    ended = or_(
        Invitation.accepted_at < cutoff,
        Invitation.revoked_at < cutoff,
        Invitation.expires_at < cutoff,
    )
    result = db.session.execute(db.delete(Invitation).where(ended))
    db.session.commit()
    return int(result.rowcount or 0)
