"""0016_review_and_speakers: the ``reviewer`` role is added without losing a row, and removed.

On SQLite a new value of a checked enum means rebuilding ``user_account``;
dropping the old table with foreign keys on would run ``ON DELETE CASCADE``
into the recovery codes (and every other table pointing at an account).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from congress import create_app
from congress.extensions import db
from congress.migrations_support import enable_migrations

pytestmark = pytest.mark.integration

BEFORE = "e7f8a9b0c1d5"  # 0015_call_for_papers
REVIEW = "f8a9b0c1d2e6"  # 0016_review_and_speakers
CREATED = datetime(2014, 1, 1, tzinfo=UTC)
INSERT_USER = text(
    "INSERT INTO user_account (id, email, display_name, password_hash, role, active,"
    " session_version, created_at, totp_last_step, failed_logins, second_factor_failures)"
    " VALUES (:id, :email, 'Ada', 'hash', :role, :active, 1, :created, 0, 0, 0)"
)
INSERT_INVITATION = text(
    "INSERT INTO invitation (id, email, role, token_hash, invited_by_id, created_at,"
    " expires_at) VALUES (:id, :email, :role, :token, :by, :created, :created)"
)
COUNTS = {
    "recovery_code": text("SELECT count(*) FROM recovery_code"),
    "invitation": text("SELECT count(*) FROM invitation"),
    "user_account": text("SELECT count(*) FROM user_account"),
}


def _user(connection, user_id: int, email: str, role: str) -> None:
    connection.execute(
        INSERT_USER,
        {"id": user_id, "email": email, "role": role, "active": True, "created": CREATED},
    )


def _invitation(connection, invitation_id: int, email: str, role: str, by: int | None) -> None:
    connection.execute(
        INSERT_INVITATION,
        {
            "id": invitation_id,
            "email": email,
            "role": role,
            "token": f"t{invitation_id}",
            "by": by,
            "created": CREATED,
        },
    )


def _count(table: str) -> int:
    with db.engine.connect() as connection:
        return connection.execute(COUNTS[table]).scalar_one()


def test_reviewer_role_added_keeping_recovery_codes_and_invitations(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    enable_migrations(app)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _user(connection, 1, "admin@apssis-test.fr", "admin")
            connection.execute(
                text("INSERT INTO recovery_code (id, user_id, code_hash) VALUES (1, 1, 'h1')")
            )
            _invitation(connection, 1, "new@apssis-test.fr", "editor", 1)
        # Before: the role does not exist.
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            _user(connection, 2, "early@anssi-test.fr", "reviewer")

        upgrade(revision=REVIEW)

        with db.engine.connect() as connection:
            codes = connection.execute(text("SELECT user_id, code_hash FROM recovery_code"))
            assert codes.all() == [(1, "h1")]
            invitations = connection.execute(text("SELECT email, role FROM invitation"))
            assert invitations.all() == [("new@apssis-test.fr", "editor")]
        with db.engine.begin() as connection:
            _user(connection, 2, "relecteur@anssi-test.fr", "reviewer")
            _invitation(connection, 2, "r2@anssi-test.fr", "reviewer", None)
        assert _count("user_account") == 2

        # Downgrading needs the reviewers gone first: their role no longer exists.
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM invitation WHERE role = 'reviewer'"))
            connection.execute(text("DELETE FROM user_account WHERE role = 'reviewer'"))
        downgrade(revision=BEFORE)

        assert _count("recovery_code") == 1
        assert _count("invitation") == 1
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            _user(connection, 3, "late@anssi-test.fr", "reviewer")
        db.engine.dispose()
