"""The checks every request passes before any view runs: one declared list.

Why one list: the replay layer (``congress.caching.replay``) answers repeated
anonymous requests for cached pages before Flask runs, so a hook registered
with ``app.before_request`` would never see them. Flask runs every check of
``PRE_REQUEST_CHECKS`` before each view, and the replay layer obeys the same
list (``declared_checks``): a rule added here (maintenance mode, a ban list)
applies to every request, replayed or not. Add an application-wide rule here,
never with ``app.before_request`` (``tests/integration/test_request_rules.py``
checks).

A check takes the request, raises an ``HTTPException`` (``abort``) to refuse
it and returns nothing to let it through. It may read ``current_app`` and
``g``, not the session or the matched route: the replay layer runs the checks
with the app's context and the request only, because a whole request context
would cost most of what replaying saves. It must be a decision without side
effects the request depends on: when a check refuses a request the replay
layer would have answered, Flask runs the list again to answer with its error
handling.

A check declared ``keyed`` depends only on what the replay layer's key holds
(a ``GET``, its scheme, host, path and query string): Flask gave its answer
when it recorded the page, so a replayed request is not asked again. Why: the
two checks of today are keyed, and running them on every replayed request
(building a request and an app context) cost about a sixth more CPU per
replayed page (ARCHITECTURE.md, caching). Every other check runs on each
replayed request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request
from werkzeug.wrappers import Request

from congress.security import check_origin, refuse_nul_bytes


@dataclass(frozen=True, slots=True)
class PreRequestCheck:
    """One rule: ``run`` refuses a request by raising; ``keyed`` as the module says."""

    run: Callable[[Request], None]
    keyed: bool = False


PRE_REQUEST_CHECKS: list[PreRequestCheck] = [
    # The path and the query string (a form's fields only on a POST, never replayed).
    PreRequestCheck(refuse_nul_bytes, keyed=True),
    # State-changing methods only: a replayed GET always passes.
    PreRequestCheck(check_origin, keyed=True),
]


def run_checks(current: Request) -> None:
    """Run every declared check on ``current``; the first refusal raises."""
    for check in PRE_REQUEST_CHECKS:
        check.run(current)


def declared_checks() -> tuple[PreRequestCheck, ...]:
    """The list as declared right now, for the replay layer.

    A recording keeps the checks declared when Flask answered (the keyed ones'
    answers are part of it); once the list differs, that recording is not
    replayed: Flask answers, and records again.
    """
    return tuple(PRE_REQUEST_CHECKS)


def _before_request() -> None:
    run_checks(request)


def init_app(app: Flask) -> None:
    """Flask runs the declared checks before every view, after the extensions' own hooks."""
    app.before_request(_before_request)
