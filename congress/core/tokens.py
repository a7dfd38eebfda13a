"""Random capability tokens: at least 128 bits, only their hash is stored.

Tokens are long random strings, not passwords, so a fast hash (SHA-256) is the
right tool: brute force over 192 bits is out of reach, and a stolen database
gives no usable link. Lookups go by hash; the comparison that confirms a match
is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from congress.core.security_log import log_event

Row = TypeVar("Row")

TOKEN_BYTES = 24  # 192 bits
MIN_TOKEN_LENGTH = 22  # 128 bits in URL-safe base64
MAX_TOKEN_LENGTH = 64


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def plausible(token: str) -> bool:
    """Cheap shape check before any database lookup (refuses junk early)."""
    return MIN_TOKEN_LENGTH <= len(token) <= MAX_TOKEN_LENGTH and all(
        ch.isalnum() or ch in "-_" for ch in token
    )


def matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)


def derived_token(secret: str, purpose: str, subject: str, *, nbytes: int = TOKEN_BYTES) -> str:
    """A token computed from a server secret (HMAC-SHA256), never stored in clear.

    Used where a page must show the same link again later (an attendee's feed
    URL, their check-in code): the server recomputes it, the database keeps only
    its hash, and a stolen database alone cannot produce it.
    """
    digest = hmac.new(secret.encode(), f"{purpose}:{subject}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:nbytes]).decode().rstrip("=")


def live_row(
    session: Session, model: type[Row], token: str, purpose: Any, *, label: str
) -> Row | None:
    """The row of ``model`` (a token table: ``token_hash``, ``purpose``, ``revoked_at``)
    that ``token`` opens for ``purpose``, or None, logged as a rejected token.

    Junk, unknown, revoked and wrong-purpose tokens all give None, so a probe learns
    nothing about which links exist; expiry is the caller's (its message differs).
    """
    if not plausible(token):
        log_event("token.rejected", purpose=label, reason="shape")
        return None
    row: Any = session.scalars(
        select(model).where(model.token_hash == hash_token(token))  # type: ignore[attr-defined]
    ).first()
    if (
        row is None
        or row.purpose is not purpose
        or row.revoked_at is not None
        or not matches(token, row.token_hash)
    ):
        log_event("token.rejected", purpose=label, reason="unknown or revoked")
        return None
    return row
