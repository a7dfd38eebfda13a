"""Ticket prices with and without tax on the form and the manage page (issue #17, fees)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from congress.core.clock import set_clock
from congress.extensions import db
from tests.factories import make_category, make_event, make_registration

pytestmark = pytest.mark.integration

NBSP, NNBSP = "\u00a0", "\u202f"
FR_280 = f"280,00{NBSP}€ HT · 336,00{NBSP}€ TTC (TVA 20{NNBSP}%)"
EN_280 = "€280.00 excl. VAT · €336.00 incl. VAT (VAT 20%)"
FR_EARLY = (
    f"250,00{NBSP}€ HT · 300,00{NBSP}€ TTC (TVA 20{NNBSP}%)"
    " – tarif préférentiel jusqu\u2019au 1er mars 2014"
)
EN_EARLY = "€250.00 excl. VAT · €300.00 incl. VAT (VAT 20%) – early-bird price until March 1, 2014"
# Midnight starting 2 March in Paris (UTC+1): the early price holds through 1 March.
EARLY_UNTIL = datetime(2014, 3, 1, 23, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    moments: list[datetime] = [datetime(2014, 2, 15, 12, 0, tzinfo=UTC)]
    set_clock(lambda: moments[0])
    yield moments
    set_clock(None)


@pytest.fixture
def category(app):
    event = make_event()
    category = make_category(event, name="Hôpitaux")
    category.early_price_cents = 25000
    category.early_until = EARLY_UNTIL
    db.session.commit()
    return category


def test_form_in_french_and_english_during_the_early_bird(client, category, clock):
    french = client.get("/register").get_data(as_text=True)
    assert f"Hôpitaux – {FR_EARLY}" in french
    english = client.get("/register?lang=en").get_data(as_text=True)
    assert f"Hôpitaux – {EN_EARLY}" in english


def test_early_price_ends_exactly_at_its_instant(client, category, clock):
    clock[0] = datetime(2014, 3, 1, 22, 59, 59, tzinfo=UTC)
    assert f"Hôpitaux – {FR_EARLY}" in client.get("/register").get_data(as_text=True)
    clock[0] = EARLY_UNTIL
    html = client.get("/register").get_data(as_text=True)
    assert f"Hôpitaux – {FR_280}<" in html
    assert "préférentiel" not in html
    english = client.get("/register?lang=en").get_data(as_text=True)
    assert f"Hôpitaux – {EN_280}<" in english


def test_exemption_mention_replaces_the_price_with_tax(client, category, clock):
    clock[0] = EARLY_UNTIL
    category.event.vat_exemption = "TVA non applicable, art. 293 B du CGI"
    db.session.commit()
    html = client.get("/register").get_data(as_text=True)
    assert f"Hôpitaux – 280,00{NBSP}€ (TVA non applicable, art. 293 B du CGI)<" in html
    assert "TTC" not in html


def test_free_category_and_another_rate(client, category, clock):
    clock[0] = EARLY_UNTIL
    category.event.vat_rate = Decimal("5.50")
    free = make_category(category.event, name="Étudiants")
    free.price_cents = 0
    db.session.commit()
    html = client.get("/register").get_data(as_text=True)
    assert f"Hôpitaux – 280,00{NBSP}€ HT · 295,40{NBSP}€ TTC (TVA 5,5{NNBSP}%)<" in html
    assert "Étudiants – Gratuit<" in html
    english = client.get("/register?lang=en").get_data(as_text=True)
    assert "Étudiants – Free<" in english
    assert "€280.00 excl. VAT · €295.40 incl. VAT (VAT 5.5%)<" in english


def test_manage_page_keeps_the_price_of_the_day_of_registration(client, category, clock):
    _, token = make_registration(category.event, category)
    clock[0] = datetime(2014, 3, 20, tzinfo=UTC)  # the early price is over, not for them
    french = client.get(f"/r/{token}").get_data(as_text=True)
    assert f"<dt>Prix</dt><dd>{FR_EARLY}</dd>" in french
    english = client.get(f"/r/{token}?lang=en").get_data(as_text=True)
    assert f"<dt>Price</dt><dd>{EN_EARLY}</dd>" in english


def test_manage_page_after_the_early_bird(client, category, clock):
    clock[0] = EARLY_UNTIL
    _, token = make_registration(category.event, category)
    assert f"<dd>{FR_280}</dd>" in client.get(f"/r/{token}").get_data(as_text=True)
