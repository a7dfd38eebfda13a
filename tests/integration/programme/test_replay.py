"""The replay layer: repeated anonymous requests for cached pages skip Flask, nothing else does."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest
from flask import Flask, abort, current_app, request_started
from werkzeug.wrappers import Request

from congress import request_rules
from congress.caching import replay
from congress.caching.stamp import stamp_memo, stamp_memo_of
from congress.caching.store import cache
from congress.extensions import db
from congress.programme import services
from congress.programme.models import Talk
from tests.factories import make_event, make_programme, make_talk, paris

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(app: Flask):
    event = make_event()
    make_programme(event, 9)
    return event


@pytest.fixture
def flask_runs(app: Flask) -> Iterator[list[str]]:
    """Paths of the requests that reached Flask (a replayed one never does)."""
    seen: list[str] = []

    def started(sender: Flask, **_extra: object) -> None:
        from flask import request

        seen.append(request.full_path)

    request_started.connect(started, app)
    try:
        yield seen
    finally:
        request_started.disconnect(started, app)


@pytest.fixture
def anonymous(app: Flask):
    """A client that never keeps cookies: every request is a new anonymous visitor."""
    return app.test_client(use_cookies=False)


def _without_date(headers) -> list[tuple[str, str]]:
    return sorted((name, value) for name, value in headers.items() if name != "Date")


@pytest.mark.parametrize("encoding", ["", "gzip"])
@pytest.mark.parametrize("url", ["/programme", "/programme.ics", "/schedule.xml", "/speakers"])
def test_a_repeated_request_is_answered_without_flask_with_the_same_bytes(
    programme, anonymous, flask_runs, url, encoding
):
    # The worker trusts its copy of the stamp for a second; a loaded test machine can take
    # longer between requests, and an expired copy sends the request to Flask on purpose.
    stamp_memo_of(anonymous.application).window = 3600.0
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = anonymous.get(url, headers=headers)
    assert first.status_code == 200
    assert len(flask_runs) == 1

    again = [anonymous.get(url, headers=headers) for _ in range(3)]

    assert len(flask_runs) == 1, "replayed requests must not reach Flask"
    for response in again:
        assert response.status_code == 200
        assert response.get_data() == first.get_data()
        assert _without_date(response.headers) == _without_date(first.headers)
    assert "Content-Security-Policy" in again[0].headers
    if encoding and len(first.get_data()) > 1024:
        assert again[0].headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(again[0].get_data())


def test_plain_and_gzip_are_recorded_apart(programme, anonymous, flask_runs):
    plain = anonymous.get("/programme")
    zipped = anonymous.get("/programme", headers={"Accept-Encoding": "gzip"})
    assert anonymous.get("/programme").get_data() == plain.get_data()
    assert anonymous.get("/programme", headers={"Accept-Encoding": "gzip"}).get_data() == (
        zipped.get_data()
    )
    assert len(flask_runs) == 2
    assert gzip.decompress(zipped.get_data()) == plain.get_data()


@pytest.mark.parametrize(
    "headers",
    [
        {"Cookie": "session=anything"},
        {"Authorization": "Basic eDp5"},
        {"If-None-Match": '"nothing"'},
        {"If-Modified-Since": "Tue, 01 Apr 2014 07:00:00 GMT"},
        {"Accept-Encoding": "gzip;q=0, identity"},
    ],
)
def test_requests_that_may_differ_always_reach_flask(programme, anonymous, flask_runs, headers):
    anonymous.get("/programme")
    for _ in range(2):
        anonymous.get("/programme", headers=headers)
    assert len(flask_runs) == 3


def test_other_methods_always_reach_flask(programme, anonymous, flask_runs):
    anonymous.get("/programme")
    anonymous.head("/programme")
    anonymous.post("/programme")
    assert len(flask_runs) == 3


def test_a_programme_change_is_never_hidden_by_a_recording(programme, anonymous, flask_runs):
    assert "Séance ajoutée" not in anonymous.get("/programme").get_data(as_text=True)

    make_talk(programme, "Séance ajoutée", starts_at=paris(2, "17:00"))

    assert "Séance ajoutée" in anonymous.get("/programme").get_data(as_text=True)
    assert len(flask_runs) == 2
    assert "Séance ajoutée" in anonymous.get("/programme").get_data(as_text=True)
    assert len(flask_runs) == 2


def test_a_cancelled_talk_shows_as_cancelled_at_once(programme, anonymous, flask_runs):
    talk = db.session.scalars(db.select(Talk).order_by(Talk.id)).first()
    before = anonymous.get("/programme.ics").get_data(as_text=True)
    assert before.count("STATUS:CANCELLED") == 0

    services.cancel_talk(talk)

    assert anonymous.get("/programme.ics").get_data(as_text=True).count("STATUS:CANCELLED") == 1


def test_nothing_is_replayed_once_the_stamp_is_too_old_to_trust(programme, anonymous, flask_runs):
    anonymous.get("/programme")
    stamp_memo().forget()
    anonymous.get("/programme")
    assert len(flask_runs) == 2
    anonymous.get("/programme")
    assert len(flask_runs) == 2  # the second request refreshed it


def test_an_answer_that_sets_a_cookie_is_never_recorded(programme, anonymous, flask_runs):
    english = [anonymous.get("/programme?lang=en") for _ in range(2)]
    assert all("Set-Cookie" in response.headers for response in english)
    assert "Programme" in english[1].get_data(as_text=True)
    assert len(flask_runs) == 2
    french = anonymous.get("/programme")
    assert 'lang="fr"' in french.get_data(as_text=True)


def test_errors_are_never_recorded(programme, anonymous, flask_runs):
    for _ in range(2):
        assert anonymous.get("/sessions/does-not-exist").status_code == 404
        assert anonymous.get("/programme?day=2099-01-01").status_code == 400
    assert len(flask_runs) == 4


def test_a_body_gone_from_the_local_cache_sends_the_request_to_flask(
    app, programme, anonymous, flask_runs
):
    first = anonymous.get("/programme").get_data()
    with app.app_context():
        cache.clear()
    stamp = anonymous.get("/programme")  # refreshes the stamp and refills the cache
    assert stamp.get_data() == first
    assert len(flask_runs) == 2


def test_recordings_are_bounded(app, programme, anonymous, monkeypatch):
    monkeypatch.setattr(replay, "MAX_RECORDINGS", 3)
    layer: replay.ReplayMiddleware = app.extensions["congress.replay"]
    layer.clear()
    for index in range(6):
        assert anonymous.get(f"/programme?q=s{index}").status_code == 200
    assert len(layer) == 3


def test_the_layer_can_be_turned_off(database_url, tmp_path):
    from congress import create_app

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path / "off"),
            "CACHE_REPLAY": False,
        }
    )
    assert "congress.replay" not in app.extensions
    assert not isinstance(app.wsgi_app, replay.ReplayMiddleware)


def test_the_layer_can_be_turned_off_from_the_environment(tmp_path):
    from congress.config import load_config

    settings = load_config({"CONGRESS_CACHE_REPLAY": "0", "CONGRESS_INSTANCE_PATH": str(tmp_path)})

    assert settings["CACHE_REPLAY"] is False


def test_a_check_added_to_the_declared_list_applies_to_a_replayed_page(
    programme, anonymous, flask_runs, monkeypatch
):
    assert anonymous.get("/programme").status_code == 200
    assert anonymous.get("/programme").status_code == 200
    assert len(flask_runs) == 1  # the second answer was replayed

    def maintenance(_request: Request) -> None:
        abort(503)

    checks = [*request_rules.PRE_REQUEST_CHECKS, request_rules.PreRequestCheck(maintenance)]
    monkeypatch.setattr(request_rules, "PRE_REQUEST_CHECKS", checks)
    refused = anonymous.get("/programme")

    assert refused.status_code == 503
    assert "Service momentanément indisponible" in refused.get_data(as_text=True)
    assert len(flask_runs) == 2  # Flask answered, with its own error page


def test_a_declared_check_refuses_a_page_the_layer_was_replaying(
    app, programme, anonymous, flask_runs, monkeypatch
):
    def maintenance(_request: Request) -> None:
        if current_app.config.get("TEST_MAINTENANCE"):
            abort(503)

    checks = [*request_rules.PRE_REQUEST_CHECKS, request_rules.PreRequestCheck(maintenance)]
    monkeypatch.setattr(request_rules, "PRE_REQUEST_CHECKS", checks)
    assert [anonymous.get("/programme").status_code for _ in range(2)] == [200, 200]
    assert len(flask_runs) == 1  # the second answer was replayed

    app.config["TEST_MAINTENANCE"] = True
    refused = anonymous.get("/programme")

    assert refused.status_code == 503
    assert "Service momentanément indisponible" in refused.get_data(as_text=True)
    assert len(flask_runs) == 2


def test_the_checks_run_on_a_replayed_request_with_the_request_and_the_app(
    app, programme, anonymous, flask_runs, monkeypatch
):
    seen: list[tuple[str, str, str]] = []

    def note(current: Request) -> None:
        seen.append((current.method, current.full_path, current_app.name))

    monkeypatch.setattr(request_rules, "PRE_REQUEST_CHECKS", [request_rules.PreRequestCheck(note)])
    answers = [anonymous.get("/programme?day=2014-04-02") for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert len(flask_runs) == 1  # the checks let the last two through the replay layer
    assert seen == [("GET", "/programme?day=2014-04-02", app.name)] * 3


def test_a_keyed_check_is_answered_once_by_flask_for_each_recording(
    programme, anonymous, flask_runs, monkeypatch
):
    seen: list[str] = []

    def note(current: Request) -> None:
        seen.append(current.full_path)

    keyed = request_rules.PreRequestCheck(note, keyed=True)
    monkeypatch.setattr(request_rules, "PRE_REQUEST_CHECKS", [keyed])
    answers = [anonymous.get("/speakers") for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert len(flask_runs) == 1
    assert seen == ["/speakers?"]  # the recording holds its answer


def test_a_page_recorded_before_a_keyed_check_was_declared_is_not_replayed(
    programme, anonymous, flask_runs, monkeypatch
):
    assert anonymous.get("/speakers").status_code == 200

    def closed(_request: Request) -> None:
        abort(503)

    checks = [*request_rules.PRE_REQUEST_CHECKS, request_rules.PreRequestCheck(closed, keyed=True)]
    monkeypatch.setattr(request_rules, "PRE_REQUEST_CHECKS", checks)

    assert anonymous.get("/speakers").status_code == 503
    assert len(flask_runs) == 2
