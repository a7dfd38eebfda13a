"""0011_speaker_contact: speakers written before it upgrade with no contact; it downgrades."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from congress import create_app
from congress.extensions import db
from congress.migrations_support import enable_migrations
from tests.sql import FIRST_EVENT_ROW

pytestmark = pytest.mark.integration

BEFORE = "f2b3c4d5e6fa"  # 0010_messages
CONTACT = "a3c4d5e6f7b1"  # 0011_speaker_contact


def _speaker_columns() -> dict[str, object]:
    return {column["name"]: column for column in inspect(db.engine).get_columns("speaker")}


def test_speaker_contact_columns_added_empty_and_removed(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    enable_migrations(app)
    with app.app_context():
        upgrade(revision=BEFORE)
        assert "email" not in _speaker_columns()
        with db.engine.begin() as connection:
            connection.execute(text(FIRST_EVENT_ROW))
            connection.execute(
                text(
                    "INSERT INTO speaker (id, event_id, slug, name, affiliation, position_title,"
                    " bio, uid) VALUES (1, 1, 'ada', 'Ada', '', '', '', 'u-ada')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO talk (id, uid, event_id, slug, title, abstract, kind, status,"
                    " disclosure, language, starts_at, ends_at, sequence, search_text,"
                    " created_at, updated_at) VALUES (1, 'u-talk', 1, 't', 'T', '', 'talk',"
                    " 'confirmed', 'none', 'fr', '2014-04-01 08:00:00+00:00',"
                    " '2014-04-01 09:00:00+00:00', 0, '', '2014-01-01 00:00:00+00:00',"
                    " '2014-01-01 00:00:00+00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO talk_speaker (talk_id, speaker_id, position, role)"
                    " VALUES (1, 1, 0, 'speaker')"
                )
            )
        upgrade(revision=CONTACT)
        columns = _speaker_columns()
        assert (columns["email"]["nullable"], columns["phone"]["nullable"]) == (True, True)
        assert (columns["email"]["type"].length, columns["phone"]["type"].length) == (254, 40)
        with db.engine.connect() as connection:
            row = connection.execute(text("SELECT name, email, phone FROM speaker")).one()
        assert tuple(row) == ("Ada", None, None)
        downgrade(revision=BEFORE)
        assert {"email", "phone"}.isdisjoint(_speaker_columns())
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM speaker")).scalar() == "Ada"
            # Rebuilding the table on SQLite must not cascade to the speakers' sessions.
            links = connection.execute(text("SELECT talk_id, speaker_id FROM talk_speaker"))
            assert links.all() == [(1, 1)]
        db.engine.dispose()
