"""Call for papers: the edition's call, submissions, their speakers and private links.

Revision ID: e7f8a9b0c1d5
Revises: d6f7a8b9c0e4
Create Date: 2026-12-03 08:51:00.000000

New tables only (``cfp_*``); no existing table changes. Only hashes of the
private links are stored (``core.tokens``).
"""

import sqlalchemy as sa
from alembic import op

revision = "e7f8a9b0c1d5"
down_revision = "d6f7a8b9c0e4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cfp_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("rules_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_cfp_call_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cfp_call")),
        sa.UniqueConstraint("event_id", name=op.f("uq_cfp_call_event_id")),
    )
    op.create_table(
        "cfp_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "keynote",
                "talk",
                "round_table",
                "workshop",
                "attack_analysis",
                "break",
                "social",
                name="cfp_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("track_id", sa.Integer(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column(
            "disclosure",
            sa.Enum(
                "none",
                "tlp_clear",
                "tlp_green",
                "tlp_amber",
                "tlp_red",
                "chatham_house",
                name="cfp_disclosure",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "submitted",
                "withdrawn",
                name="cfp_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("mail_language", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_cfp_submission_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["track.id"],
            name=op.f("fk_cfp_submission_track_id_track"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cfp_submission")),
        sa.UniqueConstraint("uid", name=op.f("uq_cfp_submission_uid")),
    )
    op.create_index(
        op.f("ix_cfp_submission_event_id"), "cfp_submission", ["event_id"], unique=False
    )
    op.create_table(
        "cfp_speaker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "submitter",
                "co_speaker",
                name="cfp_speaker_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["cfp_submission.id"],
            name=op.f("fk_cfp_speaker_submission_id_cfp_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cfp_speaker")),
    )
    op.create_index(
        op.f("ix_cfp_speaker_submission_id"), "cfp_speaker", ["submission_id"], unique=False
    )
    op.create_table(
        "cfp_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column(
            "purpose",
            sa.Enum(
                "confirm",
                "manage",
                "cospeaker",
                name="cfp_token_purpose",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["cfp_speaker.id"],
            name=op.f("fk_cfp_token_speaker_id_cfp_speaker"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["cfp_submission.id"],
            name=op.f("fk_cfp_token_submission_id_cfp_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cfp_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_cfp_token_token_hash")),
    )
    op.create_index(op.f("ix_cfp_token_speaker_id"), "cfp_token", ["speaker_id"], unique=False)
    op.create_index(
        op.f("ix_cfp_token_submission_id"), "cfp_token", ["submission_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_cfp_token_submission_id"), table_name="cfp_token")
    op.drop_index(op.f("ix_cfp_token_speaker_id"), table_name="cfp_token")
    op.drop_table("cfp_token")
    op.drop_index(op.f("ix_cfp_speaker_submission_id"), table_name="cfp_speaker")
    op.drop_table("cfp_speaker")
    op.drop_index(op.f("ix_cfp_submission_event_id"), table_name="cfp_submission")
    op.drop_table("cfp_submission")
    op.drop_table("cfp_call")
