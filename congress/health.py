"""Health endpoints for load balancers and monitoring.

``/livez``: the process answers (no database: the cheapest possible request,
also the ceiling the benchmarks compare against). ``/healthz``: the database
answers and its schema is at the migrations' head. ``/readyz``: healthy, and the
shared cache and rate-limit store answer when they are configured; a load
balancer sends traffic only to ready instances.

The schema check reads ``alembic_version`` with plain SQL and compares it with
heads parsed from the revision files (``congress.migrations_support``): importing
alembic to answer a health check would cost every web worker about 10 MiB.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import Connection, inspect, text

from congress.extensions import db
from congress.migrations_support import migration_heads

bp = Blueprint("health", __name__)


def _current_revisions(connection: Connection) -> set[str]:
    """The revisions the database is stamped with; none when it was never migrated."""
    if not inspect(connection).has_table("alembic_version"):
        return set()
    return set(connection.scalars(text("SELECT version_num FROM alembic_version")))


def _database() -> dict[str, Any]:
    try:
        with db.engine.connect() as connection:
            current = _current_revisions(connection)
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}
    heads = migration_heads()
    return {
        "ok": set(current) == set(heads),
        "revision": sorted(current),
        "expected": sorted(heads),
    }


def _redis(url: str) -> dict[str, Any]:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        client.ping()
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def _answer(checks: dict[str, dict[str, Any]]) -> Response:
    healthy = all(check["ok"] for check in checks.values())
    response = jsonify({"status": "ok" if healthy else "unavailable", "checks": checks})
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/livez")
def livez() -> Response:
    return Response("ok\n", mimetype="text/plain")


@bp.get("/healthz")
def healthz() -> Response:
    return _answer({"database": _database()})


@bp.get("/readyz")
def readyz() -> Response:
    checks = {"database": _database()}
    for name, key in (("cache", "CACHE_URL"), ("ratelimit", "RATELIMIT_STORAGE_URI")):
        url = current_app.config.get(key) or ""
        if url.startswith(("redis://", "rediss://")):
            checks[name] = _redis(url)
    return _answer(checks)
