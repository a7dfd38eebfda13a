"""Public pages and feeds cost the same number of SQL statements at any programme size."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event as sa_event

from congress.core.http_cache import cache
from congress.extensions import db
from congress.programme.models import Speaker, Talk
from tests.factories import make_event, make_programme

pytestmark = pytest.mark.integration


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)


def _urls() -> list[str]:
    talk = db.session.scalars(db.select(Talk).order_by(Talk.id)).first()
    speaker = db.session.scalars(db.select(Speaker).order_by(Speaker.id)).first()
    track = talk.track.slug
    room = talk.room.slug
    return [
        "/",
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
        with counting() as statements:
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
