"""The manifest and the service worker as served: types, caching, scope and what is kept."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.integration


def test_manifest_names_the_edition_and_starts_on_the_programme(client, demo):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["start_url"] == "/programme"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["name"].startswith("Congrès National")
    assert manifest["icons"][0]["src"] == "/static/img/favicon.svg"


def test_every_page_links_the_manifest_and_the_worker_script(client, demo):
    html = client.get("/programme").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<script src="/static/js/offline.js" defer></script>' in html
    assert 'id="offline-banner"' in html


def test_worker_is_served_from_the_root_never_stale(client, app, demo):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache, max-age=0"
    body = response.get_data(as_text=True)
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', body).group(1)
    precached = json.loads(re.search(r"const PRECACHED = (\[.*?\]);", body).group(1))
    assert {"/", "/programme", "/speakers", "/infos-pratiques", "/offline"} <= set(precached)
    assert "/static/css/site.css" in precached
    assert not [path for path in precached if path.startswith(("/dashboard", "/r/", "/register"))]
    app.config["OFFLINE_VERSION"] = "deadbeef"
    try:
        assert 'const VERSION = "deadbeef";' in client.get("/sw.js").get_data(as_text=True)
    finally:
        app.config.pop("OFFLINE_VERSION")
    assert version != "deadbeef"


def test_offline_page_is_a_page_of_the_site(client, demo):
    response = client.get("/offline")
    assert response.status_code == 200
    assert "<h1>Vous êtes hors ligne</h1>" in response.get_data(as_text=True)
