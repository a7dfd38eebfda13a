"""The reviewed migrations build exactly the schema the models describe."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from congress import create_app
from congress.extensions import db
from tests.conftest import IS_POSTGRES, PG_URL

pytestmark = pytest.mark.integration

SCHEMA = f"congress_migration_{os.getpid()}"
FIRST_WITH_REGISTRATIONS = "5b4ca59222e2"  # 0002_registration_and_outbox


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL schema."""
    if not IS_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    yield f"{PG_URL}?options=-csearch_path%3D{SCHEMA}"
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


def test_migrations_match_the_models(empty_database_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        db.engine.dispose()


def test_migrations_downgrade_to_an_empty_database(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade()
        assert "talk" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_upgrade_then_seed_makes_the_programme_readable(empty_database_url):
    from congress.edition.demo import seed_demo
    from congress.programme.models import Talk

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade()
        seed_demo()
        titles = db.session.scalars(db.select(Talk.title)).all()
        assert len(titles) >= 45
        db.session.remove()
        db.engine.dispose()


def test_upgrade_keeps_rows_written_by_an_earlier_schema(empty_database_url):
    """Columns added later get defaults: an edition with users and registrations upgrades."""
    from sqlalchemy import text as sql

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade(revision=FIRST_WITH_REGISTRATIONS)
        with db.engine.begin() as connection:
            connection.execute(
                sql(
                    "INSERT INTO event (id, slug, name, acronym, venue, address, city, timezone,"
                    " first_day, last_day, description, description_en, programme_version,"
                    " programme_updated_at, created_at) VALUES (1, 'e', 'E', 'E', 'V', 'A', 'C',"
                    " 'Europe/Paris', '2014-04-01', '2014-04-03', '', '', 1,"
                    " '2014-01-01 00:00:00+00:00', '2014-01-01 00:00:00+00:00')"
                )
            )
            connection.execute(
                sql(
                    "INSERT INTO user_account (id, email, display_name, password_hash, role,"
                    " active, session_version, created_at) VALUES (1, 'a@b.fr', 'a', 'x',"
                    " 'admin', true, 1, '2014-01-01 00:00:00+00:00')"
                )
            )
            connection.execute(
                sql(
                    "INSERT INTO ticket_category (id, event_id, slug, name, name_en, price_cents,"
                    " capacity, public, seats_taken, position) VALUES (1, 1, 'c', 'C', '', 0, 5,"
                    " true, 0, 1)"
                )
            )
            connection.execute(
                sql(
                    "INSERT INTO registration (id, uid, event_id, category_id, status, first_name,"
                    " last_name, email, organisation, organisation_type, job_role, days_mask,"
                    " accessibility_needs, dietary_needs, privacy_consent_at, newsletter,"
                    " language, feed_generation, created_at, updated_at) VALUES (1, 'u', 1, 1,"
                    " 'pending', 'M', 'C', 'm@c.fr', 'O', 'other', 'other', 1, '', '',"
                    " '2014-01-01 00:00:00+00:00', false, 'fr', 0, '2014-01-01 00:00:00+00:00',"
                    " '2014-01-01 00:00:00+00:00')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(sql("SELECT failed_logins FROM user_account")).scalar() == 0
            assert connection.execute(sql("SELECT search_text FROM registration")).scalar() == ""
        db.engine.dispose()
