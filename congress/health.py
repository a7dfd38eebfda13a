"""Health endpoints for load balancers and monitoring.

``/livez``: the process answers (no database: the cheapest possible request,
also the ceiling the benchmarks compare against). ``/healthz``: the database
answers and its schema is at the migrations' head. ``/readyz``: healthy, and the
shared cache and rate-limit store answer when they are configured; a load
balancer sends traffic only to ready instances.
"""

from __future__ import annotations

from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, Response, current_app, jsonify
from flask_migrate import Migrate

from congress.extensions import db

bp = Blueprint("health", __name__)


def _database() -> dict[str, Any]:
    try:
        with db.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}
    migrate: Migrate = current_app.extensions["migrate"]
    config = migrate.migrate.get_config(migrate.directory)
    heads = ScriptDirectory.from_config(config).get_heads()
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
