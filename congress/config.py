"""Configuration from ``CONGRESS_*`` environment variables.

Development runs with no variable set: SQLite and a mail outbox under
``instance/``, and a random secret key kept in ``instance/secret_key`` so that
several processes share it. Production refuses to start on a missing, default
or short secret key rather than sign sessions with a guessable one.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_LENGTH = 32
KNOWN_DEFAULT_SECRETS = frozenset({"", "dev", "change-me", "changeme", "secret", "development"})
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class ConfigError(RuntimeError):
    """The environment cannot run the application safely."""


def _env(environ: Mapping[str, str], name: str, default: str = "") -> str:
    return environ.get(f"CONGRESS_{name}", default)


def _env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _env(environ, name)
    if not raw:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_days(environ: Mapping[str, str], name: str, default: int) -> int:
    """A retention period in days: a whole number of at least one day (unset or empty: default)."""
    raw = _env(environ, name).strip() or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(
            f"CONGRESS_{name} must be a whole number of days (1 or more), not {raw!r}"
        )
    return int(raw)


def _env_email(environ: Mapping[str, str], name: str, default: str) -> str:
    """An e-mail address the privacy notice links to (``mailto:``): one address, no spaces."""
    value = _env(environ, name, default).strip()
    if not EMAIL_SHAPE.fullmatch(value):
        raise ConfigError(f"CONGRESS_{name} must be one e-mail address, not {value!r}")
    return value


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


def _dev_files_key(instance_path: Path) -> str:
    """A per-machine key for the call for papers' files (development and tests only)."""
    key_file = instance_path / "cfp_files_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _files_keys(raw: str) -> str:
    """``CONGRESS_CFP_FILES_KEY``: one or more Fernet keys, comma-separated, newest first."""
    for key in filter(None, (part.strip() for part in raw.split(","))):
        try:
            if len(base64.urlsafe_b64decode(key.encode())) != 32:
                raise ValueError
        except ValueError:
            raise ConfigError(
                "CONGRESS_CFP_FILES_KEY must be Fernet keys (32 bytes, URL-safe base64), "
                'comma-separated (python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())")'
            ) from None
    return raw


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

    files_key = _env(env, "CFP_FILES_KEY").strip()
    if production and not files_key:
        raise ConfigError(
            "CONGRESS_CFP_FILES_KEY must be set in production: the call for papers' "
            "attachments and slides are encrypted with it (a Fernet key)."
        )
    files_key = _files_keys(files_key or _dev_files_key(instance_path))

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
        # The privacy notice (/privacy) names these; set them before going live.
        "CONTROLLER_NAME": _env(
            env,
            "CONTROLLER_NAME",
            "APSSIS (Association pour la sécurité des systèmes d'information de santé)",
        ),
        "CONTROLLER_ADDRESS": _env(
            env, "CONTROLLER_ADDRESS", "1 rue de l'Exemple, 00000 Exempleville, France"
        ),
        "PRIVACY_CONTACT": _env_email(
            env, "PRIVACY_CONTACT", "donnees-personnelles@apssis.example"
        ),
        "DPO_CONTACT": _env_email(env, "DPO_CONTACT", "dpo@apssis.example"),
        # Retention periods: the purge applies them and the privacy notice states them
        # (congress.edition.privacy reads both from here).
        "RETENTION_DAYS": _env_days(env, "RETENTION_DAYS", 365),
        "AUDIT_RETENTION_DAYS": _env_days(env, "AUDIT_RETENTION_DAYS", 365),
        # Stated only: the host's log rotation applies it to the access and security logs.
        "LOG_RETENTION_DAYS": _env_days(env, "LOG_RETENTION_DAYS", 180),
        "MAIL_SERVER": _env(env, "MAIL_SERVER"),
        "MAIL_PORT": int(_env(env, "MAIL_PORT", "25")),
        "MAIL_USERNAME": _env(env, "MAIL_USERNAME"),
        "MAIL_PASSWORD": _env(env, "MAIL_PASSWORD"),
        "MAIL_USE_TLS": _env_bool(env, "MAIL_USE_TLS", False),
        "MAIL_SENDER": _env(env, "MAIL_SENDER", "Congrès APSSIS <no-reply@apssis.example>"),
        # Organisers' messages leave at most this many per minute (congress/messaging).
        "MESSAGE_BATCH": max(1, int(_env(env, "MESSAGE_BATCH", "50"))),
        "RATELIMIT_STORAGE_URI": ratelimit_url,
        "RATELIMIT_ENABLED": _env_bool(env, "RATELIMIT_ENABLED", True),
        "RATELIMIT_REGISTER": _env(env, "RATELIMIT_REGISTER", "10 per minute;60 per hour"),
        "RATELIMIT_TOKEN_PAGES": _env(env, "RATELIMIT_TOKEN_PAGES", "120 per minute"),
        "RATELIMIT_SEARCH": _env(env, "RATELIMIT_SEARCH", "30 per minute"),
        "CACHE_URL": _env(env, "CACHE_URL"),
        "CACHE_REPLAY": _env_bool(env, "CACHE_REPLAY", True),
        # glibc allocator tuning after cold builds (congress/caching/memory.py): opt-in,
        # on unless in development.
        "CACHE_MEMORY_TUNING": _env_bool(env, "CACHE_MEMORY_TUNING", mode != "development"),
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Uploaded images (congress/media): bytes per file; the upload forms alone accept more.
        "MEDIA_MAX_BYTES": int(_env(env, "MEDIA_MAX_BYTES", str(5 * 1024 * 1024))),
        # The call for papers' PDFs (attachments, slides): encryption keys and size.
        "CFP_FILES_KEY": files_key,
        "CFP_FILE_MAX_BYTES": int(_env(env, "CFP_FILE_MAX_BYTES", str(10 * 1024 * 1024))),
        # TLP:RED proposals' material is destroyed this many days after the edition.
        "CFP_RED_DAYS": _env_days(env, "CFP_RED_DAYS", 30),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "WTF_CSRF_TIME_LIMIT": None,
        # Over HTTPS a POST also needs a Referer of this origin (see REFERRER_POLICY in
        # congress/security.py, which makes browsers send one).
        "WTF_CSRF_SSL_STRICT": True,
        "HSTS": _env_bool(env, "HSTS", production),
        "PROXY_COUNT": int(_env(env, "PROXY_COUNT", "0")),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
    }
