"""An attack analysis from its submission to the programme editor, through the committee.

The checks of issue 18, in a browser: a submitter sends a TLP:AMBER attack
analysis with a PDF attachment (on a phone); the file on disk does not contain
its text; the assigned reviewer scores it; an unassigned reviewer and a
reviewer from the submitter's organisation get 404; an administrator accepts
it and releases the decisions twice, and the speaker's e-mail goes once; the
accepted session is a draft in the programme editor with its label.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from congress.accounts.models import Role
from congress.accounts.services import confirm_totp_setup, create_organiser, start_totp_setup
from congress.cfp import services
from congress.cfp.models import Review, Submission, SubmissionStatus
from congress.core import clock
from congress.core.clock import now
from congress.edition.models import Event
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.programme.models import Talk, TalkStatus
from tests.browser.conftest import DESKTOP, PHONE, serious_violations
from tests.browser.test_overflow import _overflow
from tests.browser.test_registration import deliver_and_read, link_in
from tests.conftest import ORGANISER_PASSWORD
from tests.factories import make_pdf

pytestmark = pytest.mark.browser

TITLE = "Rançongiciel au CH de Vitré : chronologie d'une reprise"
MARKER = "Kx9-PACS-vecteur-non-corrige"
ADMIN = "admin-cfp@apssis-orga.fr"


def _checked(page: Page, axe) -> None:
    assert serious_violations(axe, page) == [], page.url
    scroll_width, inner_width = _overflow(page)
    assert scroll_width <= inner_width, page.url


def _reviewer(email: str, organisation: str) -> None:
    user = create_organiser(email, ORGANISER_PASSWORD, Role.REVIEWER, email.split("@")[0])
    user.organisation = organisation
    db.session.commit()


def _logged_in(browser: Browser, live_server: str, email: str, secret: str | None = None) -> Page:
    context = browser.new_context(
        base_url=live_server, viewport=DESKTOP, locale="fr-FR", service_workers="block"
    )
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if secret is not None:
        page.locator("input[name=code]").fill(pyotp.TOTP(secret).at(clock.now().timestamp() + 30))
        page.locator("form.stacked-form button[type=submit]").click()
    expect(page.locator(".dash-nav")).to_be_visible()
    return page


def _mails(kind: str) -> list[OutboxMessage]:
    found = list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == kind)))
    db.session.rollback()
    return found


def test_an_amber_attack_analysis_from_submission_to_the_editor(
    page: Page, browser: Browser, app: Flask, live_server: str, axe, demo, tmp_path: Path
):
    event = db.session.scalars(db.select(Event)).one()
    moment = now()
    services.set_call(event, moment - timedelta(days=1), moment + timedelta(days=30), "- Règle")
    attachment = tmp_path / "chronologie.pdf"
    attachment.write_bytes(make_pdf(MARKER, pages=2))

    # The submitter, on a phone.
    page.set_viewport_size(PHONE)
    page.goto("/cfp/submit")
    page.get_by_label("Titre", exact=True).fill(TITLE)
    page.get_by_label("Résumé", exact=True).fill(f"Vecteur initial : {MARKER}.")
    page.get_by_label("Type de proposition").select_option(label="Analyse d'attaque")
    page.get_by_label("Durée").select_option(label="45 minutes")
    page.get_by_label("Label de diffusion demandé").select_option(label="TLP:AMBER")
    page.get_by_label("Votre nom").fill("Hélène Rousseau")
    page.get_by_label("Votre adresse e-mail").fill("helene@ch-vitre-test.fr")
    page.get_by_label("Votre organisme").fill("CH de Vitré")
    page.get_by_label("Pièce jointe (facultative, PDF)").set_input_files(attachment)
    _checked(page, axe)
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    mail = deliver_and_read(app, "helene@ch-vitre-test.fr", re.compile(r"^Confirmez"))
    assert MARKER not in mail.as_string()
    page.goto(link_in(mail, live_server, r"/cfp/confirm/[A-Za-z0-9_-]+"))
    page.get_by_role("button", name="Soumettre ma proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma proposition")
    _checked(page, axe)
    submission = db.session.scalars(db.select(Submission)).one()
    assert submission.status is SubmissionStatus.SUBMITTED
    uid = submission.uid
    db.session.rollback()

    # The attachment on disk is ciphertext: neither its text nor a PDF header.
    stored = list((Path(app.config["INSTANCE_PATH"]) / "cfp-files").iterdir())
    assert len(stored) == 1
    assert MARKER.encode() not in stored[0].read_bytes()
    assert b"%PDF" not in stored[0].read_bytes()

    # The committee: an administrator assigns two reviewers; the colleague of
    # the submitter cannot even be offered.
    _reviewer("relecteur@anssi-test.fr", "ANSSI")
    _reviewer("autre@cert-test.fr", "CERT Santé")
    _reviewer("collegue@ch-vitre-test.fr", "CH de Vitré")
    admin = create_organiser(ADMIN, ORGANISER_PASSWORD, Role.ADMIN)
    secret = start_totp_setup(admin)
    confirm_totp_setup(admin, pyotp.TOTP(secret).at(clock.now()))
    organiser = _logged_in(browser, live_server, ADMIN, secret)
    organiser.goto(f"/dashboard/cfp/{uid}")
    expect(organiser.get_by_text(MARKER)).to_be_visible()
    reviewers = organiser.get_by_label("Relecteur")
    assert "collegue" not in reviewers.inner_text()
    reviewers.select_option(label="relecteur (relecteur@anssi-test.fr)")
    organiser.get_by_role("button", name="Désigner", exact=True).click()
    expect(organiser.get_by_role("button", name=re.compile("Retirer relecteur"))).to_be_visible()
    _checked(organiser, axe)

    # The assigned reviewer reads it and scores it.
    reviewer = _logged_in(browser, live_server, "relecteur@anssi-test.fr")
    reviewer.get_by_role("link", name="Propositions à relire").first.click()
    reviewer.get_by_role("link", name=TITLE).click()
    expect(reviewer.get_by_text(MARKER)).to_be_visible()
    for criterion, score in (("Pertinence", "5"), ("Originalité", "4"), ("Profondeur", "5")):
        reviewer.get_by_role("group", name=criterion).get_by_label(score, exact=False).first.check()
    reviewer.get_by_role("group", name="Clarté").get_by_text("4", exact=True).click()
    reviewer.get_by_label("Commentaire").fill("Très utile aux RSSI hospitaliers.")
    reviewer.get_by_role("button", name="Enregistrer ma relecture").click()
    _checked(reviewer, axe)
    scores = db.session.scalars(db.select(Review)).one()
    assert (scores.relevance, scores.originality, scores.depth, scores.clarity) == (5, 4, 5, 4)
    db.session.rollback()

    # Those who may not read it learn nothing, not even that it exists.
    for email in ("autre@cert-test.fr", "collegue@ch-vitre-test.fr"):
        other = _logged_in(browser, live_server, email)
        assert other.goto(f"/dashboard/cfp/{uid}").status == 404
        assert other.goto(f"/dashboard/cfp/{uid}/attachment.pdf").status == 404
        expect(other.get_by_text(TITLE)).to_have_count(0)
        other.context.close()

    # The decision, then its release, twice: the e-mail goes once.
    organiser.goto("/dashboard/cfp/ranking")
    organiser.get_by_label(f"Décision sur {TITLE}").select_option(label="Acceptée")
    organiser.get_by_role("row", name=re.compile(re.escape(TITLE))).get_by_role(
        "button", name="Enregistrer"
    ).click()
    _checked(organiser, axe)
    organiser.get_by_role("button", name="Annoncer les décisions (1)").click()
    assert [m.to_address for m in _mails("cfp_accepted")] == ["helene@ch-vitre-test.fr"]
    organiser.goto("/dashboard/cfp/ranking")
    expect(
        organiser.get_by_role("button", name=re.compile("Annoncer les décisions"))
    ).to_have_count(0)
    assert len(_mails("cfp_accepted")) == 1
    assert all(MARKER not in m.body_text + m.body_html for m in _mails("cfp_accepted"))

    # The accepted session: a draft in the editor, with its label and speaker.
    talk = db.session.scalars(db.select(Talk).where(Talk.title == TITLE)).one()
    assert talk.status is TalkStatus.DRAFT
    talk_id = talk.id
    db.session.rollback()
    organiser.goto("/dashboard/programme")
    entry = organiser.locator("li, tr, article").filter(has_text=TITLE).last
    expect(entry).to_contain_text("Brouillon")
    expect(entry).to_contain_text("TLP:AMBER")
    organiser.goto(f"/dashboard/talks/{talk_id}")
    expect(organiser.get_by_label("Niveau de diffusion")).to_have_value("tlp_amber")
    expect(organiser.get_by_text("Hélène Rousseau").first).to_be_visible()
    assert MARKER not in organiser.content()
    _checked(organiser, axe)
