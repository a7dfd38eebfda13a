"""Security plumbing shared by every blueprint: rate-limit breaches, security log
lines, token redaction in logs and response headers.

Security log lines are one JSON object per line on the ``congress.security``
logger: an event name, the path (tokens masked) and the client address, never
a password, token or personal detail beyond that.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Flask, request
from flask_limiter import RequestLimit
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Request, Response

from congress.core.security_log import TOKEN_PREFIXES, log_event, redact, security_log
from congress.extensions import limiter

# Referrer policy (SECURITY.md, "Request forgery"). Browsers must send a same-origin
# Referer and Origin with our forms: Flask-WTF's strict mode refuses a POST over HTTPS
# without a Referer of this origin, and under "no-referrer" a browser sends neither
# (the Fetch standard then serialises a form's Origin as "null"). Public pages send the
# full address to this site only and nothing to others; pages whose address carries a
# token send the bare origin, so the token leaves the page in no header at all.
REFERRER_POLICY = "same-origin"
PRIVATE_LINK_REFERRER_POLICY = "strict-origin"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Strict by design: no inline script or style, nothing from another origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class RedactTokens(logging.Filter):
    """Masks capability tokens in request log lines (Werkzeug's and ours)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            # gunicorn's access log formats with a mapping of its atoms: changed in
            # place, it keeps its class (gunicorn's answers "-" for a missing atom).
            for key, value in record.args.items():
                if isinstance(value, str):
                    record.args[key] = redact(value)
        elif isinstance(record.args, Mapping):
            record.args = {
                key: redact(value) if isinstance(value, str) else value
                for key, value in record.args.items()
            }
        elif record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def on_breach(limit: RequestLimit) -> Response | None:
    """Record a rate-limit hit once per key and minute (a flood must not flood the log)."""
    key = f"breach:{limit.key}"
    try:
        first = limiter.storage.incr(key, 60) == 1
    except Exception:
        first = True
    log_event("ratelimit.hit", limit=str(limit.limit))
    if first:
        from congress.audit.log import Actor, record
        from congress.extensions import db

        try:
            record(
                "ratelimit.hit",
                object_type="path",
                object_id=redact(request.path)[:64],
                changes={"limit": str(limit.limit)},
                actor=Actor("anonymous", "", request.remote_addr or ""),
            )
            db.session.commit()
        except Exception:
            db.session.rollback()
            security_log.exception("ratelimit audit write failed")
    return None


# Organiser pages, exports and everything reached through an attendee token: never
# kept by a browser or a proxy, error answers included.
PRIVATE_PREFIXES = (
    "/dashboard",
    "/account",
    "/login",
    "/logout",
    "/r/",
    "/register",
    "/team/",
    "/cfp/",
    "/speaker/",
)


def refuse_nul_bytes(request: Request) -> None:
    """A NUL byte is never legitimate input, and PostgreSQL refuses it in text:
    answer 400 at the door instead of a database error later.

    A pre-request check (``congress.request_rules``): Flask and the replay layer run it.
    """
    from flask import abort

    if "\x00" in request.path or any(
        "\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)
    ):
        abort(400)
    form_post = request.method == "POST" and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    )
    if form_post and any(
        "\x00" in key or "\x00" in value for key, value in request.form.items(multi=True)
    ):
        abort(400)


def check_origin(request: Request) -> None:
    """Refuse a state-changing request whose ``Origin`` is another site (or ``null``).

    This is the second check beside the CSRF token, and it needs no Referer: every
    current browser sends ``Origin`` with a form POST. A request without the header
    (older clients, scripts) is left to the token and, over HTTPS, to Flask-WTF's
    Referer check.
    """
    if request.method not in UNSAFE_METHODS:
        return
    origin = request.headers.get("Origin")
    if origin is None:
        return
    expected = f"{request.scheme}://{request.host}".lower()
    if origin.strip().lower() != expected:
        raise CSRFError("The origin does not match the host.")


def security_headers(response: Response) -> Response:
    headers = response.headers
    if request.path.startswith(PRIVATE_PREFIXES):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    private_link = request.path.startswith(TOKEN_PREFIXES)
    headers.setdefault(
        "Referrer-Policy", PRIVATE_LINK_REFERRER_POLICY if private_link else REFERRER_POLICY
    )
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    headers.setdefault(
        "Permissions-Policy",
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    )
    headers.setdefault("X-Frame-Options", "DENY")
    from flask import current_app

    if current_app.config.get("HSTS") and request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    headers.pop("Server", None)
    return response


def init_app(app: Flask) -> None:
    # Flask-Limiter's own headers would put Retry-After on every answer of a limited
    # route (and override the 503's); the 429 page sets its own (congress/errors.py).
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    # Fail safe: if the shared store is down, limit per process instead of not
    # at all, and never turn a storage error into a 500 (see SECURITY.md).
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "congress-rl")
    app.config.setdefault("RATELIMIT_ON_BREACH_CALLBACK", on_breach)
    limiter.init_app(app)
    # refuse_nul_bytes and check_origin run before every view from the declared list
    # of pre-request checks (congress.request_rules), which the replay layer runs too.
    app.after_request(security_headers)
    token_filter = RedactTokens()
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", "congress.errors"):
        logging.getLogger(name).addFilter(token_filter)
