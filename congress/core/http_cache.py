"""Caching of public pages and feeds, keyed by the programme version.

Every published change raises ``Event.programme_version``; a key that contains
it can never serve a stale page, so entries need no invalidation and expire on
their own. The cache is Flask-Caching: in process by default, Redis when
``CONGRESS_CACHE_URL`` is set, so every worker and host shares it.

The same version gives the ``ETag`` (a conditional GET costs one small query
and answers 304) and ``Last-Modified``; ``Cache-Control`` lets a reverse proxy
keep public responses briefly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec

from flask import Flask, Response, make_response, request
from flask_babel import get_locale
from flask_caching import Cache

from congress.edition.queries import request_event

P = ParamSpec("P")

cache = Cache()
CACHE_SECONDS = 600
MAX_KEY_QUERY_LENGTH = 300


def init_app(app: Flask) -> None:
    url = app.config.get("CACHE_URL")
    if url:
        app.config.setdefault("CACHE_TYPE", "RedisCache")
        app.config.setdefault("CACHE_REDIS_URL", url)
    else:
        app.config.setdefault("CACHE_TYPE", "SimpleCache")
        app.config.setdefault("CACHE_THRESHOLD", 2000)
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", CACHE_SECONDS)
    app.config.setdefault("CACHE_KEY_PREFIX", "congress:")
    cache.init_app(app)


def _cache_key(version: int, language: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(request.args.items(multi=True)))
    raw = f"{version}|{language}|{request.path}|{query[:MAX_KEY_QUERY_LENGTH]}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def public_cached(max_age: int) -> Callable[[Callable[P, Any]], Callable[P, Response]]:
    """Serve a public view from the version-keyed cache, with validators and 304s.

    Only successful answers are stored; errors are always computed afresh.
    """

    def decorator(view: Callable[P, Any]) -> Callable[P, Response]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
            event = request_event()
            if event is None:
                return make_response(view(*args, **kwargs))
            key = _cache_key(event.programme_version, str(get_locale()))
            etag = key[:20]
            stored = cache.get(key)
            if stored is None:
                fresh = make_response(view(*args, **kwargs))
                if fresh.status_code != 200:
                    return fresh
                extra = {
                    name: value
                    for name, value in fresh.headers.items()
                    if name in ("Content-Disposition",)
                }
                stored = (fresh.get_data(), fresh.content_type, extra)
                cache.set(key, stored)
            # Only a representation that exists earns a 304: an unknown slug has
            # returned its 404 above, even for "If-None-Match: *".
            if etag in request.if_none_match:
                response = Response(status=304)
            else:
                body, content_type, extra = stored
                response = Response(body, content_type=content_type, headers=extra)
            response.set_etag(etag)
            response.last_modified = event.programme_updated_at
            response.cache_control.public = True
            response.cache_control.max_age = max_age
            return response

        return wrapper

    return decorator
