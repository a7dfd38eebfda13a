"""Invoices past their ten years are deleted by the purge; younger ones, and their credit
notes' invoices, stay."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from congress.audit.models import AuditEntry
from congress.billing import retention, services
from congress.billing.models import Invoice, Payment
from congress.core import clock
from congress.extensions import db
from tests.factories import make_category, make_registration
from tests.integration.billing.conftest import hospital_details

pytestmark = pytest.mark.integration


def test_kept_since_counts_from_the_end_of_the_year_of_issue():
    assert retention.kept_since(date(2024, 12, 31)) == date(2014, 1, 1)
    assert retention.kept_since(date(2025, 1, 1)) == date(2015, 1, 1)


def test_purge_deletes_the_2014_invoice_and_keeps_a_recent_one(edition, hospital_registration):
    old = services.issue_invoice([hospital_registration], issued_by="x")  # March 2014
    db.session.add(
        Payment(invoice_id=old.id, amount=old.gross_total, method="transfer", paid_on=old.issued_on)
    )
    db.session.commit()
    clock.set_clock(None)  # today, by the database's clock too
    category = make_category(edition, name="Industriels")
    recent_registration, _ = make_registration(edition, category, "recent@ch.example")
    hospital_details(recent_registration)
    recent = services.issue_invoice([recent_registration], issued_by="x")

    assert retention.forget_expired() == 1

    assert db.session.scalars(db.select(Invoice.id)).all() == [recent.id]
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 0
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "invoice.forgotten"))
    assert entry is not None
    assert retention.forget_expired() == 0


def test_an_old_invoice_credited_recently_stays_with_its_credit_note(hospital_registration):
    invoice = services.issue_invoice([hospital_registration], issued_by="x")  # March 2014
    clock.set_clock(lambda: datetime.now(UTC))
    services.credit(invoice, issued_by="x")

    assert retention.forget_expired() == 0
    assert db.session.scalar(db.select(db.func.count(Invoice.id))) == 2
