import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, serious_violations

pytestmark = pytest.mark.browser


def test_home_in_french_then_english(page: Page, demo):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Congrès National")
    expect(page.locator(".hero-dates")).to_contain_text("mardi 1er avril 2014")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".hero-dates")).to_contain_text("Tuesday, April 1, 2014")
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
