"""Gunicorn's logger with capability tokens masked in access log lines."""

from __future__ import annotations

import re
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from gunicorn.glogging import Logger

from congress.core.security_log import redact

#: What gunicorn's own atoms (h, r, m, U, q, H, f, a, u...) are made of.
_ENVIRON_KEYS = (
    "REMOTE_ADDR",
    "REQUEST_METHOD",
    "RAW_URI",
    "SERVER_PROTOCOL",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_REFERER",
    "HTTP_USER_AGENT",
    "HTTP_AUTHORIZATION",
)
_HEADER_ATOM = re.compile(r"%\((\{[^}]*\}[ioe])\)")


@lru_cache(maxsize=4)
def _header_atoms(log_format: str) -> tuple[str, ...]:
    """The ``{name}i``, ``{name}o`` and ``{name}e`` atoms a format names, lower-cased."""
    return tuple(dict.fromkeys(key.lower() for key in _HEADER_ATOM.findall(log_format)))


class RedactingLogger(Logger):
    """``/r/<token>`` and ``/register/confirm/<token>`` are logged as ``/r/…``.

    Only the atoms the format names are computed. Gunicorn's ``atoms`` copies
    every request header, response header and environ entry into each line's
    mapping (some sixty values, each then escaped and scanned for tokens): on a
    cached page that cost as much as answering it (``bench/load_bench.py``,
    without the access log a worker answered 1.8 times as many requests).
    """

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        light_environ = {key: environ[key] for key in _ENVIRON_KEYS if key in environ}
        answer = SimpleNamespace(status=resp.status, sent=getattr(resp, "sent", None), headers=())
        values = super().atoms(answer, (), light_environ, request_time)
        for key in _header_atoms(self.cfg.access_log_format):
            name, source = key[1:-2], key[-1]
            if source == "e":
                found = environ.get(name.upper())
            else:
                headers = getattr(req, "headers", ()) if source == "i" else resp.headers
                found = next((v for k, v in headers if k.lower() == name), None)
            if found is not None:
                values[key] = found
        for key in ("U", "r", "f"):
            if isinstance(values.get(key), str):
                values[key] = redact(values[key])
        values["q"] = ""
        return values
