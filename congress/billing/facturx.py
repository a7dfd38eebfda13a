"""EN 16931 invoices as Cross Industry Invoice XML, embedded in a PDF/A-3 (Factur-X).

Why these choices: Chorus Pro reads a Factur-X file as structured data, so a
public hospital's accounts department gets the invoice without retyping; the
EN 16931 profile is the full European invoice (MINIMUM and BASIC WL are not
invoices on their own). The element order follows the Factur-X 1.08 XSD that
the ``factur-x`` package ships and checks against; Chorus Pro's mapping puts
the buyer's service code in BT-10 (``BuyerReference``) and the engagement number
in BT-13 (``BuyerOrderReferencedDocument``); parties are identified by SIRET
(scheme 0009) and VAT number (scheme VA).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # nosec B405
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from congress.billing.document import DocumentFacts, Kind, Party

# ElementTree only serialises here (the tree is ours); nothing untrusted is parsed.

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
EN16931 = "urn:cen.eu:en16931:2017"
SEPA_CREDIT_TRANSFER = "58"  # UNTDID 4461
SIRET_SCHEME = "0009"  # ISO 6523 ICD of the French SIRET
PIECE = "C62"  # UN/ECE rec. 20 "one": a registration is counted in units

for _prefix, _uri in (("rsm", RSM), ("ram", RAM), ("udt", UDT), ("qdt", QDT)):
    ET.register_namespace(_prefix, _uri)

TYPE_CODES = {Kind.INVOICE: "380", Kind.CREDIT_NOTE: "381"}


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    ns, _, name = tag.partition(":")
    uri = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}[ns]
    element = ET.SubElement(parent, f"{{{uri}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _date(parent: ET.Element, tag: str, day: date, *, qualified: bool = False) -> None:
    holder = _el(parent, tag)
    _el(
        holder,
        "qdt:DateTimeString" if qualified else "udt:DateTimeString",
        day.strftime("%Y%m%d"),
        format="102",
    )


def _party(parent: ET.Element, tag: str, party: Party) -> None:
    element = _el(parent, tag)
    _el(element, "ram:Name", party.name)
    if party.siret:
        legal = _el(element, "ram:SpecifiedLegalOrganization")
        _el(legal, "ram:ID", party.siret, schemeID=SIRET_SCHEME)
    address = _el(element, "ram:PostalTradeAddress")
    if party.postcode:
        _el(address, "ram:PostcodeCode", party.postcode)
    if party.street:
        _el(address, "ram:LineOne", party.street)
    if party.city:
        _el(address, "ram:CityName", party.city)
    _el(address, "ram:CountryID", party.country_code or "FR")
    if party.email:
        uri = _el(element, "ram:URIUniversalCommunication")
        _el(uri, "ram:URIID", party.email, schemeID="EM")
    if party.vat_number:
        registration = _el(element, "ram:SpecifiedTaxRegistration")
        _el(registration, "ram:ID", party.vat_number, schemeID="VA")


def _tax(
    parent: ET.Element,
    facts: DocumentFacts,
    rate: Decimal,
    *,
    basis: Decimal | None = None,
    vat: Decimal | None = None,
) -> None:
    tax = _el(parent, "ram:ApplicableTradeTax")
    if vat is not None:
        _el(tax, "ram:CalculatedAmount", _amount(vat))
    _el(tax, "ram:TypeCode", "VAT")
    if facts.exempt and basis is not None:
        _el(tax, "ram:ExemptionReason", facts.vat_exemption)
    if basis is not None:
        _el(tax, "ram:BasisAmount", _amount(basis))
    _el(tax, "ram:CategoryCode", "E" if facts.exempt else "S")
    _el(tax, "ram:RateApplicablePercent", _amount(Decimal("0") if facts.exempt else rate))


def build_xml(facts: DocumentFacts) -> bytes:
    """The EN 16931 CII XML of an invoice or credit note (UTF-8 bytes)."""
    if facts.kind is Kind.QUOTE:
        raise ValueError("a quote is not an invoice: it has no EN 16931 form")
    root = ET.Element(f"{{{RSM}}}CrossIndustryInvoice")
    context = _el(root, "rsm:ExchangedDocumentContext")
    guideline = _el(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _el(guideline, "ram:ID", EN16931)

    document = _el(root, "rsm:ExchangedDocument")
    _el(document, "ram:ID", facts.reference)
    _el(document, "ram:TypeCode", TYPE_CODES[facts.kind])
    _date(document, "ram:IssueDateTime", facts.issued_on)
    for subject, content in _notes(facts):
        note = _el(document, "ram:IncludedNote")
        _el(note, "ram:Content", content)
        _el(note, "ram:SubjectCode", subject)

    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    for position, line in enumerate(facts.lines, start=1):
        item = _el(transaction, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(position))
        _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.description)
        agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
        price = _el(agreement, "ram:NetPriceProductTradePrice")
        _el(price, "ram:ChargeAmount", _amount(line.unit_price))
        delivery = _el(item, "ram:SpecifiedLineTradeDelivery")
        _el(delivery, "ram:BilledQuantity", f"{line.quantity:.2f}", unitCode=PIECE)
        settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
        _tax(settlement, facts, line.vat_rate)
        summation = _el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        _el(summation, "ram:LineTotalAmount", _amount(line.net))

    agreement = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    if facts.buyer_reference:
        _el(agreement, "ram:BuyerReference", facts.buyer_reference)
    _party(agreement, "ram:SellerTradeParty", facts.seller)
    _party(agreement, "ram:BuyerTradeParty", facts.buyer)
    if facts.order_number:
        order = _el(agreement, "ram:BuyerOrderReferencedDocument")
        _el(order, "ram:IssuerAssignedID", facts.order_number)

    _el(transaction, "ram:ApplicableHeaderTradeDelivery")

    settlement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:PaymentReference", facts.reference)
    _el(settlement, "ram:InvoiceCurrencyCode", "EUR")
    means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    _el(means, "ram:TypeCode", SEPA_CREDIT_TRANSFER)
    if facts.payee.iban:
        account = _el(means, "ram:PayeePartyCreditorFinancialAccount")
        _el(account, "ram:IBANID", facts.payee.iban)
    if facts.payee.bic:
        bank = _el(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
        _el(bank, "ram:BICID", facts.payee.bic)
    for rate, basis, vat in facts.vat_breakdown():
        _tax(settlement, facts, rate, basis=basis, vat=vat)
    period = _el(settlement, "ram:BillingSpecifiedPeriod")
    _date(period, "ram:StartDateTime", facts.service_start)
    _date(period, "ram:EndDateTime", facts.service_end)
    terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
    _el(terms, "ram:Description", _terms_text(facts))
    _date(terms, "ram:DueDateDateTime", facts.due_on)
    totals = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(totals, "ram:LineTotalAmount", _amount(facts.net_total))
    _el(totals, "ram:TaxBasisTotalAmount", _amount(facts.net_total))
    _el(totals, "ram:TaxTotalAmount", _amount(facts.vat_total), currencyID="EUR")
    _el(totals, "ram:GrandTotalAmount", _amount(facts.gross_total))
    _el(totals, "ram:DuePayableAmount", _amount(facts.gross_total))
    if facts.preceding_reference and facts.preceding_issued_on is not None:
        preceding = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(preceding, "ram:IssuerAssignedID", facts.preceding_reference)
        _date(preceding, "ram:FormattedIssueDateTime", facts.preceding_issued_on, qualified=True)

    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _terms_text(facts: DocumentFacts) -> str:
    return f"Paiement à {facts.payee.payment_days} jours par virement, sans escompte."


def _notes(facts: DocumentFacts) -> list[tuple[str, str]]:
    """The legal mentions as EN 16931 notes (UNTDID 4451 subject codes)."""
    rate = f"{facts.payee.late_payment_rate:.2f}".replace(".", ",")
    notes = [
        (
            "PMD",
            f"Pénalités de retard au taux annuel de {rate} % (art. L441-10 du Code de commerce).",
        ),
        (
            "PMT",
            "Indemnité forfaitaire pour frais de recouvrement de 40 € due par le "
            "professionnel en cas de retard de paiement (art. D441-5 du Code de commerce).",
        ),
        ("AAB", "Pas d'escompte pour paiement anticipé."),
    ]
    if facts.exempt:
        notes.append(("TXD", facts.vat_exemption))
    return notes


class InvalidInvoiceXML(ValueError):
    """The XML does not validate against the Factur-X EN 16931 schema."""


def _etree() -> Any:
    """lxml, imported when an invoice is checked, not in every web worker (with factur-x
    and pypdf about 14 MiB; tests/unit/test_worker_imports.py)."""
    from lxml import etree

    return etree


@cache
def _schema() -> Any:
    """The Factur-X 1.08 EN 16931 XSD shipped by ``factur-x``, parsed once per process.

    Read here rather than through ``facturx.xml_check_xsd``, which re-parses the
    schema at every call and leaves its file open.
    """
    import facturx as facturx_package

    etree = _etree()
    folder = Path(facturx_package.__file__).parent / "xsd" / "facturx-en16931"
    (main,) = folder.glob("Factur-X_*_EN16931.xsd")
    return etree.XMLSchema(etree.parse(str(main)))


def check(xml: bytes) -> None:
    """Raise ``InvalidInvoiceXML`` unless ``xml`` validates against the EN 16931 schema."""
    etree = _etree()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    schema = _schema()
    try:
        tree = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as error:
        raise InvalidInvoiceXML(str(error)) from error
    if not schema.validate(tree):
        raise InvalidInvoiceXML(str(schema.error_log.last_error))


def embed(pdf: bytes, xml: bytes, *, facts: DocumentFacts) -> bytes:
    """The Factur-X PDF: ``pdf`` (already PDF/A-3) with ``xml`` attached, XSD-checked."""
    from facturx import generate_from_binary

    check(xml)
    title = f"{facts.seller.name}: {facts.reference}"
    return generate_from_binary(
        pdf,
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=False,  # checked just above, with the schema parsed once
        pdf_metadata={
            "author": facts.seller.name,
            "keywords": "Factur-X",
            "title": title,
            "subject": f"{facts.edition_name}: {facts.reference}",
        },
        lang="fr-FR" if facts.language == "fr" else "en-GB",
    )
