"""Billing details in a phone's width (375 px): the registration form and the private page.

The billing fieldset must fit the screen and pass axe, with its hints and with
an error shown; it folds away for a free ticket when scripts run; the private
link's billing page saves what was typed.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from congress.edition.queries import current_event
from congress.extensions import db
from congress.registration.models import BillingDetails
from tests.browser.conftest import PHONE, serious_violations
from tests.factories import make_category, make_registration

pytestmark = pytest.mark.browser


def _fits(page: Page) -> None:
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, (page.url, scroll_width, inner_width)


def _billing(page: Page):
    return page.get_by_role("group", name="Facturation")


def test_register_form_with_billing_fits_a_phone_and_passes_axe_with_an_error(
    page: Page, axe: Axe, demo
):
    page.set_viewport_size(PHONE)
    page.goto("/register")
    billing = _billing(page)
    expect(billing).to_be_visible()
    expect(billing.get_by_text("annuaire-entreprises.data.gouv.fr")).to_be_visible()
    _fits(page)
    assert serious_violations(axe, page) == []

    page.get_by_label("Prénom", exact=True).fill("Alice")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Adresse e-mail", exact=True).fill("alice@ch-exemple.fr")
    page.get_by_label("Organisme", exact=True).fill("CH d'Exemple")
    tickets = page.get_by_role("group", name=re.compile(r"^Billet"))
    tickets.get_by_role("radio", name=re.compile(r"^Étudiants")).check()
    days = page.get_by_role("group", name=re.compile(r"^Jours de présence"))
    days.get_by_role("checkbox").first.check()
    billing.get_by_label(re.compile(r"^Raison sociale")).fill("Centre hospitalier d'Exemple")
    billing.get_by_label("Adresse de facturation").fill("1 rue de l'Hôpital")
    billing.get_by_label("Code postal").fill("72000")
    billing.get_by_label("Ville").fill("Le Mans")
    billing.get_by_label(re.compile(r"^L’organisme est un acheteur public")).check()
    billing.get_by_label("Numéro SIRET").fill("267 500 452 00012")
    page.get_by_role(
        "checkbox", name=re.compile(r"^J'ai lu la politique de confidentialité")
    ).check()
    page.get_by_role("button", name="S'inscrire").click()

    summary = page.get_by_role("alert").filter(has_text="Numéro SIRET")
    expect(summary).to_contain_text("Ce numéro SIRET n’est pas valide")
    expect(_billing(page).get_by_label("Numéro SIRET")).to_have_value("267 500 452 00012")
    expect(_billing(page).get_by_label("Code postal")).to_have_value("72000")
    _fits(page)
    assert serious_violations(axe, page) == []


def test_billing_fields_fold_away_for_a_free_ticket(page: Page, demo):
    category = make_category(current_event(), name="Entrée libre")
    category.price_cents = 0
    db.session.commit()
    page.set_viewport_size(PHONE)
    page.goto("/register")
    tickets = page.get_by_role("group", name=re.compile(r"^Billet"))
    tickets.get_by_role("radio", name=re.compile(r"^Entrée libre")).check()
    expect(_billing(page)).to_be_hidden()
    tickets.get_by_role("radio", name=re.compile(r"^Étudiants")).check()
    expect(_billing(page)).to_be_visible()


def test_private_billing_page_fits_a_phone_passes_axe_and_saves(page: Page, axe: Axe, demo):
    event = current_event()
    category = next(c for c in event_categories(event) if c.price_cents)
    registration, token = make_registration(event, category, "bob@ch-exemple.fr")
    registration_id = registration.id
    db.session.rollback()
    page.set_viewport_size(PHONE)
    page.goto(f"/r/{token}")
    page.get_by_role("link", name="Saisir ou modifier mes informations de facturation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Informations de facturation")
    _fits(page)
    assert serious_violations(axe, page) == []

    billing = _billing(page)
    billing.get_by_label("Moi-même").check()
    billing.get_by_label("Adresse de facturation").fill("2 place de la République")
    billing.get_by_label("Code postal").fill("75003")
    billing.get_by_label("Ville").fill("Paris")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon inscription")
    stored = db.session.scalars(
        db.select(BillingDetails).where(BillingDetails.registration_id == registration_id)
    ).one()
    assert (stored.payer.value, stored.legal_name, stored.postcode) == (
        "self",
        "Marie Curie",
        "75003",
    )
    db.session.rollback()


def event_categories(event):
    from congress.registration.services import public_categories

    return public_categories(event)
