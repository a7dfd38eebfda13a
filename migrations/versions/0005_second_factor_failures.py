"""Organiser accounts: wrong second-factor codes counted apart from password failures.

Revision ID: a5b1c2d3e4f5
Revises: d2ce3b2ce0f5
Create Date: 2026-12-02 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "a5b1c2d3e4f5"
down_revision = "d2ce3b2ce0f5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "second_factor_failures", sa.Integer(), nullable=False, server_default=sa.text("0")
            )
        )
        batch_op.add_column(
            sa.Column("second_factor_locked_until", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("second_factor_locked_until")
        batch_op.drop_column("second_factor_failures")
