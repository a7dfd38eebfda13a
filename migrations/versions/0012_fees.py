"""Fees: the edition's VAT configuration and an early-bird price per ticket category.

Revision ID: b4d5e6f7a8c2
Revises: a3c4d5e6f7b1
Create Date: 2026-12-02 22:00:00.000000

``event.vat_rate`` (20.00 for existing editions, the French standard rate) and
``event.vat_exemption`` (empty: VAT applies); ``ticket_category.early_price_cents``
and ``early_until``, both nullable: existing categories have no early-bird price.

Plain ``ADD/DROP COLUMN`` rather than a batch: a batch rebuilds the table on
SQLite, and dropping ``event`` or ``ticket_category`` with foreign keys on would
cascade to every registration. The early-price CHECK is added with the column on
SQLite (which cannot add a constraint to an existing table) and as a named
constraint on PostgreSQL.
"""

import sqlalchemy as sa
from alembic import op

revision = "b4d5e6f7a8c2"
down_revision = "a3c4d5e6f7b1"
branch_labels = None
depends_on = None

EARLY_CHECK = (
    "early_price_cents IS NULL OR (early_price_cents >= 0 AND early_price_cents <= price_cents)"
)


def upgrade() -> None:
    op.add_column(
        "event",
        sa.Column("vat_rate", sa.Numeric(5, 2), nullable=False, server_default="20.00"),
    )
    op.add_column(
        "event",
        sa.Column("vat_exemption", sa.String(length=200), nullable=False, server_default=""),
    )
    op.add_column(
        "ticket_category", sa.Column("early_until", sa.DateTime(timezone=True), nullable=True)
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE ticket_category ADD COLUMN early_price_cents INTEGER "
            f"CONSTRAINT ck_ticket_category_early_price_range CHECK ({EARLY_CHECK})"
        )
    else:
        op.add_column(
            "ticket_category", sa.Column("early_price_cents", sa.Integer(), nullable=True)
        )
        op.create_check_constraint(
            "ck_ticket_category_early_price_range", "ticket_category", EARLY_CHECK
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("ck_ticket_category_early_price_range", "ticket_category", type_="check")
    op.drop_column("ticket_category", "early_price_cents")
    op.drop_column("ticket_category", "early_until")
    op.drop_column("event", "vat_exemption")
    op.drop_column("event", "vat_rate")
