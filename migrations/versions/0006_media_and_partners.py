"""Uploaded images (speakers' photos, partners' logos) and the edition's partners.

Revision ID: b6e1a2c3d4f6
Revises: a5b1c2d3e4f5
Create Date: 2026-12-02 16:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "b6e1a2c3d4f6"
down_revision = "a5b1c2d3e4f5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "media_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "photo",
                "logo",
                name="media_purpose",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("small_width", sa.Integer(), nullable=False),
        sa.Column("small_height", sa.Integer(), nullable=False),
        sa.Column("large_width", sa.Integer(), nullable=False),
        sa.Column("large_height", sa.Integer(), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_image")),
        sa.UniqueConstraint("key", name=op.f("uq_media_image_key")),
    )
    op.create_table(
        "partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "platinum",
                "gold",
                "silver",
                "institutional",
                "media",
                name="partner_level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("logo_key", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_partner_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["logo_key"],
            ["media_image.key"],
            name=op.f("fk_partner_logo_key_media_image"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner")),
    )
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_event_id"), ["event_id"], unique=False)

    with op.batch_alter_table("speaker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("photo_key", sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_speaker_photo_key_media_image"),
            "media_image",
            ["photo_key"],
            ["key"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("speaker", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_speaker_photo_key_media_image"), type_="foreignkey")
        batch_op.drop_column("photo_key")

    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_event_id"))

    op.drop_table("partner")
    op.drop_table("media_image")
