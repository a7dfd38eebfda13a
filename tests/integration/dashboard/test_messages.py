"""The dashboard's messages: access by role, CSRF, compose, preview, test, confirm, send."""

from __future__ import annotations

import re

import pytest

from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.messaging.models import Message, MessageRecipient
from tests.factories import make_category, make_event, make_registration
from tests.http import csrf_from

pytestmark = pytest.mark.integration

NEW = "/dashboard/messages/new"
TEXT = {
    "subject": "Accueil demain",
    "body": "Rendez-vous à **8 h 30**.<script>alert(1)</script>",
    "subject_en": "",
    "body_en": "",
    "audience": "confirmed",
    "category": "",
    "day": "",
    "talk": "",
}


@pytest.fixture
def event(app):
    event = make_event()
    category = make_category(event, capacity=10, name="Standard")
    for index in range(3):
        make_registration(event, category, f"p{index}@chu.fr")
    make_registration(event, category, "pending@chu.fr", confirm=False)
    return event


def _post(client, path: str, data: dict):
    token = csrf_from(client.get(NEW).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def _rows(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == kind)))


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_messages_open_to_admins_and_editors(client, login_as, event, role):
    login_as(role)
    assert client.get("/dashboard/messages").status_code == 200
    assert client.get(NEW).status_code == 200
    assert '<a href="/dashboard/messages">Messages</a>' in client.get("/dashboard/").get_data(
        as_text=True
    )


def test_messages_refused_to_the_desk(client, login_as, event):
    login_as("desk")
    message = Message(
        event_id=event.id, subject="x", body="y", audience="confirmed", audience_label="z"
    )
    db.session.add(message)
    db.session.commit()
    assert client.get("/dashboard/messages").status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.get(f"/dashboard/messages/{message.id}").status_code == 403
    token = csrf_from(client.get("/dashboard/").get_data(as_text=True))
    assert (
        client.post(f"/dashboard/messages/{message.id}/send", data={"csrf_token": token})
    ).status_code == 403
    assert (
        client.post(NEW, data={"csrf_token": token, **TEXT, "action": "continue"})
    ).status_code == 403
    assert db.session.get(Message, message.id).sent_at is None
    assert _rows("message") == []
    assert "/dashboard/messages" not in client.get("/dashboard/").get_data(as_text=True)


def test_messages_send_anonymous_visitors_to_the_login(client, event):
    response = client.get("/dashboard/messages")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_forms_without_csrf_change_nothing(client, login_as, event):
    login_as("editor")
    response = client.post(NEW, data={**TEXT, "action": "continue"})
    assert response.status_code == 400
    assert db.session.scalars(db.select(Message)).all() == []
    response = client.post(NEW, data={**TEXT, "action": "test"})
    assert response.status_code == 400
    assert _rows("message_test") == []
    draft = _post(client, NEW, {**TEXT, "action": "continue"})
    detail = draft.headers["Location"]
    assert client.post(f"{detail}/send").status_code == 400
    assert _rows("message") == []


def test_preview_shows_the_count_and_the_sanitised_text(client, login_as, event):
    login_as("editor")
    response = _post(client, NEW, {**TEXT, "action": "preview"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "3 personnes recevront ce message." in html
    assert (
        "<p>Rendez-vous à <strong>8 h 30</strong>.&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    )
    assert "<script>alert(1)" not in html
    assert db.session.scalars(db.select(Message)).all() == []
    assert _rows("message") == []


def test_a_test_goes_to_the_organiser_only(client, login_as, event):
    login_as("editor")
    response = _post(client, NEW, {**TEXT, "action": "test"})
    assert response.status_code == 200
    assert "Un essai a été envoyé à editor-6@apssis-orga.fr." in response.get_data(as_text=True)
    assert [row.to_address for row in _rows("message_test")] == ["editor-6@apssis-orga.fr"]
    assert _rows("message") == []


def test_an_incomplete_message_is_refused_with_the_input_kept(client, login_as, event):
    login_as("editor")
    response = _post(client, NEW, {**TEXT, "subject": "", "action": "continue"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Écrivez l’objet en français." in html
    assert "Rendez-vous à **8 h 30**." in html  # what was typed stays
    response = _post(client, NEW, {**TEXT, "audience": "category", "action": "preview"})
    assert response.status_code == 400
    assert "Choisissez une catégorie de billet." in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Message)).all() == []


def test_compose_confirm_send_and_send_again(client, login_as, event):
    login_as("editor")
    response = _post(client, NEW, {**TEXT, "action": "continue"})
    assert response.status_code == 302
    detail = response.headers["Location"]
    assert re.fullmatch(r"/dashboard/messages/\d+", detail)
    page = client.get(detail).get_data(as_text=True)
    assert "Envoyer à 3 personnes" in page
    assert _rows("message") == []  # a draft sends nothing
    token = csrf_from(page)
    response = client.post(f"{detail}/send", data={"csrf_token": token})
    assert response.status_code == 302
    page = client.get(detail).get_data(as_text=True)
    assert "Le message part vers 3 personnes." in page
    assert "Envoyer à 3 personnes" not in page
    assert '<dd class="delivery-queued">3</dd>' in page
    assert '<dd class="delivery-sent">0</dd>' in page
    sent = sorted((row.to_address, row.uid) for row in _rows("message"))
    assert [address for address, _ in sent] == ["p0@chu.fr", "p1@chu.fr", "p2@chu.fr"]
    response = client.post(f"{detail}/send", data={"csrf_token": token})
    assert response.status_code == 302
    again = client.get(detail).get_data(as_text=True)
    assert "Ce message était déjà envoyé\u202f: personne ne l’a reçu deux fois." in again
    assert sorted((row.to_address, row.uid) for row in _rows("message")) == sent
    assert len(db.session.scalars(db.select(MessageRecipient)).all()) == 3
    listing = client.get("/dashboard/messages").get_data(as_text=True)
    assert "Accueil demain" in listing
    assert "Tous les participants confirmés" in listing
    assert "editor-6@apssis-orga.fr" in listing
    assert "0 envoyés, 3 en attente, 0 en échec, sur 3" in listing


def test_an_unknown_message_is_not_found(client, login_as, event):
    login_as("admin")
    assert client.get("/dashboard/messages/999").status_code == 404
