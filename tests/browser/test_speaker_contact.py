"""The speaker form's private contact fields: a refusal beside its field, axe and width.

At 1280 and 375 px: the form with its note, a bad telephone number refused with
the typed value kept, then a good one saved; no serious or critical axe
violation and nothing wider than the viewport at each step.
"""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from congress.extensions import db
from congress.programme.models import Speaker
from tests.browser.conftest import serious_violations
from tests.browser.test_overflow import _admin_secret, _log_in, _overflow, _word
from tests.factories import make_event, make_speaker

pytestmark = pytest.mark.browser

NOTE = "Visible des organisateurs seulement\u202f: jamais affiché sur les pages publiques."


@pytest.fixture
def edition(app: Flask) -> tuple[str, int]:
    """A long-named speaker; the admin's TOTP secret and the speaker's id."""
    event = make_event()
    speaker = make_speaker(event, _word("S"), affiliation=_word("A"))
    secret = _admin_secret()
    db.session.commit()  # hold no transaction open against the server's writes
    return secret, speaker.id


def test_contact_fields_refuse_then_save(
    browser: Browser, live_server: str, axe, edition: tuple[str, int], viewport: dict[str, int]
):
    secret, speaker_id = edition
    context = browser.new_context(
        base_url=live_server, viewport=viewport, locale="fr-FR", service_workers="block"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    _log_in(page, secret)
    path = f"/dashboard/speakers/{speaker_id}"

    page.goto(path)
    email = page.get_by_label("Adresse e-mail (facultatif)")
    phone = page.get_by_label("Téléphone (facultatif)")
    expect(email).to_have_accessible_description(NOTE)
    expect(page.get_by_role("group", name="Contact")).to_be_visible()
    assert serious_violations(axe, page) == []
    assert _overflow(page)[0] <= _overflow(page)[1]

    email.fill("intervenant@hopital-exemple.fr")
    phone.fill("06 12 AB 56 78")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#phone-error")).to_contain_text("Saisissez un numéro de téléphone")
    expect(page.get_by_label("Téléphone (facultatif)")).to_have_value("06 12 AB 56 78")
    expect(page.get_by_label("Adresse e-mail (facultatif)")).to_have_value(
        "intervenant@hopital-exemple.fr"
    )
    assert serious_violations(axe, page) == []
    scroll_width, inner_width = _overflow(page)
    assert scroll_width <= inner_width

    page.get_by_label("Téléphone (facultatif)").fill("+33 6 12 34 56 78")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_url(f"{live_server}/dashboard/speakers")
    context.close()

    db.session.expire_all()
    stored = db.session.get(Speaker, speaker_id)
    assert (stored.email, stored.phone) == ("intervenant@hopital-exemple.fr", "+33 6 12 34 56 78")
