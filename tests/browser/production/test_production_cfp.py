"""The call for papers in the deployed shape: a proposal with a 3 MB PDF through nginx and TLS.

nginx refuses bodies over 1 MiB except on the routes that take a file
(``deploy/nginx.conf``): a proposal with its attachment must pass the proxy,
the strict CSRF referrer check over HTTPS and the private pool, then the
app's own limit, and arrive encrypted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect
from sqlalchemy import create_engine, text

from tests.browser.production.conftest import Site
from tests.factories import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("production")]

MARKER = "Prod-PACS-chronologie"


def _open_the_call(site: Site) -> None:
    engine = create_engine(site.env["CONGRESS_DATABASE_URL"])
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE cfp_call SET opens_at = now() - interval '1 day',"
                    " closes_at = now() + interval '30 days'"
                )
            )
    finally:
        engine.dispose()


def test_a_proposal_with_a_three_megabyte_attachment_passes_the_proxy(
    visitor: BrowserContext, production_site: Site, tmp_path: Path
) -> None:
    _open_the_call(production_site)
    pdf = tmp_path / "chronologie.pdf"
    pdf.write_bytes(make_pdf(MARKER + " " + "x" * 3_000_000))
    assert pdf.stat().st_size > 3_000_000
    page = visitor.new_page()

    page.goto("/cfp/submit")
    page.get_by_label("Titre", exact=True).fill("Chronologie d'une reprise après rançongiciel")
    page.get_by_label("Résumé", exact=True).fill("Trois semaines, jour par jour.")
    page.get_by_label("Type de proposition").select_option(label="Analyse d'attaque")
    page.get_by_label("Durée").select_option(label="45 minutes")
    page.get_by_label("Label de diffusion demandé").select_option(label="TLP:AMBER")
    page.get_by_label("Votre nom").fill("Hélène Rousseau")
    page.get_by_label("Votre adresse e-mail").fill("helene@ch-prod-test.fr")
    page.get_by_label("Pièce jointe (facultative, PDF)").set_input_files(pdf)
    page.get_by_role("button", name="Envoyer ma proposition").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    mail = production_site.mail_to("helene@ch-prod-test.fr", re.compile(r"^Confirmez"))
    page.goto(production_site.link_in(mail, r"/cfp/confirm/[\w-]+"))
    page.get_by_role("button", name="Soumettre ma proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma proposition")
    expect(page.get_by_role("main")).to_contain_text("chronologie.pdf")
    stored = [
        path
        for path in production_site.workdir.rglob("cfp-files/*")
        if path.is_file() and path.stat().st_size > 3_000_000
    ]
    assert len(stored) == 1
    assert MARKER.encode() not in stored[0].read_bytes()
