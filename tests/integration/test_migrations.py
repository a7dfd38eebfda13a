"""The reviewed migrations build exactly the schema the models describe."""

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from congress import create_app
from congress.extensions import db
from congress.migrations_support import enable_migrations, migration_heads
from tests.sql import FIRST_EVENT_ROW

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

FIRST_WITH_REGISTRATIONS = "5b4ca59222e2"  # 0002_registration_and_outbox


def test_migrations_match_the_models(empty_database_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    enable_migrations(app)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        db.engine.dispose()


def test_migrations_downgrade_to_an_empty_database(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    enable_migrations(app)
    with app.app_context():
        upgrade()
        assert "talk" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_upgrade_then_seed_makes_the_programme_readable(empty_database_url):
    from congress.interchange.demo import seed_demo
    from congress.programme.models import Talk

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    enable_migrations(app)
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
    enable_migrations(app)
    with app.app_context():
        upgrade(revision=FIRST_WITH_REGISTRATIONS)
        with db.engine.begin() as connection:
            connection.execute(sql(FIRST_EVENT_ROW))
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


def test_flask_migrate_is_registered_for_command_lines_only(tmp_path):
    settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}", "TESTING": True}
    served = create_app(settings)
    assert "migrate" not in served.extensions
    assert "db" not in served.cli.commands
    with click.Context(click.Command("flask")):  # as Flask's CLI loads the app
        commanded = create_app(settings)
    assert commanded.extensions["migrate"].configure_args == {
        "compare_type": True,
        "render_as_batch": True,
    }
    assert Path(commanded.extensions["migrate"].directory) == ROOT / "migrations"
    enable_migrations(served)
    enable_migrations(served)  # idempotent
    assert served.extensions["migrate"].configure_args == (
        commanded.extensions["migrate"].configure_args
    )


def test_flask_db_commands_work_from_the_command_line(tmp_path):
    """``make run``'s path: ``flask --app wsgi db upgrade``, ``db current``, ``congress ...``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CONGRESS_")}
    env.update(
        CONGRESS_ENV="testing",
        CONGRESS_SECRET_KEY="cli-test-secret-key-that-is-long-enough-0123",
        CONGRESS_INSTANCE_PATH=str(tmp_path),
        CONGRESS_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite'}",
    )
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]

    def run(*args: str) -> str:
        completed = subprocess.run(
            [*flask, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        return completed.stdout + completed.stderr

    run("db", "upgrade")
    (head,) = migration_heads()
    assert f"{head} (head)" in run("db", "current")
    assert "demo edition loaded" in run("congress", "seed-demo", "--if-empty")


def test_search_stems_migration_rebuilds_every_talks_index(empty_database_url):
    """0008 recomputes ``search_text`` of existing talks: stems, organisations and track."""
    from sqlalchemy import text as sql

    from congress.interchange.demo import seed_demo

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    enable_migrations(app)
    with app.app_context():
        # Seeded through today's models, then taken back to the schema 0008 starts from
        # (seeding the old schema with today's models fails once a later column exists).
        upgrade()
        seed_demo()
        db.session.remove()
        downgrade(revision="c7f2b3d4e5a7")
        with db.engine.begin() as connection:
            connection.execute(sql("UPDATE talk SET search_text = 'stale'"))
        db.session.remove()
        upgrade()
        with db.engine.connect() as connection:
            index = connection.execute(
                sql("SELECT search_text FROM talk WHERE slug = :slug"),
                {"slug": "cryptolocker-partages-reseau-urgences"},
            ).scalar()
            stale = connection.execute(
                sql("SELECT count(*) FROM talk WHERE search_text = 'stale'")
            ).scalar()
        assert stale == 0
        assert index.startswith(" rancongiciel aux urgenc anatom ")
        assert " centr hospitali de cornouaill sud " in index  # the speakers' organisation
        assert index.endswith(" menac et analys d attaqu ")  # the track's name
        db.engine.dispose()
