import re
from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.integration


def test_home_shows_edition_in_french_by_default(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "Congrès National de la Sécurité des Systèmes d&#39;Information de Santé" in html
    assert "du mardi 1er au jeudi 3 avril 2014" in html
    assert "Le Mans" in html
    assert "Politique de confidentialité" in html


def test_home_switches_to_english_and_remembers_it(client, demo):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Tuesday 1 to Thursday 3 April 2014" in html
    assert "Privacy notice" in html
    again = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in again
    back = client.get("/?lang=fr").get_data(as_text=True)
    assert '<html lang="fr">' in back


def test_unknown_language_falls_back_to_french(client, demo):
    html = client.get("/?lang=de").get_data(as_text=True)
    assert '<html lang="fr">' in html


def test_home_without_edition_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Aucune édition n'a encore été publiée." in response.get_data(as_text=True)


def test_privacy_notice_page(client, demo):
    response = client.get("/privacy")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Politique de confidentialité</h1>" in html
    assert "CNIL" in html


def test_security_txt_follows_rfc_9116(client, app):
    app.config["SECURITY_CONTACT"] = "mailto:rssi@apssis.test"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert "Contact: mailto:rssi@apssis.test\n" in body
    assert "Canonical: http://congress.test/.well-known/security.txt\n" in body
    expires = re.search(r"^Expires: (\S+)$", body, re.MULTILINE).group(1)
    moment = datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(days=300) < moment - datetime.now(UTC) <= timedelta(days=366)


def test_unknown_page_is_a_translated_404_without_trace(client):
    response = client.get("/nope")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page introuvable" in html
    assert "Traceback" not in html


def test_wrong_method_is_405_with_allow_header(client):
    response = client.post("/.well-known/security.txt")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "Traceback" not in response.get_data(as_text=True)


def test_security_headers_on_home(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
