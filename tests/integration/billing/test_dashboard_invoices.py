"""Organisers' invoicing pages: issue by payer, pay in parts, remind, credit, export."""

from __future__ import annotations

from decimal import Decimal

import pytest

from congress.billing.models import DocumentKind, Invoice, Payment, PaymentReminder
from congress.extensions import db
from congress.mail.models import OutboxMessage
from tests.factories import HOSPITAL_SIRET, make_category, make_registration
from tests.http import csrf_from

pytestmark = pytest.mark.integration

PAYER = f"siret:{HOSPITAL_SIRET}"


def _post(client, page: str, action: str, data: dict | None = None):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **(data or {})})


@pytest.fixture
def admin(login_as, hospital_registration):
    return login_as("admin")


def test_desk_and_editor_cannot_open_invoices(login_as, hospital_registration):
    client = login_as("desk")
    for path in ("/dashboard/invoices", "/dashboard/payments", "/dashboard/exports/accounting.csv"):
        assert client.get(path).status_code == 403


def test_admin_issues_the_payers_invoice_from_the_list(admin):
    page = admin.get("/dashboard/invoices").get_data(as_text=True)
    assert "Centre hospitalier du Mans" in page
    assert f'value="{PAYER}"' in page

    response = _post(admin, "/dashboard/invoices", "/dashboard/invoices/issue", {"payer": PAYER})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard/invoices/2014-0001")
    invoice = db.session.scalar(db.select(Invoice))
    assert invoice.reference == "2014-0001"
    assert invoice.issued_by.startswith("admin")
    pdf = admin.get("/dashboard/invoices/2014-0001.pdf")
    assert pdf.data == invoice.pdf
    assert pdf.headers["Cache-Control"] == "no-store"


def test_issuing_twice_is_refused_with_a_message(admin):
    _post(admin, "/dashboard/invoices", "/dashboard/invoices/issue", {"payer": PAYER})
    response = _post(admin, "/dashboard/invoices", "/dashboard/invoices/issue", {"payer": PAYER})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard/invoices")
    assert db.session.scalar(db.select(db.func.count(Invoice.id))) == 1


def test_partial_payments_then_settled(admin):
    _post(admin, "/dashboard/invoices", "/dashboard/invoices/issue", {"payer": PAYER})
    page = "/dashboard/invoices/2014-0001"
    action = f"{page}/payments"
    first = _post(
        admin,
        page,
        action,
        {
            "amount": "200,00",
            "method": "mandate",
            "paid_on": "2014-03-10",
            "reference": "M-1",
        },
    )
    assert first.status_code == 302
    too_much = _post(
        admin,
        page,
        action,
        {
            "amount": "200",
            "method": "transfer",
            "paid_on": "2014-03-10",
            "reference": "",
        },
    )
    assert too_much.status_code == 400
    text = too_much.get_data(as_text=True)
    assert 'value="200"' in text  # what was typed is kept
    assert "136,00" in text
    future = _post(
        admin,
        page,
        action,
        {
            "amount": "136",
            "method": "transfer",
            "paid_on": "2014-03-11",
            "reference": "",
        },
    )
    assert future.status_code == 400
    rest = _post(
        admin,
        page,
        action,
        {
            "amount": "136",
            "method": "transfer",
            "paid_on": "2014-03-10",
            "reference": "VIR 42",
        },
    )
    assert rest.status_code == 302
    amounts = db.session.scalars(db.select(Payment.amount).order_by(Payment.id)).all()
    assert amounts == [Decimal("200.00"), Decimal("136.00")]
    assert "Payée" in admin.get("/dashboard/invoices").get_data(as_text=True) or "Paid" in (
        admin.get("/dashboard/invoices").get_data(as_text=True)
    )


def test_bad_amount_is_a_400_keeping_the_input(admin):
    _post(admin, "/dashboard/invoices", "/dashboard/invoices/issue", {"payer": PAYER})
    page = "/dashboard/invoices/2014-0001"
    response = _post(
        admin,
        page,
        f"{page}/payments",
        {
            "amount": "trois cents",
            "method": "cheque",
            "paid_on": "2014-03-10",
            "reference": "",
        },
    )
    assert response.status_code == 400
    assert 'value="trois cents"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 0


def test_reminder_goes_to_the_invoicing_address_with_the_pdf(admin):
    _post(admin, "/dashboard/invoices", "/dashboard/invoices/issue", {"payer": PAYER})
    page = "/dashboard/invoices/2014-0001"
    response = _post(admin, page, f"{page}/remind")
    assert response.status_code == 302
    message = db.session.scalar(
        db.select(OutboxMessage).where(OutboxMessage.kind == "payment_reminder")
    )
    assert message.to_address == "factures@ch-lemans.example"
    assert "2014-0001" in message.subject
    assert "EJ-2014-0042" in message.body_text
    assert [a["filename"] for a in message.attachments] == ["facture-2014-0001.pdf"]
    assert db.session.scalar(db.select(db.func.count(PaymentReminder.id))) == 1


def test_credit_note_from_the_dashboard_leaves_the_invoice_whole(admin):
    _post(admin, "/dashboard/invoices", "/dashboard/invoices/issue", {"payer": PAYER})
    page = "/dashboard/invoices/2014-0001"
    response = _post(admin, page, f"{page}/credit")
    assert response.status_code == 302
    kinds = db.session.execute(
        db.select(Invoice.number, Invoice.kind, Invoice.credited_invoice_id).order_by(
            Invoice.number
        )
    ).all()
    assert [(n, k) for n, k, _ in kinds] == [
        (1, DocumentKind.INVOICE),
        (2, DocumentKind.CREDIT_NOTE),
    ]
    again = _post(admin, page, f"{page}/credit")
    assert again.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Invoice.id))) == 2
    # The registration may be invoiced again.
    assert PAYER in admin.get("/dashboard/invoices").get_data(as_text=True)


def test_accountant_export_lists_invoice_credit_note_and_payment_the_french_way(admin, edition):
    _post(admin, "/dashboard/invoices", "/dashboard/invoices/issue", {"payer": PAYER})
    page = "/dashboard/invoices/2014-0001"
    _post(
        admin,
        page,
        f"{page}/payments",
        {
            "amount": "100",
            "method": "mandate",
            "paid_on": "2014-03-10",
            "reference": "=HACK()",
        },
    )
    _post(admin, page, f"{page}/credit")
    response = admin.get("/dashboard/exports/accounting.csv")
    assert response.status_code == 200
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Type;Numéro;Date;")
    assert lines[1].startswith("Facture;2014-0001;10/03/2014;Centre hospitalier du Mans;")
    assert ";280,00;56,00;336,00;" in lines[1]
    assert lines[2].startswith("Avoir;2014-0002;10/03/2014;")
    assert ";-280,00;-56,00;-336,00;" in lines[2]
    assert lines[3].startswith("Paiement;2014-0001;10/03/2014;")
    assert lines[3].endswith(";Mandat administratif;'=HACK()")


def test_payments_page_ages_what_is_owed(admin, edition):
    _post(admin, "/dashboard/invoices", "/dashboard/invoices/issue", {"payer": PAYER})
    page = admin.get("/dashboard/payments").get_data(as_text=True)
    assert "Centre hospitalier du Mans" in page
    assert "336,00" in page


def test_incomplete_billing_details_are_named_instead_of_a_button(admin, edition):
    category = make_category(edition, name="Industriels")
    make_registration(
        edition, category, "vendeur@editeur.example", first_name="Luc", last_name="Roy"
    )
    page = admin.get("/dashboard/invoices").get_data(as_text=True)
    assert "Luc Roy" in page
