"""Committee review, decisions, attachments, speakers' space: the rest of the call for papers.

Revision ID: f8a9b0c1d2e6
Revises: e7f8a9b0c1d5
Create Date: 2026-12-03 13:40:00.000000

New tables (assignments, declared conflicts, reviews, slides, reminders), new
nullable or defaulted columns, and one more value in three checked enums: the
``reviewer`` role (``user_account``, ``invitation``) and the speaker's-space
link purpose (``cfp_token``).

A value added to a checked enum means a new CHECK constraint. PostgreSQL swaps
it in place. SQLite can only rebuild the table, and dropping the old
``user_account`` with foreign keys on would run every ``ON DELETE CASCADE``
pointing at it (recovery codes, reviews...): the rebuild runs with foreign keys
switched off, which SQLite only accepts outside a transaction, then checks them.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "f8a9b0c1d2e6"
down_revision = "e7f8a9b0c1d5"
branch_labels = None
depends_on = None

ROLES_BEFORE = ("admin", "editor", "desk")
ROLES_AFTER = (*ROLES_BEFORE, "reviewer")
PURPOSES_BEFORE = ("confirm", "manage", "cospeaker")
PURPOSES_AFTER = (*PURPOSES_BEFORE, "space")
CRITERIA = ("relevance", "originality", "depth", "clarity")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


@contextmanager
def _foreign_keys_off() -> Iterator[None]:
    """On SQLite, rebuild tables without firing the cascades of the old table's drop."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    raw = bind.connection.driver_connection
    if raw.in_transaction:
        raw.commit()
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        if raw.in_transaction:
            raw.commit()
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the rebuild: {broken!r}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _swap_check(table: str, name: str, column: str, values: tuple[str, ...]) -> None:
    with op.batch_alter_table(table, recreate="auto") as batch:
        batch.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
        batch.create_check_constraint(op.f(f"ck_{table}_{name}"), _in(column, values))


def _checks(roles: tuple[str, ...], purposes: tuple[str, ...]) -> None:
    with _foreign_keys_off():
        _swap_check("user_account", "role", "role", roles)
        _swap_check("invitation", "role", "role", roles)
        _swap_check("cfp_token", "cfp_token_purpose", "purpose", purposes)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    _checks(ROLES_AFTER, PURPOSES_AFTER)
    op.add_column(
        "user_account",
        sa.Column("organisation", sa.String(length=200), nullable=False, server_default=""),
    )
    for column in ("speaker_info", "speaker_info_en", "technical_setup", "technical_setup_en"):
        op.add_column("cfp_call", sa.Column(column, sa.Text(), nullable=False, server_default=""))
    op.add_column("cfp_call", sa.Column("respond_by", sa.DateTime(timezone=True), nullable=True))

    # Columns with a foreign key or a check: SQLite adds them by a rebuild.
    with _foreign_keys_off():
        with op.batch_alter_table("cfp_submission") as batch:
            batch.add_column(sa.Column("attachment_key", sa.String(64), nullable=True))
            batch.add_column(
                sa.Column("attachment_name", sa.String(200), nullable=False, server_default="")
            )
            batch.add_column(sa.Column("attachment_size", sa.Integer(), nullable=True))
            batch.add_column(
                sa.Column(
                    "decision",
                    _enum("cfp_decision", "accepted", "rejected", "waiting"),
                    nullable=True,
                )
            )
            for column in ("decided_at", "decision_released_at", "destroyed_at"):
                batch.add_column(sa.Column(column, sa.DateTime(timezone=True), nullable=True))
            batch.add_column(sa.Column("talk_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                op.f("fk_cfp_submission_talk_id_talk"),
                "talk",
                ["talk_id"],
                ["id"],
                ondelete="SET NULL",
            )
        with op.batch_alter_table("cfp_speaker") as batch:
            batch.add_column(sa.Column("speaker_id", sa.Integer(), nullable=True))
            batch.add_column(
                sa.Column(
                    "participation",
                    _enum("cfp_participation", "confirmed", "declined"),
                    nullable=True,
                )
            )
            batch.add_column(sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True))
            batch.create_foreign_key(
                op.f("fk_cfp_speaker_speaker_id_speaker"),
                "speaker",
                ["speaker_id"],
                ["id"],
                ondelete="SET NULL",
            )

    def pair(table: str, moment: str) -> None:
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("submission_id", sa.Integer(), nullable=False),
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column(moment, sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(
                ["submission_id"],
                ["cfp_submission.id"],
                name=op.f(f"fk_{table}_submission_id_cfp_submission"),
                ondelete="CASCADE",
            ),
            sa.ForeignKeyConstraint(
                ["user_id"],
                ["user_account.id"],
                name=op.f(f"fk_{table}_user_id_user_account"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("submission_id", "user_id", name=op.f(f"uq_{table}_submission_id")),
        )
        op.create_index(op.f(f"ix_{table}_submission_id"), table, ["submission_id"])
        op.create_index(op.f(f"ix_{table}_user_id"), table, ["user_id"])

    pair("cfp_assignment", "assigned_at")
    pair("cfp_conflict", "declared_at")

    op.create_table(
        "cfp_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in CRITERIA),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *(
            sa.CheckConstraint(f"{name} BETWEEN 1 AND 5", name=op.f(f"ck_cfp_review_{name}_range"))
            for name in CRITERIA
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["cfp_submission.id"],
            name=op.f("fk_cfp_review_submission_id_cfp_submission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_cfp_review_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cfp_review")),
        sa.UniqueConstraint("submission_id", "user_id", name=op.f("uq_cfp_review_submission_id")),
    )
    op.create_index(op.f("ix_cfp_review_submission_id"), "cfp_review", ["submission_id"])
    op.create_index(op.f("ix_cfp_review_user_id"), "cfp_review", ["user_id"])

    op.create_table(
        "cfp_slides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talk_id", sa.Integer(), nullable=False),
        sa.Column("file_key", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["talk_id"], ["talk.id"], name=op.f("fk_cfp_slides_talk_id_talk"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["cfp_speaker.id"],
            name=op.f("fk_cfp_slides_uploaded_by_id_cfp_speaker"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cfp_slides")),
        sa.UniqueConstraint("talk_id", name=op.f("uq_cfp_slides_talk_id")),
    )
    op.create_table(
        "cfp_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["cfp_speaker.id"],
            name=op.f("fk_cfp_reminder_speaker_id_cfp_speaker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cfp_reminder")),
        sa.UniqueConstraint("kind", "speaker_id", name=op.f("uq_cfp_reminder_kind")),
    )
    op.create_index(op.f("ix_cfp_reminder_speaker_id"), "cfp_reminder", ["speaker_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_cfp_reminder_speaker_id"), table_name="cfp_reminder")
    op.drop_table("cfp_reminder")
    op.drop_table("cfp_slides")
    for table in ("cfp_review", "cfp_conflict", "cfp_assignment"):
        op.drop_index(op.f(f"ix_{table}_user_id"), table_name=table)
        op.drop_index(op.f(f"ix_{table}_submission_id"), table_name=table)
        op.drop_table(table)
    with _foreign_keys_off():
        with op.batch_alter_table("cfp_speaker") as batch:
            batch.drop_constraint(op.f("fk_cfp_speaker_speaker_id_speaker"), type_="foreignkey")
            batch.drop_constraint(op.f("ck_cfp_speaker_cfp_participation"), type_="check")
            for column in ("responded_at", "participation", "speaker_id"):
                batch.drop_column(column)
        with op.batch_alter_table("cfp_submission") as batch:
            batch.drop_constraint(op.f("fk_cfp_submission_talk_id_talk"), type_="foreignkey")
            batch.drop_constraint(op.f("ck_cfp_submission_cfp_decision"), type_="check")
            for column in (
                "talk_id",
                "destroyed_at",
                "decision_released_at",
                "decided_at",
                "decision",
                "attachment_size",
                "attachment_name",
                "attachment_key",
            ):
                batch.drop_column(column)
    for column in (
        "respond_by",
        "technical_setup_en",
        "technical_setup",
        "speaker_info_en",
        "speaker_info",
    ):
        op.drop_column("cfp_call", column)
    op.drop_column("user_account", "organisation")
    op.execute(sa.text("DELETE FROM invitation WHERE role = 'reviewer'"))
    op.execute(sa.text("UPDATE user_account SET role = 'editor' WHERE role = 'reviewer'"))
    op.execute(sa.text("DELETE FROM cfp_token WHERE purpose = 'space'"))
    _checks(ROLES_BEFORE, PURPOSES_BEFORE)
