"""The story issue #16 is checked by: an admin invites an editor, who accepts and logs in,
then writes to the attendees of one workshop; each has exactly one e-mail in the outbox,
and a retried send adds none.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.programme.models import TalkKind
from congress.registration import services as registration_services
from tests.browser.test_team import _invitation_link, _log_in_admin, admin_secret  # noqa: F401
from tests.factories import make_category, make_registration, make_talk, paris

pytestmark = pytest.mark.browser

EDITOR = "paul.redacteur@chu-exemple.fr"
PASSWORD = "amber lantern harbour pebble"
WORKSHOP = "Atelier : cartographier les flux du SIH"


@pytest.fixture
def workshop(admin_secret: str) -> str:  # noqa: F811
    """Three confirmed attendees of the admin's edition; two chose the workshop."""
    from congress.edition.models import Event

    event = db.session.scalars(db.select(Event)).one()
    category = make_category(event, capacity=10, name="Standard")
    talk = make_talk(
        event, WORKSHOP, kind=TalkKind.WORKSHOP, starts_at=paris(2, "14:00"), seat_limit=12
    )
    for index, chose in enumerate((True, True, False)):
        registration, _ = make_registration(event, category, f"atelier{index}@chu-exemple.fr")
        if chose:
            registration_services.add_to_agenda(registration, talk)
    db.session.commit()
    return admin_secret


def _messages_to(kind: str) -> list[str]:
    addresses = sorted(
        db.session.scalars(db.select(OutboxMessage.to_address).where(OutboxMessage.kind == kind))
    )
    db.session.rollback()
    return addresses


def test_invited_editor_writes_to_one_workshop_once(
    browser: Browser, live_server: str, page: Page, workshop: str
):
    _log_in_admin(page, workshop)
    page.get_by_role("link", name="Équipe").click()
    page.get_by_label("Adresse e-mail").fill(EDITOR)
    page.get_by_label("Rôle", exact=True).select_option("editor")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.get_by_text(f"Invitation envoyée à {EDITOR}.")).to_be_visible()

    context = browser.new_context(base_url=live_server, locale="fr-FR", service_workers="block")
    editor = context.new_page()
    editor.goto(_invitation_link())
    editor.get_by_label("Votre nom, tel que les autres organisateurs le verront").fill(
        "Paul Rédacteur"
    )
    editor.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    editor.get_by_label("Mot de passe, à nouveau").fill(PASSWORD)
    editor.get_by_role("button", name="Créer mon compte").click()
    editor.get_by_label("Adresse e-mail").fill(EDITOR)
    editor.get_by_label("Mot de passe").fill(PASSWORD)
    editor.get_by_role("button", name="Se connecter").click()

    editor.get_by_role("navigation", name="Tableau de bord").get_by_role(
        "link", name="Messages"
    ).click()
    editor.get_by_role("link", name="Écrire un message").click()
    editor.get_by_label("Objet en français").fill("Atelier : salle changée")
    editor.get_by_label("Message en français (Markdown)").fill("L’atelier a lieu en **salle 3**.")
    editor.get_by_label("Participants ayant mis une session dans leur agenda").check()
    editor.get_by_label("Session", exact=True).select_option(label=WORKSHOP)
    editor.get_by_role("button", name="Aperçu").click()
    expect(editor.locator(".message-preview")).to_contain_text("2 personnes recevront ce message.")
    editor.get_by_role("button", name="Passer à l’envoi").click()

    send = editor.get_by_role("button", name="Envoyer à 2 personnes")
    form = editor.locator("form", has=send)
    action = form.get_attribute("action")
    token = form.locator("input[name=csrf_token]").input_value()
    send.click()
    expect(editor.locator(".flash")).to_contain_text("Le message part vers 2 personnes.")
    assert _messages_to("message") == ["atelier0@chu-exemple.fr", "atelier1@chu-exemple.fr"]

    # The same POST again, as a double click or a browser retrying on a bad network.
    retried = editor.request.post(
        f"{live_server}{action}",
        form={"csrf_token": token},
        headers={"Origin": live_server, "Referer": editor.url},
        max_redirects=0,
    )
    assert retried.status in {302, 303, 409}, retried.status  # reached the send, not refused
    assert _messages_to("message") == ["atelier0@chu-exemple.fr", "atelier1@chu-exemple.fr"]
    context.close()
