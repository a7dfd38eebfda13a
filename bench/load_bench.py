"""Production-shaped load benchmark: prints figures, never asserts timings.

Why it exists: the scale-out design (``gunicorn.conf.py``, ``deploy/nginx.conf``)
promises that public pages and feeds cost little more than ``/livez``, that a
registration rush cannot oversell a category nor lose or double an e-mail, and
that a database restart costs a retry page rather than a 500. The test suite
checks the rules on small numbers; this script measures them under load on one
machine and prints a summary of the targets as PASS/MISS (informational: the
exit code only says whether the run completed).

What it does, on loopback only, in about five minutes:

0. creates a PostgreSQL database (``congress_load``, dropped at the end), runs the
   migrations, seeds the demo edition and sets one ticket category to 300 seats;
   starts the two gunicorn pools of ``gunicorn.conf.py`` (``public`` and
   ``private``) in production mode (random secret key, Redis database 14 for the
   cache and the rate limits). All clients share
   127.0.0.1, so the per-address limits of ``/register`` and the token pages are
   raised for the run (said in the output);
1. (a) floods ``/programme``, ``/programme.ics`` and a session page with wrk
   (64 connections), between two runs of ``/livez``, the ceiling;
2. (b) while wrk keeps flooding those pages, 500 visitors register (form page,
   then POST with its CSRF token) and then confirm (the link read from the
   outbox, its page, then POST); then checks the counts in the database. As
   ``deploy/nginx.conf`` routes them, the pages go to the public pool and the
   forms to the private one (``--one-pool``: everything to the public pool);
3. (c) puts nginx in front, with a configuration derived from
   ``deploy/nginx.conf`` (loopback port, no TLS, this gunicorn, the project's
   ``static/``, a temporary cache), and compares each page through it with the
   same nginx serving a static file of the same size;
4. (d) restarts the local PostgreSQL cluster during a short flood (root and a
   local cluster only) and counts the answers before, during and after.

Helpers (database creation, gunicorn stop, wrk runs and parsing) come from
``bench/programme_bench.py``. Run with ``make bench-load`` or
``.venv/bin/python bench/load_bench.py --help``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import math
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import programme_bench as pb
import sqlalchemy
from cryptography.fernet import Fernet
from harness import PROTECTED_DATABASES, connected, run
from sqlalchemy import text
from sqlalchemy.engine import make_url

from deploy import local_stack  # importable once programme_bench has put the root on the path

# Both pools read the call for papers' files with the same key.
FILES_KEY = Fernet.generate_key().decode()

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/congress_load"
REDIS_URL = "redis://127.0.0.1:6379/14"
# Every client of this benchmark is 127.0.0.1: the production limits per address
# (10 registrations a minute, 120 token pages a minute) would stop the rush at once.
RUSH_LIMIT = "1000000 per minute"
SEATS = 300
LIVEZ = "/livez"
PAGES = ("/programme", "/programme.ics")
TARGET_LIVEZ_RATIO = 0.80
TARGET_NGINX_RATIO = 0.50
TARGET_P99_MS = 100.0
RUSH_TIMEOUT = 300.0
CONFIRM_PATH = re.compile(r"/register/confirm/[A-Za-z0-9_-]+")
EXCEPTION_AT_LINE_START = re.compile(
    r"^(?:[A-Za-z_]\w*(?:\.\w+)+|[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt)): "
)
TOKEN_IN_PATH = re.compile(r"(/r/|/register/confirm/)[A-Za-z0-9_-]+")
ACCESS_STATUS = re.compile(r'" (\d{3}) ')
FORM = {
    "first_name": "Camille",
    "last_name": "Lefèvre",
    "organisation": "CHU de Rennes",
    "organisation_type": "public_hospital",
    "job_role": "ciso",
    "days": ["2014-04-01", "2014-04-02"],
    "privacy_consent": "y",
}
RUSH_STEPS = ("GET /register", "POST /register", "GET confirm page", "POST confirm")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

say = pb.say


# --------------------------------------------------------------------------- options


@dataclass(slots=True)
class Options:
    pg_url: str
    duration: int
    connections: int
    wrk_threads: int
    registrations: int
    clients: int
    workers: int
    parts: str
    keep_log: str
    private_workers: int
    one_pool: bool
    replay: bool


def parse_args(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        description="Load benchmark through gunicorn and nginx (prints figures, asserts nothing)."
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("CONGRESS_LOAD_DATABASE_URL", DEFAULT_PG_URL),
        help="PostgreSQL database to create and drop (default: %(default)s)",
    )
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run (default 8)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (64)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--registrations", type=int, default=500, help="rush size (500)")
    parser.add_argument("--clients", type=int, default=24, help="concurrent rush clients (24)")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="workers of the public pool (default: gunicorn.conf.py's)",
    )
    parser.add_argument(
        "--private-workers",
        type=int,
        default=0,
        help="workers of the private pool (default: gunicorn.conf.py's)",
    )
    parser.add_argument(
        "--one-pool",
        action="store_true",
        help="no private pool: the rush goes to the public pool too (the shape before the split)",
    )
    parser.add_argument(
        "--no-replay",
        action="store_true",
        help="both pools without the replay layer (CONGRESS_CACHE_REPLAY=0), to measure what it "
        "earns",
    )
    parser.add_argument(
        "--parts",
        default="abcd",
        help="which parts to run: a flood, b rush, c nginx, d PostgreSQL restart (root only); "
        "default %(default)s",
    )
    parser.add_argument(
        "--keep-log",
        default="",
        help="copy the public pool's gunicorn log (tokens unmasked) to this file",
    )
    args = parser.parse_args(argv)
    if not args.parts or set(args.parts) - set("abcd"):
        parser.error("--parts takes letters among a, b, c and d")
    if min(args.duration, args.connections, args.registrations, args.clients) < 1:
        parser.error("--duration, --connections, --registrations and --clients must be positive")
    name = make_url(args.pg_url).database or ""
    if not name or name in PROTECTED_DATABASES:
        parser.error(f"refusing database {name!r}: give the benchmark a database of its own")
    return Options(
        pg_url=args.pg_url,
        duration=args.duration,
        connections=args.connections,
        wrk_threads=args.wrk_threads,
        registrations=args.registrations,
        clients=args.clients,
        workers=args.workers,
        parts=args.parts,
        keep_log=args.keep_log,
        private_workers=args.private_workers,
        one_pool=args.one_pool,
        replay=not args.no_replay,
    )


# --------------------------------------------------------------------------- set-up


@dataclass(slots=True)
class Edition:
    category_id: int
    category_name: str
    session_path: str


def prepare_database(url: str) -> Edition:
    """Migrations (as ``make serve-prod``), the demo edition, one category of 300 seats."""
    from flask_migrate import upgrade

    from congress import create_app
    from congress.extensions import db
    from congress.interchange.demo import seed_demo
    from congress.migrations_support import enable_migrations
    from congress.programme.models import Talk, TalkKind, TalkStatus
    from congress.registration.models import TicketCategory

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "CACHE_URL": ""})
    enable_migrations(app)
    try:
        with app.app_context():
            upgrade()
            seed_demo()
            category = db.session.scalars(
                db.select(TicketCategory)
                .where(TicketCategory.public.is_(True))
                .order_by(TicketCategory.position)
            ).first()
            assert category is not None, "the demo edition has no public category"
            category.capacity = SEATS
            db.session.commit()
            talk = db.session.scalars(
                db.select(Talk)
                .where(Talk.status == TalkStatus.CONFIRMED, Talk.kind == TalkKind.TALK)
                .order_by(Talk.starts_at, Talk.id)
            ).first()
            assert talk is not None, "the demo edition has no confirmed talk"
            return Edition(category.id, category.name, f"/sessions/{talk.slug}")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@contextlib.contextmanager
def gunicorn(
    url: str, workdir: Path, workers: int, pool: str, replay: bool = True
) -> Iterator[local_stack.Server]:
    """One pool of the project's ``gunicorn.conf.py`` (production mode); always stopped."""
    env = {
        "CONGRESS_ENV": "production",
        "CONGRESS_SECRET_KEY": secrets.token_urlsafe(48),
        "CONGRESS_CFP_FILES_KEY": FILES_KEY,
        "CONGRESS_DATABASE_URL": url,
        "CONGRESS_CACHE_URL": REDIS_URL,
        "CONGRESS_RATELIMIT_STORAGE_URL": REDIS_URL,
        "CONGRESS_RATELIMIT_REGISTER": RUSH_LIMIT,
        "CONGRESS_RATELIMIT_TOKEN_PAGES": RUSH_LIMIT,
        "CONGRESS_INSTANCE_PATH": str(workdir / f"instance-{pool}"),
        "CONGRESS_CACHE_REPLAY": "1" if replay else "0",
    }
    with local_stack.gunicorn_pool(pool, env, workdir, workers=workers) as server:
        yield server


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (0 for no value)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


# --------------------------------------------------------------------------- (a) flood


@dataclass(slots=True)
class Flood:
    figures: list[pb.LoadFigure]
    ceiling: float


def flood(server: local_stack.Server, wrk: str, urls: Sequence[str], options: Options) -> Flood:
    """``/livez``, each page, ``/livez``: the ceiling is the mean of the two ``/livez`` runs."""
    figures = []
    for url in (LIVEZ, *urls, LIVEZ):
        pb.wait_until_idle(server)
        status, size = local_stack.http_get(server.port, url, timeout=60)
        figure = pb.run_wrk(
            wrk, server.port, url, options.duration, options.wrk_threads, options.connections
        )
        figure.warm_status, figure.body_size = status, size
        figures.append(figure)
    livez = [f.rps for f in figures if f.url == LIVEZ and f.rps]
    return Flood(figures, statistics.fmean(livez) if livez else 0.0)


def print_flood(result: Flood, title: str) -> None:
    say(title)
    pb.table(
        ("url", "first GET", "body", "req/s", "of /livez", "p50", "p99", "errors"),
        [
            (
                f.url,
                str(f.warm_status or "-"),
                pb.human_bytes(f.body_size),
                f"{f.rps:,.0f}",
                f"{f.rps / result.ceiling:.0%}" if result.ceiling else "-",
                f"{f.p50_ms:.2f} ms",
                f"{f.p99_ms:.2f} ms",
                f.errors,
            )
            for f in result.figures
        ],
    )


# --------------------------------------------------------------------------- (b) rush


class Visitor:
    """One browser over plain HTTP: its own cookies, a new connection per request.

    The production session cookie is ``Secure`` (``__Host-session``): a browser
    sends it only over HTTPS, which nginx terminates; this client sends it over
    loopback HTTP as the app receives it behind the proxy. A fresh connection
    per request means a POST is never retried on a connection the server closed.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, object] | None = None
    ) -> tuple[int, str, str]:
        headers = {"Accept-Language": "fr"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.headers.get("Location", ""), page
        finally:
            connection.close()


@dataclass(slots=True)
class Timings:
    """Latency (ms) and outcome of every request of one kind in the rush."""

    ms: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float, outcome: str) -> None:
        with self.lock:
            self.ms.append(ms)
            self.statuses[outcome] += 1


@dataclass(slots=True)
class Rush:
    steps: dict[str, Timings]
    seconds: dict[str, float]
    submitted: int
    confirmed_ok: int
    errors: Counter[str]
    counts: dict[str, int] = field(default_factory=dict)
    seats_taken: int = 0
    lost_mail: int = 0
    doubled_mail: int = 0
    other_mail: Counter[str] = field(default_factory=Counter)


def _timed(
    timings: Timings, expected: int, call: Callable[[], tuple[int, str, str]]
) -> tuple[int, str, str]:
    started = time.perf_counter()
    try:
        status, location, page = call()
    except Exception as error:
        timings.add((time.perf_counter() - started) * 1000, type(error).__name__)
        raise
    timings.add((time.perf_counter() - started) * 1000, str(status))
    if status != expected:
        raise RuntimeError(f"HTTP {status}, expected {expected}")
    return status, location, page


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    if found is None:
        raise RuntimeError("no CSRF token in the form page")
    return found.group(1)


def registration_rush(port: int, edition: Edition, url: str, options: Options) -> Rush:
    """Register ``options.registrations`` visitors, then confirm each, ``clients`` at a time."""
    steps = {name: Timings() for name in RUSH_STEPS}
    errors: Counter[str] = Counter()
    seconds: dict[str, float] = {}
    emails = [f"ruee{number:04d}@chu-exemple.fr" for number in range(options.registrations)]

    def register(email: str) -> bool:
        visitor = Visitor(port)
        _, _, page = _timed(
            steps["GET /register"], 200, lambda: visitor.request("GET", "/register")
        )
        form = {**FORM, "email": email, "category": edition.category_id, "csrf_token": _csrf(page)}
        _, location, _ = _timed(
            steps["POST /register"], 302, lambda: visitor.request("POST", "/register", form)
        )
        return location.endswith("/register/sent")

    def confirm(path: str) -> bool:
        visitor = Visitor(port)
        _, _, page = _timed(steps["GET confirm page"], 200, lambda: visitor.request("GET", path))
        form = {"csrf_token": _csrf(page)}
        _, location, _ = _timed(
            steps["POST confirm"], 302, lambda: visitor.request("POST", path, form)
        )
        return "/r/" in location

    def run_all(work: Callable[[str], bool], items: Sequence[str], label: str) -> int:
        done = 0
        deadline = time.monotonic() + RUSH_TIMEOUT
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=options.clients) as pool:
            futures = [pool.submit(work, item) for item in items]
            for future in as_completed(futures):
                try:
                    done += bool(future.result(timeout=max(1.0, deadline - time.monotonic())))
                except Exception as error:
                    errors[f"{label}: {error}"[:120]] += 1
        seconds[label] = time.perf_counter() - started
        return done

    submitted = run_all(register, emails, "register")
    links = confirmation_links(url)
    missing = [email for email in emails if email not in links]
    if missing:
        errors[f"no confirmation link queued for {len(missing)} registrations"] += 1
    confirmed_ok = run_all(confirm, [links[e] for e in emails if e in links], "confirm")
    rush = Rush(steps, seconds, submitted, confirmed_ok, errors)
    check_counts(url, edition, rush)
    return rush


def confirmation_links(url: str) -> dict[str, str]:
    """The path of each address's confirmation link, from the outbox (what the e-mail says)."""
    with connected(url) as connection:
        rows = connection.execute(
            text("SELECT to_address, body_text FROM outbox_message WHERE kind = 'confirm'")
        ).all()
    links = {}
    for address, body in rows:
        found = CONFIRM_PATH.search(body)
        if found:
            links[address] = found.group(0)
    return links


def check_counts(url: str, edition: Edition, rush: Rush) -> None:
    """Statuses, seats taken, and the e-mails queued per registration and kind."""
    with connected(url) as connection:
        rush.counts = dict(
            connection.execute(
                text("SELECT status, count(*) FROM registration GROUP BY status")
            ).all()
        )
        rush.seats_taken = connection.execute(
            text("SELECT seats_taken FROM ticket_category WHERE id = :id"),
            {"id": edition.category_id},
        ).scalar_one()
        statuses = dict(connection.execute(text("SELECT id, status FROM registration")).all())
        queued = connection.execute(
            text(
                "SELECT registration_id, kind, count(*) FROM outbox_message "
                "GROUP BY registration_id, kind"
            )
        ).all()
    mail: dict[int | None, Counter[str]] = {}
    for registration_id, kind, count in queued:
        mail.setdefault(registration_id, Counter())[kind] = count
    for registration_id, status in statuses.items():
        wanted = {"confirm": 1}
        if status in {"confirmed", "waiting"}:
            wanted[status] = 1
        got = mail.pop(registration_id, Counter())
        for kind, count in wanted.items():
            rush.lost_mail += max(0, count - got[kind])
            rush.doubled_mail += max(0, got[kind] - count)
        for kind, count in got.items():
            if kind not in wanted:
                rush.other_mail[kind] += count
    for rest in mail.values():  # messages of no registration of this run
        rush.other_mail.update(rest)


def print_rush(rush: Rush, options: Options, one_pool: bool) -> None:
    say(
        f"(b) registration rush: {options.registrations} visitors, {options.clients} at a time, "
        "each GET /register then POST with its CSRF token; then each confirmation link "
        "(read from the outbox) GET then POST; wrk keeps flooding the pages meanwhile "
        + (
            "(--one-pool: forms and pages on the same pool)."
            if one_pool
            else "(forms to the private pool, pages to the public pool, as deploy/nginx.conf "
            "routes them)."
        )
    )
    rows = []
    for name, timings in rush.steps.items():
        phase = "register" if "register" in name else "confirm"
        wall = rush.seconds.get(phase, 0.0)
        rows.append(
            (
                name,
                str(len(timings.ms)),
                f"{len(timings.ms) / wall:,.1f}" if wall else "-",
                f"{percentile(timings.ms, 50):.1f} ms",
                f"{percentile(timings.ms, 99):.1f} ms",
                ", ".join(f"{k} x{v}" for k, v in sorted(timings.statuses.items())),
            )
        )
    pb.table(("request", "count", "req/s", "p50", "p99", "answers"), rows)
    for phase, wall in rush.seconds.items():
        done = rush.submitted if phase == "register" else rush.confirmed_ok
        say(
            f"  {phase}: {done} done in {wall:.1f} s ({done / wall if wall else 0:,.1f} per second)"
        )
    confirmed = rush.counts.get("confirmed", 0)
    waiting = rush.counts.get("waiting", 0)
    say(
        "  registrations by status: "
        + ", ".join(f"{k} {v}" for k, v in sorted(rush.counts.items()))
        + f"; submitted {rush.submitted}"
    )
    say(
        f"  confirmed + waiting = {confirmed + waiting} (submitted {rush.submitted}); "
        f"confirmed {confirmed} of {SEATS} seats; seats_taken {rush.seats_taken}; "
        f"oversold {max(0, confirmed - SEATS)}"
    )
    say(
        f"  e-mails queued: lost {rush.lost_mail}, doubled {rush.doubled_mail}, other kinds "
        f"{dict(rush.other_mail) or 'none'} (wanted per registration: one 'confirm' and one "
        "'confirmed' or 'waiting')"
    )
    say(f"  client errors: {dict(rush.errors) or 'none'}")


def flood_in_background(
    server: local_stack.Server,
    wrk: str,
    urls: Sequence[str],
    options: Options,
    stop: threading.Event,
) -> list[pb.LoadFigure]:
    """wrk over the pages in turn until ``stop``; the run in progress finishes."""
    figures: list[pb.LoadFigure] = []
    turn = 0
    while not stop.is_set():
        url = urls[turn % len(urls)]
        turn += 1
        figures.append(
            pb.run_wrk(
                wrk, server.port, url, options.duration, options.wrk_threads, options.connections
            )
        )
    return figures


# --------------------------------------------------------------------------- (c) nginx


NGINX_COLUMNS = ("url", "X-Cache-Status", "req/s", "p50", "p99", "static req/s",
                 "static p99", "ratio", "errors")  # fmt: skip


@dataclass(slots=True)
class NginxRow:
    url: str
    proxied: pb.LoadFigure
    static: pb.LoadFigure
    cache_status: str


def _header(port: int, path: str, name: str) -> str:
    """One header of a GET sent as wrk sends it: without ``Accept-Encoding``.

    The app answers ``Vary: Accept-Encoding``, so nginx keeps one copy per value
    of that header; http.client would add ``identity`` and fill a copy that wrk
    never asks for. wrk's first requests then found no copy and waited on
    ``proxy_cache_lock`` (nginx looks again every 500 ms), which put a p99 of
    about 400 ms on every "HIT" row.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.headers.get(name, "-")
    finally:
        connection.close()


def behind_nginx(
    server: local_stack.Server,
    private: local_stack.Server,
    wrk: str,
    nginx: str,
    urls: Sequence[str],
    workdir: Path,
    options: Options,
) -> tuple[list[NginxRow], list[str]]:
    base = workdir / "nginx"
    base.mkdir()
    same_size = base / "same-size"
    same_size.mkdir()
    # Workers drop root for 'nobody': they must reach the files and the directories.
    for path in (workdir, base, same_size):
        path.chmod(0o755)
    names = {}
    for url in urls:
        _, size = local_stack.http_get(server.port, url, timeout=60)
        suffix = ".ics" if url.endswith(".ics") else ".html"
        name = re.sub(r"[^A-Za-z0-9]+", "-", url).strip("-") + suffix
        (same_size / name).write_bytes(b"x" * size)
        (same_size / name).chmod(0o644)
        names[url] = name
    rows: list[NginxRow] = []
    directory = base / "site"
    directory.mkdir()
    directory.chmod(0o755)
    port = local_stack.free_port()
    config, changes = local_stack.derive_nginx_config(
        local_stack.NGINX_CONF.read_text(),
        nginx,
        port=port,
        upstream=server.port,
        private_upstream=private.port,
        workdir=directory,
        same_size_dir=same_size,
        relax_limits=True,
    )
    config_path = directory / "nginx.conf"
    config_path.write_text(config)
    local_stack.check_nginx_config(nginx, config_path)
    with local_stack.nginx_server(nginx, config_path, port):
        for url in urls:
            pb.wait_until_idle(server)
            _header(port, url, "X-Cache-Status")  # fills nginx's cache, if it caches
            cache_status = _header(port, url, "X-Cache-Status")
            proxied = pb.run_wrk(
                wrk, port, url, options.duration, options.wrk_threads, options.connections
            )
            static = pb.run_wrk(
                wrk,
                port,
                f"/__same-size/{names[url]}",
                options.duration,
                options.wrk_threads,
                options.connections,
            )
            rows.append(NginxRow(url, proxied, static, cache_status))
    return rows, changes


def print_nginx(rows: Sequence[NginxRow], changes: Sequence[str], options: Options) -> None:
    say(
        f"(c) behind nginx (config derived from deploy/nginx.conf), wrk -t{options.wrk_threads} "
        f"-c{options.connections} -d{options.duration}s; 'static' is the same nginx serving a "
        "file of the page's size; nginx's cache is filled first by one request sent as wrk "
        "sends them (no Accept-Encoding):"
    )
    for change in changes:
        say(f"  - {change}")
    pb.table(
        NGINX_COLUMNS,
        [
            (
                row.url,
                row.cache_status,
                f"{row.proxied.rps:,.0f}",
                f"{row.proxied.p50_ms:.2f} ms",
                f"{row.proxied.p99_ms:.2f} ms",
                f"{row.static.rps:,.0f}",
                f"{row.static.p99_ms:.2f} ms",
                f"{row.proxied.rps / row.static.rps:.0%}" if row.static.rps else "-",
                f"{row.proxied.errors} / {row.static.errors}",
            )
            for row in rows
        ],
    )


# --------------------------------------------------------------------------- (d) restart


@dataclass(slots=True)
class Answer:
    sent: float
    received: float
    path: str
    status: str
    retry_after: str


@dataclass(slots=True)
class Restart:
    skipped: str = ""
    command: str = ""
    started: float = 0.0
    ended: float = 0.0
    returncode: int = 0
    answers: list[Answer] = field(default_factory=list)
    master_before: int = 0
    master_after_alive: bool = False


def local_cluster(pg_url: str) -> tuple[list[str], str]:
    """The restart command of the local cluster behind ``pg_url``, or why there is none."""
    if os.geteuid() != 0:
        return [], "not root: restarting PostgreSQL needs root"
    if shutil.which("pg_ctlcluster") is None or shutil.which("pg_lsclusters") is None:
        return [], "pg_ctlcluster not found: not a Debian PostgreSQL cluster"
    url = make_url(pg_url)
    if (url.host or "localhost") not in {"127.0.0.1", "localhost", "::1"}:
        return [], f"database host {url.host} is not local"
    versions = sorted(p.name for p in Path("/etc/postgresql").glob("*") if p.is_dir())
    if len(versions) != 1:
        return [], f"expected one PostgreSQL version in /etc/postgresql, found {versions}"
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=False
    ).stdout
    port = str(url.port or 5432)
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[:3] == [versions[0], "main", port] and parts[3] == "online":
            return (
                ["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "restart"],
                "",
            )
    return [], f"no online cluster {versions[0]}/main on port {port} (pg_lsclusters: {listing!r})"


def restart_during_flood(server: local_stack.Server, paths: Sequence[str], pg_url: str) -> Restart:
    """Python clients loop over ``paths`` while the cluster restarts; every answer is kept."""
    command, reason = local_cluster(pg_url)
    result = Restart(skipped=reason, command=" ".join(command))
    if not command:
        return result
    result.master_before = server.master_pid
    stop = threading.Event()
    lock = threading.Lock()

    def client(offset: int) -> None:
        turn = offset
        while not stop.is_set():
            path = paths[turn % len(paths)]
            turn += 1
            sent = time.monotonic()
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status, retry = str(response.status), response.headers.get("Retry-After", "")
            except Exception as error:
                status, retry = type(error).__name__, ""
            finally:
                connection.close()
            with lock:
                result.answers.append(Answer(sent, time.monotonic(), path, status, retry))

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(12)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2.0)
        result.started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        result.ended = time.monotonic()
        result.returncode = done.returncode
        time.sleep(5.0)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=40)
        url = make_url(pg_url)
        ready = ["pg_isready", "-q", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432)]
        if subprocess.run(ready, check=False).returncode != 0:
            subprocess.run([*command[:-1], "start"], check=False, timeout=120)
    result.master_after_alive = server.process.poll() is None
    return result


def _phase(result: Restart, answer: Answer) -> str:
    """Before: answered before the restart began; after: sent once it was over."""
    if answer.received < result.started:
        return "before"
    if answer.sent >= result.ended:
        return "after"
    return "during"


def masked(path: str) -> str:
    """A path as the logs show it: capability tokens are not printed."""
    return TOKEN_IN_PATH.sub(r"\1…", path)


def print_restart(result: Restart) -> None:
    if not result.command or result.skipped:
        say(f"(d) PostgreSQL restart: skipped ({result.skipped})")
        return
    say(
        f"(d) PostgreSQL restart during a flood (12 Python clients): `{result.command}` "
        f"took {result.ended - result.started:.1f} s (exit {result.returncode}); answers by "
        "phase (before: answered before the restart began; after: sent once it was over; "
        "during: the rest) and status:"
    )
    grouped: dict[tuple[str, str], Counter[str]] = {}
    for answer in result.answers:
        grouped.setdefault((_phase(result, answer), answer.path), Counter())[answer.status] += 1
    rows = []
    for phase in ("before", "during", "after"):
        for path in sorted({p for (ph, p) in grouped if ph == phase}):
            counts = grouped[(phase, path)]
            shown = ", ".join(f"{s} x{n}" for s, n in sorted(counts.items()))
            rows.append((phase, masked(path), shown))
    pb.table(("phase", "path", "answers"), rows)
    retry = Counter((a.path, a.retry_after) for a in result.answers if a.status == "503")
    if retry:
        say(
            "  Retry-After on the 503s: "
            + "; ".join(
                f"{masked(path)}: {value or 'none'} x{n}"
                for (path, value), n in sorted(retry.items())
            )
        )
    after_bad = [a for a in result.answers if _phase(result, a) == "after" and a.status != "200"]
    if after_bad:
        last = max(a.sent for a in after_bad) - result.ended
        say(
            f"  after the restart: {len(after_bad)} non-200 answers, "
            f"the last sent {last:.2f} s after it"
        )
    say(
        f"  gunicorn master {result.master_before} "
        f"{'still running: not restarted' if result.master_after_alive else 'GONE'}"
    )


# --------------------------------------------------------------------------- summary


def access_log_statuses(path: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    with contextlib.suppress(OSError), path.open(errors="replace") as log:
        for line in log:
            if '"GET ' in line or '"POST ' in line or '"HEAD ' in line:
                found = ACCESS_STATUS.search(line)
                if found:
                    counts[found.group(1)] += 1
    return counts


def logging_errors(path: Path) -> int:
    with contextlib.suppress(OSError):
        return path.read_text(errors="replace").count("--- Logging error ---")
    return 0


def failure_causes(path: Path) -> Counter[str]:
    """The last exception of each request the app or gunicorn reported as failed."""
    counts: Counter[str] = Counter()
    with contextlib.suppress(OSError):
        lines = path.read_text(errors="replace").splitlines()
        for index, line in enumerate(lines):
            if "unhandled_error" not in line and "Error handling request" not in line:
                continue
            last = ""
            for follow in lines[index + 1 : index + 400]:
                if follow.startswith(("[", "---")) or "unhandled_error" in follow:
                    break  # the next log record
                if EXCEPTION_AT_LINE_START.match(follow):
                    last = follow.strip()
            marker = "app 500" if "unhandled_error" in line else "gunicorn"
            counts[masked(f"{marker}: {last[:200] or line.strip()[:200]}")] += 1
    return counts


def booted_workers(path: Path) -> int:
    with contextlib.suppress(OSError):
        return path.read_text(errors="replace").count("Booting worker with pid")
    return 0


def _mark(ok: bool | None) -> str:
    return "n/a " if ok is None else ("PASS" if ok else "MISS")


def print_summary(
    first: Flood | None,
    during: Sequence[pb.LoadFigure],
    rush: Rush | None,
    nginx_rows: Sequence[NginxRow],
    restart: Restart | None,
    statuses: Counter[str],
) -> None:
    say()
    say("== targets (informational) ==")
    lines: list[tuple[str, str, str]] = []
    if first:
        for figure in first.figures:
            if figure.url == LIVEZ:
                continue
            ratio = figure.rps / first.ceiling if first.ceiling else 0.0
            lines.append(
                (
                    _mark(ratio >= TARGET_LIVEZ_RATIO),
                    f"{figure.url} through gunicorn >= {TARGET_LIVEZ_RATIO:.0%} of /livez",
                    f"{ratio:.0%} ({figure.rps:,.0f} / {first.ceiling:,.0f} req/s)",
                )
            )
        for figure in first.figures:
            if figure.url != LIVEZ:
                lines.append(
                    (
                        _mark(figure.p99_ms < TARGET_P99_MS),
                        f"{figure.url} p99 < {TARGET_P99_MS:.0f} ms at 64 connections",
                        f"{figure.p99_ms:.1f} ms (flood alone)",
                    )
                )
    for url in sorted({f.url for f in during}):
        worst = max(f.p99_ms for f in during if f.url == url)
        lines.append(
            (
                _mark(worst < TARGET_P99_MS),
                f"{url} p99 < {TARGET_P99_MS:.0f} ms at 64 connections",
                f"{worst:.1f} ms (worst run during the rush)",
            )
        )
    for row in nginx_rows:
        ratio = row.proxied.rps / row.static.rps if row.static.rps else 0.0
        lines.append(
            (
                _mark(ratio >= TARGET_NGINX_RATIO),
                f"{row.url} behind nginx >= {TARGET_NGINX_RATIO:.0%} of static",
                f"{ratio:.0%} ({row.proxied.rps:,.0f} / {row.static.rps:,.0f} req/s)",
            )
        )
        lines.append(
            (
                _mark(row.proxied.p99_ms < TARGET_P99_MS),
                f"{row.url} p99 < {TARGET_P99_MS:.0f} ms at 64 connections",
                f"{row.proxied.p99_ms:.1f} ms (behind nginx, {row.cache_status})",
            )
        )
    loads = [*(first.figures if first else []), *during, *(r.proxied for r in nginx_rows)]
    loads += list({id(r.static): r.static for r in nginx_rows}.values())
    wrk_errors = [f"{f.url}: {f.errors}" for f in loads if f.errors != "none"]
    rush_errors = sum(rush.errors.values()) if rush else 0
    five_hundreds = sum(n for s, n in statuses.items() if s == "500")
    lines.append(
        (
            _mark(not wrk_errors and rush_errors == 0 and five_hundreds == 0),
            "zero errors (wrk, rush clients, 500s in gunicorn's access log)",
            f"wrk {'; '.join(wrk_errors) or 'none'}; rush {rush_errors}; 500s "
            f"{five_hundreds if statuses else 'unknown (no access log line could be read)'}",
        )
    )
    if rush:
        confirmed = rush.counts.get("confirmed", 0)
        waiting = rush.counts.get("waiting", 0)
        lines.append(
            (
                _mark(
                    confirmed <= SEATS
                    and rush.seats_taken == confirmed
                    and confirmed + waiting == rush.submitted
                ),
                "zero oversold (confirmed <= seats, confirmed + waiting = submitted)",
                f"confirmed {confirmed}/{SEATS}, waiting {waiting}, submitted {rush.submitted}",
            )
        )
        lines.append(
            (
                _mark(rush.lost_mail == 0 and rush.doubled_mail == 0 and not rush.other_mail),
                "zero lost or doubled e-mails",
                f"lost {rush.lost_mail}, doubled {rush.doubled_mail}, "
                f"other {dict(rush.other_mail) or 'none'}",
            )
        )
    if restart and restart.command and not restart.skipped:
        during_500 = sum(a.status == "500" for a in restart.answers)
        after = [a for a in restart.answers if _phase(restart, a) == "after"]
        tail = [a for a in after if a.sent > restart.ended + 1.0]
        lines.append(
            (
                _mark(during_500 == 0),
                "database restart: never 500",
                f"{during_500} x 500 of {len(restart.answers)} answers",
            )
        )
        lines.append(
            (
                _mark(
                    bool(tail)
                    and all(a.status == "200" for a in tail)
                    and restart.master_after_alive
                ),
                "database restart: 200 again afterwards, gunicorn not restarted",
                f"{sum(a.status == '200' for a in tail)}/{len(tail)} answers 200 from 1 s after",
            )
        )
    else:
        lines.append((_mark(None), "database restart", restart.skipped if restart else "not run"))
    width = max(len(name) for _, name, _ in lines)
    for mark, name, detail in lines:
        say(f"  {mark}  {name.ljust(width)}  {detail}")


# --------------------------------------------------------------------------- main


def print_header(options: Options, url: str, wrk: str, nginx: str | None) -> None:
    wrk_version = subprocess.run(
        [wrk, "--version"], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    nginx_label = (
        "nginx " + ".".join(map(str, local_stack.nginx_version(nginx))) if nginx else "no nginx"
    )
    say("congress load benchmark (figures only; nothing is asserted)")
    say(
        f"  Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, "
        f"{pb.database_label(url)}, {os.cpu_count()} CPUs, "
        f"{wrk_version[0].split(' Copyright')[0] if wrk_version else 'wrk'}, "
        f"{nginx_label}"
    )
    say(f"  load average at start: {pb.load_average_text()}")
    say(
        f"  rate limits raised for the rush (all clients share 127.0.0.1): "
        f"CONGRESS_RATELIMIT_REGISTER and CONGRESS_RATELIMIT_TOKEN_PAGES = {RUSH_LIMIT!r}"
    )


@dataclass(slots=True)
class Results:
    first: Flood | None = None
    during: list[pb.LoadFigure] = field(default_factory=list)
    rush: Rush | None = None
    nginx_rows: list[NginxRow] = field(default_factory=list)
    restart: Restart | None = None
    statuses: Counter[str] = field(default_factory=Counter)


def run_parts(
    server: local_stack.Server,
    private: local_stack.Server,
    edition: Edition,
    url: str,
    wrk: str,
    nginx: str | None,
    workdir: Path,
    options: Options,
    results: Results,
) -> None:
    urls = [*PAGES, edition.session_path]
    if "a" in options.parts:
        results.first = flood(server, wrk, urls, options)
        print_flood(
            results.first,
            f"(a) flood, wrk -t{options.wrk_threads} -c{options.connections} "
            f"-d{options.duration}s --latency, warmed once; /livez before and after "
            "(ceiling: their mean):",
        )
        say()
    if "b" in options.parts:
        pb.wait_until_idle(server)
        stop = threading.Event()
        background: list[list[pb.LoadFigure]] = []
        flooder = threading.Thread(
            target=lambda: background.append(flood_in_background(server, wrk, urls, options, stop)),
            daemon=True,
        )
        flooder.start()
        try:
            results.rush = registration_rush(private.port, edition, url, options)
        finally:
            stop.set()
            flooder.join(timeout=options.duration + 150)
        results.during = background[0] if background else []
        print_rush(results.rush, options, private is server)
        say("  wrk during the rush (one run after another):")
        pb.table(
            ("url", "req/s", "p50", "p99", "errors"),
            [
                (f.url, f"{f.rps:,.0f}", f"{f.p50_ms:.2f} ms", f"{f.p99_ms:.2f} ms", f.errors)
                for f in results.during
            ],
            indent="    ",
        )
        say()
    if "c" in options.parts:
        if nginx is None:
            say("(c) behind nginx: skipped (nginx is not installed: apt-get install nginx-light)")
        else:
            pb.wait_until_idle(server)
            results.nginx_rows, changes = behind_nginx(
                server, private, wrk, nginx, urls, workdir, options
            )
            print_nginx(results.nginx_rows, changes, options)
        say()
    if "d" in options.parts:
        pb.wait_until_idle(server)
        manage = manage_path(url)
        paths = ["/register", *urls, *([manage] if manage else [])]
        results.restart = restart_during_flood(server, paths, url)
        print_restart(results.restart)
        say()


def report_server_log(
    name: str, server: local_stack.Server, workers: int, results: Results
) -> None:
    statuses = access_log_statuses(server.log_path)
    results.statuses.update(statuses)
    say(
        f"{name} pool, gunicorn access log, answers by status over the whole run: "
        + (", ".join(f"{s} x{n}" for s, n in sorted(statuses.items())) or "no line")
    )
    failed = logging_errors(server.log_path)
    if failed:
        say(
            f"{name} pool, gunicorn access log: {failed:,} lines failed to format ('--- Logging "
            "error ---' with a traceback in the log instead of the line)"
        )
    say(
        f"{name} pool, worker processes started over the run: {booted_workers(server.log_path)} "
        f"({workers} at start; the others replaced workers recycled by max_requests in "
        "gunicorn.conf.py)"
    )
    for cause, count in failure_causes(server.log_path).most_common(5):
        say(f"{name} pool, server log, a request failed: {count} x {cause}")
    for line in pb.logged_exceptions(server.log_path):
        say(f"{name} pool, server log, most frequent exception lines: {masked(line)}")


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    wrk = pb.find_wrk()
    nginx = local_stack.find_nginx()
    started = time.perf_counter()
    results = Results()
    with tempfile.TemporaryDirectory(prefix="congress-load-") as tmp:
        workdir = Path(tmp)
        pb.configure_process_env(workdir)
        with pb.fresh_database(False, options.pg_url, workdir, 0) as url:
            print_header(options, url, wrk, nginx)
            setup_started = time.perf_counter()
            edition = prepare_database(url)
            say(
                f"  database {make_url(url).database}: migrations, demo edition, category "
                f"'{edition.category_name}' set to {SEATS} seats "
                f"({time.perf_counter() - setup_started:.1f} s)"
            )
            pb.flush_redis(REDIS_URL)
            try:
                with contextlib.ExitStack() as stack:
                    pools = {
                        "public": stack.enter_context(
                            gunicorn(url, workdir, options.workers, "public", options.replay)
                        )
                    }
                    if not options.one_pool:
                        pools["private"] = stack.enter_context(
                            gunicorn(
                                url, workdir, options.private_workers, "private", options.replay
                            )
                        )
                    server = pools["public"]
                    private = pools.get("private", server)
                    workers = {
                        name: len(local_stack.children_of(pool.master_pid))
                        for name, pool in pools.items()
                    }
                    for name, pool in pools.items():
                        say(
                            f"  gunicorn -c gunicorn.conf.py, CONGRESS_POOL={name}, on "
                            f"127.0.0.1:{pool.port}: {workers[name]} workers, "
                            f"CONGRESS_ENV=production, Redis {REDIS_URL}, "
                            f"CONGRESS_CACHE_REPLAY={int(options.replay)}"
                        )
                    if options.one_pool:
                        say("  no private pool (--one-pool): the public pool answers the forms")
                    say()
                    run_parts(server, private, edition, url, wrk, nginx, workdir, options, results)
                for name, pool in pools.items():
                    report_server_log(name, pool, workers[name], results)
                if options.keep_log:
                    shutil.copyfile(server.log_path, options.keep_log)
            finally:
                pb.flush_redis(REDIS_URL)
    print_summary(
        results.first,
        results.during,
        results.rush,
        results.nginx_rows,
        results.restart,
        results.statuses,
    )
    say(f"\ntotal time {time.perf_counter() - started:.0f} s")
    return 0


def manage_path(url: str) -> str:
    """One attendee's private page (a token lookup on every request), from the outbox."""
    with connected(url) as connection:
        body = connection.execute(
            text("SELECT body_text FROM outbox_message WHERE kind = 'confirmed' LIMIT 1")
        ).scalar()
    found = re.search(r"/r/[A-Za-z0-9_-]+", body or "")
    return found.group(0) if found else ""


if __name__ == "__main__":
    run(main)
