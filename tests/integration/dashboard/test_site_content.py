"""The dashboard's editor of the site's texts: access by role, CSRF, audit, refusals."""

from __future__ import annotations

import pytest

from congress.audit.models import AuditEntry
from congress.edition.models import Event
from congress.extensions import db
from congress.site.models import SiteSection
from tests.factories import make_event
from tests.http import csrf_from

pytestmark = pytest.mark.integration


@pytest.fixture
def event(app):
    return make_event()


def _post(client, path: str, data: dict):
    token = csrf_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def _section(key: str) -> SiteSection | None:
    db.session.expire_all()
    return db.session.scalars(db.select(SiteSection).where(SiteSection.key == key)).first()


def _audit_actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.seq)))


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_site_pages_open_to_admins_and_editors(client, login_as, event, role):
    login_as(role)
    listing = client.get("/dashboard/site")
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    assert '<a href="/dashboard/site/getting_there">Venir au congrès</a>' in html
    assert '<a href="/dashboard/site/home">Pourquoi ce congrès</a>' in html
    assert client.get("/dashboard/site/venue").status_code == 200


def test_site_pages_refused_to_the_desk(client, login_as, event):
    login_as("desk")
    assert client.get("/dashboard/site").status_code == 403
    assert client.get("/dashboard/site/meals").status_code == 403
    token = csrf_from(client.get("/dashboard/").get_data(as_text=True))  # the logout form's
    response = client.post(
        "/dashboard/site/meals", data={"csrf_token": token, "body": "x", "body_en": ""}
    )
    assert response.status_code == 403
    assert _section("meals") is None


def test_site_pages_send_anonymous_visitors_to_the_login(client, event):
    response = client.get("/dashboard/site/meals")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_section_saved_by_an_editor_is_shown_and_audited(client, login_as, event):
    login_as("editor")
    response = _post(
        client,
        "/dashboard/site/meals",
        {"body": "Déjeuners **compris**", "body_en": "Lunch **included**"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/site/meals"
    section = _section("meals")
    assert (section.body, section.body_en) == ("Déjeuners **compris**", "Lunch **included**")
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "site_section.updated")
    ).one()
    assert entry.object_id == "meals"
    assert entry.changes == {
        "body": ["", "Déjeuners **compris**"],
        "body_en": ["", "Lunch **included**"],
    }
    assert "Déjeuners <strong>compris</strong>" in client.get("/infos-pratiques").get_data(
        as_text=True
    )


def test_saving_unchanged_texts_writes_no_audit_entry(client, login_as, event):
    login_as("editor")
    _post(client, "/dashboard/site/wifi", {"body": "Réseau invité", "body_en": ""})
    before = _audit_actions()
    response = _post(client, "/dashboard/site/wifi", {"body": "Réseau invité", "body_en": ""})
    assert response.status_code == 302
    assert _audit_actions() == before


def test_section_post_without_csrf_token_is_refused(client, login_as, event):
    login_as("editor")
    response = client.post("/dashboard/site/meals", data={"body": "x", "body_en": ""})
    assert response.status_code == 400
    assert _section("meals") is None


def test_venue_saves_the_coordinates_on_the_edition(client, login_as, event):
    login_as("editor")
    response = _post(
        client,
        "/dashboard/site/venue",
        {"body": "Hall d'accueil", "body_en": "", "latitude": "48,0062", "longitude": "0.1918"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    assert (saved.latitude, saved.longitude) == (48.0062, 0.1918)
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "site_section.updated")
    ).one()
    assert entry.changes["position"] == ["", "48.006200,0.191800"]


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("nord", "0.19", "Écrivez un nombre de degrés, par exemple 48.0062."),
        ("48.0", "", "Indiquez la latitude et la longitude, ou aucune des deux."),
        ("95", "0.19", "Une latitude est comprise entre -90 et 90 degrés."),
        ("48", "-200", "Une longitude est comprise entre -180 et 180 degrés."),
    ],
)
def test_venue_with_bad_coordinates_is_refused_keeping_the_input(
    client, login_as, event, latitude, longitude, message
):
    login_as("editor")
    response = _post(
        client,
        "/dashboard/site/venue",
        {
            "body": "Texte gardé",
            "body_en": "Kept text",
            "latitude": latitude,
            "longitude": longitude,
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "Texte gardé" in html
    assert "Kept text" in html
    assert f'value="{latitude}"' in html
    assert _section("venue") is None
    db.session.expire_all()
    assert db.session.get(Event, event.id).latitude is None
    assert "site_section.updated" not in _audit_actions()


def test_section_text_too_long_is_refused_keeping_nothing(client, login_as, event):
    login_as("editor")
    response = _post(client, "/dashboard/site/meals", {"body": "x" * 20_001, "body_en": ""})
    assert response.status_code == 400
    assert _section("meals") is None


def test_unknown_section_is_not_found(client, login_as, event):
    login_as("editor")
    assert client.get("/dashboard/site/nowhere").status_code == 404
