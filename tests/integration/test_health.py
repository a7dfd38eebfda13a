"""Health endpoints, and a database outage answered with 503 and a retry page."""

import pytest
from flask_migrate import stamp
from sqlalchemy import text

from congress import create_app
from congress.extensions import db
from congress.migrations_support import enable_migrations, migration_heads

pytestmark = pytest.mark.integration


def test_livez_needs_nothing(client):
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"


@pytest.fixture
def migrations(app):
    """``flask_migrate.stamp()`` needs Flask-Migrate, which only command lines register."""
    enable_migrations(app)
    return app


def test_healthz_reports_the_migration_state(migrations, client):
    unstamped = client.get("/healthz")
    assert unstamped.status_code == 503
    assert unstamped.json["checks"]["database"]["ok"] is False
    assert unstamped.json["checks"]["database"]["revision"] == []  # no table: not migrated
    try:
        stamp()
        healthy = client.get("/healthz")
        assert healthy.status_code == 200
        assert healthy.json["status"] == "ok"
        assert (
            healthy.json["checks"]["database"]["revision"]
            == (healthy.json["checks"]["database"]["expected"])
        )
        assert healthy.headers["Cache-Control"] == "no-store"
    finally:
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()


def test_healthz_refuses_a_database_behind_the_head(migrations, client):
    (head,) = migration_heads()
    try:
        stamp(revision="5b4ca59222e2")  # 0002, two migrations behind
        behind = client.get("/healthz")
        assert behind.status_code == 503
        database = behind.json["checks"]["database"]
        assert database == {"ok": False, "revision": ["5b4ca59222e2"], "expected": [head]}
        stamp()
        assert client.get("/healthz").status_code == 200
    finally:
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()


def test_readyz_checks_redis_when_configured(app, migrations, client):
    stamp()
    try:
        app.config["CACHE_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json["checks"]["cache"]["ok"] is False
        assert response.json["checks"]["database"]["ok"] is True
    finally:
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()


@pytest.fixture
def unreachable_database(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/nowhere",
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True,
                "connect_args": {"connect_timeout": 2},
            },
            "INSTANCE_PATH": str(tmp_path),
        }
    )
    return app.test_client()


@pytest.mark.parametrize("url", ["/", "/programme", "/programme.ics", "/register"])
def test_database_down_answers_503_with_a_retry_page(unreachable_database, url):
    response = unreachable_database.get(url)
    assert response.status_code == 503, url
    assert response.headers["Retry-After"] == "5"
    html = response.get_data(as_text=True)
    assert "Traceback" not in html
    if response.mimetype == "text/html":
        assert "Service momentanément indisponible" in html


def test_healthz_when_the_database_is_down(unreachable_database):
    response = unreachable_database.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == {"ok": False, "error": "OperationalError"}
