"""An editor writes to the confirmed attendees: compose, preview, confirm the count, send."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from congress.accounts.models import Role
from congress.accounts.services import create_organiser
from congress.extensions import db
from congress.mail.models import OutboxMessage
from tests.browser.conftest import DESKTOP, PHONE, serious_violations
from tests.conftest import ORGANISER_PASSWORD
from tests.factories import make_category, make_event, make_registration

pytestmark = pytest.mark.browser

EDITOR = "editrice@apssis-orga.fr"


def _fits(page: Page, axe) -> None:
    """Nothing wider than the viewport, at the desktop and the phone width; axe clean at both."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        width, inner = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert width <= inner, (page.url, size, width)
        assert serious_violations(axe, page) == [], (page.url, size)
    page.set_viewport_size(DESKTOP)


def test_editor_previews_confirms_and_sends_a_message(page: Page, axe, app):
    event = make_event()
    category = make_category(event, capacity=10, name="Standard")
    for index in range(3):
        make_registration(event, category, f"p{index}@chu-exemple.fr")
    create_organiser(EDITOR, ORGANISER_PASSWORD, Role.EDITOR)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto("/login")
    page.get_by_label("Adresse e-mail").fill(EDITOR)
    page.get_by_label("Mot de passe").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("navigation", name="Tableau de bord").get_by_role(
        "link", name="Messages"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages aux participants")
    _fits(page, axe)

    page.get_by_role("link", name="Écrire un message").click()
    page.get_by_label("Objet en français").fill("Accueil demain")
    page.get_by_label("Message en français (Markdown)").fill(
        "Rendez-vous à **8 h 30** au hall.\n\n<script>alert('x')</script>"
    )
    expect(page.get_by_label("Tous les participants confirmés")).to_be_checked()
    page.get_by_role("button", name="Aperçu").click()
    preview = page.locator(".message-preview")
    expect(preview).to_contain_text("3 personnes recevront ce message.")
    expect(preview.locator(".markdown strong")).to_have_text("8 h 30")
    expect(preview).to_contain_text("<script>alert('x')</script>")  # shown as text
    expect(page.get_by_label("Objet en français")).to_have_value("Accueil demain")
    _fits(page, axe)

    page.get_by_role("button", name="Passer à l’envoi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accueil demain")
    send = page.get_by_role("button", name="Envoyer à 3 personnes")
    expect(send).to_be_visible()
    _fits(page, axe)
    send.click()
    expect(page.locator(".flash")).to_contain_text("Le message part vers 3 personnes.")
    expect(page.get_by_role("button", name="Envoyer à 3 personnes")).to_have_count(0)
    _fits(page, axe)

    page.get_by_role("link", name="Messages", exact=True).first.click()
    expect(page.get_by_role("link", name="Accueil demain")).to_be_visible()
    expect(page.locator("table")).to_contain_text("0 envoyés, 3 en attente, 0 en échec, sur 3")
    _fits(page, axe)
    assert dialogs == []
    addresses = sorted(
        db.session.scalars(
            db.select(OutboxMessage.to_address).where(OutboxMessage.kind == "message")
        )
    )
    assert addresses == ["p0@chu-exemple.fr", "p1@chu-exemple.fr", "p2@chu-exemple.fr"]
