"""Configuration from ``CONGRESS_*`` environment variables.

Development runs with no variable set: SQLite and a mail outbox under
``instance/``, and a random secret key kept in ``instance/secret_key`` so that
several processes share it. Production refuses to start on a missing, default
or short secret key rather than sign sessions with a guessable one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_LENGTH = 32
KNOWN_DEFAULT_SECRETS = frozenset({"", "dev", "change-me", "changeme", "secret", "development"})


class ConfigError(RuntimeError):
    """The environment cannot run the application safely."""


def _env(environ: Mapping[str, str], name: str, default: str = "") -> str:
    return environ.get(f"CONGRESS_{name}", default)


def _env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _env(environ, name)
    if not raw:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret(instance_path: Path) -> str:
    """A per-machine random key, so development never signs with a known value."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from the environment."""
    env = os.environ if environ is None else environ
    mode = _env(env, "ENV", "development")
    if mode not in {"development", "production", "testing"}:
        raise ConfigError(f"CONGRESS_ENV must be development, production or testing, not {mode!r}")
    production = mode == "production"
    instance_path = Path(_env(env, "INSTANCE_PATH", str(PROJECT_ROOT / "instance"))).resolve()

    secret = _env(env, "SECRET_KEY")
    if production:
        if secret.strip().lower() in KNOWN_DEFAULT_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                "CONGRESS_SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters in production "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
    elif not secret:
        secret = _dev_secret(instance_path)

    database_url = _env(env, "DATABASE_URL") or f"sqlite:///{instance_path / 'congress.sqlite'}"
    ratelimit_url = _env(env, "RATELIMIT_STORAGE_URL", "memory://")
    return {
        "CONGRESS_ENV": mode,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "CONFIRMATION_HOURS": int(_env(env, "CONFIRMATION_HOURS", "48")),
        "BASE_URL": _env(env, "BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        # Suffix of calendar UIDs: part of each UID for the life of a talk, so
        # it must not follow the site's address if that ever moves.
        "UID_DOMAIN": _env(env, "UID_DOMAIN", "congres.apssis"),
        "SECURITY_CONTACT": _env(env, "SECURITY_CONTACT", "mailto:securite@apssis.example"),
        "MAIL_SERVER": _env(env, "MAIL_SERVER"),
        "MAIL_PORT": int(_env(env, "MAIL_PORT", "25")),
        "MAIL_USERNAME": _env(env, "MAIL_USERNAME"),
        "MAIL_PASSWORD": _env(env, "MAIL_PASSWORD"),
        "MAIL_USE_TLS": _env_bool(env, "MAIL_USE_TLS", False),
        "MAIL_SENDER": _env(env, "MAIL_SENDER", "Congrès APSSIS <no-reply@apssis.example>"),
        "RATELIMIT_STORAGE_URI": ratelimit_url,
        "RATELIMIT_ENABLED": _env_bool(env, "RATELIMIT_ENABLED", True),
        "RATELIMIT_REGISTER": _env(env, "RATELIMIT_REGISTER", "10 per minute;60 per hour"),
        "RATELIMIT_TOKEN_PAGES": _env(env, "RATELIMIT_TOKEN_PAGES", "120 per minute"),
        "RATELIMIT_SEARCH": _env(env, "RATELIMIT_SEARCH", "30 per minute"),
        "CACHE_URL": _env(env, "CACHE_URL"),
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "WTF_CSRF_TIME_LIMIT": None,
        "HSTS": _env_bool(env, "HSTS", production),
        "PROXY_COUNT": int(_env(env, "PROXY_COUNT", "0")),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
    }
