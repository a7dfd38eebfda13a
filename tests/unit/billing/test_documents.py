"""The facts of an invoice and its EN 16931 XML, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from congress.billing import facturx, guards
from congress.billing.document import DocumentFacts, Kind, Line, Party, Payee
from congress.billing.models import RETENTION_YEARS

pytestmark = pytest.mark.unit

SELLER = Party(
    "APSSIS",
    "12 rue de l'Exemple",
    "72000",
    "Le Mans",
    siret="81234567600017",
    vat_number="FR19812345676",
)
BUYER = Party("CH du Mans", "194 avenue Rubillard", "72037", "Le Mans", siret="26720000400013")
PAYEE = Payee("FR7630006000011234567890189", "AGRIFRPP", "Banque", Decimal("10.00"), 30)
NS = {"rsm": facturx.RSM, "ram": facturx.RAM}


def _facts(
    kind: Kind = Kind.INVOICE, lines: tuple[Line, ...] | None = None, **extra
) -> DocumentFacts:
    return DocumentFacts(
        kind=kind,
        reference="2014-0007",
        issued_on=date(2014, 3, 10),
        service_start=date(2014, 4, 1),
        service_end=date(2014, 4, 3),
        due_on=date(2014, 4, 9),
        seller=SELLER,
        buyer=BUYER,
        lines=lines or (Line("Inscription", Decimal("1"), Decimal("280.00"), Decimal("20.00")),),
        payee=PAYEE,
        edition_name="APSSIS 2014",
        **extra,
    )


def test_vat_is_computed_on_the_sum_of_lines_not_line_by_line():
    # 3 x 33.33 at 20 %: per line 6.67 x 3 = 20.01; on the sum 99.99 x 20 % = 20.00.
    line = Line("Atelier", Decimal("1"), Decimal("33.33"), Decimal("20.00"))
    facts = _facts(lines=(line, line, line))
    assert (facts.net_total, facts.vat_total, facts.gross_total) == (
        Decimal("99.99"),
        Decimal("20.00"),
        Decimal("119.99"),
    )


def test_line_net_is_quantity_times_price_rounded_half_up():
    assert Line("x", Decimal("3"), Decimal("0.125"), Decimal("20")).net == Decimal("0.38")


def test_exempt_document_has_no_vat():
    facts = _facts(vat_exemption="TVA non applicable, art. 293 B du CGI")
    assert (facts.vat_total, facts.gross_total) == (Decimal("0.00"), Decimal("280.00"))


@pytest.mark.parametrize(
    "facts",
    [
        _facts(),
        _facts(buyer_reference="DSI-SECU", order_number="EJ-1"),
        _facts(
            Kind.CREDIT_NOTE, preceding_reference="2014-0001", preceding_issued_on=date(2014, 3, 1)
        ),
        _facts(vat_exemption="TVA non applicable, art. 293 B du CGI"),
    ],
    ids=["invoice", "public-buyer", "credit-note", "exempt"],
)
def test_xml_validates_against_the_factur_x_en16931_schema(facts):
    xml = facturx.build_xml(facts)
    facturx.check(xml)
    root = etree.fromstring(xml)
    totals = root.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
    grand = Decimal(totals.findtext("ram:GrandTotalAmount", namespaces=NS))
    basis = Decimal(totals.findtext("ram:TaxBasisTotalAmount", namespaces=NS))
    tax = Decimal(totals.findtext("ram:TaxTotalAmount", namespaces=NS))
    assert grand == basis + tax  # BR-CO-15


def test_schema_check_refuses_a_broken_document():
    xml = facturx.build_xml(_facts()).replace(
        b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:Bogus>380</ram:Bogus>", 1
    )
    with pytest.raises(facturx.InvalidInvoiceXML):
        facturx.check(xml)


def test_a_quote_has_no_invoice_xml():
    with pytest.raises(ValueError, match="quote"):
        facturx.build_xml(_facts(Kind.QUOTE))


def test_the_triggers_keep_invoices_the_retention_period_the_notice_states():
    statements = " ".join(guards._SQLITE_CREATE + guards._PG_CREATE)
    assert RETENTION_YEARS == 10
    assert statements.count(f"-{RETENTION_YEARS} years") == 2
    assert statements.count(f"interval '{RETENTION_YEARS} years'") == 2
