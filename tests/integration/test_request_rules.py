"""The checks before every view are one declared list, which the replay layer runs too."""

from __future__ import annotations

import pytest
from flask import Flask, abort
from werkzeug.wrappers import Request

from congress import request_rules

pytestmark = pytest.mark.integration


def test_the_declared_checks_are_the_only_application_hooks_of_our_own(app: Flask):
    """An ``app.before_request`` of ours would not reach replayed pages: use the list.

    The others are the extensions' (CSRF and rate limits: never on a replayed
    GET without a limited route) and the accounts' session lifetime (a
    replayed request carries no cookie, so it has no session to end).
    """
    hooks = [f"{hook.__module__}.{hook.__name__}" for hook in app.before_request_funcs[None]]

    assert hooks == [
        "flask_wtf.csrf.csrf_protect",
        "congress.accounts.views.enforce_session_lifetime",
        "flask_limiter._extension._check_request_limit",
        "congress.request_rules._before_request",
    ]


def test_a_check_added_to_the_declared_list_applies_to_every_request(client, monkeypatch):
    assert client.get("/privacy").status_code == 200

    def maintenance(_request: Request) -> None:
        abort(503)

    checks = [*request_rules.PRE_REQUEST_CHECKS, request_rules.PreRequestCheck(maintenance)]
    monkeypatch.setattr(request_rules, "PRE_REQUEST_CHECKS", checks)

    assert client.get("/privacy").status_code == 503


def test_a_nul_byte_in_the_query_is_refused_by_the_declared_checks(client):
    assert client.get("/programme?q=a%00b").status_code == 400
