"""Searching the programme is limited per address; browsing it is not.

Every address of the programme but a search is answered from the cache; each
distinct search text is built afresh. Without a limit, one client sending new
search texts would make the site build pages as fast as it asks.
"""

import pytest

from tests.factories import make_event, make_programme

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(app):
    event = make_event()
    make_programme(event, 12)
    app.config["RATELIMIT_SEARCH"] = "3 per minute"
    return event


def test_the_fourth_new_search_within_a_minute_is_refused_in_french(client, programme):
    statuses = [client.get(f"/programme?q=mot{n}").status_code for n in range(3)]
    refused = client.get("/programme?q=mot3")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert "trop de requêtes" in refused.get_data(as_text=True)


def test_browsing_and_filtering_without_a_search_are_never_counted(client, programme):
    for n in range(3):
        client.get(f"/programme?q=mot{n}")
    paths = ("/programme", "/programme?kind=talk", "/programme?q=+", "/programme.ics")
    answers = [client.get(path) for path in paths]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 200]
    assert client.get("/programme?q=mot3").status_code == 429  # the limit was reached
