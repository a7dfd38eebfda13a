"""Organisers' messages to attendees and their recipients (sent once each).

Revision ID: f2b3c4d5e6fa
Revises: e1a2b3c4d5e9
Create Date: 2026-12-02 21:00:00.000000

New tables only. UNIQUE(message_id, registration_id) is what makes a retried
send give no one the message twice.
"""

import sqlalchemy as sa
from alembic import op

revision = "f2b3c4d5e6fa"
down_revision = "e1a2b3c4d5e9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("subject_en", sa.String(length=300), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=40), nullable=False),
        sa.Column("audience_parameter", sa.String(length=40), nullable=False),
        sa.Column("audience_label", sa.String(length=400), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("sender_label", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_message_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["user_account.id"],
            name=op.f("fk_message_sender_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_event_id"), ["event_id"], unique=False)
    op.create_table(
        "message_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("outbox_uid", sa.String(length=36), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
            name=op.f("fk_message_recipient_message_id_message"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_message_recipient_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_recipient")),
        sa.UniqueConstraint(
            "message_id", "registration_id", name="uq_message_recipient_message_registration"
        ),
    )
    with op.batch_alter_table("message_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_recipient_registration_id"), ["registration_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_message_recipient_outbox_uid"), ["outbox_uid"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("message_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_recipient_outbox_uid"))
        batch_op.drop_index(batch_op.f("ix_message_recipient_registration_id"))
    op.drop_table("message_recipient")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_event_id"))
    op.drop_table("message")
