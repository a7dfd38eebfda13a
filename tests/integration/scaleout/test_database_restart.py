"""A PostgreSQL restart costs at most a retry page, never a 500 nor a server restart.

A restart closes every connection the pool holds. Rather than restart the
shared server under other test runs, the restart is simulated the way the
server does it: its backends are terminated (``pg_terminate_backend``) between
two requests, and the pool's pre-ping must notice and reconnect. Only this
test's own application is hit: its connections carry their own
``application_name``, so other runs on the same database keep theirs. While
the database refuses connections outright (an application pointed at a closed
port), pages answer 503 with ``Retry-After``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, Response
from sqlalchemy import create_engine, text

from congress import create_app
from congress.extensions import db
from tests.conftest import IS_POSTGRES, PG_URL, IsolatedClient
from tests.factories import make_category, make_event, make_talk, paris

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not IS_POSTGRES,
        reason="terminates PostgreSQL backends; make test runs this file on PostgreSQL",
    ),
]

APPLICATION_NAME = f"congress-restart-test-{os.getpid()}"
CLOSED_PORT_URL = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens


@pytest.fixture
def edition(app: Flask) -> dict[str, str]:
    event = make_event()
    make_category(event, capacity=10)
    talk = make_talk(event, "Plan de reprise d'activité", starts_at=paris(1, "10:00"))
    return {"talk": talk.slug}


@pytest.fixture
def restartable(app: Flask, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The test's database, through connections named so they alone can be terminated.

    The engine options are the application's own (``pool_pre_ping``): the name
    goes in the URL, so nothing of what is tested is configured here.
    """
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"{database_url}&application_name={APPLICATION_NAME}",
            "INSTANCE_PATH": str(tmp_path / "restartable"),
            "BASE_URL": "http://congress.test",
        }
    )
    assert application.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    application.test_client_class = IsolatedClient
    try:
        yield application
    finally:
        with application.app_context():
            db.engine.dispose()


def _terminate_app_backends() -> int:
    """What a server restart does to the app's connections, from a separate engine.

    Returns once the terminated backends are gone (termination is a signal).
    """
    admin = create_engine(PG_URL)
    mine = (
        "FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND application_name = :name"
    )
    try:
        with admin.connect() as connection:
            killed = connection.execute(
                text(f"SELECT pg_terminate_backend(pid) {mine}"),
                {"name": APPLICATION_NAME},
            ).all()
            connection.commit()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                left = connection.execute(
                    text(f"SELECT count(*) {mine}"),
                    {"name": APPLICATION_NAME},
                ).scalar_one()
                connection.commit()
                if left == 0:
                    break
                time.sleep(0.02)
    finally:
        admin.dispose()
    return sum(1 for (done,) in killed if done)


@pytest.mark.parametrize("path", ["/register", "/", "/programme", "/sessions/{talk}"])
def test_next_request_after_backends_are_terminated_succeeds(restartable, edition, path):
    client = restartable.test_client()
    url = path.format(**edition)
    assert client.get(url).status_code == 200

    killed = _terminate_app_backends()
    after = client.get(url)
    again = client.get(url)

    assert killed >= 1  # the pool held a connection, and it is gone
    assert after.status_code == 200
    assert again.status_code == 200


def test_pool_reconnects_when_every_pooled_connection_died(restartable, edition):
    client = restartable.test_client()
    # Several connections checked in at once: threads would do this under load;
    # opening them by hand keeps the test deterministic.
    with restartable.app_context():
        connections = [db.engine.connect() for _ in range(3)]
        for connection in connections:
            connection.execute(text("SELECT 1"))
        for connection in connections:
            connection.close()

    killed = _terminate_app_backends()
    statuses = [client.get("/register").status_code for _ in range(5)]

    assert killed >= 3
    assert statuses == [200] * 5


def test_connection_lost_after_the_view_still_answers(restartable, edition):
    """The server goes away after the view's last query, before the request ends."""
    restartable.config["TESTING"] = False  # errors are answered, as in production
    restartable.config["PROPAGATE_EXCEPTIONS"] = False

    @restartable.after_request
    def restart_now(response: Response) -> Response:
        _terminate_app_backends()
        return response

    response = restartable.test_client().get("/register")

    assert response.status_code in {200, 503}


@pytest.fixture
def refused(tmp_path: Path) -> Iterator[Flask]:
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": CLOSED_PORT_URL,
            "INSTANCE_PATH": str(tmp_path / "refused"),
            "BASE_URL": "http://congress.test",
        }
    )
    application.test_client_class = IsolatedClient
    try:
        yield application
    finally:
        with application.app_context():
            db.engine.dispose()


TOKEN = "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4"  # well-formed, unknown: the lookup needs the database


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/programme",
        "/programme.ics",
        "/sessions/ouverture",
        "/speakers",
        "/schedule.xml",
        "/register",
        f"/register/confirm/{TOKEN}",
        f"/r/{TOKEN}",
        f"/r/{TOKEN}/agenda",
    ],
)
def test_database_refusing_connections_answers_503_with_retry_after(refused, path):
    response = refused.test_client().get(path)

    assert response.status_code == 503, path
    assert "Traceback" not in response.get_data(as_text=True)
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", [f"/register/confirm/{TOKEN}", f"/r/{TOKEN}"])
def test_retry_page_behind_a_rate_limit_keeps_its_five_seconds(refused, path):
    response = refused.test_client().get(path)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"


def test_health_check_answers_503_when_the_database_refuses(refused):
    response = refused.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.json["checks"]["database"]["ok"] is False


def test_pages_without_the_database_still_answer_when_it_refuses(refused):
    client = refused.test_client()

    assert client.get("/livez").status_code == 200
    assert client.get("/login").status_code in {200, 503}
