"""Caching of public pages and feeds, keyed by the programme version.

Every published change raises ``Event.programme_version``; a key that contains
it (and the edition's id) can never serve a stale page, so entries need no
invalidation and expire on their own. The cache is Flask-Caching: in process
by default, Redis when ``CONGRESS_CACHE_URL`` is set, so every worker and host
shares it.

A repeated request costs no SQL at all, in three layers:

* The *programme stamp* (current edition's id, version and last change) lives
  in the shared cache under one key. It is written after every commit that
  changed an edition (``note_programme_change``, called by
  ``bump_programme_version``, and any insert, update or delete of an ``Event``
  row, seen at flush), so every worker sees a change at once. A miss falls back
  to the database and stores what it read with ``add`` (set if absent): a
  request that read the old version just before a commit cannot overwrite the
  stamp that commit wrote. ``STAMP_SECONDS`` is only a safety net for changes
  made outside this code (SQL by hand, a process without the shared cache).
  Each worker trusts its own copy of the stamp for about a second, and one
  thread at a time reads it again (``StampMemo`` says why and what that
  costs); organisers, and the worker
  that made the change, always get the current one.
* Bodies live in the shared cache under a key made of the stamp, the language,
  the path and the query string.
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

import ctypes
import ctypes.util
import gc
import gzip
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache, wraps
from itertools import chain
from typing import Any, NamedTuple, ParamSpec

from flask import Flask, Response, current_app, has_app_context, make_response, request
from flask_caching import Cache
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import UOWTransaction
from werkzeug.http import http_date

from congress.edition.models import Event
from congress.edition.queries import current_event, request_event
from congress.extensions import db
from congress.i18n import select_locale

P = ParamSpec("P")

logger = logging.getLogger(__name__)

CACHE_SECONDS = 600
#: Safety net only: the stamp is rewritten after every commit that changes it. A
#: change made behind the code's back (SQL by hand) shows within this delay, shorter
#: than the feeds' max-age; between refills, cache hits need no database at all.
STAMP_SECONDS = 60
#: How long a worker trusts its own copy of the stamp (``StampMemo``).
STAMP_LOCAL_SECONDS = 1.0
STAMP_KEY = "programme-stamp"
MAX_KEY_QUERY_LENGTH = 300
#: Default bound of each process's LRU of bodies (``CACHE_LOCAL_MAX_BYTES``).
LOCAL_MAX_BYTES = 8 * 1024 * 1024
#: Below this size compression saves too little to be worth a second entry.
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 6
#: Headers of a fresh response that are stored with its body and replayed.
REPLAYED_HEADERS = ("Content-Disposition",)

_LOCAL_EXTENSION = "congress.local_pages"
_MEMO_EXTENSION = "congress.stamp_memo"
_CHANGED = "congress.programme_changed"
_STAMP_AT_COMMIT = "congress.programme_stamp"


class ProgrammeStamp(NamedTuple):
    """What a cached page depends on: which edition, which version, since when."""

    event_id: int
    version: int
    updated_at: datetime


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


class StampMemo:
    """This process's copy of the shared stamp, trusted for ``CACHE_STAMP_LOCAL_SECONDS``.

    Why: on a 2-core host under load, the Redis round trip of reading the
    stamp on every request halves the throughput of a cache hit (measured by
    ``bench/programme_bench.py``), while everything else a hit does costs
    about as much as ``/livez``. So each worker reads the shared stamp at most
    once per window. What it costs: another worker's change reaches an
    anonymous visitor up to one window late, far less than the ``max-age``
    (60 s and more) every client and proxy may already keep a page. A change
    made in this process updates the copy at once (``after_commit``), and a
    request that carries a session cookie always reads the shared stamp, so an
    organiser sees their own change on the very next page. A window of 0 reads
    the shared stamp on every request.

    Once the window is over, one thread of the process reads the stamp again
    (from the shared cache, or the database when it is missing there) and the
    others keep the copy until that read is done: the copy is then up to one
    window plus one read old. Why: every thread used to read at once, and
    during a registration rush the database read waited 1-2 s for PostgreSQL;
    each such worker stopped answering cached pages meanwhile (p99 of the
    public pages 0.4-0.8 s, ``bench/load_bench.py``).
    """

    def __init__(self, window: float) -> None:
        self.window = window
        self._copy: tuple[ProgrammeStamp, float] | None = None
        self._reading = threading.Lock()

    def fresh(self) -> ProgrammeStamp | None:
        """The copy while it may be trusted: within the window, or while it is being read."""
        copy = self._copy  # one read: another thread may replace it meanwhile
        if copy is None:
            return None
        if time.monotonic() - copy[1] < self.window or self._reading.locked():
            return copy[0]
        return None

    def remember(self, stamp: ProgrammeStamp) -> None:
        self._copy = (stamp, time.monotonic())

    def forget(self) -> None:
        self._copy = None

    def last(self) -> ProgrammeStamp | None:
        """The copy however old: what other threads use while one reads the stamp again."""
        copy = self._copy
        return None if copy is None else copy[0]

    @contextmanager
    def reading(self) -> Iterator[bool]:
        """True for the one thread of this process that reads the stamp again just now."""
        mine = self._reading.acquire(blocking=False)
        try:
            yield mine
        finally:
            if mine:
                self._reading.release()


class PageCache(Cache):
    """Flask-Caching, whose ``clear`` also empties this process's LRU of bodies.

    Tests and the benchmark clear the cache to measure or check a cold build;
    the local layers must not survive that.
    """

    def clear(self) -> bool:
        if has_app_context():
            local_pages().clear()
            stamp_memo().forget()
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
    url = app.config.get("CACHE_URL")
    if url:
        app.config.setdefault("CACHE_TYPE", "RedisCache")
        app.config.setdefault("CACHE_REDIS_URL", url)
    else:
        app.config.setdefault("CACHE_TYPE", "SimpleCache")
        app.config.setdefault("CACHE_THRESHOLD", 2000)
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", CACHE_SECONDS)
    app.config.setdefault("CACHE_KEY_PREFIX", "congress:")
    app.config.setdefault("CACHE_LOCAL_MAX_BYTES", LOCAL_MAX_BYTES)
    app.config.setdefault("CACHE_STAMP_LOCAL_SECONDS", STAMP_LOCAL_SECONDS)
    cache.init_app(app)
    app.extensions[_LOCAL_EXTENSION] = LocalPages(int(app.config["CACHE_LOCAL_MAX_BYTES"]))
    app.extensions[_MEMO_EXTENSION] = StampMemo(float(app.config["CACHE_STAMP_LOCAL_SECONDS"]))
    _keep_large_blocks_mapped()
    _listen_for_programme_changes()


def local_pages_of(app: Flask) -> LocalPages:
    """This process's LRU for ``app`` (one per app: tests create many)."""
    pages: LocalPages = app.extensions[_LOCAL_EXTENSION]
    return pages


def stamp_memo_of(app: Flask) -> StampMemo:
    """This process's copy of the stamp for ``app``."""
    memo: StampMemo = app.extensions[_MEMO_EXTENSION]
    return memo


def local_pages() -> LocalPages:
    return local_pages_of(current_app)


def stamp_memo() -> StampMemo:
    return stamp_memo_of(current_app)


# --- the programme stamp --------------------------------------------------------------------


def note_programme_change() -> None:
    """Mark the current transaction: after it commits, the stamp must be rewritten.

    Called by ``bump_programme_version``; the flush hook below also catches any
    other change to an ``Event`` row (a new edition becoming the current one).
    """
    db.session.info[_CHANGED] = True


def programme_stamp() -> ProgrammeStamp | None:
    """The current edition's stamp: remembered briefly, else shared, else from the database.

    ``None`` when there is no edition at all (nothing is cached then). See
    ``StampMemo`` for when the copy this process remembers is used.
    """
    memo = stamp_memo()
    organiser = _may_have_just_changed_it()
    if not organiser:
        remembered = memo.fresh()
        if remembered is not None:
            return remembered
    with memo.reading() as mine:
        last = memo.last()
        if not mine and not organiser and last is not None:
            return last  # another thread is reading it right now
        return _shared_or_stored_stamp(memo)


def _shared_or_stored_stamp(memo: StampMemo) -> ProgrammeStamp | None:
    stored: tuple[int, int, datetime] | None = cache.get(STAMP_KEY)
    if stored is not None:
        stamp = ProgrammeStamp(*stored)
        memo.remember(stamp)
        return stamp
    event = request_event()
    if event is None:
        return None
    stamp = _stamp_of(event)
    # ``add``, not ``set``: a commit may have written a newer stamp since the read.
    cache.add(STAMP_KEY, tuple(stamp), timeout=STAMP_SECONDS)
    memo.remember(stamp)
    return stamp


def _may_have_just_changed_it() -> bool:
    """A visitor with a session (an organiser, at least) reads the shared stamp itself.

    Whoever edits the programme is logged in; the page their browser loads
    right after the change must show it, whichever worker answers.
    """
    return current_app.config["SESSION_COOKIE_NAME"] in request.cookies


def _stamp_of(event: Event) -> ProgrammeStamp:
    return ProgrammeStamp(event.id, event.programme_version, event.programme_updated_at)


def _listen_for_programme_changes() -> None:
    """Session hooks (once per process) that keep the shared stamp in step with commits."""
    if sa_event.contains(OrmSession, "after_commit", _publish_stamp):
        return
    sa_event.listen(OrmSession, "after_flush", _notice_event_rows)
    sa_event.listen(OrmSession, "before_commit", _read_stamp)
    sa_event.listen(OrmSession, "after_commit", _publish_stamp)
    sa_event.listen(OrmSession, "after_rollback", _forget_changes)


def _notice_event_rows(session: OrmSession, _context: UOWTransaction) -> None:
    """An edition inserted, edited or deleted may change which one is current, or its facts."""
    if _CHANGED not in session.info and _touches_an_edition(session):
        session.info[_CHANGED] = True


def _touches_an_edition(session: OrmSession) -> bool:
    return any(isinstance(obj, Event) for obj in chain(session.new, session.dirty, session.deleted))


def _read_stamp(session: OrmSession) -> None:
    """Read the stamp the commit will publish, while SQL may still run (one small query).

    ``before_commit`` comes before the commit's own flush, so pending changes
    to an edition are looked at directly, then flushed so the read sees them.
    Only the application's scoped session is read through ``current_event``;
    any other session that changed an edition just makes the stamp be dropped.
    """
    # A savepoint's commit is not the transaction's: wait for the outer one.
    if session.in_nested_transaction():
        return
    if _CHANGED not in session.info and not _touches_an_edition(session):
        return
    stamp: ProgrammeStamp | None = None
    if has_app_context() and db.session.registry.has() and db.session() is session:
        session.flush()
        event = current_event()
        stamp = _stamp_of(event) if event is not None else None
    session.info.pop(_CHANGED, None)
    session.info[_STAMP_AT_COMMIT] = stamp


def _publish_stamp(session: OrmSession) -> None:
    """Write (or drop) the shared stamp once the change is visible to other connections."""
    if _STAMP_AT_COMMIT not in session.info:
        return
    stamp = session.info.pop(_STAMP_AT_COMMIT)
    if not has_app_context() or _LOCAL_EXTENSION not in current_app.extensions:
        return
    memo = stamp_memo()
    if stamp is None:
        memo.forget()
    else:
        memo.remember(stamp)
    try:
        if stamp is None:
            cache.delete(STAMP_KEY)
        else:
            cache.set(STAMP_KEY, tuple(stamp), timeout=STAMP_SECONDS)
    except Exception:  # the commit has happened; pages catch up within STAMP_SECONDS
        logger.exception("could not publish the programme stamp")


def _forget_changes(session: OrmSession) -> None:
    """A stamp read for a commit that failed describes nothing; drop it.

    The change mark itself stays: at worst the next commit refreshes a stamp
    that was already right, and a savepoint's rollback cannot hide a change.
    """
    session.info.pop(_STAMP_AT_COMMIT, None)


# --- the decorator ---------------------------------------------------------------------------


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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Run a cold build without the cyclic garbage collector, then turn it back on.

    Why: a build of 1,000 talks creates a few hundred thousand objects that
    live until the page is done (ORM rows, plan entries, strings). Their
    number keeps triggering full collections, each walking every object of the
    process (the whole application, 130,000 objects and more) to find almost
    nothing: a third of a cold build's time, and its main source of jitter.
    Reference counting still frees everything acyclic at once; the few cycles
    (ORM back-references) are collected as usual once the build is over. Only
    the caller that paused it turns the collector back on, so nested or
    concurrent builds (threaded workers) never leave it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: A cold build whose body is at least this large hands its freed memory back to the system.
TRIM_AFTER_BYTES = 1024 * 1024


@lru_cache(maxsize=1)
def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has ``malloc_trim``), else ``None`` (macOS, musl)."""
    try:
        library = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        library.malloc_trim  # noqa: B018 - raises AttributeError outside glibc
    except (OSError, AttributeError):
        return None
    return library


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or ``None`` where the C library has none."""
    library = _glibc()
    return library.malloc_trim if library is not None else None


#: glibc's ``mallopt`` parameter number of ``M_MMAP_THRESHOLD``.
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 256 * 1024


def _keep_large_blocks_mapped() -> None:
    """Ask glibc to serve every block of 256 KiB and more with its own mapping.

    Why: glibc raises that threshold by itself each time such a block is
    freed, up to 32 MiB, after which multi-MiB bodies (a 10,000-talk feed read
    from the shared cache, its compressed copy) come from the main heap, whose
    freed pages it keeps. A fixed threshold gives them back on ``free``.
    Process-wide and idempotent; nothing happens where there is no glibc.
    """
    library = _glibc()
    if library is not None:
        library.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def _return_freed_memory() -> None:
    """Give the pages a large cold build freed back to the system.

    Why: building a page of 10,000 talks allocates tens of MiB (rows, records,
    strings, the body twice over) that are all freed once it is cached, but the
    C allocator keeps the freed pages mapped, so each worker that ever built
    one stayed that much larger for the rest of its life (``bench/
    programme_bench.py`` reads worker memory after its run). ``malloc_trim``
    costs a few milliseconds, only after the rare cold build of a large page.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


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
                with _collector_paused():
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
                if len(page.body) >= TRIM_AFTER_BYTES:
                    _return_freed_memory()
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
