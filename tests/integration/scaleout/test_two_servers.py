"""Two servers, one database, one Redis: the rules hold across them.

``gunicorn.conf.py`` says any number of workers and hosts can serve together,
because nothing that matters lives in a process: seats are taken by one
conditional UPDATE in PostgreSQL, rate-limit counters and the programme stamp
live in Redis, sessions are signed with the shared secret key. Here two real
gunicorn servers (production mode, two workers each) on two loopback ports
share this run's PostgreSQL schema and Redis database 13, and a visitor's
requests alternate between them: a form fetched from one is posted to the
other, as behind a load balancer without sticky sessions.

The servers run as behind the proxy (``CONGRESS_PROXY_COUNT=1``): each simulated
visitor sends its own ``X-Forwarded-For``, so the per-address rate limit of one
test does not spill into the others.

PostgreSQL only (SQLite is one file on one host); Redis is required whenever
PostgreSQL is, and its absence fails the run instead of skipping it.
"""

from __future__ import annotations

import contextlib
import fcntl
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from cryptography.fernet import Fernet
from flask import Flask

from congress import create_app
from congress.config import PROJECT_ROOT
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.programme import services as programme_services
from congress.registration.models import Registration, RegistrationStatus, TicketCategory
from tests.conftest import DATABASE_URL, IS_POSTGRES
from tests.factories import make_category, make_event, make_talk, paris
from tests.http import csrf_from

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not IS_POSTGRES,
        reason="needs PostgreSQL shared by two servers; make test runs this file on PostgreSQL",
    ),
]

REDIS_URL = "redis://127.0.0.1:6379/13"
REGISTER_LIMIT = 6
SEATS = 5
ATTENDEES = 12
START_SECONDS = 60
LOCK_WAIT_SECONDS = 180
# Redis database 13 is one for the whole machine: pytest-xdist workers and other runs
# of the suite take turns with it (the servers of one module at a time).
LOCK_PATH = Path(tempfile.gettempdir()) / "congress-tests-redis-13.lock"
CONFIRM_LINK = re.compile(r"http://congress\.test(/register/confirm/[A-Za-z0-9_-]+)")
STAMP_WAIT_SECONDS = 5.0  # each worker trusts its copy of the stamp for about a second

FORM = {
    "first_name": "Jeanne",
    "last_name": "Barret",
    "organisation": "CHU d'Exemple",
    "organisation_type": "public_hospital",
    "job_role": "ciso",
    "days": ["2014-04-01", "2014-04-02"],
    "privacy_consent": "y",
}


# ------------------------------------------------------------------ a visitor over HTTP


class Visitor:
    """One browser: its cookies and its address (sent as ``X-Forwarded-For``).

    The production session cookie is ``Secure``; a browser would only send it
    over HTTPS, which nginx terminates in production. Over loopback HTTP this
    visitor sends it anyway, as it would reach the app behind the proxy.
    """

    def __init__(self, address: str) -> None:
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(
        self, port: int, method: str, path: str, form: dict[str, object] | None = None
    ) -> tuple[int, dict[str, str], str]:
        headers = {"X-Forwarded-For": self.address, "Accept-Language": "fr"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, dict(response.headers.items()), text
        finally:
            connection.close()

    def get(self, port: int, path: str) -> tuple[int, dict[str, str], str]:
        return self.request(port, "GET", path)

    def submit(
        self, form_port: int, post_port: int, path: str, form: dict[str, object]
    ) -> tuple[int, dict[str, str], str]:
        """The form page from one server, its POST (with that page's CSRF token) to the other."""
        status, _, page = self.get(form_port, path)
        assert status == 200, (path, status, page[:300])
        return self.request(post_port, "POST", path, {**form, "csrf_token": csrf_from(page)})


# ------------------------------------------------------------------ the servers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _redis() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)


def _require_redis() -> None:
    client = _redis()
    try:
        client.ping()
    except Exception as error:
        pytest.fail(
            f"Redis must answer at 127.0.0.1:6379 when the suite runs on PostgreSQL "
            f"(CONGRESS_TEST_DATABASE_URL is set): {type(error).__name__}: {error}"
        )
    finally:
        client.close()


def _flush_redis() -> None:
    client = _redis()
    try:
        client.flushdb()
    finally:
        client.close()


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/livez")
            return connection.getresponse().status == 200
        finally:
            connection.close()
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # the master stops its workers
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def _redis_database_to_ourselves() -> Iterator[None]:
    with LOCK_PATH.open("a") as handle:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"Redis database 13 still in use by another run ({LOCK_PATH})")
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="module")
def servers(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[int]]:
    """Two gunicorn servers (``gunicorn.conf.py``, two workers each) on two free ports.

    One runs as the public pool and one as the private pool: either pool must
    answer every route, so a pool configuration that broke one would fail here.
    """
    assert database_url == DATABASE_URL  # the run's schema exists; the servers use it too
    _require_redis()
    with _redis_database_to_ourselves():
        yield from _two_servers(tmp_path_factory)


def _two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[int]]:
    _flush_redis()
    workdir = tmp_path_factory.mktemp("two-servers")
    secret = secrets.token_urlsafe(48)  # shared: a form signed by one is valid on the other
    files_key = Fernet.generate_key().decode()  # shared too: both read the same files
    ports = [_free_port(), _free_port()]
    processes: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for index, port in enumerate(ports):
            env = {k: v for k, v in os.environ.items() if not k.startswith("CONGRESS_")}
            env.update(
                CONGRESS_ENV="production",
                CONGRESS_SECRET_KEY=secret,
                CONGRESS_CFP_FILES_KEY=files_key,
                CONGRESS_DATABASE_URL=DATABASE_URL,
                CONGRESS_CACHE_URL=REDIS_URL,
                CONGRESS_RATELIMIT_STORAGE_URL=REDIS_URL,
                CONGRESS_RATELIMIT_REGISTER=f"{REGISTER_LIMIT} per minute",
                CONGRESS_INSTANCE_PATH=str(workdir / f"instance-{index}"),
                CONGRESS_BASE_URL="http://congress.test",
                CONGRESS_PROXY_COUNT="1",
                CONGRESS_BIND=f"127.0.0.1:{port}",
                CONGRESS_WORKERS="2",
                CONGRESS_POOL=("public", "private")[index],
            )
            log_path = workdir / f"gunicorn-{index}.log"
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                    cwd=PROJECT_ROOT,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                )
            processes.append((process, log_path))
        deadline = time.monotonic() + START_SECONDS
        for (process, log_path), port in zip(processes, ports, strict=True):
            while not _answers(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    log = log_path.read_text(errors="replace")[-2000:]
                    pytest.fail(f"gunicorn on port {port} did not start:\n{log}")
                time.sleep(0.1)
        yield ports
    finally:
        for process, _ in processes:
            _stop(process)
        _flush_redis()


@pytest.fixture
def shared(app: Flask, servers: list[int], tmp_path: Path) -> Iterator[Flask]:
    """The test's own writes go through an app on the servers' Redis.

    Its commits publish the programme stamp there, as an organiser's edit on a
    third server would. Redis is emptied first: no counter or page of another
    test carries over.
    """
    _flush_redis()
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": DATABASE_URL,
            "INSTANCE_PATH": str(tmp_path / "shared"),
            "BASE_URL": "http://congress.test",
            "CACHE_URL": REDIS_URL,
            "RATELIMIT_STORAGE_URI": REDIS_URL,
        }
    )
    with application.app_context():
        try:
            yield application
        finally:
            db.session.remove()
            db.engine.dispose()


def _confirmation_paths() -> dict[str, str]:
    db.session.expire_all()
    messages = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.kind == "confirm").order_by(OutboxMessage.id)
    ).all()
    paths = {}
    for message in messages:
        found = CONFIRM_LINK.search(message.body_text)
        assert found, message.body_text[:300]
        paths[message.to_address] = found.group(1)
    return paths


# ------------------------------------------------------------------ the rules


def test_capacity_holds_across_both_servers(servers, shared):
    event = make_event()
    category = make_category(event, capacity=SEATS)
    category_id = category.id
    visitors = [Visitor(f"10.5.0.{number}") for number in range(1, ATTENDEES + 1)]
    emails = [f"ruee{number}@chu-exemple.fr" for number in range(ATTENDEES)]

    for number, (visitor, email) in enumerate(zip(visitors, emails, strict=True)):
        status, headers, body = visitor.submit(
            servers[number % 2],
            servers[(number + 1) % 2],
            "/register",
            {**FORM, "email": email, "category": category_id},
        )
        assert (status, headers.get("Location")) == (302, "/register/sent"), body[:500]
    paths = _confirmation_paths()
    assert sorted(paths) == sorted(emails)

    def confirm(number: int) -> tuple[int, str]:
        status, headers, _ = visitors[number].submit(
            servers[(number + 1) % 2], servers[number % 2], paths[emails[number]], {}
        )
        return status, headers.get("Location", "")

    with ThreadPoolExecutor(max_workers=ATTENDEES) as pool:
        outcomes = list(pool.map(confirm, range(ATTENDEES)))

    assert [status for status, _ in outcomes] == [302] * ATTENDEES
    assert all(location.startswith("/r/") for _, location in outcomes)
    db.session.expire_all()
    statuses = Counter(db.session.scalars(db.select(Registration.status)).all())
    assert statuses == {RegistrationStatus.CONFIRMED: SEATS, RegistrationStatus.WAITING: 7}
    assert db.session.get(TicketCategory, category_id).seats_taken == SEATS
    kinds = Counter(
        db.session.execute(db.select(OutboxMessage.registration_id, OutboxMessage.kind)).all()
    )
    by_registration = {
        registration.id: registration.status
        for registration in db.session.scalars(db.select(Registration))
    }
    expected = Counter()
    for registration_id, status in by_registration.items():
        expected[(registration_id, "confirm")] = 1
        kind = "confirmed" if status is RegistrationStatus.CONFIRMED else "waiting"
        expected[(registration_id, kind)] = 1
    assert kinds == expected


def test_register_rate_limit_is_shared_by_both_servers(servers, shared):
    event = make_event()
    category = make_category(event, capacity=50)
    visitor = Visitor("10.6.0.1")

    statuses = []
    for number in range(REGISTER_LIMIT + 1):
        status, headers, _ = visitor.submit(
            servers[number % 2],
            servers[number % 2],
            "/register",
            {**FORM, "email": f"limite{number}@chu-exemple.fr", "category": category.id},
        )
        statuses.append(status)
    neighbour, _, _ = Visitor("10.6.0.2").submit(
        servers[0],
        servers[1],
        "/register",
        {**FORM, "email": "voisine@chu-exemple.fr", "category": category.id},
    )

    assert statuses == [302] * REGISTER_LIMIT + [429]
    assert int(headers["Retry-After"]) > 0
    assert neighbour == 302  # the limit is per address, not for everyone
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == (
        REGISTER_LIMIT + 1
    )


def _wait_for(port: int, path: str, text: str) -> tuple[str, dict[str, str]]:
    deadline = time.monotonic() + STAMP_WAIT_SECONDS
    while True:
        status, headers, body = Visitor("10.7.0.1").get(port, path)
        assert status == 200, (port, path, status)
        if text in body or time.monotonic() > deadline:
            return body, headers
        time.sleep(0.1)


def test_programme_change_reaches_the_cache_of_both_servers(servers, shared):
    event = make_event()
    talk = make_talk(event, "Titre initial de la session", starts_at=paris(1, "09:00"))
    paths = ["/programme", f"/sessions/{talk.slug}", "/programme.ics"]
    before: dict[tuple[int, str], str] = {}
    for path in paths:
        for port in (*servers, *servers):  # built by the first, then served from the cache
            body, headers = _wait_for(port, path, "Titre initial de la session")
            assert "Titre initial de la session" in body, (port, path)
            before[(port, path)] = headers["ETag"]
        assert before[(servers[0], path)] == before[(servers[1], path)]

    data = programme_services.talk_data(talk)
    data.title = "Titre révisé de la session"
    programme_services.update_talk(talk, data)

    for path in paths:
        for port in servers:
            body, headers = _wait_for(port, path, "Titre révisé de la session")
            assert "Titre révisé de la session" in body, (port, path)
            assert "Titre initial de la session" not in body, (port, path)
            assert headers["ETag"] != before[(port, path)]
