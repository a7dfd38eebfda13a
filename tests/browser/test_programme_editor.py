"""An editor plans a session in the dashboard: a room conflict, its fix, the public result."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from congress.accounts.models import Role
from congress.accounts.services import create_organiser
from tests.browser.conftest import serious_violations
from tests.conftest import ORGANISER_PASSWORD

pytestmark = pytest.mark.browser

EDITOR = "editrice@apssis-orga.fr"


def _log_in(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Adresse e-mail").fill(EDITOR)
    page.get_by_label("Mot de passe").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Congrès National")


def test_editor_hits_a_room_conflict_fixes_it_and_publishes(page: Page, axe, demo):
    create_organiser(EDITOR, ORGANISER_PASSWORD, Role.EDITOR)
    _log_in(page)
    page.get_by_role("navigation", name="Tableau de bord").get_by_role(
        "link", name="Programme"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Éditeur du programme")
    assert serious_violations(axe, page) == []

    page.get_by_role("link", name="Nouvelle session").click()
    page.get_by_label("Titre").fill("Sécurité des pompes à perfusion connectées")
    page.get_by_label("Type").select_option("talk")
    page.get_by_label("Statut").select_option("confirmed")
    page.get_by_label("Jour").select_option("2014-04-01")
    page.get_by_label("Début (heure locale)").fill("09:30")
    page.get_by_label("Fin (heure locale)").fill("10:00")
    page.get_by_label("Salle", exact=True).select_option(label="Grand amphithéâtre")
    page.get_by_role("button", name="Enregistrer").click()

    error = page.locator("#room-error")
    expect(error).to_contain_text(
        "Salle déjà occupée par «\u202fLa sécurité du système d'information"
    )
    expect(page.get_by_label("Titre")).to_have_value("Sécurité des pompes à perfusion connectées")
    assert serious_violations(axe, page) == []

    page.get_by_label("Jour").select_option("2014-04-03")
    page.get_by_label("Début (heure locale)").fill("19:00")
    page.get_by_label("Fin (heure locale)").fill("19:30")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flash")).to_contain_text("Session enregistrée.")

    page.goto("/programme?day=2014-04-03")
    expect(
        page.get_by_role("link", name="Sécurité des pompes à perfusion connectées")
    ).to_be_visible()
    feed = page.request.get("/programme.ics").text()
    assert "SUMMARY:Sécurité des pompes à perfusion connectées" in feed.replace("\r\n ", "")
    assert "DTSTART;TZID=Europe/Paris:20140403T190000" in feed
