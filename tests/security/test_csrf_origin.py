"""Forms over HTTPS: the CSRF token, the Referer of this origin, and the Origin header.

The first release sent ``Referrer-Policy: no-referrer`` on every page while Flask-WTF's
strict mode refuses a POST over HTTPS without a Referer of this origin: every form was
refused in production. These tests post over HTTPS as a browser does under our policy
(Referer and Origin of the page's own origin) and as it would under the old one.
"""

from __future__ import annotations

import pytest
from flask import Flask

from congress import create_app
from congress.accounts import services
from congress.accounts.models import Role
from congress.extensions import db
from tests.conftest import ORGANISER_PASSWORD
from tests.http import csrf_from

pytestmark = pytest.mark.integration

EMAIL = "rssi@apssis-orga.fr"
SITE = "https://congress.test"
EXPIRED = "Le formulaire a expiré"


@pytest.fixture
def editor(app: Flask) -> None:
    services.create_organiser(EMAIL, ORGANISER_PASSWORD, Role.EDITOR)


def _login(client, base_url: str = SITE, **headers: str):
    page = client.get("/login", base_url=base_url)
    assert page.status_code == 200
    form = {
        "csrf_token": csrf_from(page.get_data(as_text=True)),
        "email": EMAIL,
        "password": ORGANISER_PASSWORD,
    }
    return client.post("/login", data=form, base_url=base_url, headers=headers)


def test_login_over_https_with_the_browsers_referer_and_origin_is_accepted(client, editor):
    response = _login(client, Referer=f"{SITE}/login", Origin=SITE)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard/")


def test_login_over_https_without_referer_is_refused(client, editor):
    # What a browser sends under "Referrer-Policy: no-referrer": no Referer, Origin null.
    response = _login(client, Origin="null")
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)


def test_post_from_another_origin_is_refused_even_with_a_valid_token(client, editor):
    response = _login(client, Referer="https://evil.example/", Origin="https://evil.example")
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)


def test_origin_of_another_site_is_refused_over_http_too(client, editor):
    response = _login(client, base_url="http://congress.test", Origin="https://evil.example")
    assert response.status_code == 400


def test_referer_of_another_port_is_refused(client, editor):
    response = _login(client, Referer="https://congress.test:8443/login")
    assert response.status_code == 400


def test_behind_the_proxy_the_forwarded_port_is_the_origins_port(
    app: Flask, database_url: str, tmp_path, editor
) -> None:
    """nginx on a port other than 443 forwards it (X-Forwarded-Port); the checks use it."""
    proxied = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path / "proxied"),
            "PROXY_COUNT": 1,
        }
    )
    forwarded = {
        "X-Forwarded-For": "203.0.113.9",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "congres.example",
        "X-Forwarded-Port": "8443",
    }
    origin = "https://congres.example:8443"
    with proxied.app_context():
        browser = proxied.test_client()
        page = browser.get("/login", headers=forwarded)
        form = {
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "email": EMAIL,
            "password": ORGANISER_PASSWORD,
        }
        wrong_port = browser.post(
            "/login",
            data=form,
            headers={**forwarded, "Origin": "https://congres.example", "Referer": origin},
        )
        accepted = browser.post(
            "/login",
            data=form,
            headers={**forwarded, "Origin": origin, "Referer": f"{origin}/login"},
        )
        db.session.remove()
        db.engine.dispose()
    assert wrong_port.status_code == 400
    assert accepted.status_code == 302
