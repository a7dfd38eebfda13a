"""Security log lines and token masking, for every layer.

Security log lines are one JSON object per line on the ``congress.security`` logger: an
event name, the path (tokens masked) and the client address, never a password, token or
personal detail beyond that. They live in the kernel because domain services (login,
registration) write them, and the kernel is the layer every domain may import.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from flask import request

security_log = logging.getLogger("congress.security")

# Paths that carry a capability token; the token part is masked in every log.
TOKEN_PREFIXES = (
    "/r/",
    "/register/confirm/",
    "/team/invitation/",
    "/cfp/s/",
    "/cfp/confirm/",
    "/cfp/speaker-confirm/",
    "/speaker/",
)
_TOKEN_PATH = re.compile(
    "(" + "|".join(re.escape(prefix) for prefix in TOKEN_PREFIXES) + ")[A-Za-z0-9_-]+"
)


def redact(text: str) -> str:
    """``text`` with the token of every private-link path masked."""
    if not any(prefix in text for prefix in TOKEN_PREFIXES):  # most lines: no regex
        return text
    return _TOKEN_PATH.sub(r"\1…", text)


def log_event(event: str, **fields: Any) -> None:
    """One structured line; values are single-line and bounded."""
    entry = {"event": event}
    try:
        entry["path"] = redact(request.path)[:200]
        entry["address"] = request.remote_addr or ""
    except RuntimeError:  # outside a request
        pass
    for key, value in fields.items():
        entry[key] = str(value).replace("\r", " ").replace("\n", " ")[:200]
    security_log.warning(json.dumps(entry, ensure_ascii=False, sort_keys=True))
