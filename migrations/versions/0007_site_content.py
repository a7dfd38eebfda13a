"""Editable site content (home and practical sections) and the venue's coordinates.

Revision ID: c7f2b3d4e5a7
Revises: b6e1a2c3d4f6
Create Date: 2026-12-02 16:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "c7f2b3d4e5a7"
down_revision = "b6e1a2c3d4f6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_site_section_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_section")),
        sa.UniqueConstraint("event_id", "key", name="uq_site_section_event_key"),
    )
    with op.batch_alter_table("site_section", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_section_event_id"), ["event_id"], unique=False)
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("longitude")
        batch_op.drop_column("latitude")
    with op.batch_alter_table("site_section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_section_event_id"))
    op.drop_table("site_section")
