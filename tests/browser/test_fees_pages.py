"""Accessibility (axe) and width of the fees pages: the seller's identity and ticket categories.

Each page is checked as first shown and after a refused form (every field's
message beside it, the summary above), at 1280 and 375 px, with a category named
by a 100-character unbreakable word, the worst the form accepts.
"""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from congress.extensions import db
from tests.browser.conftest import serious_violations
from tests.browser.test_overflow import _admin_secret, _log_in, _overflow, _word
from tests.factories import make_category, make_event

pytestmark = pytest.mark.browser


@pytest.fixture
def edition(app: Flask) -> tuple[str, int]:
    """An edition with a long-named category; the admin's TOTP secret and the category's id."""
    event = make_event()
    category = make_category(event, capacity=20, name=_word("C"))
    category.name_en = _word("E")
    category.early_price_cents = 23000
    secret = _admin_secret()
    db.session.commit()  # hold no transaction open against the server's writes
    return secret, category.id


def _problems(axe, page: Page) -> dict[str, object]:
    scroll_width, inner_width = _overflow(page)
    violations = serious_violations(axe, page)
    if violations or scroll_width > inner_width:
        return {"axe": violations, "width": (scroll_width, inner_width)}
    return {}


def test_fees_pages_pass_axe_and_fit_the_viewport(
    browser: Browser, live_server: str, axe, edition: tuple[str, int], viewport: dict[str, int]
):
    secret, category_id = edition
    context = browser.new_context(
        base_url=live_server, viewport=viewport, locale="fr-FR", service_workers="block"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    _log_in(page, secret)
    problems = {}
    pages = {
        "/dashboard/organiser": "Identité de l’organisateur",
        "/dashboard/categories": "Catégories de billet",
        "/dashboard/categories/new": "Nouvelle catégorie de billet",
        f"/dashboard/categories/{category_id}": f"Catégorie de billet\u202f: {_word('C')}",
    }
    for path, heading in pages.items():
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        problems[path] = _problems(axe, page)

    # Refused forms: the messages shown beside their fields and in the summary.
    page.goto("/dashboard/organiser")
    page.get_by_label("Raison sociale").fill(_word("L"))
    page.get_by_label("Numéro SIRET").fill("812 345 676 00018")
    page.get_by_label("IBAN").fill("FR76 0000")
    page.get_by_label("Délai de paiement (jours)").fill("90")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#siret-error")).to_contain_text("Ce numéro SIRET n’est pas valide")
    expect(page.get_by_label("Numéro SIRET")).to_have_value("812 345 676 00018")
    problems["/dashboard/organiser (refused)"] = _problems(axe, page)

    page.goto(f"/dashboard/categories/{category_id}")
    page.get_by_label("Prix HT (euros)").fill("abc")
    page.get_by_label("Prix d’inscription anticipée HT (euros)").fill("300")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#price-error")).to_contain_text("Saisissez un montant en euros")
    expect(page.get_by_label("Prix HT (euros)")).to_have_value("abc")
    problems["/dashboard/categories/<id> (refused)"] = _problems(axe, page)

    assert {path: found for path, found in problems.items() if found} == {}
    context.close()


def test_admin_adds_a_category_and_sees_its_price_line(
    browser: Browser, live_server: str, edition: tuple[str, int]
):
    secret, _category_id = edition
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 375, "height": 740},
        locale="fr-FR",
        service_workers="block",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    _log_in(page, secret)
    page.goto("/dashboard/categories")
    page.get_by_role("link", name="Ajouter une catégorie de billet").click()
    page.get_by_label("Nom (français)").fill("Industriels")
    page.get_by_label("Prix HT (euros)").fill("450,50")
    page.get_by_label("Capacité").fill("30")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flash-success")).to_contain_text(
        "Catégorie de billet «\u202fIndustriels\u202f» ajoutée."
    )
    row = page.get_by_role("row").filter(has_text="Industriels")
    expect(row).to_contain_text("450,50\u00a0€ HT · 540,60\u00a0€ TTC")
    expect(row).to_contain_text("0 sur 30")
    context.close()
