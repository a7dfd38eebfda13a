"""Public pages and feeds cost the same number of SQL statements at any programme size."""

import pytest

from congress.caching.store import cache
from congress.extensions import db
from congress.programme.models import Speaker, Talk
from tests.factories import make_event, make_programme
from tests.sql import bind_widths, sql_statements

pytestmark = pytest.mark.integration


# The widest public read binds the edition, two statuses and a few filters; an eager
# load batched into IN lists of ids would bind one parameter per talk.
MAX_BIND_PARAMETERS = 12


def _urls() -> list[str]:
    talk = db.session.scalars(db.select(Talk).order_by(Talk.id)).first()
    speaker = db.session.scalars(db.select(Speaker).order_by(Speaker.id)).first()
    track = talk.track.slug
    room = talk.room.slug
    return [
        "/",
        "/infos-pratiques",
        "/programme",
        "/programme?day=2014-04-02",
        "/programme?q=session&track=" + track,
        f"/sessions/{talk.slug}",
        "/speakers",
        f"/speakers/{speaker.slug}",
        "/now",
        "/programme.ics",
        "/programme/2014-04-01.ics",
        f"/tracks/{track}.ics",
        f"/rooms/{room}.ics",
        f"/sessions/{talk.slug}.ics",
        f"/speakers/{speaker.slug}.ics",
        "/schedule.xml",
        "/schedule.json",
    ]


def _costs(client) -> dict[str, int]:
    cache.clear()
    costs = {}
    for url in _urls():
        with sql_statements() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        costs[url] = len(statements)
    return costs


def test_statement_count_does_not_grow_with_the_programme(app, client):
    event = make_event()
    make_programme(event, 10)
    small = _costs(client)
    make_programme(event, 490)
    assert db.session.scalar(db.select(db.func.count()).select_from(Talk)) == 500
    large = _costs(client)
    assert large == small
    assert max(small.values()) <= 6, small


def test_no_statement_binds_a_parameter_per_talk(app, client):
    """Catches batched eager loads: ``selectinload`` sends IN lists of up to 500 ids,
    a constant count below 500 talks that still grows by one statement per 500."""
    event = make_event()
    make_programme(event, 60)
    cache.clear()
    widest = {}
    for url in _urls():
        with bind_widths() as widths:
            response = client.get(url)
        assert response.status_code == 200, url
        widest[url] = max(widths)
    assert max(widest.values()) <= MAX_BIND_PARAMETERS, widest


def test_repeated_public_request_sends_no_statement(app, client):
    """The programme stamp and the page come from the cache: no SQL on a hit."""
    event = make_event()
    make_programme(event, 10)
    cache.clear()
    costs = {}
    for url in _urls():
        if url == "/now":  # depends on the clock, never cached
            continue
        assert client.get(url).status_code == 200, url
        with sql_statements() as statements:
            assert client.get(url).status_code == 200, url
        costs[url] = len(statements)
    # The home and practical pages are not cached (registration state, edited texts).
    uncached = {"/": costs["/"], "/infos-pratiques": costs["/infos-pratiques"]}
    assert costs == dict.fromkeys(costs, 0) | uncached
