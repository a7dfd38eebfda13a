"""Template helpers written for the long loops of the programme page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import render_template_string, url_for

pytestmark = pytest.mark.integration

ODD_SLUGS = [
    "ouverture",
    "a-b_c.d~e",
    "été-2014",
    "deux mots",
    "100%",
    "a/b",
    "a?b#c",
    "x&y=z;w,v",
    "guillemets-\"'",
    "ǅ-𝄞",
]


@pytest.mark.parametrize("endpoint", ["programme.session", "programme.speaker"])
def test_slug_url_is_what_url_for_builds(app, endpoint):
    slug_url = app.jinja_env.globals["slug_url"]
    with app.test_request_context("/programme"):
        built = [slug_url(endpoint, slug) for slug in ODD_SLUGS]
        expected = [url_for(endpoint, slug=slug) for slug in ODD_SLUGS]
    assert built == expected
    assert built[3].endswith("/deux%20mots")


def test_slug_url_under_a_script_root(app):
    with app.test_request_context("/programme", base_url="http://congress.test/congres"):
        built = render_template_string("{{ slug_url('programme.session', 'ouverture') }}")
        expected = url_for("programme.session", slug="ouverture")
    assert built == expected == "/congres/sessions/ouverture"


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (datetime(2014, 4, 1, 7, 15, tzinfo=UTC), "Europe/Paris", "09:15"),
        (datetime(2014, 3, 28, 8, 0, tzinfo=UTC), "Europe/Paris", "09:00"),
        (datetime(2014, 4, 1, 7, 15, tzinfo=UTC), "America/Montreal", "03:15"),
        (datetime(2014, 4, 1, 23, 5, tzinfo=UTC), "Asia/Tokyo", "08:05"),
    ],
)
def test_localtime_is_wall_time_in_the_given_zone(app, moment, zone, expected):
    with app.test_request_context("/programme"):
        assert render_template_string("{{ m|localtime(z) }}", m=moment, z=zone) == expected
