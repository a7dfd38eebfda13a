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
