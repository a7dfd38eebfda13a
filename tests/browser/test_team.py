"""Team management in Chromium: an administrator invites an organiser, the link from the
outbox is opened and a password chosen, then the new organiser logs in. The team page and
the invitation page have no serious axe violation and fit 1280 and 375 px."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from congress.accounts.models import Role, User
from congress.accounts.services import confirm_totp_setup, create_organiser, start_totp_setup
from congress.core import clock
from congress.extensions import db
from congress.mail.models import OutboxMessage
from tests.browser.conftest import DESKTOP, PHONE, serious_violations
from tests.conftest import ORGANISER_PASSWORD
from tests.factories import make_event

pytestmark = pytest.mark.browser

ADMIN = "chef@apssis-orga.fr"
INVITED = "nina.nouvelle-secretariat-des-congres-regionaux@chu-exemple-hopital.fr"
NEW_PASSWORD = "violet tramway orchard kettle"


@pytest.fixture
def admin_secret(app) -> str:
    make_event()
    user = create_organiser(ADMIN, ORGANISER_PASSWORD, Role.ADMIN, "Claire Chef")
    secret = start_totp_setup(user)
    confirm_totp_setup(user, pyotp.TOTP(secret).at(clock.now()))
    db.session.commit()
    return secret


def _log_in_admin(page: Page, secret: str) -> None:
    page.goto("/login")
    page.get_by_label("Adresse e-mail").fill(ADMIN)
    page.get_by_label("Mot de passe").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).at(clock.now().timestamp() + 30))
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page.locator(".dash-nav")).to_be_visible()


def _fits(page: Page) -> None:
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, (page.url, scroll_width, inner_width)


def _check_both_widths(page: Page, axe) -> None:
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.reload()
        assert serious_violations(axe, page) == [], (page.url, viewport)
        _fits(page)
    page.set_viewport_size(DESKTOP)


def _invitation_link() -> str:
    mail = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.kind == "team_invitation")
    ).one()
    db.session.rollback()
    match = re.search(r"http://congress\.test(/team/invitation/[A-Za-z0-9_-]+)", mail.body_text)
    assert match is not None, mail.body_text
    return match.group(1)


def test_admin_invites_and_the_invited_organiser_sets_a_password(
    browser: Browser, live_server: str, page: Page, axe, admin_secret: str
):
    _log_in_admin(page, admin_secret)
    page.get_by_role("link", name="Équipe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Équipe")
    page.get_by_label("Adresse e-mail").fill(INVITED)
    page.get_by_label("Rôle", exact=True).select_option("editor")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.get_by_text(f"Invitation envoyée à {INVITED}.")).to_be_visible()
    expect(page.locator(".team-invitations")).to_contain_text(INVITED)
    _check_both_widths(page, axe)

    link = _invitation_link()
    visitor = browser.new_context(base_url=live_server, locale="fr-FR", service_workers="block")
    invited = visitor.new_page()
    invited.goto(link)
    expect(invited.get_by_role("heading", level=1)).to_have_text(
        "Rejoindre l’équipe des organisateurs"
    )
    _check_both_widths(invited, axe)
    invited.get_by_label("Votre nom, tel que les autres organisateurs le verront").fill(
        "Nina Nouvelle"
    )
    invited.get_by_label("Mot de passe", exact=True).fill(NEW_PASSWORD)
    invited.get_by_label("Mot de passe, à nouveau").fill(NEW_PASSWORD)
    invited.get_by_role("button", name="Créer mon compte").click()
    expect(invited).to_have_url(re.compile(r"/login$"))
    expect(invited.get_by_text("Votre compte est prêt.")).to_be_visible()
    invited.get_by_label("Adresse e-mail").fill(INVITED)
    invited.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    invited.get_by_role("button", name="Se connecter").click()
    expect(invited.locator(".dash-nav")).to_be_visible()
    expect(invited.locator(".dash-nav")).not_to_contain_text("Équipe")
    visitor.close()

    user = db.session.scalars(db.select(User).where(User.email == INVITED)).one()
    db.session.rollback()
    assert (user.display_name, user.role) == ("Nina Nouvelle", Role.EDITOR)
    page.reload()
    expect(page.locator(".team-members")).to_contain_text("Nina Nouvelle")
    expect(page.get_by_text("Aucune invitation en attente.")).to_be_visible()
