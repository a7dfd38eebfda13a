"""The team page through HTTP: who may open it, CSRF, the whole invitation round trip,
the last administrator refused through the view, times in the edition's zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from congress.accounts import team
from congress.accounts.models import Invitation, Role, User
from congress.accounts.services import create_organiser
from congress.audit.models import AuditEntry
from congress.core import clock
from congress.extensions import db
from congress.mail.models import OutboxMessage
from tests.conftest import ORGANISER_PASSWORD
from tests.factories import make_event
from tests.http import csrf_from, submit

pytestmark = pytest.mark.integration

NEW_PASSWORD = "violet tramway orchard kettle"
ADMIN_EMAIL = "admin-5@apssis-orga.fr"  # what login_as("admin") creates


def _fresh_client(app):
    return app.test_client()


def _user(email: str) -> User:
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.email == email)).one()


def _post_button(client, path: str) -> object:
    token = csrf_from(client.get("/dashboard/team").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token})


@pytest.mark.parametrize("role", ["editor", "desk"])
def test_editor_and_desk_are_refused_everywhere(client, login_as, role):
    login_as(role)
    other = create_organiser("cible@apssis-orga.fr", ORGANISER_PASSWORD, Role.EDITOR)
    invitation = team.invite(
        "invite@apssis-orga.fr", Role.DESK, invited_by=None, base_url="http://x", language="fr"
    ).invitation
    home = client.get("/dashboard/")
    assert 'href="/dashboard/team"' not in home.get_data(as_text=True)
    token = csrf_from(client.get("/account").get_data(as_text=True))
    assert client.get("/dashboard/team").status_code == 403
    for path in (
        "/dashboard/team",
        f"/dashboard/team/{other.id}/role",
        f"/dashboard/team/{other.id}/disable",
        f"/dashboard/team/{other.id}/enable",
        f"/dashboard/team/{other.id}/second-factor/reset",
        f"/dashboard/team/invitations/{invitation.id}/revoke",
    ):
        answer = client.post(path, data={"csrf_token": token, "role": "admin", "email": "a@b.fr"})
        assert answer.status_code == 403, path
    assert _user("cible@apssis-orga.fr").role is Role.EDITOR
    assert db.session.scalar(select(db.func.count(Invitation.id))) == 1


def test_anonymous_is_sent_to_login(client):
    answer = client.get("/dashboard/team")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/login?next=/dashboard/team"


def test_every_form_needs_its_csrf_token(client, login_as):
    login_as("admin")
    editor = create_organiser("edit@apssis-orga.fr", ORGANISER_PASSWORD, Role.EDITOR)
    answer = client.post("/dashboard/team", data={"email": "x@apssis-orga.fr", "role": "desk"})
    assert answer.status_code == 400
    assert client.post(f"/dashboard/team/{editor.id}/disable").status_code == 400
    assert (
        client.post(f"/dashboard/team/{editor.id}/role", data={"role": "admin"}).status_code == 400
    )
    assert db.session.scalar(select(db.func.count(Invitation.id))) == 0
    assert _user("edit@apssis-orga.fr").active is True
    assert _user("edit@apssis-orga.fr").role is Role.EDITOR


def test_invite_then_accept_then_log_in_as_desk(app, client, login_as):
    make_event()
    login_as("admin")
    menu = client.get("/dashboard/team").get_data(as_text=True)
    assert '<a href="/dashboard/team" aria-current="page">Équipe</a>' in menu
    sent = submit(client, "/dashboard/team", {"email": "Nina@CHU-exemple.fr ", "role": "desk"})
    assert sent.status_code == 302
    page = client.get("/dashboard/team").get_data(as_text=True)
    assert "Invitation envoyée à nina@chu-exemple.fr." in page
    assert "Invitations en attente" in page
    assert "<dd>nina@chu-exemple.fr</dd>" in page
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.to_address == "nina@chu-exemple.fr"
    link = re.search(r"http://congress\.test(/team/invitation/[A-Za-z0-9_-]+)", mail.body_text)
    assert link is not None
    path = link.group(1)
    assert db.session.scalars(select(Invitation)).one().token_hash not in mail.body_text

    visitor = _fresh_client(app)
    form = visitor.get(path)
    assert form.status_code == 200
    assert form.headers["Cache-Control"] == "no-store"
    assert form.headers["Referrer-Policy"] == "strict-origin"  # the token stays on the page
    html = form.get_data(as_text=True)
    assert "Vous êtes invité en tant que Accueil avec l’adresse nina@chu-exemple.fr." in html
    weak = submit(
        visitor, path, {"display_name": "Nina", "password": "motdepasse", "confirm": "motdepasse"}
    )
    assert weak.status_code == 400
    assert 'value="Nina"' in weak.get_data(as_text=True)  # what was typed is kept
    done = submit(
        visitor,
        path,
        {"display_name": "Nina Nouvelle", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done.headers["Location"] == "/login"
    assert visitor.get(path).status_code == 410  # single use
    logged = submit(visitor, "/login", {"email": "nina@chu-exemple.fr", "password": NEW_PASSWORD})
    assert logged.status_code == 302
    assert logged.headers["Location"] == "/dashboard/"
    assert visitor.get("/dashboard/checkin").status_code == 200
    user = _user("nina@chu-exemple.fr")
    assert (user.display_name, user.role) == ("Nina Nouvelle", Role.DESK)
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions.index("account.invited") < actions.index("invitation.accepted")
    audit = client.get("/dashboard/audit").get_data(as_text=True)
    assert "a invité un organisateur (nina@chu-exemple.fr)" in audit


def test_an_invited_admin_goes_through_second_factor_enrolment(app, client, login_as):
    login_as("admin")
    assert submit(client, "/dashboard/team", {"email": "a2@apssis-orga.fr", "role": "admin"})
    mail = db.session.scalars(select(OutboxMessage)).one()
    path = re.search(r"(/team/invitation/[A-Za-z0-9_-]+)", mail.body_text).group(1)
    visitor = _fresh_client(app)
    data = {"display_name": "Deuxième", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert submit(visitor, path, data).status_code == 302
    logged = submit(visitor, "/login", {"email": "a2@apssis-orga.fr", "password": NEW_PASSWORD})
    assert logged.headers["Location"] == "/account/2fa"
    assert visitor.get("/dashboard/").headers["Location"] == "/account/2fa"


def test_refused_links_answer_4xx_with_a_clear_page(app, client):
    admin = create_organiser("chef@apssis-orga.fr", ORGANISER_PASSWORD, Role.ADMIN)
    unknown = client.get("/team/invitation/" + "A" * 32)
    assert unknown.status_code == 404
    assert "Ce lien d’invitation n’est pas valide." in unknown.get_data(as_text=True)
    assert client.get("/team/invitation/court").status_code == 404
    issued = team.invite(
        "late@apssis-orga.fr", Role.EDITOR, invited_by=admin, base_url="http://x", language="fr"
    )
    issued.invitation.expires_at = clock.now() - timedelta(seconds=1)
    db.session.commit()
    expired = client.get(f"/team/invitation/{issued.token}")
    assert expired.status_code == 410
    assert "Cette invitation a expiré." in expired.get_data(as_text=True)
    revoked = team.invite(
        "gone@apssis-orga.fr", Role.EDITOR, invited_by=admin, base_url="http://x", language="fr"
    )
    team.revoke_invitation(revoked.invitation.id)
    answer = client.post(
        f"/team/invitation/{revoked.token}",
        data={
            "display_name": "X",
            "csrf_token": csrf_from(client.get("/login").get_data(as_text=True)),
        },
    )
    assert answer.status_code == 410
    assert "Cette invitation a été retirée." in answer.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_inviting_an_existing_account_is_refused_and_keeps_the_input(client, login_as):
    login_as("admin")
    answer = submit(client, "/dashboard/team", {"email": ADMIN_EMAIL, "role": "editor"})
    assert answer.status_code == 409
    html = answer.get_data(as_text=True)
    assert "Un compte existe déjà avec cette adresse e-mail." in html
    assert f'value="{ADMIN_EMAIL}"' in html
    assert db.session.scalar(select(db.func.count(Invitation.id))) == 0


def test_reinvite_and_revoke_from_the_page(client, login_as):
    login_as("admin")
    submit(client, "/dashboard/team", {"email": "x@apssis-orga.fr", "role": "editor"})
    submit(client, "/dashboard/team", {"email": "x@apssis-orga.fr", "role": "desk"})
    pending = team.pending_invitations()
    assert [(i.email, i.role) for i in pending] == [("x@apssis-orga.fr", Role.DESK)]
    answer = _post_button(client, f"/dashboard/team/invitations/{pending[0].id}/revoke")
    assert answer.status_code == 302
    assert team.pending_invitations() == []
    assert "Aucune invitation en attente." in client.get("/dashboard/team").get_data(as_text=True)


def test_the_last_admin_cannot_disable_or_demote_themselves(client, login_as):
    login_as("admin")
    me = _user(ADMIN_EMAIL)
    answer = _post_button(client, f"/dashboard/team/{me.id}/disable")
    assert answer.status_code == 302
    page = client.get("/dashboard/team")
    assert page.status_code == 200  # still logged in: nothing changed
    assert "C’est le dernier administrateur actif" in page.get_data(as_text=True)
    token = csrf_from(page.get_data(as_text=True))
    client.post(f"/dashboard/team/{me.id}/role", data={"csrf_token": token, "role": "editor"})
    assert "C’est le dernier administrateur actif" in client.get("/dashboard/team").get_data(
        as_text=True
    )
    me = _user(ADMIN_EMAIL)
    assert (me.active, me.role, me.session_version) == (True, Role.ADMIN, 1)


def test_disabling_ends_the_live_session_and_enabling_lets_back_in(app, client, login_as):
    make_event()
    login_as("admin")
    create_organiser("edit@apssis-orga.fr", ORGANISER_PASSWORD, Role.EDITOR)
    editor_client = _fresh_client(app)
    data = {"email": "edit@apssis-orga.fr", "password": ORGANISER_PASSWORD}
    assert submit(editor_client, "/login", data).status_code == 302
    assert editor_client.get("/dashboard/programme").status_code == 200
    editor = _user("edit@apssis-orga.fr")
    assert _post_button(client, f"/dashboard/team/{editor.id}/disable").status_code == 302
    assert editor_client.get("/dashboard/programme").status_code == 302  # session gone
    assert submit(editor_client, "/login", data).status_code == 401
    page = client.get("/dashboard/team").get_data(as_text=True)
    assert "Le compte est désactivé ; ses sessions sont fermées." in page
    assert '<span class="badge">Désactivé</span>' in page
    assert _post_button(client, f"/dashboard/team/{editor.id}/enable").status_code == 302
    assert submit(editor_client, "/login", data).status_code == 302


def test_change_role_from_the_page(client, login_as):
    login_as("admin")
    editor = create_organiser("edit@apssis-orga.fr", ORGANISER_PASSWORD, Role.EDITOR)
    token = csrf_from(client.get("/dashboard/team").get_data(as_text=True))
    answer = client.post(
        f"/dashboard/team/{editor.id}/role", data={"csrf_token": token, "role": "desk"}
    )
    assert answer.status_code == 302
    assert _user("edit@apssis-orga.fr").role is Role.DESK
    bad = client.post(f"/dashboard/team/{editor.id}/role", data={"csrf_token": token, "role": "x"})
    assert bad.status_code == 302
    assert _user("edit@apssis-orga.fr").role is Role.DESK
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "account.role_changed")
    ).one()
    assert entry.changes == {"role": ["editor", "desk"]}


def test_reset_second_factor_from_the_page(app, client, login_as):
    login_as("admin")
    other = create_organiser("a2@apssis-orga.fr", ORGANISER_PASSWORD, Role.ADMIN)
    from congress.accounts.services import confirm_totp_setup, start_totp_setup

    secret = start_totp_setup(other)
    confirm_totp_setup(other, pyotp.TOTP(secret).at(clock.now()))
    page = client.get("/dashboard/team").get_data(as_text=True)
    assert f'action="/dashboard/team/{other.id}/second-factor/reset"' in page
    answer = _post_button(client, f"/dashboard/team/{other.id}/second-factor/reset")
    assert answer.status_code == 302
    other = _user("a2@apssis-orga.fr")
    assert (other.totp_secret, other.session_version) == (None, 2)
    visitor = _fresh_client(app)
    data = {"email": "a2@apssis-orga.fr", "password": ORGANISER_PASSWORD}
    assert submit(visitor, "/login", data).headers["Location"] == "/account/2fa"


def test_the_page_lists_members_in_french_with_paris_times(client, login_as):
    login_as("admin")
    editor = create_organiser("edit@apssis-orga.fr", ORGANISER_PASSWORD, Role.EDITOR, "Éva")
    editor.last_login_at = datetime(2026, 4, 1, 7, 5, tzinfo=UTC)
    issued = team.invite(
        "wait@apssis-orga.fr", Role.DESK, invited_by=None, base_url="http://x", language="fr"
    )
    issued.invitation.expires_at = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    db.session.commit()
    html = client.get("/dashboard/team").get_data(as_text=True)
    card = html[html.index(f'id="member-{editor.id}"') :]
    card = card[: card.index("</li>")]
    assert "<dd>edit@apssis-orga.fr</dd>" in card
    assert "<dd>Éditeur du programme</dd>" in card
    assert "<dd>Actif</dd>" in card
    assert "<dd>Non configuré</dd>" in card
    assert "<dd>mercredi 1er avril 2026, 09:05</dd>" in card
    me = html[html.index("admin-5@apssis-orga.fr") :]
    assert "<dd>Administrateur</dd>" in me
    assert "<dd>Configuré</dd>" in me
    assert "<dd>jeudi 3 décembre 2026, 19:30</dd>" in html
