"""A database error while closing the session after a response is not a 500.

The database restarting drops connections; the ROLLBACK sent when the session closes
then raises after the response is built. ``web._guard_session_teardown`` closes the
session first (teardowns run in reverse order of registration) and discards it on error.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from congress.extensions import db

pytestmark = pytest.mark.integration


def test_a_failing_close_after_the_response_is_discarded_not_raised(
    app, client, monkeypatch, caplog
):
    failed: list[Session] = []

    def broken_close(self: Session) -> None:
        failed.append(self)
        raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

    monkeypatch.setattr(Session, "close", broken_close)
    with caplog.at_level(logging.WARNING, logger="congress.errors"):
        response = client.get("/privacy")  # reads the edition: a session is open
    monkeypatch.undo()
    for session in failed:  # here the connection is alive: give it back to the pool
        session.close()
    assert response.status_code == 200
    assert "session_teardown_failed" in caplog.text
    assert not db.session.registry.has()


def test_our_teardown_runs_before_flask_sqlalchemys(app):
    names = [func.__name__ for func in reversed(app.teardown_appcontext_funcs)]
    assert names.index("close_session") < names.index("_teardown_session")
