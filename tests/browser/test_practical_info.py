"""The practical information page, as a visitor reads it, and its editor in the dashboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, serious_violations

pytestmark = pytest.mark.browser

SECTIONS_FR = [
    "Lieu et salles",
    "Venir au congrès",
    "Accessibilité du lieu",
    "Hébergement",
    "Repas",
    "Wi-Fi",
    "Contact sur place",
    "À apporter",
]


def test_practical_page_reached_from_the_header_shows_every_section(page: Page, demo):
    page.goto("/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Infos pratiques"
    ).click()
    expect(page).to_have_url(f"{page.url.split('/infos')[0]}/infos-pratiques")
    expect(page.get_by_role("heading", level=1)).to_have_text("Infos pratiques")
    expect(page.get_by_role("heading", level=2).filter(has_not_text="Sur cette page")).to_have_text(
        SECTIONS_FR
    )
    expect(page.get_by_role("img", name="Plan schématique")).to_be_visible()
    osm = page.get_by_role("link", name="Ouvrir dans OpenStreetMap")
    expect(osm).to_have_attribute(
        "href",
        "https://www.openstreetmap.org/?mlat=48.006200&mlon=0.191800#map=17/48.006200/0.191800",
    )
    expect(page.locator(".room-list li")).to_have_count(3)


def test_practical_page_in_english(page: Page, demo):
    page.goto("/infos-pratiques?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Practical information")
    expect(page.get_by_role("heading", name="Getting there")).to_be_visible()
    expect(page.get_by_text("Le Mans station has TGV services")).to_be_visible()


def test_practical_page_has_no_serious_accessibility_violation(page: Page, axe, demo):
    page.goto("/infos-pratiques")
    assert serious_violations(axe, page) == []
    page.set_viewport_size(PHONE)
    page.goto("/infos-pratiques?lang=en")
    assert serious_violations(axe, page) == []


def test_practical_page_makes_no_third_party_request(page: Page, live_server: str, demo):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/infos-pratiques")
    page.wait_for_load_state("networkidle")
    assert requested
    assert [url for url in requested if not url.startswith(live_server)] == []
