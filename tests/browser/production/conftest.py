"""The site as it is deployed, for the browser: nginx with TLS, both pools, a mail worker.

The first release's suite was green on the development server while, over HTTPS in
production mode, every form was refused. These fixtures run what the README's
"Production" section deploys, and nothing in-process:

- PostgreSQL (a schema of its own, built by ``flask db upgrade``: the migrations, not the
  models) with the demo edition loaded by ``flask congress seed-demo``;
- Redis (database 12) for the cache and the rate limits;
- the public and private gunicorn pools of ``gunicorn.conf.py``, ``CONGRESS_ENV=production``
  (``__Host-`` secure cookies, HSTS, strict CSRF), behind the proxy (``CONGRESS_PROXY_COUNT=1``);
- nginx from ``deploy/nginx.conf`` with TLS, a certificate made for the run;
- the mail worker (``flask congress send-mail --loop``) delivering over SMTP to a real
  server on loopback, from which the tests read the mails.

Without nginx, PostgreSQL or Redis the suite fails in CI and is skipped elsewhere,
saying which is missing; ``make test`` installs nginx like Chromium.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
from aiosmtpd.controller import Controller
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, BrowserContext
from sqlalchemy import create_engine, text

from deploy import local_stack
from tests.browser.conftest import DESKTOP
from tests.smtp import Collector

# One key for every process of the stack: both pools and the mail worker read the files.
FILES_KEY = Fernet.generate_key().decode()

PG_URL = os.environ.get(
    "CONGRESS_E2E_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = "redis://127.0.0.1:6379/12"
# Redis database 12 is one for the whole machine: runs of the suite take turns with it.
LOCK_PATH = Path(tempfile.gettempdir()) / "congress-tests-redis-12.lock"
DEMO_FIRST_DAY = date(2014, 4, 1)
ZONE = ZoneInfo("Europe/Paris")
MAIL_WAIT_SECONDS = 30.0
FLASK = (sys.executable, "-m", "flask", "--app", "wsgi")


@dataclass(slots=True)
class Site:
    """The running stack: its public address, its mailbox and how to run its CLI."""

    base_url: str
    collector: Collector
    env: dict[str, str]
    workdir: Path
    spki: str = ""  # base64 SHA-256 of the run's certificate's public key

    def flask(self, *args: str, stdin: str = "") -> str:
        """``flask --app wsgi ARGS`` against the site's database, as an operator runs it."""
        result = subprocess.run(
            [*FLASK, *args],
            cwd=local_stack.PROJECT_ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
        return result.stdout

    def mail_to(self, address: str, subject: re.Pattern[str]) -> EmailMessage:
        """The one mail to ``address`` whose subject matches, waiting for the worker."""
        deadline = time.monotonic() + MAIL_WAIT_SECONDS
        while True:
            found = [
                message
                for message in self.collector.messages()
                if message["To"] == address and subject.search(str(message["Subject"]))
            ]
            if found:
                assert len(found) == 1, [str(m["Subject"]) for m in found]
                return found[0]
            assert time.monotonic() < deadline, (
                f"no mail to {address} matching {subject.pattern} within {MAIL_WAIT_SECONDS} s; "
                f"received: {[(m['To'], str(m['Subject'])) for m in self.collector.messages()]}"
            )
            time.sleep(0.2)

    def link_in(self, message: EmailMessage, path_pattern: str) -> str:
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        links = re.findall(rf"{re.escape(self.base_url)}{path_pattern}", body.get_content())
        assert len(links) == 1, links
        return links[0]


def _missing_requirement() -> str | None:
    if local_stack.find_nginx() is None:
        return "nginx is not installed (make test installs Debian's nginx-light)"
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:
        return f"PostgreSQL does not answer at {PG_URL}: {type(error).__name__}"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:
        return f"Redis does not answer at {REDIS_URL}: {type(error).__name__}"
    return None


def _shift_edition_to_today(url: str) -> None:
    """Move the demo edition so that its first day is today.

    The desk checks people in on a day of the congress only, and the servers run on
    the real clock: the 2014 edition is moved, whole days, to start today.
    """
    days = (datetime.now(ZONE).date() - DEMO_FIRST_DAY).days
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE event SET first_day = first_day + :n, last_day = last_day + :n"),
                {"n": days},
            )
            connection.execute(
                text(
                    "UPDATE event SET"
                    " registration_opens_at = registration_opens_at + make_interval(days => :n),"
                    " registration_closes_at = registration_closes_at + make_interval(days => :n)"
                ),
                {"n": days},
            )
            connection.execute(
                text(
                    "UPDATE talk SET starts_at = starts_at + make_interval(days => :n),"
                    " ends_at = ends_at + make_interval(days => :n)"
                ),
                {"n": days},
            )
    finally:
        engine.dispose()


@contextlib.contextmanager
def _schema(name: str) -> Iterator[str]:
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {name}"))
        yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        admin.dispose()


@contextlib.contextmanager
def _redis_turn() -> Iterator[None]:
    with LOCK_PATH.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        client = redis.Redis.from_url(REDIS_URL)
        try:
            client.flushdb()
            yield
            client.flushdb()
        finally:
            client.close()
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def _mail_worker(env: dict[str, str], workdir: Path) -> Iterator[None]:
    log = workdir / "send-mail.log"
    with log.open("wb") as stream:
        worker = subprocess.Popen(
            [*FLASK, "congress", "send-mail", "--loop", "--interval", "0.5"],
            cwd=local_stack.PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stream,
            stderr=stream,
        )
    try:
        yield
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)


@pytest.fixture(scope="session")
def production_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    missing = _missing_requirement()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the production-shape suite cannot run in CI: {missing}")
        pytest.skip(f"production-shape suite skipped: {missing}")
    workdir = tmp_path_factory.mktemp("production")
    workdir.chmod(0o755)  # nginx's workers run as 'nobody'
    nginx = local_stack.find_nginx()
    assert nginx is not None
    port = local_stack.free_port()
    base_url = f"https://127.0.0.1:{port}"
    collector = Collector()
    smtp_port = local_stack.free_port()
    smtp = Controller(collector, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    with contextlib.ExitStack() as stack:
        stack.callback(smtp.stop)
        database_url = stack.enter_context(_schema(f"congress_e2e_{os.getpid()}"))
        stack.enter_context(_redis_turn())
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONGRESS_")}
        env.update(
            CONGRESS_ENV="production",
            CONGRESS_SECRET_KEY=secrets.token_urlsafe(48),
            CONGRESS_CFP_FILES_KEY=FILES_KEY,
            CONGRESS_DATABASE_URL=database_url,
            CONGRESS_CACHE_URL=REDIS_URL,
            CONGRESS_RATELIMIT_STORAGE_URL=REDIS_URL,
            CONGRESS_INSTANCE_PATH=str(workdir / "instance"),
            CONGRESS_BASE_URL=base_url,
            CONGRESS_PROXY_COUNT="1",
            CONGRESS_MAIL_SERVER="127.0.0.1",
            CONGRESS_MAIL_PORT=str(smtp_port),
        )
        site = Site(base_url, collector, env, workdir)
        site.flask("db", "upgrade")
        site.flask("congress", "seed-demo")
        _shift_edition_to_today(database_url)
        public = stack.enter_context(local_stack.gunicorn_pool("public", env, workdir, workers=2))
        private = stack.enter_context(local_stack.gunicorn_pool("private", env, workdir, workers=2))
        stack.enter_context(_mail_worker(env, workdir))
        # nginx's workers run as 'nobody' and write request bodies over 16 KiB (an
        # uploaded PDF) and cached pages under this folder: it must not sit under
        # pytest's temporary root, which only its owner may enter.
        site_dir = Path(tempfile.mkdtemp(prefix="congress-nginx-"))
        stack.callback(shutil.rmtree, site_dir, ignore_errors=True)
        site_dir.chmod(0o755)
        config, _ = local_stack.derive_nginx_config(
            local_stack.NGINX_CONF.read_text(),
            nginx,
            port=port,
            upstream=public.port,
            private_upstream=private.port,
            workdir=site_dir,
            tls=(certificate := local_stack.self_signed_certificate(site_dir)),
        )
        site.spki = _spki_hash(certificate.certificate)
        config_path = site_dir / "nginx.conf"
        config_path.write_text(config)
        local_stack.check_nginx_config(nginx, config_path)
        stack.enter_context(local_stack.nginx_server(nginx, config_path, port, tls=True))
        yield site


def _spki_hash(certificate_path: Path) -> str:
    """The pin Chromium's ``--ignore-certificate-errors-spki-list`` takes for a certificate."""
    import base64
    import hashlib

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    public_key = x509.load_pem_x509_certificate(certificate_path.read_bytes()).public_key()
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


@pytest.fixture(scope="session")
def production_browser(browser: Browser, production_site: Site) -> Iterator[Browser]:
    """Chromium trusting the run's certificate, and that certificate only.

    A context's ``ignore_https_errors`` is not enough for a service worker:
    Chromium refuses to register one whose script came over a certificate it
    does not trust. Pinning the run's public key is what a real deployment's
    valid certificate gives; every other certificate is still checked.
    """
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    pinned = f"--ignore-certificate-errors-spki-list={production_site.spki}"
    instance = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, pinned]
    )
    yield instance
    instance.close()


@pytest.fixture
def visitor(production_browser: Browser, production_site: Site) -> Iterator[BrowserContext]:
    """A fresh browser profile on the site; the run's own certificate is accepted here only."""
    context = production_browser.new_context(
        base_url=production_site.base_url,
        viewport=DESKTOP,
        locale="fr-FR",
        ignore_https_errors=True,
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()
