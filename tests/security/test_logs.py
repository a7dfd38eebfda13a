"""Security log lines: structured, and never carrying a token or a password."""

import json
import logging

import pytest

from tests.factories import make_category, make_event, make_registration

pytestmark = pytest.mark.integration


def _events(caplog) -> list[dict]:
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "congress.security"
    ]


def test_token_misuse_and_csrf_failures_are_logged_without_the_token(client, app, caplog):
    caplog.set_level(logging.WARNING)
    event = make_event()
    category = make_category(event)
    _, token = make_registration(event, category, "log@chu-exemple.fr")
    wrong = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    client.get(f"/r/{wrong}")
    client.post(f"/r/{token}/cancel")
    events = _events(caplog)
    assert {"token.rejected", "csrf.failed"} <= {entry["event"] for entry in events}
    text = caplog.text
    assert token not in text
    assert wrong not in text
    rejected = next(entry for entry in events if entry["event"] == "token.rejected")
    assert rejected["path"] == "/r/…"
    assert rejected["address"] == "127.0.0.1"


def test_failed_login_is_logged_without_the_password(client, app, caplog):
    from tests.http import submit

    caplog.set_level(logging.WARNING)
    submit(client, "/login", {"email": "x@apssis-orga.fr", "password": "secret attempt 42"})
    assert any(entry["event"] == "login.failed" for entry in _events(caplog))
    assert "secret attempt 42" not in caplog.text


def test_werkzeug_request_lines_mask_tokens():
    from congress.security import RedactTokens

    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '"%s" %s',
        ("GET /r/abcDEF123_-xyz HTTP/1.1", 200),
        None,
    )
    RedactTokens().filter(record)
    assert record.getMessage() == '"GET /r/… HTTP/1.1" 200'
