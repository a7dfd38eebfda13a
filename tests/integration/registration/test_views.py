import json
import re

import pytest

from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.registration.models import Registration, RegistrationStatus
from tests.factories import make_category, make_event, make_registration, make_talk
from tests.http import csrf_from, submit

pytestmark = pytest.mark.integration

FORM = {
    "first_name": "Marie",
    "last_name": "Curie",
    "email": "Marie.Curie@CHU-Exemple.fr",
    "organisation": "CHU d'Exemple",
    "organisation_type": "public_hospital",
    "job_role": "ciso",
    "days": ["2014-04-01", "2014-04-02"],
    "privacy_consent": "y",
}


@pytest.fixture
def edition(app):
    event = make_event()
    category = make_category(event, capacity=1, name="Hôpitaux")
    return event, category


def _last_link(pattern: str) -> str:
    message = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return re.search(pattern, message.body_text).group(0).replace("http://congress.test", "")


def test_register_form_in_french_with_categories(client, edition):
    response = client.get("/register")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>S&#39;inscrire au congrès</h1>" in html or "<h1>S'inscrire au congrès</h1>" in html
    assert "Hôpitaux – 280,00\u00a0€ HT · 336,00\u00a0€ TTC (TVA 20\u202f%)" in html
    assert 'name="newsletter"' in html
    assert 'name="newsletter" type="checkbox" value="y" checked' not in html
    assert response.headers["Cache-Control"] == "no-store"


def test_full_flow_register_confirm_manage(client, edition):
    _, category = edition
    response = submit(client, "/register", {**FORM, "category": category.id})
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/sent"
    confirm_path = _last_link(r"http://congress.test/register/confirm/\S+")

    page = client.get(confirm_path)
    assert page.status_code == 200
    assert db.session.scalars(db.select(Registration)).one().status is RegistrationStatus.PENDING

    confirmed = client.post(
        confirm_path, data={"csrf_token": csrf_from(page.get_data(as_text=True))}
    )
    assert confirmed.status_code == 302
    manage = confirmed.headers["Location"]
    assert manage.startswith("/r/")
    html = client.get(manage).get_data(as_text=True)
    assert "Confirmée" in html
    assert "marie.curie@chu-exemple.fr" in html

    again = client.post(confirm_path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert again.status_code == 200
    assert "Déjà confirmée" in again.get_data(as_text=True)


def test_confirmation_link_does_nothing_on_get(client, edition):
    _, category = edition
    submit(client, "/register", {**FORM, "category": category.id})
    confirm_path = _last_link(r"http://congress.test/register/confirm/\S+")
    for _ in range(3):
        assert client.get(confirm_path).status_code == 200
    assert db.session.scalars(db.select(Registration)).one().status is RegistrationStatus.PENDING


def test_confirm_post_without_csrf_is_refused(client, edition):
    _, category = edition
    submit(client, "/register", {**FORM, "category": category.id})
    confirm_path = _last_link(r"http://congress.test/register/confirm/\S+")
    assert client.post(confirm_path).status_code == 400
    assert db.session.scalars(db.select(Registration)).one().status is RegistrationStatus.PENDING


def test_known_address_sees_the_same_page(client, edition):
    _, category = edition
    first = submit(client, "/register", {**FORM, "category": category.id})
    second = submit(client, "/register", {**FORM, "category": category.id})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 1


def test_errors_are_shown_beside_fields_and_input_is_kept(client, edition):
    _, category = edition
    bad = {**FORM, "category": category.id, "email": "pas-une-adresse", "last_name": ""}
    response = submit(client, "/register", bad)
    assert response.status_code in (400, 422)
    html = response.get_data(as_text=True)
    assert 'value="pas-une-adresse"' in html or "Saisissez une adresse e-mail valide." in html
    assert 'value="Marie"' in html
    assert "Ce champ est obligatoire." in html
    assert 'aria-invalid="true"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"first_name": "x" * 5000},
        {"category": "999999"},
        {"category": "abc"},
        {"organisation_type": "hacker"},
        {"days": ["1999-01-01"]},
        {"privacy_consent": ""},
        {"email": "a@b@c"},
        {"first_name": "\x00\x01"},
    ],
)
def test_hostile_input_gets_4xx_never_500(client, edition, changes):
    _, category = edition
    response = submit(client, "/register", {**FORM, "category": category.id, **changes})
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 0


def test_tampered_tokens_answer_404(client, edition):
    for path in [
        "/r/not-a-token",
        "/r/" + "A" * 32,
        "/register/confirm/" + "B" * 32,
        "/r/x/agenda.ics",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["Cache-Control"] == "no-store"


def test_manage_pages_for_a_confirmed_attendee(client, edition):
    event, category = edition
    _, token = make_registration(event, category, "p@chu-exemple.fr")
    qr = client.get(f"/r/{token}/qr.svg")
    assert qr.status_code == 200
    assert qr.mimetype == "image/svg+xml"
    assert b"p@chu-exemple.fr" not in qr.data
    data = client.get(f"/r/{token}/data.json")
    assert data.headers["Cache-Control"] == "no-store"
    assert json.loads(data.data)["email"] == "p@chu-exemple.fr"
    printed = client.get(f"/r/{token}/print").get_data(as_text=True)
    assert (
        "Présentez ce code à l&#39;accueil." in printed
        or "Présentez ce code à l'accueil." in printed
    )


def test_cancel_needs_a_button_press_then_links_die(client, edition):
    event, category = edition
    registration, token = make_registration(event, category, "c@chu-exemple.fr")
    assert client.get(f"/r/{token}/cancel").status_code == 200
    assert db.session.get(Registration, registration.id).status is RegistrationStatus.CONFIRMED
    response = submit(client, f"/r/{token}/cancel")
    assert response.status_code == 200
    assert "Inscription annulée" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status is RegistrationStatus.CANCELLED
    assert client.get(f"/r/{token}").status_code == 404


def test_edit_details_keeps_input_on_error(client, edition):
    event, category = edition
    registration, token = make_registration(event, category, "e@chu-exemple.fr")
    bad = submit(
        client,
        f"/r/{token}/edit",
        {**FORM, "first_name": "Irène", "days": []},
    )
    assert bad.status_code == 400
    assert 'value="Irène"' in bad.get_data(as_text=True)
    good = submit(client, f"/r/{token}/edit", {**FORM, "first_name": "Irène"})
    assert good.status_code == 302
    db.session.expire_all()
    row = db.session.get(Registration, registration.id)
    assert row.first_name == "Irène"
    assert row.days_mask == 0b011


def test_agenda_add_remove_and_private_feed(client, edition):
    event, category = edition
    _registration, token = make_registration(event, category, "a@chu-exemple.fr")
    talk = make_talk(event, "Menaces hospitalières", abstract="Résumé réservé.")
    workshop = make_talk(event, "Atelier", seat_limit=5, starts_at=talk.ends_at)
    response = submit(client, f"/r/{token}/agenda", {"talk": talk.id, "action": "add"})
    assert response.status_code == 302
    submit(client, f"/r/{token}/agenda", {"talk": workshop.id, "action": "add"})
    page = client.get(f"/r/{token}/agenda").get_data(as_text=True)
    assert "4 places libres sur 5" in page
    feed_path = re.search(r'href="http://congress.test(/r/[^"]+/agenda.ics)"', page).group(1)
    assert "webcal://congress.test/r/" in page
    feed = client.get(feed_path)
    assert feed.status_code == 200
    assert feed.headers["Cache-Control"] == "no-store"
    assert "Menaces hospitalières" in feed.get_data(as_text=True)
    # The feed token cannot manage the registration.
    feed_token = feed_path.split("/")[2]
    assert client.get(f"/r/{feed_token}").status_code == 404
    assert client.post(f"/r/{feed_token}/cancel").status_code in (400, 404)
    # Re-issuing kills the old feed link.
    submit(client, f"/r/{token}/agenda", {}) if False else None
    page_html = client.get(f"/r/{token}/agenda").get_data(as_text=True)
    client.post(f"/r/{token}/agenda/feed", data={"csrf_token": csrf_from(page_html)})
    assert client.get(feed_path).status_code == 404
