"""Organiser accounts.

Attendees never log in: they hold a private link. Only organisers have a
``User`` row, with exactly one role.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from congress.core.clock import now
from congress.core.models import Base, intpk, str_enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    DESK = "desk"
    REVIEWER = "reviewer"  # the programme committee: reviews the proposals assigned to it


class User(UserMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    # The organisation a reviewer works for: a proposal from it is a conflict of
    # interest (``cfp.review``), hidden from them.
    organisation: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raised at logout and password change so a replayed session cookie is refused.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_login_at: Mapped[datetime | None]
    # Second factor: the TOTP secret is kept encrypted (see accounts.totp); the
    # last accepted time step refuses a code replayed within its 30 s window.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_pending_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    # Repeated failures lock the account for a while (progressive, audited).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    # Wrong second-factor codes in a row, kept apart from ``failed_logins`` so a
    # correct password never clears them (see accounts.second_factor_lock).
    second_factor_failures: Mapped[int] = mapped_column(Integer, default=0)
    second_factor_locked_until: Mapped[datetime | None]

    @property
    def totp_enabled(self) -> bool:
        return self.totp_secret is not None

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.active

    def get_id(self) -> str:
        """Session identity: the id and the session version, so logout can revoke."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class RecoveryCode(Base):
    """One-time codes to log in without the authenticator app; only hashes are kept."""

    __tablename__ = "recovery_code"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None]


class Invitation(Base):
    """An organiser invited by e-mail; the link's token is kept only as its hash.

    Pending while none of ``accepted_at`` and ``revoked_at`` is set and
    ``expires_at`` lies ahead; accepting it creates the ``User`` (see
    ``accounts.team``). Rows stay afterwards as the record of who was invited.
    """

    __tablename__ = "invitation"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
