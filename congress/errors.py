"""Error pages in the visitor's language, never a stack trace.

Domain errors that escape a view become the same 4xx page as HTTP errors, so a
rule broken deep in a service still answers with a clear message.
"""

from __future__ import annotations

import logging

from flask import Flask, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from congress.core.errors import DomainError
from congress.core.security_log import log_event, redact
from congress.extensions import db
from congress.i18n import lazy_gettext as _l

log = logging.getLogger("congress.errors")

TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    410: _l("Link expired"),
    413: _l("Request too large"),
    429: _l("Too many requests"),
    500: _l("Internal error"),
    503: _l("Service temporarily unavailable"),
}

MESSAGES = {
    400: _l("The request could not be understood. Please check what you sent and try again."),
    403: _l("You are not allowed to see this page."),
    404: _l("The page you asked for does not exist or is no longer available."),
    405: _l("This address does not accept this kind of request."),
    409: _l("The request conflicts with the current state of the data."),
    410: _l("This link has expired."),
    413: _l("What you sent is too large."),
    429: _l("You have made too many requests. Please wait a moment before trying again."),
    500: _l("Something went wrong on our side. The team has been told; please try again later."),
    503: _l("The site is briefly unavailable. Please try again in a few seconds."),
}


def _seconds_until_reset() -> int:
    """When the breached limit's window ends (at least one second)."""
    import time

    from congress.extensions import limiter

    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()) + 1)


def render_error(
    status: int, message: str | None = None, *, without_database: bool = False
) -> tuple[str, int]:
    """The error page; ``without_database`` renders it touching no row at all."""
    code = status if status in TITLES else 500
    extra = {"current_event": None} if without_database else {}
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=TITLES.get(code, TITLES[500]),
            message=message or MESSAGES.get(code, MESSAGES[500]),
            **extra,
        ),
        status,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        log_event("csrf.failed", reason=error.description)
        return render_error(
            400,
            str(
                _l(
                    "The form has expired or did not come from this site. "
                    "Please reload the page and try again."
                )
            ),
        )

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> tuple[str, int]:
        return render_error(error.status_code, str(error.message))

    @app.errorhandler(OperationalError)
    @app.errorhandler(DisconnectionError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: Exception) -> Response:
        """The database is restarting or unreachable: a retry page, not a 500.

        The pool pre-pings connections, so the first request after the database
        is back gets a fresh connection; nothing else is needed to recover.
        """
        log.warning("database_unavailable error=%s", type(error).__name__)
        try:
            db.session.rollback()
        except Exception:
            log.debug("rollback after database failure failed", exc_info=True)
        response = make_response(render_error(503, without_database=True))
        response.headers["Retry-After"] = "5"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        """Our page, but the error's own headers (Allow on 405, Retry-After on 429)."""
        response = make_response(render_error(error.code or 500))
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        if error.code == 429 and "Retry-After" not in response.headers:
            response.headers["Retry-After"] = str(_seconds_until_reset())
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> Response | tuple[str, int]:
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled_error path=%s", redact(request.path), exc_info=error)
        return render_error(InternalServerError.code)
