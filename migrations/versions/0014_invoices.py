"""Invoices and credit notes (gapless yearly numbering, immutable), payments, reminders.

Revision ID: d6f7a8b9c0e4
Revises: c5e6f7a8b9d3
Create Date: 2026-12-03 07:35:00.000000

The triggers that hold the numbering and immutability rules come from
``congress.billing.guards`` (the statements the tests' schema installs too). A
later change to those rules must be a new migration that drops and recreates
them, never an edit of this one's effect.
"""

import sqlalchemy as sa
from alembic import op

from congress.billing import guards


revision = "d6f7a8b9c0e4"
down_revision = "c5e6f7a8b9d3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "last_number >= 0", name=op.f("ck_invoice_counter_last_number_positive")
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_invoice_counter")),
    )
    op.create_table(
        "invoice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "invoice",
                "credit_note",
                name="document_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("service_start", sa.Date(), nullable=False),
        sa.Column("service_end", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("credited_invoice_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("buyer_name", sa.String(length=200), nullable=False),
        sa.Column("buyer_siret", sa.String(length=14), nullable=False),
        sa.Column("buyer_vat_number", sa.String(length=20), nullable=False),
        sa.Column("buyer_email", sa.String(length=254), nullable=False),
        sa.Column("payer_key", sa.String(length=254), nullable=False),
        sa.Column("public_body", sa.Boolean(), nullable=False),
        sa.Column("service_code", sa.String(length=100), nullable=False),
        sa.Column("order_number", sa.String(length=50), nullable=False),
        sa.Column("net_total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("vat_total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("gross_total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("xml", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'credit_note') = (credited_invoice_id IS NOT NULL)",
            name=op.f("ck_invoice_credit_note_references_invoice"),
        ),
        sa.CheckConstraint(
            "gross_total = net_total + vat_total", name=op.f("ck_invoice_totals_add_up")
        ),
        sa.CheckConstraint("number > 0", name=op.f("ck_invoice_number_positive")),
        sa.ForeignKeyConstraint(
            ["credited_invoice_id"],
            ["invoice.id"],
            name=op.f("fk_invoice_credited_invoice_id_invoice"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_invoice_event_id_event"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice")),
        sa.UniqueConstraint("year", "number", name="uq_invoice_year_number"),
    )
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_credited_invoice_id"), ["credited_invoice_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_invoice_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoice_payer_key"), ["payer_key"], unique=False)

    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "transfer",
                "mandate",
                "cheque",
                name="payment_method",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("recorded_by", sa.String(length=254), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_amount_positive")),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoice.id"],
            name=op.f("fk_payment_invoice_id_invoice"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_invoice_id"), ["invoice_id"], unique=False)

    op.create_table(
        "payment_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("sent_to", sa.String(length=254), nullable=False),
        sa.Column("sent_by", sa.String(length=254), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoice.id"],
            name=op.f("fk_payment_reminder_invoice_id_invoice"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_reminder")),
    )
    with op.batch_alter_table("payment_reminder", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_reminder_invoice_id"), ["invoice_id"], unique=False
        )

    op.create_table(
        "invoice_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=400), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("vat_rate", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("net_amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_invoice_line_quantity_positive")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_invoice_line_unit_price_positive")),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoice.id"],
            name=op.f("fk_invoice_line_invoice_id_invoice"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_invoice_line_registration_id_registration"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_line")),
        sa.UniqueConstraint("invoice_id", "position", name="uq_invoice_line_position"),
    )
    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_line_registration_id"), ["registration_id"], unique=False
        )

    guards.install(op.get_bind())


def downgrade() -> None:
    guards.drop(op.get_bind())
    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_line_registration_id"))

    op.drop_table("invoice_line")
    with op.batch_alter_table("payment_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_reminder_invoice_id"))

    op.drop_table("payment_reminder")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_invoice_id"))

    op.drop_table("payment")
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_credited_invoice_id"))
        batch_op.drop_index(batch_op.f("ix_invoice_payer_key"))
        batch_op.drop_index(batch_op.f("ix_invoice_event_id"))

    op.drop_table("invoice")
    op.drop_table("invoice_counter")
