"""Wiring of extensions, blueprints, template helpers, headers and error pages.

Kept apart from ``create_app`` so the factory reads as a table of contents.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Flask, request
from flask_babel import get_locale
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from congress import caching, cli, errors, migrations_support, request_rules, security
from congress.caching.pages import significant_args
from congress.core.markup import render_markdown
from congress.core.urls import slug_url
from congress.extensions import babel, csrf, db, login_manager
from congress.i18n import LANGUAGES, select_locale
from congress.typography import date_range, long_date, with_names

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


def init_app(app: Flask) -> None:
    db.init_app(app)
    _guard_session_teardown(app)
    if migrations_support.built_for_command_line():  # never in a gunicorn worker
        migrations_support.enable_migrations(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )
    login_manager.init_app(app)
    caching.init_app(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    security.init_app(app)
    request_rules.init_app(app)
    errors.init_app(app)
    cli.init_app(app)


def _guard_session_teardown(app: Flask) -> None:
    """Closing the session after a response must not turn into a 500.

    When the database restarts, the ROLLBACK that closing the session sends on a
    connection the server has just dropped raises after the response is built,
    outside every error handler. This teardown closes the session first and, on a
    database error, discards it instead; the pool's pre-ping gives the next request a
    live connection. Flask runs teardown functions in the reverse order of their
    registration, so this one, registered after ``db.init_app``, runs before
    Flask-SQLAlchemy's own, which then finds no session left to close: no private
    hook of Flask-SQLAlchemy is touched (``tests/integration/test_session_teardown.py``).
    """

    @app.teardown_appcontext
    def close_session(_exc: BaseException | None) -> None:
        try:
            db.session.remove()
        except SQLAlchemyError:
            logging.getLogger("congress.errors").warning("session_teardown_failed")
            db.session.registry.clear()


@sa_event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite enforces foreign keys (and ON DELETE CASCADE) only when asked, per connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    from congress import models  # noqa: F401  (complete metadata before any query)
    from congress.accounts import login as accounts_login
    from congress.accounts.views import bp as accounts_bp
    from congress.billing.views import bp as billing_bp
    from congress.calendar.discovery import bp as discovery_bp
    from congress.calendar.views import bp as calendar_bp
    from congress.cfp import space_views  # the speakers' space, on the cfp blueprint
    from congress.cfp.views import bp as cfp_bp
    from congress.dashboard import routes as dashboard_routes
    from congress.edition.views import bp as edition_bp
    from congress.health import bp as health_bp
    from congress.media.views import bp as media_bp
    from congress.offline import bp as offline_bp
    from congress.partners.views import bp as partners_bp
    from congress.programme.screens import bp as screens_bp
    from congress.programme.views import bp as programme_bp
    from congress.registration.views import bp as registration_bp
    from congress.site.views import bp as site_bp

    app.register_blueprint(site_bp)
    app.register_blueprint(edition_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(programme_bp)
    app.register_blueprint(screens_bp)
    app.register_blueprint(media_bp)
    app.register_blueprint(partners_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(discovery_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(billing_bp)
    app.register_blueprint(cfp_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(dashboard_routes.bp)
    from congress.billing import panel as billing_panel
    from congress.billing import services as billing
    from congress.messaging.panel import received_data, received_messages
    from congress.registration import notifications, panels

    notifications.connect()
    billing.connect()  # invoices at confirmation, credit notes at cancellation
    panels.register(billing_panel.documents)  # quote and invoices on the private page
    panels.register_data("invoices", billing_panel.documents_data)
    panels.register(received_messages)  # the attendee's page lists the messages received
    panels.register_data("messages", received_data)  # and their data export holds them
    panels.register(space_views.attendee_panel)  # slides kept for confirmed attendees
    accounts_login.init_login_manager()


def _current_event_or_none() -> Any:
    """The edition for the layout; an error page must still render when the database is down."""
    from congress.edition.queries import request_event

    try:
        return request_event()
    except SQLAlchemyError:
        try:
            db.session.rollback()
        except SQLAlchemyError:  # the connection itself is gone: drop the session
            db.session.registry.clear()
        return None


def _register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def inject_globals() -> dict[str, Any]:
        return {
            "current_event": _current_event_or_none(),
            "current_language": str(get_locale() or "fr"),
            "languages": LANGUAGES,
        }

    app.add_template_filter(long_date, "longdate")
    app.add_template_filter(with_names, "with_names")
    app.add_template_global(date_range, "date_range_text")

    @app.template_filter("localtime")
    def localtime(value: datetime, zone: str) -> str:
        """``HH:MM`` in ``zone``, the edition's (24-hour clock in every language we speak).

        Plain ``strftime``: Babel's pattern formatting cost more than the rest
        of a programme card, twice per talk, for digits that no locale changes.
        It also rebased every value to ``BABEL_DEFAULT_TIMEZONE`` whatever
        ``zone`` said, which only looked right for editions held in Paris.
        """
        return value.astimezone(ZoneInfo(zone)).strftime("%H:%M")

    app.add_template_global(slug_url, "slug_url")
    from congress.cfp.space import public_link

    app.add_template_global(public_link, "session_slides")  # the session page's slides link
    app.add_template_filter(render_markdown, "markdown")

    @app.template_global()
    def field_attrs(field: Any, described_by: str, required: bool) -> dict[str, Any]:
        """ARIA attributes of a form control: its hint/error ids, invalid and required states."""
        attrs: dict[str, Any] = {}
        if described_by.strip():
            attrs["aria-describedby"] = described_by.strip()
        if field.errors:
            attrs["aria-invalid"] = "true"
        if required:
            attrs["required"] = True
        return attrs

    @app.template_global()
    def url_for_language(language: str) -> str:
        args = [(name, value) for name, value in significant_args() if name != "lang"]
        return f"{request.path}?{urlencode([*args, ('lang', language)])}"
