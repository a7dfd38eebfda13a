"""The quote and invoices from the attendee's private link: theirs only, never cached."""

from __future__ import annotations

import pytest

from congress.billing import services
from congress.extensions import db
from tests.factories import make_category, make_registration
from tests.integration.billing.conftest import hospital_details

pytestmark = pytest.mark.integration


@pytest.fixture
def billed(edition):
    category = make_category(edition, name="Établissements de santé")
    registration, token = make_registration(edition, category, "rssi@ch-lemans.example")
    hospital_details(registration)
    return registration, token


def test_private_page_offers_the_quote_of_a_confirmed_paying_registration(client, billed):
    _registration, token = billed
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert f'href="/r/{token}/quote.pdf"' in page

    response = client.get(f"/r/{token}/quote.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="devis-2014-')
    assert response.data.startswith(b"%PDF-")


def test_private_page_lists_the_invoice_and_serves_it(client, billed):
    registration, token = billed
    invoice = services.issue_invoice([registration], issued_by="x")
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert f'href="/r/{token}/invoices/2014-0001.pdf"' in page

    response = client.get(f"/r/{token}/invoices/2014-0001.pdf")
    assert response.status_code == 200
    assert response.data == invoice.pdf
    assert response.headers["Cache-Control"] == "no-store"
    assert 'filename="facture-2014-0001.pdf"' in response.headers["Content-Disposition"]

    data = client.get(f"/r/{token}/data.json").get_json()
    assert data["invoices"] == [
        {
            "reference": "2014-0001",
            "kind": "invoice",
            "issued_on": "2014-03-10",
            "buyer": "Centre hospitalier du Mans",
            "total_incl_vat": "336.00",
        }
    ]


def test_another_attendees_invoice_is_not_found(client, edition, billed):
    registration, _token = billed
    services.issue_invoice([registration], issued_by="x")
    category = make_category(edition)
    _other, other_token = make_registration(edition, category, "autre@example.org")
    assert client.get(f"/r/{other_token}/invoices/2014-0001.pdf").status_code == 404
    assert client.get(f"/r/{other_token}/invoices/2014-0099.pdf").status_code == 404
    assert client.get(f"/r/{other_token}/invoices/x.pdf").status_code == 404


def test_quote_without_organiser_identity_is_a_clear_conflict(client, edition, billed):
    from congress.edition.models import Organiser

    db.session.execute(db.delete(Organiser))
    db.session.commit()
    _registration, token = billed
    response = client.get(f"/r/{token}/quote.pdf")
    assert response.status_code == 409
    assert "identité" in response.get_data(as_text=True)


def test_random_token_gets_no_quote(client, billed):
    assert client.get("/r/" + "A" * 43 + "/quote.pdf").status_code == 404
