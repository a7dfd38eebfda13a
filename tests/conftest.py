"""Fixtures shared by every layer of the suite.

The database is SQLite by default and PostgreSQL when ``CONGRESS_TEST_DATABASE_URL``
is set. The schema is created once per run; every test then starts from empty
tables (truncated after each test), so tests that commit from several threads
or servers see real transactions.
"""

from __future__ import annotations

import contextvars
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

_TMP = Path(tempfile.mkdtemp(prefix="congress-tests-"))
os.environ.setdefault("CONGRESS_ENV", "testing")
os.environ.setdefault("CONGRESS_SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
os.environ.setdefault("CONGRESS_INSTANCE_PATH", str(_TMP / "instance"))

from congress import create_app  # noqa: E402
from congress.core.models import Base  # noqa: E402
from congress.extensions import db  # noqa: E402

PG_URL = os.environ.get("CONGRESS_TEST_DATABASE_URL", "")
IS_POSTGRES = PG_URL.startswith("postgresql")
# Each run gets its own PostgreSQL schema, so two runs on one server never
# truncate each other's tables.
PG_SCHEMA = f"congress_test_{os.getpid()}"
DATABASE_URL = (
    f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{PG_SCHEMA}"
    if IS_POSTGRES
    else f"sqlite:///{_TMP / 'test.sqlite'}"
)


def pytest_report_header() -> str:
    backend = "PostgreSQL" if IS_POSTGRES else "SQLite"
    return f"congress database backend: {backend} ({re.sub(r'//[^@]*@', '//', DATABASE_URL)})"


@pytest.fixture(scope="session")
def database_url() -> str:
    """Create the schema once for the run, from the models."""
    import congress.models  # noqa: F401

    if IS_POSTGRES:
        admin = create_engine(PG_URL)
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        admin.dispose()
    engine = create_engine(DATABASE_URL)
    with engine.begin() as connection:
        Base.metadata.create_all(connection)
    engine.dispose()
    return DATABASE_URL


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if IS_POSTGRES:
        admin = create_engine(PG_URL)
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        admin.dispose()


def _empty_tables() -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    if IS_POSTGRES:
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        from congress.billing import guards

        # TRUNCATE (PostgreSQL) fires no row trigger; SQLite's DELETE would meet the
        # invoices' immutability triggers, so they are lifted while the tables empty.
        connection = db.session.connection()
        issued = connection.execute(text("SELECT count(*) FROM invoice_counter")).scalar()
        if issued:
            guards.drop(connection)
            for statement in (  # credit notes before the invoices they reference
                "DELETE FROM invoice_line",
                "DELETE FROM payment",
                "DELETE FROM payment_reminder",
                "DELETE FROM invoice WHERE credited_invoice_id IS NOT NULL",
            ):
                connection.execute(text(statement))
        for table in tables:
            db.session.execute(table.delete())
        if issued:
            guards.install(connection)
    db.session.commit()


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, for migrations: a new SQLite file, or a new schema."""
    if not IS_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    schema = f"congress_migrations_{os.getpid()}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "BASE_URL": "http://congress.test",
        }
    )
    with application.app_context():
        yield application
        db.session.remove()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Runs each request in an empty context, so it gets its own app context.

    Flask reuses an app context that is already pushed (the test's own), which
    would share ``g``, the language and the database session between requests;
    in production every request has its own, and so do these.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def cli(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


# The demo edition as the real loader wrote it, once per test process: the rows of
# every table and the media files (partners' logos). See ``demo``.
_DEMO_COPY: dict[str, Any] = {}


@pytest.fixture
def demo(app: Flask) -> None:
    """The 2014 demo edition, loaded through the real loader.

    The loader runs once per test process (about a third of a second, through every
    service and its rules); the other tests get a copy of what it wrote, inserted
    row by row into their empty tables, with its media files. The loader's own
    behaviour is tested in ``tests/integration/interchange/``, where it always runs.
    """
    from sqlalchemy import func, select
    from sqlalchemy.orm.attributes import flag_modified

    from congress.edition.models import Event
    from congress.interchange.demo import seed_demo
    from congress.media.store import media_dir

    tables = Base.metadata.sorted_tables
    if not _DEMO_COPY:
        seed_demo()
        _DEMO_COPY["rows"] = {
            table.name: [dict(row._mapping) for row in db.session.execute(select(table))]
            for table in tables
        }
        folder = media_dir()
        _DEMO_COPY["media"] = (
            {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
            if folder.is_dir()
            else {}
        )
        db.session.rollback()
        return
    for table in tables:
        rows = _DEMO_COPY["rows"][table.name]
        if rows:
            db.session.execute(table.insert(), rows)
            if IS_POSTGRES and "id" in table.c and table.c.id.autoincrement is not False:
                top = db.session.scalar(select(func.max(table.c.id)))
                db.session.execute(
                    text("SELECT setval(pg_get_serial_sequence(:name, 'id'), :top)"),
                    {"name": table.name, "top": top},
                )
    # Written as rows, the edition passed no ORM flush: touch it so the programme
    # stamp is published after the commit, as after the loader's.
    for event in db.session.scalars(select(Event)):
        flag_modified(event, "programme_version")
    db.session.commit()
    folder = media_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in _DEMO_COPY["media"].items():
        (folder / name).write_bytes(data)


def _closing_iterables(app: Flask) -> Any:
    """The app, with each response's iterable closed even when the browser hangs up.

    Werkzeug's development server closes a response (a static file's open handle)
    only after writing all of it; when a browser closes its tab mid-download it
    drops the response unclosed, and the file is left to the garbage collector
    (a ``ResourceWarning``, an error in this suite). As a generator, this wrapper
    is closed when dropped, and closes the response in its ``finally``. Gunicorn,
    which serves production, closes responses itself.
    """

    def serve(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        response = app(environ, start_response)
        try:
            yield from response
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                close()

    return serve


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test's app served on a free loopback port in a thread, for the browser."""
    server = make_server("127.0.0.1", 0, _closing_iterables(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


ORGANISER_PASSWORD = "correct horse battery staple"


@pytest.fixture
def login_as(app: Flask, client: FlaskClient) -> Any:
    """Log the test client in as a new organiser of ``role``, through the real form."""
    from congress.accounts.models import Role
    from congress.accounts.services import (
        confirm_totp_setup,
        create_organiser,
        start_totp_setup,
    )
    from congress.core import clock
    from tests.http import submit

    def _login(role: str) -> FlaskClient:
        email = f"{role}-{len(role)}@apssis-orga.fr"
        user = create_organiser(email, ORGANISER_PASSWORD, Role(role))
        secret = None
        if user.role is Role.ADMIN:  # administrators must have a second factor
            secret = start_totp_setup(user)
            confirm_totp_setup(user, pyotp.TOTP(secret).at(clock.now()))
        response = submit(client, "/login", {"email": email, "password": ORGANISER_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        if secret is not None:
            # The setup used the current time step; the next one is a fresh code.
            code = pyotp.TOTP(secret).at(clock.now().timestamp() + 30)
            response = submit(client, "/login/code", {"code": code})
            assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login
