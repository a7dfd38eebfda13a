"""Every form a person submits, in Chromium, over HTTPS, through nginx and both pools.

An attendee registers, confirms from the e-mail the mail worker sent, edits their
details, chooses a workshop, prints the confirmation (its QR code must render) and
cancels. An administrator sets up the second factor at first login, edits a session,
cancels one, exports the registrations, checks an attendee in by code and logs out.
Each step asserts what the person sees. With ``Referrer-Policy: no-referrer`` (the
first release's policy) the first POST of each flow is refused, as it was in production.
"""

from __future__ import annotations

import csv
import re

import pyotp
import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from tests.browser.production.conftest import Site

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("production")]

KEYNOTE = "La sécurité du système d'information, une affaire de direction générale"
WORKSHOP = "Atelier : cartographier les flux de son système d'information hospitalier"
TO_CANCEL = "PGSSI-S : de la doctrine nationale au plan d'action d'un établissement"
ADMIN = "admin-e2e@apssis-orga.fr"
ADMIN_PASSWORD = "Tr0p-de-quatre-chevaux-au-Mans"
CONFIRM_SUBJECT = re.compile(r"^Confirmez votre inscription")


def watch_console(page: Page) -> list[str]:
    """Console errors and page errors (a CSP refusal shows here); the test asserts none."""
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error" and not (message.location.get("url") or "").endswith(
            "/favicon.ico"
        ):
            errors.append(f"{message.location.get('url')}: {message.text}")

    page.on("console", record)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


def register_and_confirm(page: Page, site: Site, first: str, last: str, address: str) -> str:
    """The registration form, then the confirmation link of the mail; returns the manage URL."""
    page.goto("/register")
    page.get_by_label("Prénom", exact=True).fill(first)
    page.get_by_label("Nom", exact=True).fill(last)
    page.get_by_label("Adresse e-mail", exact=True).fill(address)
    page.get_by_label("Organisme", exact=True).fill("CHU du Mans")
    page.get_by_label("Type d'organisme").select_option(label="Établissement public de santé")
    page.get_by_label("Fonction").select_option(label="Étudiant")
    page.get_by_role("group", name=re.compile(r"^Billet")).get_by_role(
        "radio", name=re.compile(r"^Étudiants")
    ).check()
    days = page.get_by_role("group", name=re.compile(r"^Jours de présence"))
    for box in days.get_by_role("checkbox").all():
        box.check()
    page.get_by_role(
        "checkbox", name=re.compile(r"^J'ai lu la politique de confidentialité")
    ).check()
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")

    link = site.link_in(site.mail_to(address, CONFIRM_SUBJECT), r"/register/confirm/[\w-]+")
    page.goto(link)
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon inscription")
    return page.url


def test_attendee_registers_confirms_edits_chooses_a_workshop_prints_and_cancels(
    visitor: BrowserContext, production_site: Site
) -> None:
    page = visitor.new_page()
    errors = watch_console(page)
    manage = register_and_confirm(page, production_site, "Alice", "Martin", "alice@chu-e2e.fr")
    cookies = {cookie["name"]: cookie for cookie in visitor.cookies()}
    assert "__Host-session" in cookies, sorted(cookies)
    assert cookies["__Host-session"]["secure"] is True

    page.get_by_role("link", name="Modifier mes informations et mes jours").click()
    page.get_by_label("Organisme", exact=True).fill("CHU du Mans, DSI")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_url(manage)
    expect(page.get_by_role("main")).to_contain_text("CHU du Mans, DSI")

    page.get_by_role("link", name="Composer mon agenda et m'y abonner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon agenda")
    workshop = (
        page.get_by_role("main")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", level=3, name=WORKSHOP, exact=True))
    )
    workshop.get_by_role("button", name="Ajouter à mon agenda").click()
    expect(workshop.get_by_role("button", name="Retirer de mon agenda")).to_be_visible()

    page.goto(manage)
    page.get_by_role("link", name="Imprimer ma confirmation avec son QR code d'accueil").click()
    qr = page.get_by_role("img", name="QR code d'accueil")
    expect(qr).to_be_visible()
    expect(qr).to_have_js_property("complete", True)
    natural = qr.evaluate("image => [image.naturalWidth, image.naturalHeight]")
    assert natural[0] > 0, natural
    assert natural[1] == natural[0], natural

    page.goto(manage)
    page.get_by_role("link", name="Annuler mon inscription").click()
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscription annulée")
    assert errors == []


def check_in_code_of(page: Page, manage: str) -> str:
    """The code printed under the QR code, as the attendee shows it at the desk."""
    page.goto(manage)
    page.get_by_role("link", name="Imprimer ma confirmation avec son QR code d'accueil").click()
    caption = page.locator("figure.qr figcaption").inner_text()
    found = re.search(r"Code\s*:\s*(\S+)", caption)
    assert found, caption
    return found.group(1)


def test_admin_enrols_a_second_factor_edits_cancels_exports_checks_in_and_logs_out(
    visitor: BrowserContext, production_site: Site
) -> None:
    production_site.flask(
        "congress", "create-organiser", ADMIN, "--role", "admin", stdin=ADMIN_PASSWORD + "\n"
    )
    attendee = visitor.new_page()
    manage = register_and_confirm(attendee, production_site, "Bruno", "Lemaire", "bruno@chu-e2e.fr")
    code = check_in_code_of(attendee, manage)
    attendee.close()
    visitor.clear_cookies()

    page = visitor.new_page()
    errors = watch_console(page)
    page.goto("/login")
    page.get_by_label("Adresse e-mail").fill(ADMIN)
    page.get_by_label("Mot de passe").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # First login of an administrator: the second factor is set up before anything else.
    expect(page.get_by_role("heading", level=1)).to_have_text("Configurer le second facteur")
    key = re.search(r"application\s*:\s*([A-Z2-7]{16,})", page.get_by_role("main").inner_text())
    assert key, page.get_by_role("main").inner_text()
    form = page.locator("form.stacked-form")
    form.get_by_role("textbox").fill(pyotp.TOTP(key.group(1)).now())
    page.get_by_role("button", name="Activer le second facteur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Aller au tableau de bord").click()

    dashboard = page.get_by_role("navigation", name="Tableau de bord")
    dashboard.get_by_role("link", name="Programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Éditeur du programme")
    page.get_by_role("link", name=KEYNOTE, exact=True).click()
    page.get_by_label("Titre").fill(f"{KEYNOTE} (nouvelle version)")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flash")).to_contain_text("Session enregistrée.")

    dashboard.get_by_role("link", name="Programme").click()
    page.get_by_role("link", name=TO_CANCEL, exact=True).click()
    page.get_by_role("button", name="Annuler cette session").click()
    expect(page.locator(".flash")).to_contain_text("Session annulée.")
    feed = page.request.get("/programme.ics").text().replace("\r\n ", "")
    assert f"SUMMARY:{KEYNOTE} (nouvelle version)".replace(",", "\\,") in feed

    dashboard.get_by_role("link", name="Inscriptions").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter ces inscriptions (CSV)").click()
    download = download_info.value
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))  # the delimiter French Excel reads
    exported = {row["E-mail"]: row for row in rows}  # headers and values in French
    assert exported["bruno@chu-e2e.fr"]["Statut"] == "Confirmée"
    assert exported["bruno@chu-e2e.fr"]["Nom"] == "Lemaire"

    dashboard.get_by_role("link", name="Émargement").click()
    page.get_by_role("textbox", name="Code").fill(code)
    page.get_by_role("button", name="Enregistrer l'arrivée", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Arrivée enregistrée")).to_contain_text(
        "Bruno Lemaire"
    )

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Connexion"))
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/login"))
    assert errors == []
