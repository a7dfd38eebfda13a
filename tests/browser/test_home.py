import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, serious_violations

pytestmark = pytest.mark.browser


def test_home_in_french_then_english(page: Page, demo):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Congrès National")
    expect(page.locator(".hero-dates")).to_have_text("du mardi 1er au jeudi 3 avril 2014")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".hero-dates")).to_have_text("Tuesday 1 to Thursday 3 April 2014")
    expect(page.get_by_role("link", name="Privacy notice")).to_be_visible()
    page.get_by_role("link", name="Home").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_home_has_no_serious_accessibility_violation(page: Page, axe, demo):
    page.goto("/")
    assert serious_violations(axe, page) == []
    page.set_viewport_size(PHONE)
    page.goto("/?lang=en")
    assert serious_violations(axe, page) == []


def test_privacy_page_has_no_serious_accessibility_violation(page: Page, axe, demo):
    page.goto("/privacy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Politique de confidentialité")
    assert serious_violations(axe, page) == []


def test_no_console_error_from_csp(page: Page, demo):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/")
    assert errors == []


def test_home_shows_registration_state_figures_and_keynotes(page: Page, demo):
    page.goto("/")
    state = page.locator("#registration-state")
    expect(state.get_by_role("heading", level=2)).to_have_text("Les inscriptions sont ouvertes")
    expect(state.locator("li").first).to_contain_text("250 places restantes")
    expect(page.locator(".figures li")).to_have_count(4)
    expect(page.locator(".figures li").first).to_have_text("3 jours")
    highlights = page.get_by_role("region", name="Conférences plénières et temps forts")
    expect(highlights.locator(".badge").first).to_have_text("Conférence plénière")
    expect(page.get_by_role("heading", name="Pourquoi ce congrès")).to_be_visible()


def test_home_logo_has_a_text_alternative(page: Page, demo):
    page.goto("/")
    logo = page.locator("header .brand img")
    expect(logo).to_have_attribute("alt", "APSSIS 2014")
    expect(page.get_by_role("link", name="APSSIS 2014")).to_have_attribute("href", "/")
