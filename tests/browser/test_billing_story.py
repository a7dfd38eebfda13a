"""A public hospital pays for its CISO: form, quote, invoice, payment (issue 17's story).

The attendee registers on the demo edition with the hospital's SIRET, Chorus Pro
service code and engagement number, confirms from the e-mail and downloads the
quote from the private link; an administrator issues the invoice from the
dashboard and records the administrative mandate that pays it; the attendee
downloads the invoice, whose embedded Factur-X XML validates against the
EN 16931 schema and carries the order number and the buyer's SIRET.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from lxml import etree
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from congress.billing import facturx
from tests.browser.conftest import FIRST_DOCUMENT_MS, serious_violations
from tests.browser.test_overflow import _admin_secret, _log_in
from tests.browser.test_registration import confirm_from_mail, expect_status

pytestmark = pytest.mark.browser

SIRET = "26720000400013"
ORDER = "EJ-2014-0042"
SERVICE = "DSI-SECU"
ADDRESS = "rssi@ch-lemans.example"
NS = {"rsm": facturx.RSM, "ram": facturx.RAM}


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def _register_for_the_hospital(page: Page) -> None:
    page.goto("/register")
    page.get_by_label("Prénom", exact=True).fill("Marie")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Adresse e-mail", exact=True).fill(ADDRESS)
    page.get_by_label("Organisme", exact=True).fill("Centre hospitalier du Mans")
    page.get_by_label("Type d'organisme").select_option(label="Établissement public de santé")
    page.get_by_label("Fonction").select_option(index=1)
    tickets = page.get_by_role("group", name=re.compile(r"^Billet"))
    tickets.get_by_role("radio", name=re.compile(r"^Établissements de santé")).check()
    days = page.get_by_role("group", name=re.compile(r"^Jours de présence"))
    days.get_by_role("checkbox").first.check()
    page.get_by_label(re.compile(r"^L’organisme est un acheteur public")).check()
    page.get_by_label(re.compile(r"^Raison sociale")).fill("Centre hospitalier du Mans")
    page.get_by_label(re.compile(r"^Numéro SIRET")).fill("267 200 004 00013")
    page.get_by_label(re.compile(r"^Adresse de facturation")).fill("194 avenue Rubillard")
    page.get_by_label(re.compile(r"^Code postal")).fill("72037")
    page.get_by_label(re.compile(r"^Ville")).fill("Le Mans")
    page.get_by_label(re.compile(r"^Code service Chorus Pro")).fill(SERVICE)
    page.get_by_label(re.compile(r"^Numéro de bon de commande")).fill(ORDER)
    page.get_by_role(
        "checkbox", name=re.compile(r"^J'ai lu la politique de confidentialité")
    ).check()
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")


def test_hospital_registration_goes_from_form_to_quote_invoice_and_payment(
    page: Page, browser: Browser, app: Flask, live_server: str, demo, axe, tmp_path: Path
):
    _register_for_the_hospital(page)
    manage_url = confirm_from_mail(page, app, live_server, ADDRESS)
    expect_status(page, "Confirmée")

    # The quote, from the private link.
    with page.expect_download(timeout=FIRST_DOCUMENT_MS) as quote_download:
        page.get_by_role("link", name="Télécharger le devis (PDF)").click()
    quote_path = tmp_path / "devis.pdf"
    quote_download.value.save_as(quote_path)
    quote = _pdf_text(quote_path)
    assert "Devis" in quote
    assert ORDER in quote
    assert f"SIREN / SIRET 267200004 / {SIRET}" in quote

    # The invoice, issued by an administrator; then the mandate that pays it.
    admin = browser.new_context(base_url=live_server, locale="fr-FR", service_workers="block")
    desk = admin.new_page()
    _log_in(desk, _admin_secret())
    desk.goto("/dashboard/invoices")
    row = desk.get_by_role("row").filter(has_text="Centre hospitalier du Mans")
    row.get_by_role("button", name="Émettre la facture (1 inscription)").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Facture \d{4}-0001$"))
    assert serious_violations(axe, desk) == []
    desk.get_by_label(re.compile(r"^Montant reçu")).fill("336,00")
    desk.get_by_label(re.compile(r"^Moyen de paiement")).select_option(label="Mandat administratif")
    desk.get_by_label(re.compile(r"^Référence")).fill("Mandat 2014-118")
    desk.get_by_role("button", name="Enregistrer le paiement").click()
    expect(desk.get_by_role("status").filter(has_text="Reste dû")).to_contain_text("0,00")
    desk.goto("/dashboard/invoices")
    expect(desk.get_by_role("row").filter(has_text="Centre hospitalier du Mans")).to_contain_text(
        "Payée"
    )
    admin.close()

    # The attendee downloads the invoice; Chorus Pro would read its XML.
    page.goto(manage_url)
    with page.expect_download(timeout=FIRST_DOCUMENT_MS) as invoice_download:
        page.get_by_role("link", name=re.compile(r"^Facture \d{4}-0001$")).click()
    invoice_path = tmp_path / "facture.pdf"
    invoice_download.value.save_as(invoice_path)
    reader = PdfReader(invoice_path)
    xml = reader.attachments["factur-x.xml"][0]
    facturx.check(xml)
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    agreement = root.find(".//ram:ApplicableHeaderTradeAgreement", NS)
    assert agreement.findtext("ram:BuyerReference", namespaces=NS) == SERVICE
    assert (
        agreement.findtext("ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", namespaces=NS)
        == ORDER
    )
    assert (
        agreement.findtext(
            "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", namespaces=NS
        )
        == SIRET
    )
