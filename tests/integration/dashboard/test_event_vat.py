"""The edition form sets the VAT of the fees: a rate or an exemption mention."""

from __future__ import annotations

from decimal import Decimal

import pytest

from congress.audit.models import AuditEntry
from congress.edition.models import Event
from congress.extensions import db
from tests.factories import make_event
from tests.http import submit

pytestmark = pytest.mark.integration

FORM = {
    "name": "APSSIS 2014",
    "acronym": "APSSIS",
    "venue": "Palais des congrès",
    "address": "Rue d'Arcole",
    "city": "Le Mans",
    "timezone": "Europe/Paris",
    "first_day": "2014-04-01",
    "last_day": "2014-04-03",
    "description": "",
    "description_en": "",
    "registration_opens_at": "",
    "registration_closes_at": "",
}
MENTION = "TVA non applicable, art. 293 B du CGI"


@pytest.fixture
def event(app):
    return make_event()


def stored(event: Event) -> tuple[Decimal, str]:
    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    return saved.vat_rate, saved.vat_exemption


def test_form_shows_the_default_rate(client, login_as, event):
    page = login_as("admin").get("/dashboard/event").get_data(as_text=True)
    assert 'name="vat_rate"' in page
    assert 'value="20"' in page
    assert "Taux de TVA (%)" in page


def test_french_decimal_rate_and_mention_are_saved_and_audited(client, login_as, event):
    admin = login_as("admin")
    response = submit(
        admin, "/dashboard/event", {**FORM, "vat_rate": "5,5", "vat_exemption": MENTION}
    )
    assert response.status_code == 302
    assert stored(event) == (Decimal("5.50"), MENTION)
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "event.updated")
    ).all()
    vat = [e.changes for e in entries if "vat_rate" in e.changes]
    assert vat == [{"vat_rate": ["20.00", "5.50"], "vat_exemption": ["", MENTION]}]
    assert 'value="5.5"' in admin.get("/dashboard/event").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["150", "20.555", "vingt", "-5"])
def test_bad_rate_is_refused_with_the_typed_value_kept(client, login_as, event, typed):
    response = submit(login_as("admin"), "/dashboard/event", {**FORM, "vat_rate": typed})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Le taux de TVA est compris entre 0 et 100, avec deux décimales au plus." in html
    assert f'value="{typed}"' in html
    assert stored(event) == (Decimal("20.00"), "")


def test_too_long_mention_is_refused(client, login_as, event):
    response = submit(
        login_as("admin"),
        "/dashboard/event",
        {**FORM, "vat_rate": "20", "vat_exemption": "x" * 201},
    )
    assert response.status_code == 400
    assert stored(event) == (Decimal("20.00"), "")
