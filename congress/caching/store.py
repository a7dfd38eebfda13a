"""The shared store of pages and stamps: Flask-Caching, degrading to no cache when it fails.

In process by default, Redis when ``CONGRESS_CACHE_URL`` is set, so every
worker and host shares it. Each process also keeps local copies in front of
it (the LRU of bodies in ``pages``, the copy of the stamp in ``stamp``); they
register here so that clearing the cache clears them too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_caching import Cache

logger = logging.getLogger(__name__)

CACHE_SECONDS = 600

_LOCAL_LAYERS = "congress.cache_local_layers"


class PageCache(Cache):
    """Flask-Caching, whose ``clear`` also empties this process's local layers.

    Tests and the benchmark clear the cache to measure or check a cold build;
    the local layers must not survive that.
    """

    def clear(self) -> bool:
        if has_app_context():
            for forget in current_app.extensions.get(_LOCAL_LAYERS, ()):
                forget()
        return bool(self._safely("clear", super().clear, False))

    # A cache is an optimisation: when Redis is down the site builds pages afresh
    # (slower, still correct) instead of answering 500. Each failure is logged.
    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._safely("get", lambda: super(PageCache, self).get(*args, **kwargs), None)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._safely("set", lambda: super(PageCache, self).set(*args, **kwargs), False)

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._safely("add", lambda: super(PageCache, self).add(*args, **kwargs), False)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._safely("delete", lambda: super(PageCache, self).delete(*args, **kwargs), False)

    @staticmethod
    def _safely(operation: str, call: Callable[[], Any], fallback: Any) -> Any:
        try:
            return call()
        except Exception as error:  # any store failure degrades to "no cache"
            logger.warning(
                "cache_unavailable operation=%s error=%s", operation, type(error).__name__
            )
            return fallback


cache = PageCache()


def init_app(app: Flask) -> None:
    """Bind ``cache`` to ``app``: Redis when ``CACHE_URL`` is set, else in process."""
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


def add_local_layer(app: Flask, forget: Callable[[], None]) -> None:
    """Register a per-process copy of what the store holds, emptied by ``cache.clear()``."""
    app.extensions.setdefault(_LOCAL_LAYERS, []).append(forget)
