"""The venue's screens in a browser: readable, accessible, no script error, no scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from congress.core import clock
from tests.browser.conftest import serious_violations
from tests.factories import paris

pytestmark = pytest.mark.browser

TV = {"width": 1920, "height": 1080}


@pytest.fixture
def during_congress(demo):
    clock.set_clock(lambda: paris(1, "10:00"))
    yield
    clock.set_clock(None)


def test_all_rooms_screen_fits_a_tv_without_error(page: Page, axe, during_congress):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size(TV)
    page.goto("/now/screen")
    expect(page.locator(".screen-clock")).to_have_text("10:00")
    assert page.locator(".screen-room").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(axe, page) == []
    assert errors == []


def test_room_screen_in_english_on_a_phone_is_accessible(page: Page, axe, during_congress):
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto("/now/screen?lang=en")
    room = page.locator(".screen-room-name").first.inner_text()
    page.goto("/now")
    page.get_by_role("link", name=room, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(room)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(axe, page) == []


def test_screen_reloads_each_minute_and_keeps_its_page_when_offline(page: Page, during_congress):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.clock.install()
    page.goto("/now/screen")
    expect(page.locator(".screen-clock")).to_have_text("10:00")
    assert len(loads) == 1

    page.context.set_offline(True)
    page.clock.run_for(61_000)
    page.wait_for_timeout(300)
    assert len(loads) == 1  # the check failed: no reload, the last page stays
    expect(page.locator(".screen-clock")).to_have_text("10:00")

    page.context.set_offline(False)
    with page.expect_event("load"):
        page.clock.run_for(61_000)
    assert len(loads) == 2
    assert errors == []
