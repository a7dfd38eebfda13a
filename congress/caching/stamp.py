"""The programme stamp: which edition, which version, since when; what every cached page depends on.

The stamp (current edition's id, version and last change) lives in the shared
cache under one key. It is written after every commit that changed an edition:
the session hooks below see any insert, update or delete of an ``Event`` row,
and raising ``Event.programme_version`` (``bump_programme_version``) is such
an update, so every worker sees a change at once. The programme's services do
not call into this package: the hooks learn of changes from the session. A
miss falls back to the database and stores what it read with ``add`` (set if
absent): a request that read the old version just before a commit cannot
overwrite the stamp that commit wrote. ``STAMP_SECONDS`` is only a safety net
for changes made outside this code (SQL by hand, a process without the shared
cache).

Each worker trusts its own copy of the stamp for about a second, and one
thread at a time reads it again (``StampMemo`` says why and what that costs);
organisers, and the worker that made the change, always get the current one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import chain
from typing import NamedTuple

from flask import Flask, current_app, has_app_context, request
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import UOWTransaction

from congress.caching.store import cache
from congress.edition.models import Event
from congress.edition.queries import current_event, request_event
from congress.extensions import db

logger = logging.getLogger(__name__)

#: Safety net only: the stamp is rewritten after every commit that changes it. A
#: change made behind the code's back (SQL by hand) shows within this delay, shorter
#: than the feeds' max-age; between refills, cache hits need no database at all.
STAMP_SECONDS = 60
#: How long a worker trusts its own copy of the stamp (``StampMemo``).
STAMP_LOCAL_SECONDS = 1.0
STAMP_KEY = "programme-stamp"

_MEMO_EXTENSION = "congress.stamp_memo"
_CHANGED = "congress.programme_changed"
_STAMP_AT_COMMIT = "congress.programme_stamp"


class ProgrammeStamp(NamedTuple):
    """What a cached page depends on: which edition, which version, since when."""

    event_id: int
    version: int
    updated_at: datetime


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


def init_app(app: Flask) -> StampMemo:
    """This process's copy of the stamp for ``app``, and the session hooks (once per process)."""
    app.config.setdefault("CACHE_STAMP_LOCAL_SECONDS", STAMP_LOCAL_SECONDS)
    memo = StampMemo(float(app.config["CACHE_STAMP_LOCAL_SECONDS"]))
    app.extensions[_MEMO_EXTENSION] = memo
    _listen_for_programme_changes()
    return memo


def stamp_memo_of(app: Flask) -> StampMemo:
    """This process's copy of the stamp for ``app`` (one per app: tests create many)."""
    memo: StampMemo = app.extensions[_MEMO_EXTENSION]
    return memo


def stamp_memo() -> StampMemo:
    return stamp_memo_of(current_app)


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


# --- the session hooks: how a change reaches the stamp -------------------------------------


def _listen_for_programme_changes() -> None:
    """Session hooks (once per process) that keep the shared stamp in step with commits."""
    if sa_event.contains(OrmSession, "after_commit", _publish_stamp):
        return
    sa_event.listen(OrmSession, "after_flush", _notice_event_rows)
    sa_event.listen(OrmSession, "before_commit", _read_stamp)
    sa_event.listen(OrmSession, "after_commit", _publish_stamp)
    sa_event.listen(OrmSession, "after_rollback", _forget_changes)


def _notice_event_rows(session: OrmSession, _context: UOWTransaction) -> None:
    """An edition inserted, edited or deleted may change which one is current, or its facts.

    A raised programme version is an edit of the edition's row, so it is seen
    here (or, when nothing was flushed before the commit, by ``_read_stamp``).
    """
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
    if not has_app_context() or _MEMO_EXTENSION not in current_app.extensions:
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
