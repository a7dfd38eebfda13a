"""Organiser identity, attendees' billing details, certificate sending.

Revision ID: c5e6f7a8b9d3
Revises: b4d5e6f7a8c2
Create Date: 2026-12-03 07:30:00.000000

``organiser``: one row per edition, the seller its quotes, invoices and
certificates name (identity, SIRET, VAT number, bank details, payment terms,
training-body declaration). ``billing_details``: who pays a registration (the
attendee or an employer, public or not) and the buyer's references a public
payer needs on its invoice (Chorus Pro service code, engagement number).
``registration.certificate_sent_at``: the attendance certificate is sent once.

A plain ``ADD/DROP COLUMN`` on ``registration``: a batch would rebuild the
table on SQLite, and dropping it with foreign keys on would cascade to every
agenda item, token and check-in.
"""

import sqlalchemy as sa
from alembic import op


revision = "c5e6f7a8b9d3"
down_revision = "b4d5e6f7a8c2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organiser",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("legal_form", sa.String(length=120), nullable=False),
        sa.Column("share_capital", sa.String(length=60), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postcode", sa.String(length=16), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("siret", sa.String(length=14), nullable=False),
        sa.Column("vat_number", sa.String(length=20), nullable=False),
        sa.Column("registry", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=False),
        sa.Column("bank_name", sa.String(length=120), nullable=False),
        sa.Column("training_declaration", sa.String(length=40), nullable=False),
        sa.Column("signatory", sa.String(length=120), nullable=False),
        sa.Column(
            "late_payment_rate",
            sa.Numeric(precision=5, scale=2),
            server_default="10.00",
            nullable=False,
        ),
        sa.Column("payment_days", sa.Integer(), server_default="30", nullable=False),
        sa.Column("quote_validity_days", sa.Integer(), server_default="30", nullable=False),
        sa.Column(
            "invoice_on_confirmation", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.CheckConstraint(
            "payment_days BETWEEN 0 AND 60", name=op.f("ck_organiser_payment_days_range")
        ),
        sa.CheckConstraint(
            "quote_validity_days BETWEEN 1 AND 365", name=op.f("ck_organiser_quote_validity_range")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_organiser_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organiser")),
        sa.UniqueConstraint("event_id", name=op.f("uq_organiser_event_id")),
    )
    op.create_table(
        "billing_details",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column(
            "payer",
            sa.Enum(
                "self",
                "employer",
                name="payer",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("public_body", sa.Boolean(), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("siret", sa.String(length=14), nullable=False),
        sa.Column("vat_number", sa.String(length=20), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postcode", sa.String(length=16), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("service_code", sa.String(length=100), nullable=False),
        sa.Column("order_number", sa.String(length=50), nullable=False),
        sa.Column("invoice_email", sa.String(length=254), nullable=False),
        sa.Column("invoiced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_billing_details_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_details")),
        sa.UniqueConstraint("registration_id", name=op.f("uq_billing_details_registration_id")),
    )
    op.add_column(
        "registration", sa.Column("certificate_sent_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("registration", "certificate_sent_at")
    op.drop_table("billing_details")
    op.drop_table("organiser")
