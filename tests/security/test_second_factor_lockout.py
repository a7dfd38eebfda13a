"""The second factor cannot be guessed: wrong codes lock the account's second step.

Every request goes through the real forms (``/login`` then ``/login/code``),
each browser with its own session and address, under a fake clock so locks can
be waited out. Codes are checked against the same fake clock.
"""

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient

from congress.accounts import services
from congress.accounts.models import Role, User
from congress.accounts.second_factor_lock import (
    MOST_CODES_PER_DAY,
    MOST_CODES_PER_HOUR,
    lock_duration,
)
from congress.audit.models import AuditEntry
from congress.core import clock
from tests.conftest import ORGANISER_PASSWORD, IsolatedClient
from tests.http import submit

pytestmark = pytest.mark.integration

EMAIL = "rssi@apssis-orga.fr"
NEW_PASSWORD = "un nouveau mot de passe assez long"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LOCK_MESSAGE = (
    "Trop de codes erronés\u202f: la seconde étape de connexion de ce compte est bloquée "
    "pour un moment. Réessayez plus tard."
)


class FakeClock:
    """The application's clock, moved by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def fake_clock(app: Flask) -> Iterator[FakeClock]:
    fake = FakeClock(T0)
    clock.set_clock(lambda: fake.now)
    yield fake
    clock.set_clock(None)


@pytest.fixture
def second_factor(fake_clock: FakeClock) -> tuple[str, list[str]]:
    """An administrator with TOTP on; returns its secret and recovery codes."""
    user = services.create_organiser(EMAIL, ORGANISER_PASSWORD, Role.ADMIN)
    secret = services.start_totp_setup(user)
    codes = services.confirm_totp_setup(user, pyotp.TOTP(secret).at(T0))
    fake_clock.advance(minutes=1)  # the step used at setup is spent
    return secret, codes


def _browser(app: Flask, address: str) -> FlaskClient:
    """A new browser (its own cookie jar, so its own session) at ``address``."""
    app.test_client_class = IsolatedClient
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def _past_password(app: Flask, address: str) -> FlaskClient:
    """A browser at ``address`` that gave the right password and faces the code form."""
    browser = _browser(app, address)
    response = submit(browser, "/login", {"email": EMAIL, "password": ORGANISER_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login/code"
    return browser


def _right_code(secret: str) -> str:
    return pyotp.TOTP(secret).at(clock.now())


def _wrong_code(secret: str) -> str:
    """A six-digit code that matches none of the steps accepted at this instant."""
    moment = clock.now().timestamp()
    valid = {pyotp.TOTP(secret).at(moment + offset) for offset in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def _account() -> User:
    from congress.extensions import db

    db.session.expire_all()
    return db.session.scalars(db.select(User).where(User.email == EMAIL)).one()


def _entries(action: str) -> list[AuditEntry]:
    from congress.extensions import db

    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
        )
    )


def test_lock_duration_grows_from_fifteen_minutes_to_a_day():
    minutes = [lock_duration(failures) for failures in range(1, 15)]
    assert minutes[:4] == [None] * 4
    assert [int(lock.total_seconds()) // 60 for lock in minutes[4:]] == [
        15,
        30,
        60,
        120,
        240,
        480,
        960,
        1440,
        1440,
        1440,
    ]


def test_second_step_locks_after_five_wrong_codes_from_two_addresses_and_two_sessions(
    app, second_factor
):
    secret, _ = second_factor
    first = _past_password(app, "203.0.113.10")
    second = _past_password(app, "198.51.100.20")
    for browser in (first, second, first, second):
        assert submit(browser, "/login/code", {"code": _wrong_code(secret)}).status_code == 401
    assert _account().second_factor_failures == 4
    assert _account().second_factor_locked_until is None

    fifth = submit(second, "/login/code", {"code": _wrong_code(secret)})

    assert fifth.status_code == 401
    account = _account()
    assert account.second_factor_failures == 5
    assert account.second_factor_locked_until == T0 + timedelta(minutes=1 + 15)
    assert account.failed_logins == 0


def test_second_step_lock_refuses_the_right_code_in_french_with_retry_after(
    app, second_factor, fake_clock
):
    secret, _ = second_factor
    guesser = _past_password(app, "203.0.113.10")
    for _ in range(5):
        submit(guesser, "/login/code", {"code": _wrong_code(secret)})
    last_step = _account().totp_last_step
    fake_clock.advance(minutes=10)

    owner = _past_password(app, "192.0.2.30")
    refused = submit(owner, "/login/code", {"code": _right_code(secret)})

    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(5 * 60)
    assert LOCK_MESSAGE in refused.get_data(as_text=True)
    assert owner.get("/dashboard/").status_code == 302
    assert _account().totp_last_step == last_step  # the code was not even checked
    assert _account().second_factor_failures == 5  # refused tries do not lengthen the lock


def test_correct_password_does_not_reset_second_factor_failures(app, second_factor):
    secret, _ = second_factor
    # The guesser knows the password and alternates: password, wrong code, from new places.
    for attempt in range(4):
        browser = _past_password(app, f"203.0.113.{attempt + 1}")
        assert submit(browser, "/login/code", {"code": _wrong_code(secret)}).status_code == 401
        assert _account().second_factor_failures == attempt + 1
    browser = _past_password(app, "203.0.113.5")
    assert submit(browser, "/login/code", {"code": _wrong_code(secret)}).status_code == 401

    again = _past_password(app, "203.0.113.6")  # the password step still passes...

    assert submit(again, "/login/code", {"code": _right_code(secret)}).status_code == 429
    account = _account()
    assert account.second_factor_failures == 5
    assert account.failed_logins == 0


def test_second_step_lock_grows_after_each_wrong_code_past_a_lock(app, second_factor, fake_clock):
    secret, _ = second_factor
    browser = _past_password(app, "203.0.113.10")
    for _ in range(5):
        submit(browser, "/login/code", {"code": _wrong_code(secret)})
    for minutes in (15, 30, 60):
        fake_clock.advance(minutes=minutes)
        browser = _past_password(app, f"198.51.100.{minutes}")
        assert submit(browser, "/login/code", {"code": _wrong_code(secret)}).status_code == 401

    assert [entry.changes for entry in _entries("login.second_factor_locked")] == [
        {"failures": 5, "minutes": 15},
        {"failures": 6, "minutes": 30},
        {"failures": 7, "minutes": 60},
        {"failures": 8, "minutes": 120},
    ]
    assert _account().second_factor_locked_until == fake_clock.now + timedelta(minutes=120)


def test_recovery_codes_count_and_are_refused_while_locked(app, second_factor):
    secret, codes = second_factor
    browser = _past_password(app, "203.0.113.10")
    for guess in ("aaaa-bbbb-cccc-dddd", "eeee-ffff-gggg-hhhh", "iiii-jjjj-kkkk-llll"):
        assert submit(browser, "/login/code", {"code": guess}).status_code == 401
    for _ in range(2):
        assert submit(browser, "/login/code", {"code": _wrong_code(secret)}).status_code == 401
    assert _account().second_factor_locked_until is not None

    owner = _past_password(app, "192.0.2.30")

    assert submit(owner, "/login/code", {"code": codes[0]}).status_code == 429
    assert _account().second_factor_failures == 5
    assert _entries("login.recovery_code_used") == []


def test_second_step_lock_is_audited_and_logged(app, second_factor, caplog):
    secret, _ = second_factor
    caplog.set_level(logging.WARNING)
    browser = _past_password(app, "203.0.113.10")
    for _ in range(4):
        submit(browser, "/login/code", {"code": _wrong_code(secret)})
    other = _past_password(app, "198.51.100.77")

    submit(other, "/login/code", {"code": _wrong_code(secret)})

    (lock,) = _entries("login.second_factor_locked")
    account = _account()
    assert (lock.object_type, lock.object_id) == ("user", str(account.id))
    assert lock.changes == {"failures": 5, "minutes": 15}
    assert lock.address == "198.51.100.77"
    assert (lock.actor_type, lock.actor_id) == ("organiser", str(account.id))
    assert len(_entries("login.second_factor_failed")) == 5
    logged = [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "congress.security"
    ]
    locks = [entry for entry in logged if entry["event"] == "login.second_factor_locked"]
    assert locks == [
        {
            "event": "login.second_factor_locked",
            "path": "/login/code",
            "address": "198.51.100.77",
            "user": str(account.id),
            "failures": "5",
            "minutes": "15",
        }
    ]


def test_right_code_after_the_lock_logs_in_and_resets_the_counter(app, second_factor, fake_clock):
    secret, _ = second_factor
    browser = _past_password(app, "203.0.113.10")
    for _ in range(5):
        submit(browser, "/login/code", {"code": _wrong_code(secret)})
    fake_clock.advance(minutes=14)
    owner = _past_password(app, "192.0.2.30")
    assert submit(owner, "/login/code", {"code": _right_code(secret)}).status_code == 429
    fake_clock.advance(minutes=1)

    response = submit(owner, "/login/code", {"code": _right_code(secret)})

    assert response.status_code == 302
    assert owner.get("/account").status_code == 200
    account = _account()
    assert (account.second_factor_failures, account.second_factor_locked_until) == (0, None)


def test_set_password_clears_the_second_factor_lock(app, second_factor):
    secret, _ = second_factor
    browser = _past_password(app, "203.0.113.10")
    for _ in range(5):
        submit(browser, "/login/code", {"code": _wrong_code(secret)})
    assert _account().second_factor_locked_until == T0 + timedelta(minutes=1 + 15)

    services.set_password(EMAIL, NEW_PASSWORD)

    account = _account()
    assert (account.second_factor_failures, account.second_factor_locked_until) == (0, None)
    owner = _browser(app, "192.0.2.30")
    submit(owner, "/login", {"email": EMAIL, "password": NEW_PASSWORD})
    assert submit(owner, "/login/code", {"code": _right_code(secret)}).status_code == 302


def test_scripted_guesser_gets_seven_codes_checked_an_hour_and_eleven_a_day(
    app, second_factor, fake_clock
):
    """The best a guesser can do: a new address and session for every try, and back
    the very second a lock ends (read from Retry-After). Over three days it gets
    7 codes checked in the first hour, 11 in the first day, then one a day."""
    secret, _ = second_factor
    start = fake_clock.now
    checked: list[float] = []  # seconds since the start, for each code actually checked
    refused = 0
    attempt = 0
    while fake_clock.now < start + timedelta(days=3) and attempt < 100:
        attempt += 1
        browser = _past_password(app, f"10.{attempt // 250}.{attempt % 250}.1")
        response = submit(browser, "/login/code", {"code": _wrong_code(secret)})
        if response.status_code == 401:
            checked.append((fake_clock.now - start).total_seconds())
            fake_clock.advance(seconds=1)
        else:
            assert response.status_code == 429
            refused += 1
            fake_clock.advance(seconds=int(response.headers["Retry-After"]))

    def most_in_any_window(seconds: int) -> int:
        return max(sum(1 for t in checked if first <= t < first + seconds) for first in checked)

    assert most_in_any_window(3600) == MOST_CODES_PER_HOUR == 7
    assert most_in_any_window(86400) == MOST_CODES_PER_DAY == 11
    assert sum(1 for t in checked if 86400 <= t < 2 * 86400) == 1
    assert sum(1 for t in checked if 2 * 86400 <= t < 3 * 86400) == 1
    assert len(checked) == 13
    assert refused == 9
    failed = _entries("login.second_factor_failed")
    assert sum(1 for entry in failed if entry.changes == {"locked": False}) == 13
