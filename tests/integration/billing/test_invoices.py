"""Issuing invoices and credit notes: numbers, amounts, Factur-X content, immutability."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from congress.billing import facturx, services
from congress.billing.models import DocumentKind, Invoice, InvoiceCounter
from congress.core import clock
from congress.core.errors import Conflict
from congress.extensions import db
from congress.registration import services as registration_services
from congress.registration.models import Registration
from tests.factories import HOSPITAL_SIRET, make_category, make_registration
from tests.integration.billing.conftest import hospital_details

pytestmark = pytest.mark.integration

NS = {
    "rsm": facturx.RSM,
    "ram": facturx.RAM,
    "udt": facturx.UDT,
    "qdt": facturx.QDT,
}


def _xml_of(pdf: bytes) -> etree._Element:
    reader = PdfReader(io.BytesIO(pdf))
    attachments = reader.attachments
    assert list(attachments) == ["factur-x.xml"]
    xml = attachments["factur-x.xml"][0]
    facturx.check(xml)
    return etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_invoice_is_numbered_from_one_in_its_year_and_carries_the_buyers_references(
    hospital_registration,
):
    invoice = services.issue_invoice([hospital_registration], issued_by="admin@apssis.example")

    assert (invoice.year, invoice.number, invoice.reference) == (2014, 1, "2014-0001")
    assert invoice.kind is DocumentKind.INVOICE
    assert invoice.issued_on == date(2014, 3, 10)
    assert invoice.due_on == date(2014, 4, 9)  # 30 days
    assert (invoice.net_total, invoice.vat_total, invoice.gross_total) == (
        Decimal("280.00"),
        Decimal("56.00"),
        Decimal("336.00"),
    )
    root = _xml_of(invoice.pdf)
    assert root.findtext("rsm:ExchangedDocument/ram:ID", namespaces=NS) == "2014-0001"
    assert root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "380"
    agreement = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
    assert root.findtext(f"{agreement}/ram:BuyerReference", namespaces=NS) == "DSI-SECU"
    assert (
        root.findtext(
            f"{agreement}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", namespaces=NS
        )
        == "EJ-2014-0042"
    )
    buyer_id = root.find(
        f"{agreement}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", namespaces=NS
    )
    assert (buyer_id.text, buyer_id.get("schemeID")) == (HOSPITAL_SIRET, "0009")
    totals = root.find(
        "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
        "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
        namespaces=NS,
    )
    assert [
        totals.findtext(f"ram:{name}", namespaces=NS)
        for name in (
            "LineTotalAmount",
            "TaxBasisTotalAmount",
            "TaxTotalAmount",
            "GrandTotalAmount",
            "DuePayableAmount",
        )
    ] == ["280.00", "280.00", "56.00", "336.00", "336.00"]


def test_invoice_pdf_states_the_mandatory_mentions(hospital_registration):
    invoice = services.issue_invoice([hospital_registration], issued_by="admin@apssis.example")
    words = " ".join(_text(invoice.pdf).split())

    for mention in (
        "Facture",
        "2014-0001",
        "Association de test",  # seller
        "SIRET 81234567600017",
        "FR19812345676",  # seller's VAT number
        "Centre hospitalier du Mans",  # buyer
        "267200004 / 26720000400013",  # buyer's SIREN and SIRET
        "EJ-2014-0042",
        "DSI-SECU",
        "10/03/2014",  # issue date
        "01/04/2014 – 03/04/2014",  # service dates
        "09/04/2014",  # due date
        "TVA 20 %",
        "336,00",
        "40 €",
        "FR7630006000011234567890189",
        "Marie Durand",
    ):
        assert mention in words, mention


def test_pdf_is_pdf_a_3_with_factur_x_metadata(hospital_registration):
    invoice = services.issue_invoice([hospital_registration], issued_by="x")
    reader = PdfReader(io.BytesIO(invoice.pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "EN 16931" in xmp


def test_second_invoice_of_the_same_registration_is_refused(hospital_registration):
    services.issue_invoice([hospital_registration], issued_by="x")
    with pytest.raises(Conflict, match="déjà facturée"):
        services.issue_invoice([hospital_registration], issued_by="x")
    assert db.session.scalar(db.select(InvoiceCounter.last_number)) == 1


def test_refused_issue_gives_its_number_back(edition, hospital_registration):
    other_category = make_category(edition, name="Industriels")
    incomplete, _ = make_registration(edition, other_category, "dsi@clinique.example")
    with pytest.raises(Conflict, match="incomplètes"):
        services.issue_invoice([incomplete], issued_by="x")
    db.session.rollback()
    invoice = services.issue_invoice([hospital_registration], issued_by="x")
    assert invoice.number == 1


def test_payer_invoice_groups_its_registrations_on_one_invoice(edition, hospital_registration):
    category = hospital_registration.category
    colleague, _ = make_registration(
        edition, category, "dpo@ch-lemans.example", first_name="Paul", last_name="Martin"
    )
    hospital_details(colleague)
    groups = services.invoiceable(edition)
    assert list(groups) == [f"siret:{HOSPITAL_SIRET}"]

    invoice = services.issue_for_payer(edition, f"siret:{HOSPITAL_SIRET}", issued_by="x")

    assert [line.description.rsplit("– ", 1)[1] for line in invoice.lines] == [
        "Marie Durand",
        "Paul Martin",
    ]
    assert invoice.gross_total == Decimal("672.00")
    assert services.invoiceable(edition) == {}


def test_cancelling_an_invoiced_registration_issues_a_credit_note_and_keeps_the_invoice(
    hospital_registration,
):
    invoice = services.issue_invoice([hospital_registration], issued_by="x")
    pdf_before, xml_before = invoice.pdf, invoice.xml

    registration_services.cancel(hospital_registration)

    notes = db.session.scalars(
        db.select(Invoice).where(Invoice.kind == DocumentKind.CREDIT_NOTE)
    ).all()
    assert len(notes) == 1
    note = notes[0]
    assert (note.reference, note.credited_invoice_id) == ("2014-0002", invoice.id)
    assert note.gross_total == Decimal("336.00")
    root = _xml_of(note.pdf)
    assert root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "381"
    preceding = root.find(
        "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
        "ram:InvoiceReferencedDocument",
        namespaces=NS,
    )
    assert preceding.findtext("ram:IssuerAssignedID", namespaces=NS) == "2014-0001"
    assert "Avoir sur la facture n° 2014-0001 du 10/03/2014" in " ".join(_text(note.pdf).split())
    db.session.expire_all()
    kept = db.session.get(Invoice, invoice.id)
    assert (kept.pdf, kept.xml) == (pdf_before, xml_before)
    assert services.open_invoice_of(hospital_registration) is None


def test_exempt_edition_invoices_without_vat_and_with_its_mention(edition, hospital_registration):
    edition.vat_exemption = "TVA non applicable, art. 293 B du CGI"
    db.session.commit()
    invoice = services.issue_invoice([hospital_registration], issued_by="x")
    assert (invoice.vat_total, invoice.gross_total) == (Decimal("0.00"), Decimal("280.00"))
    root = _xml_of(invoice.pdf)
    tax = root.find(
        "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
        "ram:ApplicableTradeTax",
        namespaces=NS,
    )
    assert tax.findtext("ram:CategoryCode", namespaces=NS) == "E"
    assert tax.findtext("ram:ExemptionReason", namespaces=NS) == edition.vat_exemption
    assert "TVA non applicable, art. 293 B du CGI" in _text(invoice.pdf)


def test_an_issued_invoice_cannot_be_updated_or_deleted_even_in_sql(hospital_registration):
    # Issued today by the database's clock: within its ten years (one issued in March
    # 2014 may be deleted since 2024, see the next test).
    clock.set_clock(None)
    invoice = services.issue_invoice([hospital_registration], issued_by="x")
    for statement in (
        "UPDATE invoice SET gross_total = 1, net_total = 1, vat_total = 0",
        "UPDATE invoice_line SET description = 'autre'",
        "DELETE FROM invoice_line",
        "DELETE FROM invoice",
        "UPDATE invoice_counter SET last_number = 7",
        "DELETE FROM invoice_counter",
    ):
        with pytest.raises((IntegrityError, DBAPIError)):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.get(Invoice, invoice.id).gross_total == Decimal("336.00")


def test_an_invoice_past_its_ten_years_may_be_deleted(hospital_registration):
    services.issue_invoice([hospital_registration], issued_by="x")  # March 2014
    db.session.execute(text("DELETE FROM invoice_line"))
    db.session.execute(text("DELETE FROM invoice"))
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Invoice.id))) == 0


def test_an_invoice_number_other_than_the_counters_is_refused(hospital_registration):
    invoice = services.issue_invoice([hospital_registration], issued_by="x")
    columns = (
        "event_id, kind, year, number, issued_on, service_start, service_end, due_on, language, "
        "currency, buyer_name, buyer_siret, buyer_vat_number, buyer_email, payer_key, "
        "public_body, service_code, order_number, net_total, vat_total, gross_total, xml, pdf, "
        "pdf_sha256, issued_by, created_at"
    )
    chosen = columns.replace("number,", ":n,", 1)
    copy = f"INSERT INTO invoice ({columns}) SELECT {chosen} FROM invoice WHERE id = :id"  # noqa: S608
    for number in (3, 1):  # a gap; a repeat
        with pytest.raises((IntegrityError, DBAPIError)):
            db.session.execute(text(copy), {"n": number, "id": invoice.id})
        db.session.rollback()


def test_free_registration_has_nothing_to_invoice(edition):
    category = make_category(edition, name="Invités")
    category.price_cents = 0
    db.session.commit()
    guest, _ = make_registration(edition, category, "invite@example.org")
    with pytest.raises(Conflict, match="gratuite"):
        services.issue_invoice([guest], issued_by="x")


def test_quote_pdf_names_validity_and_references(hospital_registration):
    facts = services.quote(hospital_registration)
    assert facts.reference == f"DEVIS-2014-{hospital_registration.id:05d}"
    assert facts.due_on == date(2014, 4, 9)
    words = " ".join(_text(services.quote_pdf(hospital_registration)).split())
    assert "Devis" in words
    assert "Valable jusqu’au 09/04/2014" in words
    assert "336,00" in words
    assert db.session.scalar(db.select(InvoiceCounter.last_number)) is None  # not numbered


def test_waiting_registration_gets_no_quote(edition):
    category = make_category(edition, capacity=0, name="Complet")
    waiting, _ = make_registration(edition, category, "attente@example.org")
    assert db.session.get(Registration, waiting.id).status.value == "waiting"
    with pytest.raises(Conflict):
        services.quote(waiting)


def test_retention_purge_erases_the_attendee_and_keeps_the_invoice_whole(
    hospital_registration,
):
    from datetime import UTC, datetime

    from congress.registration import retention

    invoice = services.issue_invoice([hospital_registration], issued_by="x")
    kept = (invoice.pdf, invoice.xml, invoice.buyer_name, invoice.lines[0].description)
    clock.set_clock(lambda: datetime(2016, 1, 1, tzinfo=UTC))

    report = retention.purge()

    assert report.registrations == 1
    db.session.expire_all()
    erased = db.session.get(Registration, hospital_registration.id)
    assert erased.erased_at is not None
    assert "Durand" not in (erased.first_name + erased.last_name + erased.email)
    again = db.session.get(Invoice, invoice.id)
    assert (again.pdf, again.xml, again.buyer_name, again.lines[0].description) == kept


def test_invoice_on_confirmation_when_the_edition_asks_for_it(edition):
    from congress.edition.queries import organiser_of
    from congress.registration import services as registration_services
    from tests.factories import confirm_token_for, registration_data

    organiser_of(edition).invoice_on_confirmation = True
    db.session.commit()
    category = make_category(edition, name="Établissements de santé")
    pending = registration_services.register(
        edition, registration_data(category, "auto@ch-lemans.example"), language="fr"
    )
    hospital_details(pending)

    registration_services.confirm(confirm_token_for(pending))

    invoice = services.open_invoice_of(pending)
    assert invoice is not None
    assert (invoice.reference, invoice.issued_by) == ("2014-0001", "system")


def test_no_invoice_on_confirmation_by_default(hospital_registration):
    assert services.open_invoice_of(hospital_registration) is None
