"""Time-based one-time passwords (RFC 6238) with pyotp, and recovery codes.

The TOTP secret must be readable to check codes, so it cannot be hashed; it is
encrypted with Fernet under a key derived from the application secret, so a
copy of the database alone does not yield working second factors. Recovery
codes are random, shown once and stored as SHA-256 hashes.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

ISSUER = "Congrès APSSIS"
RECOVERY_CODES = 10
STEP_SECONDS = 30


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"].encode()
    key = hashlib.sha256(b"congress-totp:" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def new_secret() -> str:
    return pyotp.random_base32()


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def matching_step(secret: str, code: str, moment: datetime, last_step: int) -> int | None:
    """The time step a code belongs to (current one or its neighbours), if newer than the last.

    Refusing a step already used stops a code seen over a shoulder from being
    replayed within its validity window.
    """
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = int(moment.timestamp()) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if step > last_step and secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten codes of 80 random bits each, grouped for reading aloud."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes


def recovery_hash(code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()
