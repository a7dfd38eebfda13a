"""Timing of ``POST /register`` for unknown and known addresses: prints, never asserts.

Why it exists: the registration form must not tell a visitor whether an address
is already registered. The page and status are the same for everyone; this
script checks the other channel, the answer time. It measures, in process
through the Flask test client (so network noise stays out), the POST of the
form for:

* unknown addresses (a new pending registration is created);
* known addresses whose registration is still pending (the newer details are
  taken, a second confirmation link is sent);
* known addresses whose registration is confirmed (the stored details are
  kept, the private link is sent).

Each POST carries the CSRF token read from the form page fetched just before
it (that GET is not timed). After a warm-up of each kind, the timed requests
are interleaved (unknown, pending, unknown, confirmed, ...) so a slow spell of
the shared machine hits every kind alike. The figures are informational: the
check is that the means of known and unknown differ by well under 2 ms; the
exit code only says whether the run completed.

The database is a fresh SQLite file by default, or PostgreSQL with
``--postgres [URL]`` (or ``CONGRESS_BENCH_DATABASE_URL``); the PostgreSQL
database (``congress_register_bench`` by default) is dropped and created anew,
then dropped at the end.

Run with ``.venv/bin/python bench/register_timing.py [--postgres]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy
from cryptography.fernet import Fernet
from sqlalchemy import event as sa_event

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from harness import database_label, fresh_pg_database, run, say  # noqa: E402

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/congress_register_bench"
ENV_URL = "CONGRESS_BENCH_DATABASE_URL"
BASE = "https://congress.bench"
FIRST_DAY = date(2031, 4, 1)
LAST_DAY = date(2031, 4, 3)
# Over HTTPS, Flask-WTF checks that the POST comes from the site's own page, as a browser says.
REFERER = {"Referer": f"{BASE}/register"}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CONFIRM_PATH = re.compile(r"/register/confirm/([A-Za-z0-9_-]+)")
TARGET_MS = 2.0
# A shared machine stalls now and then (another process's fsync or CPU burst):
# one such request moves a mean of 50 by milliseconds, so a trimmed mean is shown too.
TRIM = 0.1
UNKNOWN, PENDING, CONFIRMED = "unknown", "known, pending", "known, confirmed"


# --------------------------------------------------------------------------- databases


@contextlib.contextmanager
def fresh_database(pg_url: str | None, workdir: Path) -> Iterator[str]:
    """Yield the URL of an empty database; drop it afterwards."""
    if pg_url is None:
        yield f"sqlite:///{workdir / 'register-timing.sqlite'}"
        return
    with fresh_pg_database(pg_url) as url:
        yield url


# --------------------------------------------------------------------------- set-up


@dataclass
class Edition:
    category_id: int
    known_pending: list[str]
    known_confirmed: list[str]


def configure_process_env(workdir: Path) -> None:
    """Production mode with a throw-away key and instance (templates cached, as served)."""
    os.environ["CONGRESS_ENV"] = "production"
    os.environ["CONGRESS_SECRET_KEY"] = secrets.token_urlsafe(36)
    os.environ["CONGRESS_CFP_FILES_KEY"] = Fernet.generate_key().decode()
    os.environ["CONGRESS_INSTANCE_PATH"] = str(workdir / "instance")
    for name in ("CONGRESS_DATABASE_URL", "CONGRESS_CACHE_URL", "CONGRESS_RATELIMIT_STORAGE_URL"):
        os.environ.pop(name, None)


def seed(known_each: int) -> Edition:
    """An open edition, one roomy category, and the known addresses through the services."""
    from congress.edition.models import Event
    from congress.extensions import db
    from congress.registration import services
    from congress.registration.models import JobRole, OrganisationType, TicketCategory

    event = Event(
        slug="timing",
        name="Congrès de mesure",
        acronym="MESURE",
        venue="Centre des congrès",
        address="1 rue de la Paix",
        city="Le Mans",
        timezone="Europe/Paris",
        first_day=FIRST_DAY,
        last_day=LAST_DAY,
    )
    category = TicketCategory(
        event=event, slug="hopitaux", name="Hôpitaux", price_cents=28000, capacity=100_000
    )
    db.session.add_all([event, category])
    db.session.commit()

    def data(email: str) -> Any:
        return services.RegistrationData(
            first_name="Marie",
            last_name="Curie",
            email=email,
            organisation="CHU d'Exemple",
            organisation_type=OrganisationType.PUBLIC_HOSPITAL,
            job_role=JobRole.CISO,
            category_id=category.id,
            days=[FIRST_DAY],
            privacy_consent=True,
        )

    pending = [f"pending{i}@chu-exemple.fr" for i in range(known_each)]
    confirmed = [f"confirmed{i}@chu-exemple.fr" for i in range(known_each)]
    for email in pending:
        services.register(event, data(email), language="fr")
    for email in confirmed:
        registration = services.register(event, data(email), language="fr")
        if registration is None:
            raise SystemExit(f"{email} was not registered as a new address")
        # The link as the e-mail gives it.
        token = CONFIRM_PATH.search(_last_confirm_mail(registration.id))
        if token is None:
            raise SystemExit(f"no confirmation link queued for {email}")
        services.confirm(token.group(1))
    return Edition(category.id, pending, confirmed)


def _last_confirm_mail(registration_id: int) -> str:
    """The text of the latest confirmation e-mail queued for a registration."""
    from congress.extensions import db
    from congress.mail.models import OutboxMessage

    return (
        db.session.scalars(
            db.select(OutboxMessage.body_text)
            .where(
                OutboxMessage.registration_id == registration_id, OutboxMessage.kind == "confirm"
            )
            .order_by(OutboxMessage.id.desc())
        ).first()
        or ""
    )


# --------------------------------------------------------------------------- timing


@dataclass
class Figures:
    times_ms: dict[str, list[float]] = field(default_factory=dict)
    # CPU time of this thread during the POST: the application's own work (and
    # SQLite's, which runs in process), blind to waits for the disk, the
    # PostgreSQL server or another process holding the CPU.
    cpu_ms: dict[str, list[float]] = field(default_factory=dict)
    statements: dict[str, set[int]] = field(default_factory=dict)


class StatementCounter:
    def __init__(self, engine: sqlalchemy.Engine) -> None:
        self.engine = engine
        self.count = 0
        sa_event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, *_args: Any) -> None:
        self.count += 1

    def remove(self) -> None:
        sa_event.remove(self.engine, "before_cursor_execute", self._on_execute)


def post_form(
    client: Any, category_id: int, email: str, counter: StatementCounter
) -> tuple[float, float, int]:
    """GET the form (untimed), then POST it; returns (wall ms, CPU ms, statements)."""
    page = client.get("/register", base_url=BASE)
    found = CSRF.search(page.get_data(as_text=True))
    if page.status_code != 200 or found is None:
        raise SystemExit(f"GET /register answered {page.status_code} without a CSRF token")
    form = {
        "csrf_token": found.group(1),
        "first_name": "Louise",
        "last_name": "Martin",
        "email": email,
        "organisation": "Clinique du Parc",
        "organisation_type": "private_clinic",
        "job_role": "dpo",
        "category": str(category_id),
        "days": [FIRST_DAY.isoformat(), LAST_DAY.isoformat()],
        "privacy_consent": "y",
    }
    before = counter.count
    cpu_started = time.thread_time()
    started = time.perf_counter()
    response = client.post("/register", data=form, base_url=BASE, headers=REFERER)
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (time.thread_time() - cpu_started) * 1000
    if response.status_code != 302 or not response.headers["Location"].endswith("/register/sent"):
        raise SystemExit(f"POST /register for {email} answered {response.status_code}")
    return elapsed, cpu, counter.count - before


Planned = list[tuple[str, str]]


def plan(edition: Edition, requests: int, warmup: int) -> tuple[Planned, Planned]:
    """Warm-up and timed (kind, address) lists, interleaved unknown / known."""
    pending = iter(edition.known_pending)
    confirmed = iter(edition.known_confirmed)

    def known(index: int) -> tuple[str, str]:
        return (PENDING, next(pending)) if index % 2 == 0 else (CONFIRMED, next(confirmed))

    warm: Planned = []
    for i in range(warmup):
        warm += [(UNKNOWN, f"warm{i}@chu-exemple.fr"), known(i)]
    timed: Planned = []
    for i in range(requests):
        timed += [(UNKNOWN, f"new{i}@chu-exemple.fr"), known(i)]
    return warm, timed


def measure(app: Any, edition: Edition, requests: int, warmup: int) -> Figures:
    from congress.extensions import db

    with app.app_context():
        engine = db.engine
    counter = StatementCounter(engine)
    client = app.test_client()
    figures = Figures()
    warm, timed = plan(edition, requests, warmup)
    try:
        for _kind, email in warm:
            post_form(client, edition.category_id, email, counter)
        for kind, email in timed:
            elapsed, cpu, statements = post_form(client, edition.category_id, email, counter)
            figures.times_ms.setdefault(kind, []).append(elapsed)
            figures.cpu_ms.setdefault(kind, []).append(cpu)
            figures.statements.setdefault(kind, set()).add(statements)
    finally:
        counter.remove()
    return figures


# --------------------------------------------------------------------------- report


def trimmed_mean(values: Sequence[float], share: float = TRIM) -> float:
    """Mean without the ``share`` fastest and slowest requests (a stalled disk or CPU)."""
    cut = int(len(values) * share)
    kept = sorted(values)[cut : len(values) - cut]
    return statistics.fmean(kept)


def _row(label: str, values: Sequence[float], cpu: Sequence[float], statements: set[int]) -> str:
    counts = ",".join(str(n) for n in sorted(statements))
    return (
        f"  {label:<20} {len(values):>3}  mean {statistics.fmean(values):7.2f}  "
        f"trimmed {trimmed_mean(values):6.2f}  median {statistics.median(values):6.2f}  "
        f"stdev {statistics.pstdev(values):6.2f}  min {min(values):6.2f}  "
        f"max {max(values):7.2f}  cpu {statistics.fmean(cpu):6.2f}  statements {counts}"
    )


def report(figures: Figures) -> None:
    unknown = figures.times_ms[UNKNOWN]
    known = figures.times_ms[PENDING] + figures.times_ms[CONFIRMED]
    known_statements = figures.statements[PENDING] | figures.statements[CONFIRMED]
    say(
        "POST /register, milliseconds per request: answer time (wall clock) and, as cpu, "
        "the mean CPU time of the request in this process"
    )
    cpu_unknown = figures.cpu_ms[UNKNOWN]
    cpu_known = figures.cpu_ms[PENDING] + figures.cpu_ms[CONFIRMED]
    say(_row(UNKNOWN, unknown, cpu_unknown, figures.statements[UNKNOWN]))
    say(_row("known (all)", known, cpu_known, known_statements))
    for kind in (PENDING, CONFIRMED):
        times, cpu = figures.times_ms[kind], figures.cpu_ms[kind]
        say(_row(f"  {kind}", times, cpu, figures.statements[kind]))
    mean_gap = statistics.fmean(known) - statistics.fmean(unknown)
    trimmed_gap = trimmed_mean(known) - trimmed_mean(unknown)
    median_gap = statistics.median(known) - statistics.median(unknown)
    say(
        f"difference known - unknown: mean {mean_gap:+.2f} ms, "
        f"trimmed mean {trimmed_gap:+.2f} ms, median {median_gap:+.2f} ms"
    )
    say(
        f"target |mean difference| < {TARGET_MS:g} ms: "
        f"mean {'yes' if abs(mean_gap) < TARGET_MS else 'no'}, "
        f"trimmed mean {'yes' if abs(trimmed_gap) < TARGET_MS else 'no'} "
        f"(trimmed: without the {TRIM:.0%} fastest and {TRIM:.0%} slowest of each side)"
    )
    say(
        "CPU time of the request in this process (SQLite's work included, the PostgreSQL "
        "server's not): "
        f"unknown mean {statistics.fmean(cpu_unknown):.2f} ms, "
        f"known mean {statistics.fmean(cpu_known):.2f} ms, "
        f"difference {statistics.fmean(cpu_known) - statistics.fmean(cpu_unknown):+.2f} ms"
    )


# --------------------------------------------------------------------------- main


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load: a busy shared machine blurs every figure."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=os.environ.get(ENV_URL) or DEFAULT_PG_URL,
        default=os.environ.get(ENV_URL) or None,
        metavar="URL",
        help=f"PostgreSQL instead of SQLite (default URL: ${ENV_URL} or {DEFAULT_PG_URL})",
    )
    parser.add_argument("--requests", type=int, default=50, help="timed POSTs of each kind")
    parser.add_argument("--warmup", type=int, default=10, help="untimed POSTs of each kind first")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    started = time.perf_counter()
    say(f"load average at start: {load_average()} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="congress-register-timing-") as tmp:
        workdir = Path(tmp)
        configure_process_env(workdir)
        from congress import create_app
        from congress.extensions import db

        with fresh_database(options.postgres, workdir) as url:
            say(f"database: {database_label(url)}")
            say(
                f"{options.requests} timed POSTs per kind (unknown and known), "
                f"after {options.warmup} warm-up POSTs per kind, interleaved"
            )
            # One client address sends everything: the per-address limit is off here.
            app = create_app(
                {"SQLALCHEMY_DATABASE_URI": url, "CACHE_URL": "", "RATELIMIT_ENABLED": False}
            )
            try:
                with app.app_context():
                    db.create_all()
                    # Half of the known addresses are pending, half confirmed.
                    known_each = options.requests // 2 + options.warmup // 2 + 1
                    edition = seed(known_each)
                figures = measure(app, edition, options.requests, options.warmup)
            finally:
                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()
    report(figures)
    say(f"load average at end: {load_average()}")
    say(f"total time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    run(main)
