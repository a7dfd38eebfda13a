"""Speakers' private contact details: e-mail address and telephone number.

Revision ID: a3c4d5e6f7b1
Revises: f2b3c4d5e6fa
Create Date: 2026-12-02 21:30:00.000000

Two nullable columns: existing speakers simply have no contact yet. They are
personal data read only by the programme committee (dashboard and its speakers
export), never by a public page or feed.

Plain ``ALTER TABLE ... ADD/DROP COLUMN`` rather than a batch: on SQLite a batch
drop rebuilds the table, and dropping the old ``speaker`` table with foreign keys
on (``web._sqlite_foreign_keys``) would cascade to ``talk_speaker`` and lose
every speaker's sessions. SQLite drops a plain column in place since 3.35.
"""

import sqlalchemy as sa
from alembic import op

revision = "a3c4d5e6f7b1"
down_revision = "f2b3c4d5e6fa"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("speaker", sa.Column("email", sa.String(length=254), nullable=True))
    op.add_column("speaker", sa.Column("phone", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("speaker", "phone")
    op.drop_column("speaker", "email")
