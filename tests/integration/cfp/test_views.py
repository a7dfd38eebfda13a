"""Call-for-papers pages: the public call, the form, the e-mail links, the private page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from congress.cfp import services
from congress.cfp.models import Submission, SubmissionSpeaker, SubmissionStatus
from congress.edition.models import Event
from congress.extensions import db
from congress.mail.models import OutboxMessage
from tests.cfp import CLOSES, DURING, OPENS, PROPOSAL_FORM
from tests.factories import make_event, make_track
from tests.http import csrf_from, submit

pytestmark = pytest.mark.integration


FORM = {**PROPOSAL_FORM, "cospeaker_1_name": "Bob Durand", "cospeaker_1_email": "bob@test.fr"}


@pytest.fixture
def event(app, moment) -> Event:
    edition = make_event()
    make_track(edition, "Gouvernance et conformité")
    services.set_call(edition, OPENS, CLOSES, "- Propositions **inédites**", "- Original work")
    return edition


def _link(path: str) -> str:
    message = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return re.search(rf"http://congress\.test({path}[A-Za-z0-9_-]+)", message.body_text).group(1)


def _submitted(client) -> str:
    """Submit and confirm through the pages; the private page's path."""
    assert submit(client, "/cfp/submit", FORM).status_code == 302
    confirm_path = _link("/cfp/confirm/")
    page = client.get(confirm_path)
    confirmed = client.post(
        confirm_path, data={"csrf_token": csrf_from(page.get_data(as_text=True))}
    )
    assert confirmed.status_code == 302
    return confirmed.headers["Location"]


def test_public_page_shows_window_themes_kinds_and_rules(client, event):
    response = client.get("/cfp")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "L’appel à communications est ouvert." in html
    assert "du mardi 1er octobre 2013 09:00 au mercredi 15 janvier 2014 23:59" in html
    assert "Gouvernance et conformité" in html
    assert "<li>Analyse d'attaque</li>" in html
    assert "<li>Table ronde</li>" in html
    assert "<strong>inédites</strong>" in html
    assert 'href="/cfp/submit"' in html


def test_public_page_in_english_shows_english_rules(client, event):
    html = client.get("/cfp?lang=en").get_data(as_text=True)

    assert "Original work" in html
    assert "inédites" not in html


def test_submit_after_the_deadline_is_refused_with_a_message(client, event, moment):
    moment[0] = CLOSES

    response = client.get("/cfp/submit")

    assert response.status_code == 409
    assert "l’appel à communications n’est pas ouvert" in response.get_data(as_text=True)
    assert "Proposer une intervention" not in client.get("/cfp").get_data(as_text=True)


def test_submit_without_csrf_is_refused(client, event):
    response = client.post("/cfp/submit", data=FORM)

    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_submit_without_a_title_answers_400_keeping_what_was_typed(client, event):
    response = submit(client, "/cfp/submit", {**FORM, "title": ""})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="title-error">Ce champ est obligatoire.' in html
    assert 'value="Bob Durand"' in html
    assert "Trois ans de retour d&#39;expérience." in html
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_submit_refusals_of_the_rules_sit_beside_their_fields(client, event):
    response = submit(
        client,
        "/cfp/submit",
        {**FORM, "cospeaker_1_email": "pas-une-adresse", "cospeaker_2_name": "Carole"},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="cospeaker_1_email-error">Saisissez une adresse e-mail valide.' in html
    assert 'id="cospeaker_2_name-error">' not in html
    assert 'id="cospeaker_2_email-error">Saisissez une adresse e-mail valide.' in html
    assert 'value="pas-une-adresse"' in html
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_confirm_link_get_changes_nothing(client, event):
    submit(client, "/cfp/submit", FORM)

    page = client.get(_link("/cfp/confirm/"))

    assert page.status_code == 200
    assert "Soumettre ma proposition" in page.get_data(as_text=True)
    assert db.session.scalars(db.select(Submission.status)).one() is SubmissionStatus.PENDING


def test_confirm_post_without_csrf_changes_nothing(client, event):
    submit(client, "/cfp/submit", FORM)

    response = client.post(_link("/cfp/confirm/"))

    assert response.status_code == 400
    assert db.session.scalars(db.select(Submission.status)).one() is SubmissionStatus.PENDING


def test_confirm_post_submits_and_opens_the_private_page(client, event):
    manage = _submitted(client)

    assert manage.startswith("/cfp/s/")
    response = client.get(manage)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Soumise" in html
    assert "Sauvegardes hors ligne" in html
    assert "Bob Durand – pas encore confirmé" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "strict-origin"


def test_private_page_edit_saves_the_proposal(client, event):
    manage = _submitted(client)

    response = submit(client, manage, {**FORM, "title": "Titre revu", "duration_minutes": "60"})

    assert response.status_code == 302
    row = db.session.scalars(db.select(Submission)).one()
    assert (row.title, row.duration_minutes) == ("Titre revu", 60)


def test_private_page_after_deadline_shows_no_form_and_refuses_edits(client, event, moment):
    manage = _submitted(client)
    page = client.get(manage).get_data(as_text=True)
    moment[0] = CLOSES

    html = client.get(manage).get_data(as_text=True)
    response = client.post(
        manage, data={**FORM, "title": "Trop tard", "csrf_token": csrf_from(page)}
    )

    assert "Enregistrer mes modifications" not in html
    assert "votre proposition ne peut plus être modifiée" in html
    assert response.status_code == 409
    assert db.session.scalars(db.select(Submission.title)).one() == "Sauvegardes hors ligne"


def test_withdraw_asks_then_withdraws_on_post(client, event):
    manage = _submitted(client)

    page = client.get(f"{manage}/withdraw")
    assert db.session.scalars(db.select(Submission.status)).one() is SubmissionStatus.SUBMITTED
    response = client.post(
        f"{manage}/withdraw", data={"csrf_token": csrf_from(page.get_data(as_text=True))}
    )

    assert page.headers["Cache-Control"] == "no-store"
    assert response.status_code == 302
    assert db.session.scalars(db.select(Submission.status)).one() is SubmissionStatus.WITHDRAWN
    assert "Retirée" in client.get(manage).get_data(as_text=True)


def test_co_speaker_link_get_shows_then_post_confirms(client, event):
    _submitted(client)
    path = _link("/cfp/speaker-confirm/")

    page = client.get(path)
    assert (
        db.session.scalars(
            db.select(SubmissionSpeaker.confirmed_at).where(SubmissionSpeaker.name == "Bob Durand")
        ).one()
        is None
    )
    response = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})

    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "strict-origin"
    assert "Alice Martin propose «\u202fSauvegardes hors ligne\u202f»" in page.get_data(
        as_text=True
    )
    assert response.status_code == 200
    assert "Vous avez confirmé être co-intervenant" in response.get_data(as_text=True)
    assert (
        db.session.scalars(
            db.select(SubmissionSpeaker.confirmed_at).where(SubmissionSpeaker.name == "Bob Durand")
        ).one()
        == DURING
    )


def test_an_unknown_private_link_answers_404(client, event):
    assert client.get("/cfp/s/" + "x" * 32).status_code == 404


def test_dashboard_lists_proposals_for_editors(client, event, login_as):
    _submitted(client)
    editor = login_as("editor")

    html = editor.get("/dashboard/cfp").get_data(as_text=True)

    assert "Sauvegardes hors ligne" in html
    assert "TLP:GREEN" in html
    assert "Alice Martin, Bob Durand (pas encore confirmé)" in html


def test_withdraw_post_without_csrf_changes_nothing(client, event):
    manage = _submitted(client)

    response = client.post(f"{manage}/withdraw")

    assert response.status_code == 400
    assert db.session.scalars(db.select(Submission.status)).one() is SubmissionStatus.SUBMITTED


def test_an_expired_confirm_link_answers_410(client, event, moment):
    submit(client, "/cfp/submit", FORM)
    moment[0] = datetime(2013, 12, 8, 9, 0, tzinfo=UTC)

    response = client.get(_link("/cfp/confirm/"))

    assert response.status_code == 410
    assert "Ce lien de confirmation a expiré." in response.get_data(as_text=True)
