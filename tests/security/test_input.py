"""Hostile input: markup, SQL fragments, malformed requests. Escaped, stored verbatim, 4xx."""

import re

import pytest

from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.programme.models import TalkKind
from congress.registration import services
from congress.registration.models import Registration
from tests.factories import (
    confirm_token_for,
    make_category,
    make_event,
    make_registration,
    make_room,
    make_speaker,
    make_talk,
    make_track,
    registration_data,
)
from tests.http import csrf_from

pytestmark = pytest.mark.integration

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE registration; --"


def _unescaped(html: str) -> bool:
    return "<script>alert" in html or "<img src=x" in html


@pytest.fixture
def hostile(app):
    event = make_event()
    room = make_room(event, "Salle " + XSS)
    track = make_track(event, "Parcours " + XSS)
    speaker = make_speaker(event, "Orateur " + XSS, affiliation=SQL, bio=XSS)
    talk = make_talk(
        event,
        "Titre " + XSS,
        abstract="Résumé " + XSS + " [lien](javascript:alert(1))",
        room=room,
        track=track,
        speakers=[speaker],
        kind=TalkKind.WORKSHOP,
        seat_limit=5,
    )
    category = make_category(event, capacity=5, name="Catégorie " + XSS)
    registration = services.register(
        event,
        registration_data(
            category,
            "hostile@chu-exemple.fr",
            first_name=XSS,
            last_name=SQL,
            organisation=XSS,
            dietary_needs=XSS,
            needs_consent=True,
        ),
        language="fr",
    )
    outcome = services.confirm(confirm_token_for(registration))
    services.add_to_agenda(outcome.registration, talk)
    return event, talk, speaker, outcome.registration, outcome.manage_token


def test_public_pages_escape_programme_fields(client, hostile):
    _, talk, speaker, _, _ = hostile
    for url in ("/programme", f"/sessions/{talk.slug}", "/speakers", f"/speakers/{speaker.slug}"):
        html = client.get(url).get_data(as_text=True)
        assert not _unescaped(html), url
        assert "&lt;script&gt;" in html, url
    assert 'href="javascript' not in client.get(f"/sessions/{talk.slug}").get_data(as_text=True)


def test_attendee_pages_escape_their_own_data(client, hostile):
    *_, token = hostile
    for url in (f"/r/{token}", f"/r/{token}/print", f"/r/{token}/agenda", f"/r/{token}/edit"):
        html = client.get(url).get_data(as_text=True)
        assert not _unescaped(html), url


def test_dashboard_escapes_everything(client, hostile, login_as):
    _, talk, _, registration, _ = hostile
    login_as("admin")
    for url in (
        "/dashboard/",
        "/dashboard/registrations",
        f"/dashboard/registrations/{registration.uid}",
        "/dashboard/programme?day=2014-04-01",
        f"/dashboard/talks/{talk.id}",
        "/dashboard/stats",
        "/dashboard/audit",
        "/dashboard/checkin?q=script",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _unescaped(response.get_data(as_text=True)), url


def test_emails_escape_html_and_keep_text(app, hostile):
    messages = db.session.scalars(db.select(OutboxMessage)).all()
    assert messages
    for message in messages:
        assert not _unescaped(message.body_html), message.kind
        assert "&lt;script&gt;" in message.body_html, message.kind


def test_feeds_and_csv_carry_text_safely(client, hostile, login_as):
    feed = client.get("/programme.ics").get_data(as_text=True)
    unfolded = feed.replace("\r\n ", "")
    assert 'SUMMARY:Titre <script>alert("x")</script>' in unfolded  # text, not HTML
    login_as("admin")
    import csv
    import io

    export = client.get("/dashboard/exports/registrations.csv")
    body = export.get_data(as_text=True).lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert row[header.index("Nom")] == SQL
    assert row[header.index("Prénom")] == XSS


def test_sql_fragments_are_stored_verbatim(hostile):
    *_, registration, _ = hostile
    db.session.expire_all()
    row = db.session.get(Registration, registration.id)
    assert row.last_name == SQL
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 1


def test_one_attendees_token_never_opens_anothers_data(client, app):
    event = make_event()
    category = make_category(event, capacity=5)
    _, first_token = make_registration(event, category, "one@chu-exemple.fr")
    second, _ = make_registration(event, category, "two@chu-exemple.fr")
    page = client.get(f"/r/{first_token}").get_data(as_text=True)
    assert "one@chu-exemple.fr" in page
    assert "two@chu-exemple.fr" not in page
    data = client.get(f"/r/{first_token}/data.json").get_data(as_text=True)
    assert "two@chu-exemple.fr" not in data
    # A form posted with one token cannot touch the other registration.
    html = client.get(f"/r/{first_token}/cancel").get_data(as_text=True)
    client.post(f"/r/{first_token}/cancel", data={"csrf_token": csrf_from(html), "id": second.id})
    db.session.expire_all()
    assert db.session.get(Registration, second.id).status.value == "confirmed"


def test_oversized_body_gets_413(client, app):
    make_event()
    response = client.post("/register", data={"first_name": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Requête trop volumineuse" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "payload",
    [
        b"first_name=%FF%FE%00&email=a%00b@c.fr",
        b"category=1&category=2&days=2014-04-01&days=2014-04-01",
        b"organisation_type=%00&job_role=astronaut",
        b"\xff\xfe\xfd=\x00",
    ],
)
def test_malformed_registration_posts_get_4xx(client, app, payload):
    event = make_event()
    make_category(event)
    token = csrf_from(client.get("/register").get_data(as_text=True))
    response = client.post(
        "/register",
        data=payload + b"&csrf_token=" + token.encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 0


@pytest.mark.parametrize(
    "url",
    [
        "/programme?day[]=x",
        "/programme?q=%00",
        "/programme?kind=" + "a" * 5000,
        "/sessions/%00",
        "/speakers/" + "x" * 3000,
        "/programme/2014-02-30.ics",
        "/r/" + "%FF" * 30,
    ],
)
def test_malformed_urls_never_500(client, app, url):
    make_event()
    response = client.get(url)
    assert response.status_code < 500, url
    assert "Traceback" not in response.get_data(as_text=True)


def test_every_public_form_rejects_a_post_without_csrf(client, app):
    event = make_event()
    category = make_category(event)
    registration = services.register(
        event, registration_data(category, "csrf@chu-exemple.fr"), language="fr"
    )
    confirm = confirm_token_for(registration)
    outcome = services.confirm(confirm)
    token = outcome.manage_token
    for url in (
        "/register",
        "/login",
        "/logout",
        f"/r/{token}/edit",
        f"/r/{token}/cancel",
        f"/r/{token}/erase",
        f"/r/{token}/agenda",
        f"/r/{token}/agenda/feed",
    ):
        response = client.post(url, data={"first_name": "x"})
        assert response.status_code == 400, url
        assert re.search(r"formulaire a expiré", response.get_data(as_text=True)), url
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status.value == "confirmed"
