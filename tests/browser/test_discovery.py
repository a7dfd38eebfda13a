"""Finding the feeds in a browser: from the programme to a day's feed and the apps page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, serious_violations

pytestmark = pytest.mark.browser


def test_day_view_offers_its_feed_and_the_apps_page_its_codes(page: Page, axe, demo):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/programme")
    page.get_by_role("navigation", name="Jours du congrès").get_by_role("link").nth(2).click()
    feeds = page.get_by_role("region", name="Dans mon agenda")
    expect(feeds.get_by_role("heading", name="Ce jour")).to_be_visible()
    expect(feeds.get_by_role("link", name="M'abonner (webcal)")).to_have_attribute(
        "href", "webcal://congress.test/programme/2014-04-02.ics"
    )
    assert serious_violations(axe, page) == []

    page.get_by_role("link", name="Le programme dans vos applications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le programme dans vos applications")
    expect(
        page.get_by_role("img", name="Code QR de http://congress.test/schedule.xml")
    ).to_be_visible()
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(axe, page) == []
    assert errors == []
