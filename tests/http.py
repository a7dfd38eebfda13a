"""Helpers for driving forms through the Flask test client like a browser would."""

from __future__ import annotations

import re
from typing import Any

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def submit(client: Any, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """GET the form page, then POST ``data`` with the page's CSRF token."""
    page = client.get(path)
    payload = {"csrf_token": csrf_from(page.get_data(as_text=True)), **(data or {})}
    return client.post(path, data=payload, **kwargs)
