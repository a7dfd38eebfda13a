"""How a benchmark script runs: its output, its throw-away database, and SIGTERM.

Shared by ``programme_bench.py``, ``load_bench.py`` and ``register_timing.py`` so
that the one rule which can destroy data, which PostgreSQL database a run may
drop, is written once.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Iterator

import sqlalchemy
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

#: Databases a benchmark never drops, whatever URL it is given.
PROTECTED_DATABASES = frozenset({"postgres", "template0", "template1", "test", "congress"})


def say(line: str = "") -> None:
    """Figures go to stdout, flushed at once so a piped run shows progress per step."""
    print(line, flush=True)


@contextlib.contextmanager
def connected(url: str) -> Iterator[sqlalchemy.Connection]:
    """One connection on an engine of its own, disposed of afterwards (reads outside the app)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def database_label(url: str) -> str:
    """Backend and server version, without credentials."""
    with connected(url) as connection:
        if connection.dialect.name == "postgresql":
            version = connection.execute(text("SHOW server_version")).scalar_one()
            return f"PostgreSQL {version}"
        version = connection.execute(text("select sqlite_version()")).scalar_one()
        return f"SQLite {version}"


@contextlib.contextmanager
def fresh_pg_database(pg_url: str) -> Iterator[str]:
    """Yield ``pg_url`` once its database is created empty (dropped first if it existed);
    drop it afterwards, even on an error or an interrupt."""
    recreate_pg_database(pg_url)
    try:
        yield pg_url
    finally:
        drop_pg_database(pg_url)


def recreate_pg_database(pg_url: str) -> None:
    _as_admin(pg_url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)", "CREATE DATABASE {name}")


def drop_pg_database(pg_url: str) -> None:
    _as_admin(pg_url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _as_admin(pg_url: str, *statements: str) -> None:
    """Run ``statements`` about the URL's database from the server's ``postgres`` database.

    Refuses a URL without a database name (the run would use another database
    than the one it made) and the protected ones.
    """
    url = make_url(pg_url)
    name = url.database
    if not name or name in PROTECTED_DATABASES:
        raise SystemExit(f"refusing to use database {name!r} for the benchmark")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        quoted = admin.dialect.identifier_preparer.quote(name)
        with admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement.format(name=quoted)))
    finally:
        admin.dispose()


def run(main: Callable[[], int]) -> None:
    """Run a script's ``main`` and exit with its code; SIGTERM unwinds like Ctrl-C, so
    every ``finally`` stops its servers and drops its database."""
    signal.signal(signal.SIGTERM, _interrupt_as_exception)
    sys.exit(main())


def _interrupt_as_exception(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")
