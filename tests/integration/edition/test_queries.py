"""The edition a request is about: the latest one, read once per request, or 404."""

from datetime import date

import pytest
from werkzeug.exceptions import NotFound

from congress.edition.queries import current_event_or_404
from tests.factories import make_event
from tests.sql import sql_statements

pytestmark = pytest.mark.integration


def test_current_event_or_404_without_an_edition_raises_not_found(app):
    with app.test_request_context("/"), pytest.raises(NotFound):
        current_event_or_404()


def test_current_event_or_404_is_the_latest_edition_read_once_per_request(app):
    make_event(first_day=date(2013, 4, 2), last_day=date(2013, 4, 4))
    latest = make_event()
    with app.test_request_context("/"):
        first = current_event_or_404()
        with sql_statements() as statements:
            again = current_event_or_404()

    assert first.id == latest.id
    assert again is first
    assert statements == []
