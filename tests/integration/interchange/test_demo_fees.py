"""The demo edition charges 20 % VAT and offers an early-bird price on its main category."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from congress.core.clock import set_clock
from congress.edition.models import Event
from congress.extensions import db
from congress.interchange.demo import seed_demo

pytestmark = pytest.mark.integration


@pytest.fixture
def february():
    set_clock(lambda: datetime(2014, 2, 20, 10, 0, tzinfo=UTC))
    yield
    set_clock(None)


def test_demo_edition_has_vat_and_an_early_bird_price(app, client, february):
    seed_demo()
    event = db.session.scalars(db.select(Event)).one()
    assert (event.vat_rate, event.vat_exemption) == (Decimal("20.00"), "")
    html = client.get("/register").get_data(as_text=True)
    assert (
        "Établissements de santé (publics et privés) – 250,00\u00a0€ HT · 300,00\u00a0€ TTC"
        " (TVA 20\u202f%) – tarif préférentiel jusqu\u2019au 1er mars 2014<" in html
    )
    assert "Institutions et agences – 280,00\u00a0€ HT · 336,00\u00a0€ TTC (TVA 20\u202f%)<" in html
