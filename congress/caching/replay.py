"""Repeated anonymous requests for public pages, answered without running Flask.

Why: under a flood every visitor asks for the same few pages, and once a page
is cached (``pages``) what is left of a request is Flask's own work: request
context, session, language, routing, the after-request headers. On a 2-core
host that overhead halves the rate at which workers can send a large cached
page (``bench/programme_bench.py``). This WSGI layer, just in front of Flask,
remembers the status and headers Flask sent for a cached public page and sends
them again, with the body from this process's page cache, to the next request
that would get exactly the same answer.

When a request is replayed, and why that gives the same bytes Flask would:

* ``GET`` only, with no ``Cookie`` and no ``Authorization``: such a request has
  no session, so its language is the default one and nobody is logged in;
  conditional requests (``If-None-Match``, ``If-Modified-Since``) and an
  ``Accept-Encoding`` that weighs gzip go to Flask, which answers them cheaply.
* The answer was recorded from Flask for the same scheme, host, path, query
  string and encoding, for a view decorated with ``public_cached`` (which
  marks the request), with status 200 and no ``Set-Cookie``.
* The programme stamp this worker trusts right now (``StampMemo``) is the one
  the recording was made under: any change to the programme gives a new stamp,
  and a recording under an older one is never replayed. When the copy of the
  stamp is too old to trust, the request goes to Flask, which refreshes it.
* The body is still in this process's page cache under the recorded key
  (bodies are version-keyed, so it is the same bytes); otherwise Flask runs.
* The application's pre-request checks (``congress.request_rules``, the same
  list Flask runs before every view) let the request through. A keyed check
  depends only on what the key holds, so the answer Flask gave when it
  recorded the page stands (a recording made under another list of checks
  is not replayed). The others run here on each request, with the
  request built from the environ and the app's context, not a whole request
  context (no session, no routing); when one refuses or fails, the request
  goes to Flask, which runs the checks again and answers with its own error
  handling.

Recordings hold only headers (about a kilobyte each) and are bounded in number.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from congress.caching.pages import REPLAYABLE, Replayable, local_pages_of, plain_gzip_choice
from congress.caching.stamp import ProgrammeStamp, stamp_memo_of

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask import Flask
    from werkzeug.wrappers import Request

MAX_RECORDINGS = 512

RequestKey = tuple[str, str, str, str, bool]


class PreRequestCheck(Protocol):
    """A declared check, as ``congress.request_rules.PreRequestCheck`` shapes it."""

    @property
    def run(self) -> Callable[[Request], None]: ...

    @property
    def keyed(self) -> bool: ...


Checks = tuple[PreRequestCheck, ...]
#: The checks as declared now: ``congress.request_rules.declared_checks``.
DeclaredChecks = Callable[[], Checks]


class Recording(NamedTuple):
    stamp: ProgrammeStamp
    body_key: str
    status: str
    headers: list[tuple[str, str]]
    #: The checks declared when Flask answered: the keyed ones' answers are part of it.
    checks: Checks


def request_key(environ: WSGIEnvironment) -> RequestKey | None:
    """The key of a request that may be replayed, ``None`` for any other request."""
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    if "HTTP_COOKIE" in environ or "HTTP_AUTHORIZATION" in environ:
        return None
    if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
        return None
    gzip = plain_gzip_choice(environ.get("HTTP_ACCEPT_ENCODING", ""))
    if gzip is None:  # weights: Flask parses them
        return None
    return (
        environ.get("wsgi.url_scheme", "http"),
        environ.get("HTTP_HOST", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        gzip,
    )


class ReplayMiddleware:
    """WSGI middleware around ``Flask.wsgi_app`` (inside ``ProxyFix``, when there is one)."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication, checks: DeclaredChecks) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.checks = checks
        # The last list of checks seen, and those of them that are not keyed.
        self._unkeyed: tuple[Checks, Checks] = ((), ())
        self._recordings: OrderedDict[RequestKey, Recording] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        key = request_key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        replayed = self._replay(key, environ, start_response)
        if replayed is not None:
            return replayed
        return self._run_and_record(key, environ, start_response)

    def __len__(self) -> int:
        return len(self._recordings)

    def clear(self) -> None:
        with self._lock:
            self._recordings.clear()

    def _replay(
        self, key: RequestKey, environ: WSGIEnvironment, start_response: StartResponse
    ) -> list[bytes] | None:
        recording = self._recordings.get(key)
        if recording is None:
            return None
        if stamp_memo_of(self.app).fresh() != recording.stamp:
            return None
        stored = local_pages_of(self.app).get(recording.body_key)
        if stored is None:
            return None
        declared = self.checks()
        if declared != recording.checks:
            return None
        unkeyed = self._unkeyed_of(declared)
        if unkeyed and not self._passes_checks(unkeyed, environ):
            return None
        body = stored if isinstance(stored, bytes) else stored.body
        start_response(recording.status, list(recording.headers))
        return [body]

    def _unkeyed_of(self, declared: Checks) -> Checks:
        """The checks of ``declared`` a replayed request must pass again (kept for the next)."""
        seen, unkeyed = self._unkeyed
        if seen != declared:
            unkeyed = tuple(check for check in declared if not check.keyed)
            self._unkeyed = (declared, unkeyed)
        return unkeyed

    def _passes_checks(self, checks: Checks, environ: WSGIEnvironment) -> bool:
        """Whether each of ``checks`` lets this request through, as Flask would ask.

        Any exception, a refusal (``HTTPException``) or a check that needs what
        only a whole request context gives, sends the request to Flask. The
        request is not stored in the environ (``populate_request``): it would
        make a reference cycle per replayed request, left to the cyclic
        collector, whose full passes showed as p99 spikes under a flood.
        """
        request = self.app.request_class(environ, populate_request=False)
        try:
            with self.app.app_context():
                for check in checks:
                    check.run(request)
        except Exception:  # Flask runs the checks again and answers
            return False
        return True

    def _run_and_record(
        self, key: RequestKey, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        declared = self.checks()
        sent: list[tuple[str, list[tuple[str, str]]]] = []

        def recording_start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            sent.append((status, list(headers)))
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, recording_start_response)
        replayable: Replayable | None = environ.get(REPLAYABLE)
        if replayable is not None and sent:
            status, headers = sent[-1]
            if status.startswith("200 ") and not any(
                name.lower() == "set-cookie" for name, _ in headers
            ):
                self._remember(key, Recording(*replayable, status, headers, declared))
        return body

    def _remember(self, key: RequestKey, recording: Recording) -> None:
        with self._lock:
            self._recordings[key] = recording
            self._recordings.move_to_end(key)
            while len(self._recordings) > MAX_RECORDINGS:
                self._recordings.popitem(last=False)


def init_app(app: Flask, checks: DeclaredChecks) -> ReplayMiddleware:
    """Put the replay layer in front of Flask (before any proxy fix wraps both).

    ``checks`` gives the pre-request checks Flask runs before every view
    (``congress.request_rules.declared_checks``): a replayed answer obeys the same rules.
    """
    middleware = ReplayMiddleware(app, app.wsgi_app, checks)
    app.wsgi_app = middleware  # type: ignore[method-assign]
    app.extensions["congress.replay"] = middleware
    return middleware
