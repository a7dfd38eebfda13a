"""Public pages and feeds served from the cache, keyed by the programme stamp, plain or gzip.

Every published change raises ``Event.programme_version``; a key that contains
it (and the edition's id) can never serve a stale page, so entries need no
invalidation and expire on their own.

* Bodies live in the shared cache (``store``) under a key made of the stamp,
  the language, the path and the query string.
* In front of it, each process keeps a small LRU of bodies, bounded in bytes.
  It can never go stale, because its keys contain the programme version too:
  after a change the stamp gives new keys, and the old entries are simply
  never asked for again and age out. Many workers therefore stay consistent
  without any invalidation message, and a hit skips fetching and unpickling a
  body of up to a few MiB from Redis.

A client that sends ``Accept-Encoding: gzip`` gets a body compressed once per
version (``Content-Encoding: gzip``, ``Vary: Accept-Encoding`` on both forms):
large pages and feeds shrink about tenfold on the wire.

The stamp gives the ``ETag`` (a conditional GET answers 304 without touching
the database) and ``Last-Modified``; ``Cache-Control`` lets a reverse proxy
keep public responses briefly.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache, wraps
from typing import Any, NamedTuple, ParamSpec

from flask import Flask, Response, current_app, make_response, request
from werkzeug.http import http_date

from congress.caching import memory
from congress.caching.stamp import ProgrammeStamp, programme_stamp
from congress.caching.store import cache
from congress.i18n import select_locale

P = ParamSpec("P")

MAX_KEY_QUERY_LENGTH = 300
#: Default bound of each process's LRU of bodies (``CACHE_LOCAL_MAX_BYTES``).
LOCAL_MAX_BYTES = 8 * 1024 * 1024
#: Below this size compression saves too little to be worth a second entry.
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 6
#: Headers of a fresh response that are stored with its body and replayed.
REPLAYED_HEADERS = ("Content-Disposition",)

_LOCAL_EXTENSION = "congress.local_pages"


class StoredPage(NamedTuple):
    """A cached successful response: body, media type and the headers worth replaying."""

    body: bytes
    content_type: str
    headers: dict[str, str]


#: Set by ``public_cached`` in the WSGI environ of an answer that ``replay`` may record.
REPLAYABLE = "congress.replayable"
#: Set by ``public_cached`` in the WSGI environ: the query names its view reads.
_QUERY_NAMES = "congress.query_names"


class Replayable(NamedTuple):
    """The stamp an answer was made under, and the local cache key of the body it sent."""

    stamp: ProgrammeStamp
    body_key: str


class LocalPages:
    """A thread-safe LRU of cached bodies, bounded by their total size in bytes.

    Safe without invalidation because every key contains the programme version
    (see the module docstring): an entry is either current or never read again.
    An entry larger than the whole bound is not kept.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, tuple[StoredPage | bytes, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> StoredPage | bytes | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: str, value: StoredPage | bytes) -> None:
        weight = len(value.body if isinstance(value, StoredPage) else value) + 200
        if weight > self.max_bytes:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.size -= previous[1]
            self._entries[key] = (value, weight)
            self.size += weight
            while self.size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._entries)


def init_app(app: Flask) -> LocalPages:
    """This process's LRU of bodies for ``app``."""
    app.config.setdefault("CACHE_LOCAL_MAX_BYTES", LOCAL_MAX_BYTES)
    pages = LocalPages(int(app.config["CACHE_LOCAL_MAX_BYTES"]))
    app.extensions[_LOCAL_EXTENSION] = pages
    return pages


def local_pages_of(app: Flask) -> LocalPages:
    """This process's LRU for ``app`` (one per app: tests create many)."""
    pages: LocalPages = app.extensions[_LOCAL_EXTENSION]
    return pages


def local_pages() -> LocalPages:
    return local_pages_of(current_app)


# --- the cache key ---------------------------------------------------------------------------


def significant_args() -> list[tuple[str, str]]:
    """The query arguments the page being answered depends on.

    On a page of ``public_cached`` only the names its view declares count: the
    cache key is made of them, and links that repeat the query (the language
    switch) keep only them, so the page is the same with or without anything
    else. Why: ``?x=<random>`` used to give a new key, so a flood of such
    addresses turned every request into a cold build, past nginx's cache and
    this one. Elsewhere every argument counts.
    """
    names = request.environ.get(_QUERY_NAMES)
    pairs = list(request.args.items(multi=True))
    return pairs if names is None else [(k, v) for k, v in pairs if k in names]


def _cache_key(stamp: ProgrammeStamp, language: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(significant_args()))
    raw = (
        f"{stamp.event_id}.{stamp.version}|{language}|{request.path}|{query[:MAX_KEY_QUERY_LENGTH]}"
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@lru_cache(maxsize=8)
def _http_date(moment: datetime) -> str:
    """``Last-Modified`` of a stamp, formatted once rather than on every hit."""
    return http_date(moment)


# --- gzip ------------------------------------------------------------------------------------


def plain_gzip_choice(header: str) -> bool | None:
    """Whether ``Accept-Encoding`` takes gzip, read as is; ``None`` when weights must be parsed.

    The common headers ("gzip, deflate, br", none at all) decide without a parser.
    """
    if "gzip" not in header:
        return False
    if "q=" not in header:
        return True
    return None


def _wants_gzip() -> bool:
    """Whether the client accepts gzip (Werkzeug parses the header only when weighted)."""
    choice = plain_gzip_choice(request.headers.get("Accept-Encoding", ""))
    if choice is None:
        return request.accept_encodings["gzip"] > 0
    return choice


def _gzipped(key: str, body: bytes) -> bytes:
    """The body compressed once per version, shared and kept locally like the plain one."""
    gz_key = f"{key}.gz"
    pages = local_pages()
    found = pages.get(gz_key)
    if isinstance(found, bytes):
        return found
    compressed: bytes | None = cache.get(gz_key)
    if compressed is None:
        # mtime=0: the same page always gives the same bytes.
        compressed = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        cache.set(gz_key, compressed)
    pages.put(gz_key, compressed)
    return compressed


# --- the decorator ---------------------------------------------------------------------------


def _stored_page(key: str) -> StoredPage | None:
    pages = local_pages()
    found = pages.get(key)
    if isinstance(found, StoredPage):
        return found
    shared: StoredPage | tuple[bytes, str, dict[str, str]] | None = cache.get(key)
    if shared is None:
        return None
    page = StoredPage(*shared)
    pages.put(key, page)
    return page


def public_cached(
    max_age: int, query: tuple[str, ...] = ()
) -> Callable[[Callable[P, Any]], Callable[P, Response]]:
    """Serve a public view from the version-keyed cache, with validators and 304s.

    ``query`` names the query arguments the view reads; any other is ignored
    (``significant_args``). Only successful answers are stored; errors are
    always computed afresh.
    """
    names = frozenset(query)

    def decorator(view: Callable[P, Any]) -> Callable[P, Response]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
            request.environ[_QUERY_NAMES] = names
            stamp = programme_stamp()
            if stamp is None:
                return make_response(view(*args, **kwargs))
            key = _cache_key(stamp, select_locale())
            page = _stored_page(key)
            if page is None:
                with memory.collector_paused():
                    fresh = make_response(view(*args, **kwargs))
                if fresh.status_code != 200:
                    return fresh
                extra = {
                    name: value for name, value in fresh.headers.items() if name in REPLAYED_HEADERS
                }
                page = StoredPage(fresh.get_data(), fresh.content_type or "", extra)
                cache.set(key, tuple(page))
                local_pages().put(key, page)
                del fresh
                memory.after_cold_build(len(page.body))
            etag = key[:20]
            negotiated = len(page.body) >= GZIP_MIN_BYTES
            compress = negotiated and _wants_gzip()
            # A different content coding is a different representation: its own tag.
            headers = [
                ("ETag", f'"{etag}-gz"' if compress else f'"{etag}"'),
                ("Last-Modified", _http_date(stamp.updated_at)),
                ("Cache-Control", f"public, max-age={max_age}"),
            ]
            if negotiated:
                headers.append(("Vary", "Accept-Encoding"))
            # Only a representation that exists earns a 304: an unknown slug has
            # returned its 404 above, even for "If-None-Match: *". Either form's
            # tag validates the client's copy: both encode the same version.
            if request.headers.get("If-None-Match") and (
                etag in request.if_none_match or f"{etag}-gz" in request.if_none_match
            ):
                return Response(status=304, headers=headers)
            headers.append(("Content-Type", page.content_type))
            headers.extend(page.headers.items())
            # The replay layer may send these headers again with the same body.
            body_key = f"{key}.gz" if compress else key
            request.environ[REPLAYABLE] = Replayable(stamp, body_key)
            if compress:
                headers.append(("Content-Encoding", "gzip"))
                return Response(_gzipped(key, page.body), headers=headers)
            return Response(page.body, headers=headers)

        return wrapper

    return decorator
