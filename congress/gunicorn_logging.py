"""Gunicorn's logger with capability tokens masked in access log lines."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from congress.security import redact


class RedactingLogger(Logger):
    """``/r/<token>`` and ``/register/confirm/<token>`` are logged as ``/r/…``."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        values = super().atoms(resp, req, environ, request_time)
        for key in ("U", "r", "f"):
            if isinstance(values.get(key), str):
                values[key] = redact(values[key])
        values["q"] = ""
        return values
