"""Badges in Chromium: the desk prints a badge from the check-in screen, the sheets from the list.

The desk finds Marie Curie, checks her in and follows "Print the badge": the
browser receives her one-badge PDF. The registrations page's badge form,
filled by keyboard, downloads the sheets. Both pages pass axe with the new
links and form. "Now" is 2014-04-01 09:00 in Le Mans (``desk_setup``).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import FIRST_DOCUMENT_MS, serious_violations
from tests.browser.test_checkin import desk_setup, log_in  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def test_desk_prints_the_badge_of_the_person_just_checked_in(page: Page, axe, desk_setup: str):  # noqa: F811
    log_in(page)
    page.get_by_role("searchbox", name="Nom ou organisme").fill("curie")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Marie Curie")
    expect(row.get_by_role("link", name="Imprimer le badge de Marie Curie (PDF)")).to_be_visible()
    row.get_by_role("button", name="Enregistrer l'arrivée de Marie Curie").click()
    link = page.locator(".desk-badge").get_by_role(
        "link", name="Imprimer le badge de Marie Curie (PDF)"
    )
    expect(link).to_be_visible()
    assert serious_violations(axe, page) == []
    answer = page.request.get(link.get_attribute("href") or "")
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF-")


def test_desk_downloads_the_sheets_from_the_registrations_page(page: Page, axe, desk_setup: str):  # noqa: F811
    log_in(page)
    page.goto("/dashboard/registrations")
    page.get_by_label("Ordre").select_option("category")
    assert serious_violations(axe, page) == []
    with (
        page.expect_response("**/dashboard/badges.pdf?*") as answer,
        page.expect_download(timeout=FIRST_DOCUMENT_MS) as download,
    ):
        page.get_by_role("button", name="Imprimer les badges (PDF)").click()
    assert answer.value.status == 200
    assert "sort=category" in answer.value.url
    assert download.value.suggested_filename.startswith("badges-edition-")
