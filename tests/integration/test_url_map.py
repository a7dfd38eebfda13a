"""Every dashboard route, for every role: the expected answer, written out by hand.

The table below is the specification; it is deliberately not derived from the
code's permission matrix. A new dashboard route fails ``test_every_route_is_listed``
until someone decides here who may use it.
"""

import re

import pytest

from congress.extensions import db
from congress.partners.models import Partner
from congress.programme.models import Talk
from congress.registration.models import TicketCategory
from tests.factories import make_invoice, make_message, make_registration, make_submission
from tests.http import csrf_from

pytestmark = pytest.mark.integration

ALL = {"admin", "editor", "desk"}
EVERYONE = {*ALL, "reviewer"}
ADMIN = {"admin"}
COMMITTEE = {"admin", "reviewer"}
# Routes where, past the role's gate, the proposal itself answers: 404 for someone it
# does not exist for, 409 for a review by someone not assigned (cfp.confidentiality
# and cfp.review decide, tested in tests/unit/cfp/ and tests/integration/cfp/).
PER_PROPOSAL = {
    "dashboard.cfp_proposal",
    "dashboard.cfp_proposal_attachment",
    "dashboard.cfp_proposal_review",
    "dashboard.cfp_proposal_conflict",
    "dashboard.cfp_proposal_unassign",  # the user named is no reviewer of it
}
PROGRAMME = {"admin", "editor"}
DESK = {"admin", "desk"}

# endpoint -> roles allowed (GET, or POST for POST-only routes)
EXPECTED = {
    "dashboard.index": EVERYONE,
    "dashboard.audit": ADMIN,
    "dashboard.audit_verify": ADMIN,
    "dashboard.category_capacity": ADMIN,
    "dashboard.checkin": DESK,
    "dashboard.desk_sheet": DESK,
    "dashboard.programme": PROGRAMME,
    "dashboard.cfp": PROGRAMME,
    "dashboard.cfp_call": ADMIN,
    "dashboard.cfp_reviews": COMMITTEE,
    "dashboard.cfp_proposal": EVERYONE,
    "dashboard.cfp_proposal_attachment": EVERYONE,
    "dashboard.cfp_proposal_review": COMMITTEE,
    "dashboard.cfp_proposal_conflict": COMMITTEE,
    "dashboard.cfp_proposal_assign": ADMIN,
    "dashboard.cfp_proposal_unassign": ADMIN,
    "dashboard.cfp_proposal_decision": ADMIN,
    "dashboard.cfp_assign_track": ADMIN,
    "dashboard.cfp_release": ADMIN,
    "dashboard.cfp_ranking": ADMIN,
    "dashboard.registrations": DESK,
    "dashboard.registrations_csv": DESK,
    "dashboard.exports": EVERYONE,
    "dashboard.export_registrations": DESK,
    "dashboard.export_waiting_list": DESK,
    "dashboard.export_checkins": DESK,
    "dashboard.export_session_attendance": DESK,
    "dashboard.export_speakers": PROGRAMME,
    "dashboard.registration_detail": DESK,
    "dashboard.registration_cancel": ADMIN,
    "dashboard.registration_move": ADMIN,
    "dashboard.registration_promote": ADMIN,
    "dashboard.registration_new": ADMIN,
    "dashboard.stats": ALL,
    "dashboard.talk_edit": PROGRAMME,
    "dashboard.talk_cancel": PROGRAMME,
    "dashboard.talk_delete": PROGRAMME,
    "dashboard.talk_new": PROGRAMME,
    "dashboard.rooms": PROGRAMME,
    "dashboard.room_edit": PROGRAMME,
    "dashboard.room_delete": PROGRAMME,
    "dashboard.tracks": PROGRAMME,
    "dashboard.track_edit": PROGRAMME,
    "dashboard.track_delete": PROGRAMME,
    "dashboard.speakers": PROGRAMME,
    "dashboard.speaker_edit": PROGRAMME,
    "dashboard.speaker_delete": PROGRAMME,
    "dashboard.speaker_image": PROGRAMME,
    "dashboard.speaker_image_delete": PROGRAMME,
    "dashboard.partners": PROGRAMME,
    "dashboard.partner_edit": PROGRAMME,
    "dashboard.partner_delete": PROGRAMME,
    "dashboard.partner_image": PROGRAMME,
    "dashboard.partner_image_delete": PROGRAMME,
    "dashboard.edit_event": ADMIN,
    "dashboard.site_content": PROGRAMME,
    "dashboard.edit_site_section": PROGRAMME,
    "dashboard.messages": PROGRAMME,
    "dashboard.message_new": PROGRAMME,
    "dashboard.message_detail": PROGRAMME,
    "dashboard.message_send": PROGRAMME,
    "dashboard.team": ADMIN,
    "dashboard.team_role": ADMIN,
    "dashboard.team_disable": ADMIN,
    "dashboard.team_enable": ADMIN,
    "dashboard.team_reset_second_factor": ADMIN,
    "dashboard.team_revoke_invitation": ADMIN,
    "dashboard.team_organisation": ADMIN,
    "dashboard.badges_pdf": DESK,
    "dashboard.registration_badge": DESK,
    "dashboard.categories_list": ADMIN,
    "dashboard.category_new": ADMIN,
    "dashboard.category_edit": ADMIN,
    "dashboard.organiser": ADMIN,
    # Invoices and payments: administrators only; the desk prints badges, never invoices.
    "dashboard.invoices": ADMIN,
    "dashboard.invoice_issue": ADMIN,
    "dashboard.invoice_detail": ADMIN,
    "dashboard.invoice_pdf": ADMIN,
    "dashboard.invoice_payment": ADMIN,
    "dashboard.invoice_remind": ADMIN,
    "dashboard.invoice_credit": ADMIN,
    "dashboard.payments": ADMIN,
    "dashboard.export_accounting": ADMIN,
}


def _dashboard_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/dashboard")]


def _url(rule, ids) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:\w+:)?{name}>", str(ids[name]), path)
    return path


@pytest.fixture
def ids(app, demo):
    category = db.session.scalars(db.select(TicketCategory).order_by(TicketCategory.id)).first()
    registration, _ = make_registration(category.event, category, "matrix@chu-exemple.fr")
    invoice = make_invoice(registration)
    talk = db.session.scalars(db.select(Talk).order_by(Talk.id)).first()
    return {
        "uid": registration.uid,
        "reference": invoice.reference,
        "talk_id": talk.id,
        "category_id": category.id,
        "room_id": talk.room_id or 1,
        "track_id": talk.track_id or 1,
        "speaker_id": talk.speaker_links[0].speaker_id if talk.speaker_links else 1,
        "partner_id": db.session.scalars(db.select(Partner.id).order_by(Partner.id)).first(),
        "key": "venue",
        "message_id": make_message(category.event),
        "submission_uid": make_submission(category.event).uid,
        **_team_ids(),
    }


def _team_ids() -> dict[str, int]:
    """Another organiser and a pending invitation: never the logged-in admin, whom a
    disable or a second-factor reset would log out halfway through the walk."""
    from congress.accounts import team
    from congress.accounts.models import Role
    from congress.accounts.services import create_organiser

    user = create_organiser(
        "matrix-team@apssis-orga.fr", "correct horse battery staple", Role.EDITOR
    )
    issued = team.invite(
        "matrix-invite@apssis-orga.fr",
        Role.DESK,
        invited_by=None,
        base_url="http://congress.test",
        language="fr",
    )
    return {"user_id": user.id, "invitation_id": issued.invitation.id}


def test_every_route_is_listed(app):
    listed = set(EXPECTED)
    present = {rule.endpoint for rule in _dashboard_rules(app)}
    assert present - listed == set()


def test_anonymous_is_sent_to_login_everywhere(app, client, ids):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    for rule in _dashboard_rules(app):
        if "GET" in rule.methods:
            response = client.get(_url(rule, ids))
        else:
            response = client.post(_url(rule, ids), data={"csrf_token": token})
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/login"), rule.rule


# Old addresses kept for bookmarks: they answer a redirect to their new home.
REDIRECTS = {"dashboard.registrations_csv"}


@pytest.mark.parametrize("role", ["admin", "editor", "desk", "reviewer"])
def test_role_matrix(app, client, ids, login_as, role):
    login_as(role)
    token = csrf_from(client.get("/dashboard/").get_data(as_text=True))
    seen = 0
    for rule in _dashboard_rules(app):
        if rule.endpoint not in EXPECTED:
            continue
        allowed = role in EXPECTED[rule.endpoint]
        url = _url(rule, ids)
        if "GET" in rule.methods:
            response = client.get(url)
            expected = ({308} if rule.endpoint in REDIRECTS else {200}) if allowed else {403}
            if allowed and rule.endpoint in PER_PROPOSAL:
                expected = {200, 404}
            assert response.status_code in expected, (role, rule.rule, response.status_code)
            if not allowed:
                assert "matrix@chu-exemple.fr" not in response.get_data(as_text=True)
        else:
            # With a valid CSRF token but no form data: a refused role gets 403
            # before anything is read; an allowed one reaches the view.
            response = client.post(url, data={"csrf_token": token, "capacity": ""})
            if allowed:
                answers = {302, 400, 404, 409} if rule.endpoint in PER_PROPOSAL else {302, 400}
                assert response.status_code in answers, (role, rule.rule, response.status_code)
            else:
                assert response.status_code == 403, (role, rule.rule, response.status_code)
        seen += 1
    assert seen >= 20


def test_every_post_route_needs_csrf(app, client, ids, login_as):
    login_as("admin")
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods and "GET" not in r.methods]
    for rule in posts:
        if rule.rule.startswith("/r/"):
            continue  # covered with a real token in the registration tests
        url = _url(rule, {**ids, "token": "x" * 32})
        assert client.post(url).status_code == 400, rule.rule
