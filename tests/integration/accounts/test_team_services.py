"""Team rules through the service: invitations (hash only, 48 h, single use, re-invite) and
the last active administrator, who can be neither disabled nor demoted."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from congress.accounts import team
from congress.accounts.models import Invitation, RecoveryCode, Role, User
from congress.accounts.services import (
    authenticate,
    confirm_totp_setup,
    create_organiser,
    needs_totp_setup,
    start_totp_setup,
)
from congress.audit.models import AuditEntry
from congress.core import clock, tokens
from congress.core.errors import Conflict, DomainError, Expired
from congress.extensions import db
from congress.mail.models import OutboxMessage
from tests.conftest import IS_POSTGRES

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "violet tramway orchard kettle"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen(app):
    moment = {"now": T0}
    clock.set_clock(lambda: moment["now"])
    yield moment
    clock.set_clock(None)


@pytest.fixture
def admin(app):
    return create_organiser("chef@apssis-orga.fr", PASSWORD, Role.ADMIN, "Claire Chef")


def _invite(email="nouveau@apssis-orga.fr", role=Role.EDITOR, by=None):
    return team.invite(email, role, invited_by=by, base_url="http://congress.test", language="fr")


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


# ---------------------------------------------------------------- invitations


def test_invite_stores_only_the_hash_and_mails_the_link(admin, frozen):
    issued = _invite(by=admin)
    row = db.session.get(Invitation, issued.invitation.id)
    assert len(issued.token) >= 22  # >= 128 bits of URL-safe base64
    assert row.token_hash == tokens.hash_token(issued.token)
    assert issued.token not in row.token_hash
    assert row.expires_at == T0 + timedelta(hours=48)
    assert row.role is Role.EDITOR
    assert row.invited_by_id == admin.id
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.to_address == "nouveau@apssis-orga.fr"
    assert mail.kind == "team_invitation"
    assert f"http://congress.test/team/invitation/{issued.token}" in mail.body_text
    assert f"http://congress.test/team/invitation/{issued.token}" in mail.body_html
    assert mail.subject == "Invitation à rejoindre l’équipe des organisateurs"
    assert _actions()[-1] == "account.invited"


def test_invite_refuses_an_address_that_has_an_account(admin):
    with pytest.raises(Conflict) as refused:
        _invite(email=" Chef@APSSIS-orga.fr ")
    assert refused.value.field == "email"
    assert db.session.scalar(select(db.func.count(Invitation.id))) == 0
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 0


def test_invite_refuses_a_malformed_address(admin):
    with pytest.raises(DomainError) as refused:
        _invite(email="pas-une-adresse")
    assert refused.value.field == "email"


def test_reinviting_revokes_the_previous_pending_invitation(admin, frozen):
    first = _invite()
    second = _invite(role=Role.DESK)
    db.session.expire_all()
    assert db.session.get(Invitation, first.invitation.id).revoked_at == T0
    assert db.session.get(Invitation, second.invitation.id).revoked_at is None
    assert [i.id for i in team.pending_invitations()] == [second.invitation.id]
    with pytest.raises(team.InvitationUnusable):
        team.accept_invitation(first.token, "Nouveau", NEW_PASSWORD)
    user = team.accept_invitation(second.token, "Nouveau", NEW_PASSWORD)
    assert user.role is Role.DESK
    assert "invitation.revoked" in _actions()


def test_an_invitation_expires_after_48_hours(admin, frozen):
    issued = _invite()
    frozen["now"] = T0 + timedelta(hours=47, minutes=59)
    assert team.invitation_for_token(issued.token).id == issued.invitation.id
    frozen["now"] = T0 + timedelta(hours=48)
    with pytest.raises(Expired):
        team.accept_invitation(issued.token, "Nouveau", NEW_PASSWORD)
    assert team.pending_invitations() == []
    assert db.session.scalar(select(User.id).where(User.email == "nouveau@apssis-orga.fr")) is None


def test_ended_invitations_are_forgotten_a_month_later_pending_ones_never(admin, frozen, cli):
    expired_id = _invite("expiree@apssis-orga.fr").invitation.id
    accepted = _invite("acceptee@apssis-orga.fr")
    team.accept_invitation(accepted.token, "Acceptée", NEW_PASSWORD)
    frozen["now"] = T0 + timedelta(days=29, hours=23)
    assert team.forget_invitations() == 0  # accepted 29 days 23 h ago: still kept
    frozen["now"] = T0 + timedelta(days=32, hours=1)  # expired 30 days 1 h ago
    pending = _invite("attente@apssis-orga.fr")
    result = cli.invoke(args=["congress", "purge"])
    assert result.exit_code == 0, result.output
    assert "2 ended team invitations forgotten" in result.output
    left = db.session.scalars(select(Invitation.email)).all()
    assert left == ["attente@apssis-orga.fr"]
    assert team.invitation_for_token(pending.token).email == "attente@apssis-orga.fr"
    assert expired_id not in db.session.scalars(select(Invitation.id)).all()


def test_an_invitation_works_once(admin, frozen):
    issued = _invite(role=Role.ADMIN)
    user = team.accept_invitation(issued.token, "  Nina   Nouvelle ", NEW_PASSWORD)
    assert (user.email, user.display_name, user.role) == (
        "nouveau@apssis-orga.fr",
        "Nina Nouvelle",
        Role.ADMIN,
    )
    assert needs_totp_setup(user) is True  # an administrator enrols a second factor next
    assert authenticate("nouveau@apssis-orga.fr", NEW_PASSWORD).user.id == user.id
    with pytest.raises(team.InvitationUnusable) as refused:
        team.accept_invitation(issued.token, "Autre", NEW_PASSWORD)
    assert refused.value.status_code == 410
    assert db.session.scalar(select(db.func.count(User.id))) == 2
    assert {"invitation.accepted", "account.created"} <= set(_actions())


def test_unknown_and_revoked_tokens_are_refused(admin):
    with pytest.raises(team.UnknownInvitation) as unknown:
        team.invitation_for_token(tokens.new_token()[0])
    assert unknown.value.status_code == 404
    with pytest.raises(team.UnknownInvitation):
        team.invitation_for_token("x")
    issued = _invite()
    team.revoke_invitation(issued.invitation.id)
    with pytest.raises(team.InvitationUnusable) as revoked:
        team.invitation_for_token(issued.token)
    assert revoked.value.status_code == 410
    with pytest.raises(Conflict):
        team.revoke_invitation(issued.invitation.id)


def test_accepting_applies_the_password_policy(admin):
    issued = _invite()
    with pytest.raises(DomainError) as refused:
        team.accept_invitation(issued.token, "Nouveau", "password1234")
    assert refused.value.field == "password"
    db.session.rollback()
    assert team.invitation_for_token(issued.token).accepted_at is None


# ---------------------------------------------------------------- the last administrator


def test_the_last_active_admin_can_be_neither_disabled_nor_demoted(admin):
    with pytest.raises(team.LastAdministrator):
        team.disable(admin.id)
    with pytest.raises(team.LastAdministrator):
        team.change_role(admin.id, Role.EDITOR)
    db.session.expire_all()
    kept = db.session.get(User, admin.id)
    assert (kept.active, kept.role, kept.session_version) == (True, Role.ADMIN, 1)
    assert "account.disabled" not in _actions()


def test_an_admin_may_go_once_another_active_admin_exists(admin):
    other = create_organiser("second@apssis-orga.fr", PASSWORD, Role.ADMIN)
    team.disable(other.id)
    with pytest.raises(team.LastAdministrator):  # the disabled one does not count
        team.disable(admin.id)
    team.enable(other.id)
    demoted = team.change_role(admin.id, Role.DESK)
    assert demoted.role is Role.DESK
    assert demoted.session_version == 2
    with pytest.raises(team.LastAdministrator):
        team.change_role(other.id, Role.EDITOR)
    assert _actions()[-3:] == ["account.disabled", "account.enabled", "account.role_changed"]


def test_disabling_ends_sessions_and_refuses_login(admin):
    editor = create_organiser("edit@apssis-orga.fr", PASSWORD, Role.EDITOR)
    team.disable(editor.id)
    assert (editor.active, editor.session_version) == (False, 2)
    assert authenticate("edit@apssis-orga.fr", PASSWORD).user is None
    with pytest.raises(Conflict):
        team.disable(editor.id)
    team.enable(editor.id)
    assert authenticate("edit@apssis-orga.fr", PASSWORD).user.id == editor.id


def test_reset_second_factor_forces_reenrolment(admin):
    import pyotp

    secret = start_totp_setup(admin)
    confirm_totp_setup(admin, pyotp.TOTP(secret).at(clock.now()))
    assert db.session.scalar(select(db.func.count(RecoveryCode.id))) == 10
    team.reset_second_factor(admin.id)
    assert admin.totp_secret is None
    assert admin.session_version == 2
    assert db.session.scalar(select(db.func.count(RecoveryCode.id))) == 0
    assert needs_totp_setup(admin) is True
    assert authenticate("chef@apssis-orga.fr", PASSWORD).needs_second_factor is False
    assert _actions()[-2:] == ["account.second_factor_reset", "login.succeeded"]
    with pytest.raises(Conflict):
        team.reset_second_factor(admin.id)


@pytest.mark.skipif(not IS_POSTGRES, reason="row locks: PostgreSQL only")
def test_two_admins_disabling_each_other_at_once_leave_one(app, admin):
    """Two transactions, each disabling the other admin: the row lock lets only one win."""
    other = create_organiser("second@apssis-orga.fr", PASSWORD, Role.ADMIN)
    ids = (admin.id, other.id)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(target: int) -> None:
        with app.app_context():
            barrier.wait(timeout=5)
            try:
                team.disable(target)
                outcomes.append("disabled")
            except team.LastAdministrator:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(target,)) for target in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["disabled", "refused"]
    db.session.expire_all()
    active = db.session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))
    ).all()
    assert len(active) == 1
