"""Call for papers on a phone: submit, confirm from the e-mail, the private page, withdraw.

At 375 px, each page of the flow has no serious or critical axe violation and
nothing wider than the viewport. The demo edition's call (autumn 2013) is moved
around today so that the form is open.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from congress.cfp import services
from congress.cfp.models import Submission, SubmissionStatus
from congress.core.clock import now
from congress.edition.models import Event
from congress.extensions import db
from tests.browser.conftest import PHONE, serious_violations
from tests.browser.test_overflow import _overflow
from tests.browser.test_registration import deliver_and_read, link_in

pytestmark = pytest.mark.browser

TITLE = "Rançongiciel au bloc opératoire : chronologie d'une reprise"


def _checked(page: Page, axe, heading: str) -> None:
    """The page's heading, no serious axe violation, nothing wider than the phone."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert serious_violations(axe, page) == [], page.url
    scroll_width, inner_width = _overflow(page)
    assert scroll_width <= inner_width, page.url


def _status() -> SubmissionStatus:
    status = db.session.scalars(db.select(Submission.status)).one()
    db.session.rollback()
    return status


def test_submit_confirm_from_the_mail_then_withdraw_on_a_phone(
    page: Page, app: Flask, live_server: str, axe, demo
):
    event = db.session.scalars(db.select(Event)).one()
    moment = now()
    services.set_call(event, moment - timedelta(days=1), moment + timedelta(days=30), "- Règle")
    page.set_viewport_size(PHONE)

    page.goto("/cfp")
    _checked(page, axe, "Appel à communications")
    page.get_by_role("link", name="Proposer une intervention").click()
    _checked(page, axe, "Proposer une intervention")
    page.get_by_label("Titre", exact=True).fill(TITLE)
    page.get_by_label("Résumé", exact=True).fill("Trois semaines de reprise, jour par jour.")
    page.get_by_label("Type de proposition").select_option(label="Analyse d'attaque")
    page.get_by_label("Durée").select_option(label="45 minutes")
    page.get_by_label("Label de diffusion demandé").select_option(label="TLP:AMBER")
    page.get_by_label("Votre nom").fill("Alice Martin")
    page.get_by_label("Votre adresse e-mail").fill("alice@chu-exemple.fr")
    page.get_by_label("Co-intervenant 1\u202f: nom").fill("Bob Durand")
    page.get_by_label("Co-intervenant 1\u202f: adresse e-mail").fill("bob@chu-exemple.fr")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    _checked(page, axe, "Consultez votre messagerie")
    assert _status() is SubmissionStatus.PENDING

    mail = deliver_and_read(
        app, "alice@chu-exemple.fr", re.compile(r"^Confirmez votre proposition")
    )
    assert "Trois semaines" not in mail.get_body(("plain",)).get_content()  # TLP:AMBER
    page.goto(link_in(mail, live_server, r"/cfp/confirm/[A-Za-z0-9_-]+"))
    _checked(page, axe, "Confirmez votre proposition")
    assert _status() is SubmissionStatus.PENDING  # opening the link changed nothing
    page.get_by_role("button", name="Soumettre ma proposition").click()

    _checked(page, axe, "Ma proposition")
    expect(page.get_by_text("Votre proposition a été soumise.")).to_be_visible()
    assert re.search(r"/cfp/s/[A-Za-z0-9_-]+$", page.url)
    assert _status() is SubmissionStatus.SUBMITTED
    co_mail = deliver_and_read(app, "bob@chu-exemple.fr", re.compile(r"co-intervenant"))
    assert "Trois semaines" not in co_mail.get_body(("plain",)).get_content()

    page.get_by_role("link", name="Retirer ma proposition").click()
    _checked(page, axe, "Retirer ma proposition")
    page.get_by_role("button", name="Retirer ma proposition").click()
    _checked(page, axe, "Ma proposition")
    expect(page.get_by_text("Votre proposition a été retirée.")).to_be_visible()
    assert _status() is SubmissionStatus.WITHDRAWN
