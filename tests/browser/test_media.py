"""Speakers' photos and partners in the browser: the upload flow, the pages, axe."""

from __future__ import annotations

import os
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from congress.accounts.models import Role
from congress.accounts.services import create_organiser
from tests.browser.conftest import serious_violations
from tests.conftest import ORGANISER_PASSWORD

pytestmark = pytest.mark.browser

EDITOR = "editrice-photos@apssis-orga.fr"
SHOTS = os.environ.get("CONGRESS_SHOTS", "")  # a folder: screenshots for review


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _portrait() -> bytes:
    image = Image.new("RGB", (600, 800), (70, 110, 150))
    image.paste((230, 200, 170), (200, 180, 400, 420))  # an abstract "face", not a person
    out = BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def _log_in(page: Page) -> None:
    create_organiser(EDITOR, ORGANISER_PASSWORD, Role.EDITOR)
    page.goto("/login")
    page.get_by_label("Adresse e-mail").fill(EDITOR)
    page.get_by_label("Mot de passe").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator(".dash-nav")).to_be_visible()


def test_editor_uploads_a_photo_after_a_refused_file(page: Page, axe, demo):
    _log_in(page)
    page.get_by_role("navigation", name="Tableau de bord").get_by_role(
        "link", name="Intervenants"
    ).click()
    page.locator(".data-table a").first.click()
    name = page.get_by_label("Nom", exact=True).input_value()
    photo = page.get_by_label("Photo (JPEG, PNG ou WebP, 5 Mo au plus)")

    photo.set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": b"pas une image\n" * 40}
    )
    page.get_by_role("button", name="Envoyer la photo").click()

    expect(page.locator("#photo-error")).to_have_text(
        "Ce fichier n’est pas une image lisible. Envoyez une image JPEG, PNG ou WebP."
    )
    expect(page.get_by_label("Nom", exact=True)).to_have_value(name)
    assert serious_violations(axe, page) == []
    _shot(page, "speaker-photo-refused-1280")

    page.get_by_label("Photo (JPEG, PNG ou WebP, 5 Mo au plus)").set_input_files(
        {"name": "portrait.jpg", "mimeType": "image/jpeg", "buffer": _portrait()}
    )
    page.get_by_role("button", name="Envoyer la photo").click()

    expect(page.locator(".flash")).to_have_text(f"Photo de {name} enregistrée.")
    current = page.locator(".media-current img")
    expect(current).to_have_attribute("alt", name)
    expect(current).to_have_js_property("complete", True)  # loaded after the page: wait
    assert current.evaluate("img => img.naturalWidth") == 480
    assert serious_violations(axe, page) == []
    _shot(page, "speaker-photo-saved-1280")

    page.goto("/speakers")
    listed = page.get_by_role("img", name=name)
    expect(listed).to_be_visible()
    assert listed.evaluate("img => img.naturalWidth") == 160
    assert serious_violations(axe, page) == []
    page.set_viewport_size({"width": 375, "height": 740})
    _shot(page, "speakers-375")


def test_partners_page_passes_axe_with_logos(page: Page, axe, demo, viewport):
    page.set_viewport_size(viewport)

    page.goto("/partenaires")

    expect(page.get_by_role("heading", level=1)).to_have_text("Nos partenaires")
    headings = page.get_by_role("heading", level=2).all_text_contents()
    assert headings == [
        "Partenaires platine",
        "Partenaires or",
        "Partenaires argent",
        "Partenaires institutionnels",
        "Partenaires médias",
    ]
    logos = page.locator(".partner-card-logo img")
    expect(logos).to_have_count(6)
    loaded = logos.evaluate_all(
        "imgs => Promise.all(imgs.map(img => {"
        " img.loading = 'eager'; return img.decode().then(() => img.naturalWidth > 0); }))"
    )
    assert loaded == [True] * 6
    link = page.get_by_role("link", name="Hexacare Systèmes (site externe)")
    expect(link).to_have_attribute("href", "https://hexacare.example")
    expect(link).to_have_attribute("rel", "noopener noreferrer external")
    assert serious_violations(axe, page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, f"partners-{viewport['width']}")


def test_partners_dashboard_pages_pass_axe(page: Page, axe, demo):
    _log_in(page)
    page.get_by_role("navigation", name="Tableau de bord").get_by_role(
        "link", name="Partenaires"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partenaires")
    assert serious_violations(axe, page) == []
    _shot(page, "dashboard-partners-1280")

    page.get_by_role("link", name="Hexacare Systèmes").click()
    expect(page.get_by_label("Niveau", exact=True)).to_have_value("platinum")
    assert serious_violations(axe, page) == []
    _shot(page, "dashboard-partner-1280")
