"""With Redis unreachable, the site stays up (SECURITY.md: rate limits fail safe).

Production keeps the rate-limit counters and the page cache in Redis
(``CONGRESS_RATELIMIT_STORAGE_URL``, ``CONGRESS_CACHE_URL``). Both point here at
a port where nothing listens: every page must still answer as it would with
Redis up (200, 302 or a 4xx, never a 500), and the rate limits must fall back to
per-process counters rather than vanish (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``)
or fail the request (``RATELIMIT_SWALLOW_ERRORS``).

The data is written through the suite's own ``app`` (in-process cache); only
the requests go through the application whose Redis is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from congress import create_app
from congress.extensions import db
from congress.registration.models import Registration
from tests.conftest import ORGANISER_PASSWORD, IsolatedClient
from tests.factories import make_category, make_event, make_talk, paris
from tests.http import csrf_from

pytestmark = pytest.mark.integration

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once
REGISTER_LIMIT = 5

FORM = {
    "first_name": "Marie",
    "last_name": "Curie",
    "organisation": "CHU d'Exemple",
    "organisation_type": "public_hospital",
    "job_role": "ciso",
    "days": ["2014-04-01"],
    "privacy_consent": "y",
}


@pytest.fixture
def edition(app: Flask) -> dict[str, object]:
    event = make_event()
    category = make_category(event, capacity=50)
    talk = make_talk(event, "Sécurité des automates", starts_at=paris(1, "10:00"))
    return {"category": category.id, "talk": talk.slug}


@pytest.fixture
def redisless(app: Flask, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The same database, with the rate-limit store and the page cache out of reach."""
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path / "redisless"),
            "BASE_URL": "http://congress.test",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": NOWHERE,
            "CACHE_URL": NOWHERE,
            "RATELIMIT_REGISTER": f"{REGISTER_LIMIT} per minute",
        }
    )
    assert application.config["CACHE_TYPE"] == "RedisCache"
    assert application.config["CACHE_REDIS_URL"] == NOWHERE
    application.test_client_class = IsolatedClient
    try:
        yield application
    finally:
        with application.app_context():
            db.engine.dispose()


def _register(client: IsolatedClient, category: int, email: str) -> int:
    page = client.get("/register")
    assert page.status_code == 200
    form = {**FORM, "email": email, "category": category}
    response = client.post(
        "/register", data={**form, "csrf_token": csrf_from(page.get_data(as_text=True))}
    )
    return response.status_code


@pytest.mark.parametrize(
    "path", ["/", "/privacy", "/accessibility", "/.well-known/security.txt", "/livez"]
)
def test_uncached_public_pages_answer_without_redis(redisless, edition, path):
    response = redisless.test_client().get(path)

    assert response.status_code == 200, path


@pytest.mark.parametrize(
    "path",
    [
        "/programme",
        "/programme.ics",
        "/speakers",
        "/schedule.xml",
        "/schedule.json",
        "/sessions/{talk}",
        "/sessions/{talk}.ics",
    ],
)
def test_cached_public_pages_and_feeds_answer_without_redis(redisless, edition, path):
    response = redisless.test_client().get(path.format(**edition))

    assert response.status_code == 200, path


def test_registration_form_and_post_without_redis(redisless, edition):
    client = redisless.test_client()

    status = _register(client, edition["category"], "marie.curie@chu-exemple.fr")

    assert status == 302
    registration = db.session.scalars(db.select(Registration)).one()
    assert registration.email == "marie.curie@chu-exemple.fr"


def test_invalid_registration_still_answers_400_without_redis(redisless, edition):
    client = redisless.test_client()
    page = client.get("/register")

    response = client.post(
        "/register",
        data={"csrf_token": csrf_from(page.get_data(as_text=True)), "email": "not-an-address"},
    )

    assert response.status_code == 400


def test_login_without_redis(redisless, edition):
    from congress.accounts.models import Role
    from congress.accounts.services import create_organiser

    create_organiser("editrice@apssis-orga.fr", ORGANISER_PASSWORD, Role.EDITOR)
    client = redisless.test_client()
    page = client.get("/login")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))

    wrong = client.post(
        "/login",
        data={"csrf_token": token, "email": "editrice@apssis-orga.fr", "password": "nope" * 4},
    )
    right = client.post(
        "/login",
        data={
            "csrf_token": token,
            "email": "editrice@apssis-orga.fr",
            "password": ORGANISER_PASSWORD,
        },
    )

    assert wrong.status_code == 401
    assert right.status_code == 302
    assert client.get(right.headers["Location"]).status_code == 200


def test_rate_limit_falls_back_to_memory_without_redis(redisless, edition):
    client = redisless.test_client()
    statuses = [
        _register(client, edition["category"], f"rafale{number}@chu-exemple.fr")
        for number in range(REGISTER_LIMIT + 3)
    ]

    assert statuses == [302] * REGISTER_LIMIT + [429] * 3
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == (
        REGISTER_LIMIT
    )
