"""The committee's pages through HTTP: a proposal as each organiser sees it (404 when it
does not exist for them), the attachment, scores and their refusals, conflicts,
assignments, the ranking, decisions and their release, the team's organisation field."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from congress.accounts.models import Role, User
from congress.accounts.services import create_organiser
from congress.audit.models import AuditEntry
from congress.cfp import review
from congress.cfp.models import Decision, Review, ReviewAssignment
from congress.extensions import db
from congress.mail.models import OutboxMessage
from tests.cfp import ATTACHMENT, amber_from_rennes
from tests.conftest import ORGANISER_PASSWORD, IsolatedClient
from tests.factories import make_event, make_reviewer, make_submission, make_track
from tests.http import csrf_from, submit

pytestmark = pytest.mark.integration

SECRET = "Qzv7 indicateurs internes du rançongiciel"
NOTES = "Qzv7 notes au comité"
TOP = {"relevance": "5", "originality": "4", "depth": "4", "clarity": "3"}


@pytest.fixture
def event(app):
    return make_event()


@pytest.fixture
def amber(event):
    """A TLP:AMBER proposal from the CHU de Rennes, with an attachment."""
    return amber_from_rennes(event, SECRET, NOTES)


@pytest.fixture
def clear(event):
    return make_submission(
        event,
        "Sauvegardes hors ligne",
        abstract="Trois ans de sauvegardes",
        email="bob@clinique.fr",
        organisation="Clinique du Parc",
    )


def _client(app, user: User) -> FlaskClient:
    """A browser of its own, logged in as ``user`` (no second factor: not an admin)."""
    app.test_client_class = IsolatedClient
    browser = app.test_client()
    response = submit(browser, "/login", {"email": user.email, "password": ORGANISER_PASSWORD})
    assert response.status_code == 302
    return browser


def _reviewer(app, email: str, organisation: str = "") -> tuple[User, FlaskClient]:
    user = make_reviewer(email, organisation, email.split("@")[0].title())
    return user, _client(app, user)


def _post(browser: FlaskClient, page: str, path: str, data: dict | None = None):
    token = csrf_from(browser.get(page).get_data(as_text=True))
    return browser.post(path, data={"csrf_token": token, **(data or {})})


def _reads() -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "cfp.read")))


# ---------------------------------------------------------------- who sees what


def test_assigned_reviewer_reads_and_scores_an_amber_proposal(app, client, amber):
    user, browser = _reviewer(app, "rita@anssi.fr", "ANSSI")
    review.assign(amber, user)

    page = browser.get(f"/dashboard/cfp/{amber.uid}")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert SECRET in html
    assert NOTES in html
    assert "Alice Martin (CHU de Rennes)" in html
    assert "alice@chu-rennes.fr" not in html  # addresses are the administrators'
    assert f'href="/dashboard/cfp/{amber.uid}/attachment.pdf"' in html
    assert "La proposition intéresse-t-elle" in html  # each criterion's question
    assert 'name="relevance" type="radio" value="5"' in html
    [entry] = _reads()
    assert (entry.actor_type, entry.actor_label, entry.changes) == (
        "organiser",
        "rita@anssi.fr",
        {"title": "Analyse d'une attaque en cours"},
    )

    saved = _post(
        browser,
        f"/dashboard/cfp/{amber.uid}",
        f"/dashboard/cfp/{amber.uid}/review",
        {**TOP, "comment": "Solide"},
    )

    assert saved.status_code == 302
    stored = db.session.scalars(db.select(Review)).one()
    assert (stored.total, stored.comment) == (16, "Solide")


def test_unassigned_reviewer_gets_404_on_the_proposal_and_its_attachment(app, amber):
    _, browser = _reviewer(app, "rita@anssi.fr", "ANSSI")

    assert browser.get(f"/dashboard/cfp/{amber.uid}").status_code == 404
    assert browser.get(f"/dashboard/cfp/{amber.uid}/attachment.pdf").status_code == 404
    assert browser.get("/dashboard/cfp/not-a-proposal").status_code == 404
    listing = browser.get("/dashboard/cfp/reviews").get_data(as_text=True)
    assert amber.title not in listing
    assert "Aucune proposition à relire pour l’instant." in listing
    assert _reads() == []


def test_reviewer_from_the_submitters_organisation_gets_404_even_when_assigned(app, amber):
    user, browser = _reviewer(app, "remi@chu-rennes.fr")
    db.session.add(ReviewAssignment(submission_id=amber.id, user_id=user.id))  # by hand, past
    db.session.commit()

    assert browser.get(f"/dashboard/cfp/{amber.uid}").status_code == 404
    assert browser.get(f"/dashboard/cfp/{amber.uid}/attachment.pdf").status_code == 404
    refused = _post(browser, "/dashboard/cfp/reviews", f"/dashboard/cfp/{amber.uid}/review", TOP)
    assert refused.status_code == 404
    assert amber.title not in browser.get("/dashboard/cfp/reviews").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Review.id))) == 0


def test_declaring_a_conflict_hides_the_proposal(app, amber):
    user, browser = _reviewer(app, "rita@anssi.fr", "ANSSI")
    review.assign(amber, user)

    response = _post(browser, f"/dashboard/cfp/{amber.uid}", f"/dashboard/cfp/{amber.uid}/conflict")

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/cfp/reviews"
    assert browser.get(f"/dashboard/cfp/{amber.uid}").status_code == 404


def test_editor_sees_only_the_title_of_amber_and_all_of_clear(app, login_as, client, amber, clear):
    login_as("editor")

    restricted = client.get(f"/dashboard/cfp/{amber.uid}")
    html = restricted.get_data(as_text=True)
    assert restricted.status_code == 200
    assert "Analyse d&#39;une attaque en cours" in html
    assert SECRET not in html
    assert NOTES not in html
    assert "attachment.pdf" not in html
    assert "Cette proposition est marquée TLP:AMBER" in html
    assert client.get(f"/dashboard/cfp/{amber.uid}/attachment.pdf").status_code == 404
    open_page = client.get(f"/dashboard/cfp/{clear.uid}").get_data(as_text=True)
    assert "Trois ans de sauvegardes" in open_page
    assert _reads() == []
    assert client.get("/dashboard/cfp/ranking").status_code == 403
    assert client.get("/dashboard/cfp/reviews").status_code == 403


def test_admin_reads_everything_and_downloads_the_attachment(app, login_as, client, amber):
    login_as("admin")
    rita = make_reviewer("rita@anssi.fr", "ANSSI", "Rita")
    review.assign(amber, rita)
    review.save_review(
        rita, amber, {"relevance": 5, "originality": 4, "depth": 4, "clarity": 3}, "Note de Rita"
    )

    page = client.get(f"/dashboard/cfp/{amber.uid}")
    html = page.get_data(as_text=True)
    assert SECRET in html
    assert "alice@chu-rennes.fr" in html
    assert "Note de Rita" in html  # the reviews table
    assert len(_reads()) == 1

    download = client.get(f"/dashboard/cfp/{amber.uid}/attachment.pdf")

    assert download.status_code == 200
    assert download.data == ATTACHMENT
    assert download.headers["Content-Disposition"] == 'attachment; filename="analyse.pdf"'
    assert download.headers["Cache-Control"] == "no-store"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "cfp.attachment_read")
    ).all()
    assert entry.changes == {"title": "Analyse d'une attaque en cours"}


def test_reviewers_do_not_see_each_others_scores(app, amber):
    rita, rita_browser = _reviewer(app, "rita@anssi.fr", "ANSSI")
    paul = make_reviewer("paul@ars.fr", "ARS")
    for person in (rita, paul):
        review.assign(amber, person)
    review.save_review(
        paul, amber, {"relevance": 1, "originality": 1, "depth": 1, "clarity": 1}, "Avis de Paul"
    )

    html = rita_browser.get(f"/dashboard/cfp/{amber.uid}").get_data(as_text=True)

    assert "Avis de Paul" not in html
    assert "paul@ars.fr" not in html
    assert "Paul" not in html


# ---------------------------------------------------------------- scores


def test_scores_out_of_range_are_refused_beside_each_field_keeping_the_comment(app, clear):
    user, browser = _reviewer(app, "rita@anssi.fr", "ANSSI")
    review.assign(clear, user)

    response = _post(
        browser,
        f"/dashboard/cfp/{clear.uid}",
        f"/dashboard/cfp/{clear.uid}/review",
        {
            "relevance": "0",
            "originality": "9",
            "clarity": "abc",
            "depth": "3",
            "comment": "Mon avis",
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count("Choisissez une note de 1 à 5.") == 3 * 2  # summary and beside the field
    assert 'id="relevance-error"' in html
    assert 'id="originality-error"' in html
    assert 'id="clarity-error"' in html
    assert 'id="depth-error"' not in html
    assert "Mon avis</textarea>" in html
    assert db.session.scalar(db.select(db.func.count(Review.id))) == 0


def test_a_review_without_csrf_is_refused(app, clear):
    user, browser = _reviewer(app, "rita@anssi.fr", "ANSSI")
    review.assign(clear, user)

    assert browser.post(f"/dashboard/cfp/{clear.uid}/review", data=TOP).status_code == 400
    assert db.session.scalar(db.select(db.func.count(Review.id))) == 0


# ---------------------------------------------------------------- assignments


def test_admin_assigns_and_unassigns_and_conflicted_reviewers_are_not_offered(
    app, login_as, client, amber
):
    login_as("admin")
    rita = make_reviewer("rita@anssi.fr", "ANSSI", "Rita")
    insider = make_reviewer("remi@chu-rennes.fr", "", "Remi")

    page = client.get(f"/dashboard/cfp/{amber.uid}").get_data(as_text=True)
    assert f'<option value="{rita.id}">' in page
    assert f'<option value="{insider.id}">' not in page

    refused = _post(
        client,
        f"/dashboard/cfp/{amber.uid}",
        f"/dashboard/cfp/{amber.uid}/assign",
        {"reviewer": str(insider.id)},
    )
    assert refused.status_code == 409
    assert "conflit d’intérêts" in refused.get_data(as_text=True)

    done = _post(
        client,
        f"/dashboard/cfp/{amber.uid}",
        f"/dashboard/cfp/{amber.uid}/assign",
        {"reviewer": str(rita.id)},
    )
    assert done.status_code == 302
    assert review.is_assigned(rita, amber)

    removed = _post(
        client, f"/dashboard/cfp/{amber.uid}", f"/dashboard/cfp/{amber.uid}/unassign/{rita.id}"
    )
    assert removed.status_code == 302
    assert not review.is_assigned(rita, amber)


def test_assign_a_theme_from_the_ranking_page(app, login_as, client, event):
    login_as("admin")
    governance = make_track(event, "Gouvernance")
    first = make_submission(event, "Un", track=governance, email="a@chu-rennes.fr")
    second = make_submission(event, "Deux", track=governance, email="b@clinique.fr")
    insider = make_reviewer("remi@chu-rennes.fr")

    response = _post(
        client,
        "/dashboard/cfp/ranking",
        "/dashboard/cfp/assign-track",
        {"track": str(governance.id), "reviewers": [str(insider.id)]},
    )

    assert response.status_code == 302
    assert not review.is_assigned(insider, first)
    assert review.is_assigned(insider, second)
    empty = _post(
        client, "/dashboard/cfp/ranking", "/dashboard/cfp/assign-track", {"track": "none"}
    )
    assert empty.status_code == 400
    assert "Choisissez un ou plusieurs relecteurs actifs." in empty.get_data(as_text=True)


# ---------------------------------------------------------------- ranking and decisions


def test_ranking_decide_and_release(app, login_as, client, event, clear):
    login_as("admin")
    governance = make_track(event, "Gouvernance")
    themed = make_submission(event, "Thématique", track=governance, email="c@hopital.fr")
    rita = make_reviewer("rita@anssi.fr", "ANSSI")
    review.assign(themed, rita)
    review.save_review(
        rita, themed, {"relevance": 5, "originality": 4, "depth": 4, "clarity": 3}, ""
    )

    page = client.get("/dashboard/cfp/ranking")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index("<caption>Gouvernance</caption>") < html.index(
        "<caption>Sans thème</caption>"
    )
    assert 'role="region" aria-label="Gouvernance" tabindex="0"' in html
    assert "16,00" in html  # the mean, in French
    assert "Aucune décision n’attend d’être annoncée aux intervenants." in html

    decided = _post(
        client,
        "/dashboard/cfp/ranking",
        f"/dashboard/cfp/{clear.uid}/decision",
        {"decision": "rejected"},
    )
    assert decided.status_code == 302
    db.session.expire_all()
    assert clear.decision is Decision.REJECTED
    junk = _post(
        client,
        "/dashboard/cfp/ranking",
        f"/dashboard/cfp/{clear.uid}/decision",
        {"decision": "maybe"},
    )
    assert junk.status_code == 302
    db.session.expire_all()
    assert clear.decision is Decision.REJECTED

    html = client.get("/dashboard/cfp/ranking").get_data(as_text=True)
    assert "Annoncer les décisions (1)" in html
    assert "1 e-mail sera envoyé" in html
    assert (
        db.session.scalar(
            db.select(db.func.count(OutboxMessage.id)).where(OutboxMessage.kind == "cfp_rejected")
        )
        == 0
    )

    released = _post(client, "/dashboard/cfp/ranking", "/dashboard/cfp/release")

    assert released.status_code == 302
    assert (
        db.session.scalar(
            db.select(db.func.count(OutboxMessage.id)).where(OutboxMessage.kind == "cfp_rejected")
        )
        == 1
    )
    after = client.get("/dashboard/cfp/ranking").get_data(as_text=True)
    assert "La décision sur 1 proposition a été annoncée à ses intervenants." in after


# ---------------------------------------------------------------- navigation and team


def test_reviewer_navigation_shows_only_their_list(app, amber):
    user, browser = _reviewer(app, "rita@anssi.fr", "ANSSI")
    review.assign(amber, user)

    home = browser.get("/dashboard/")

    html = home.get_data(as_text=True)
    assert home.status_code == 200
    assert 'href="/dashboard/cfp/reviews"' in html
    for hidden in (
        "/dashboard/programme",
        "/dashboard/cfp/ranking",
        'href="/dashboard/cfp"',
        "/dashboard/registrations",
    ):
        assert hidden not in html
    listing = browser.get("/dashboard/cfp/reviews").get_data(as_text=True)
    assert f'href="/dashboard/cfp/{amber.uid}"' in listing
    assert "À faire" in listing
    assert browser.get("/dashboard/cfp/ranking").status_code == 403
    assert browser.get("/dashboard/cfp").status_code == 403


def test_team_page_sets_a_members_organisation(app, login_as, client):
    login_as("admin")
    member = create_organiser("rita@anssi.fr", ORGANISER_PASSWORD, Role.REVIEWER)

    page = client.get("/dashboard/team").get_data(as_text=True)
    assert f'id="organisation-{member.id}"' in page
    assert "conflit d’intérêts" in page

    response = _post(
        client,
        "/dashboard/team",
        f"/dashboard/team/{member.id}/organisation",
        {"organisation": "  CHU   de Rennes "},
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).organisation == "CHU de Rennes"
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "account.organisation_changed")
    ).all()
    assert entry.changes == {"organisation": ["", "CHU de Rennes"]}
    too_long = _post(
        client,
        "/dashboard/team",
        f"/dashboard/team/{member.id}/organisation",
        {"organisation": "x" * 201},
    )
    assert too_long.status_code == 302
    shown = client.get("/dashboard/team").get_data(as_text=True)
    assert "Ce champ ne peut pas dépasser 200 caractères." in shown
    db.session.expire_all()
    assert db.session.get(User, member.id).organisation == "CHU de Rennes"
