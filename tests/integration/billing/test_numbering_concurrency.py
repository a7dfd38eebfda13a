"""Fifty organisers issuing invoices at the same instant get numbers 1..50, no gap, no repeat.

PostgreSQL only: real row locks between real concurrent transactions, each
thread with its own connection (SQLite runs one writer at a time).
"""

from __future__ import annotations

import threading

import pytest

from congress.billing import services
from congress.billing.models import Invoice
from congress.extensions import db
from congress.registration.models import Registration
from tests.conftest import IS_POSTGRES
from tests.factories import make_category, make_registration
from tests.integration.billing.conftest import hospital_details

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not IS_POSTGRES,
        reason="needs PostgreSQL's concurrent writers; make test runs this file on PostgreSQL",
    ),
]

ISSUERS = 50


def test_fifty_concurrent_issues_number_one_to_fifty(app, edition):
    category = make_category(edition, capacity=ISSUERS)
    ids = []
    for index in range(ISSUERS):
        registration, _ = make_registration(edition, category, f"r{index}@ch.example")
        hospital_details(registration, legal_name=f"Clinique {index}", siret="", public_body=False)
        ids.append(registration.id)
    db.session.remove()
    barrier = threading.Barrier(ISSUERS)
    errors: list[BaseException] = []

    def run(registration_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                registration = db.session.get(Registration, registration_id)
                services.issue_invoice([registration], issued_by="x")
            except BaseException as error:  # reported below, with the numbers
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    numbers = sorted(db.session.scalars(db.select(Invoice.number).where(Invoice.year == 2014)))
    assert errors == []
    assert numbers == list(range(1, ISSUERS + 1))
