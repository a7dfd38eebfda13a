"""Security headers on every route of the URL map, for anonymous visitors."""

import pytest

from congress.core.security_log import TOKEN_PREFIXES
from congress.extensions import db
from congress.media.models import MediaImage
from congress.partners.models import Partner
from congress.programme.models import Talk
from tests.factories import make_category, make_invoice, make_registration

pytestmark = pytest.mark.integration

NO_STORE_PREFIXES = (
    "/dashboard",
    "/r/",
    "/register",
    "/login",
    "/account",
    "/cfp/s/",
    "/cfp/confirm/",
    "/speaker/",
)


@pytest.fixture
def urls(app, demo):
    talk = db.session.scalars(
        db.select(Talk).where(Talk.room_id.is_not(None), Talk.track_id.is_not(None))
    ).first()
    category = make_category(talk.event, capacity=5)
    registration, token = make_registration(talk.event, category, "headers@chu-exemple.fr")
    invoice = make_invoice(registration)  # its PDF behind the private link answers 200
    values = {
        "reference": invoice.reference,
        "slug": talk.slug,
        "day": "2014-04-01",
        "token": token,
        "uid": "x",
        "talk_id": talk.id,
        "category_id": 1,
        "room_id": talk.room_id,
        "track_id": talk.track_id,
        "speaker_id": talk.speaker_links[0].speaker_id,
        "filename": "css/site.css",
        # A stored image (a demo partner's logo): /media/<name> answers 200 with its headers.
        "name": db.session.scalars(db.select(MediaImage.key)).first() + "-small.webp",
        "partner_id": db.session.scalars(db.select(Partner.id)).first(),
        "key": "venue",  # a section of the practical information page
        "message_id": 1,  # a dashboard page: anonymous visitors are sent to login
        "submission_uid": "x",  # a proposal's dashboard page: login first as well
    }
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<{name}>", str(values[name]))
            for converter in ("int", "path"):
                path = path.replace(f"<{converter}:{name}>", str(values[name]))
        if path.startswith(("/tracks/", "/rooms/")):
            path = path.replace(str(talk.room_id), talk.room.slug).replace(
                str(talk.track_id), talk.track.slug if talk.track else ""
            )
        found.append(path)
    return found


def test_every_get_route_sends_the_security_headers(client, urls):
    assert len(urls) > 30
    for url in urls:
        response = client.get(url)
        response.close()
        assert response.status_code < 500 or url in {"/healthz", "/readyz"}, url
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp, url
        assert "script-src 'self'" in csp, url
        assert "'unsafe-inline'" not in csp, url
        assert "object-src 'none'" in csp, url
        assert "frame-ancestors 'none'" in csp, url
        assert "base-uri 'none'" in csp, url
        assert headers.get("X-Content-Type-Options") == "nosniff", url
        expected_policy = "strict-origin" if url.startswith(TOKEN_PREFIXES) else "same-origin"
        assert headers.get("Referrer-Policy") == expected_policy, url
        assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", url
        assert "camera=" in headers.get("Permissions-Policy", ""), url
        assert "Server" not in headers, url
        if url.startswith(NO_STORE_PREFIXES):
            assert "no-store" in headers.get("Cache-Control", ""), url


def test_hsts_only_over_https(app, client, demo):
    app.config["HSTS"] = True
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://congress.test")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=63072000")


def test_exports_and_token_feeds_are_not_stored(client, app, demo):
    category = make_category(db.session.scalars(db.select(Talk)).first().event, capacity=2)
    registration, token = make_registration(category.event, category, "feed@chu-exemple.fr")
    from congress.registration.services import feed_token

    for url in (f"/r/{token}/data.json", f"/r/{feed_token(registration)}/agenda.ics"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
