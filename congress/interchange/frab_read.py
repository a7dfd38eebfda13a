"""Which format a schedule file is in, and reading it whatever it is.

``flask congress import`` detects the format by content rather than by the
file's name (a download often loses it), then hands the bytes to
``frab_xml`` or ``frab_json``. Parsing touches no database.
"""

from __future__ import annotations

from typing import Literal

from congress.interchange.frab_json import read_json, schedule_from_json
from congress.interchange.frab_schedule import Schedule, ScheduleError
from congress.interchange.frab_xml import schedule_from_xml

__all__ = ["detect_format", "parse_schedule"]


def detect_format(raw: bytes) -> Literal["xml", "json"]:
    """``"json"`` or ``"xml"`` from the first significant character, whatever the file name."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4]:
        raise ScheduleError("the file is not UTF-8 text (UTF-16 or UTF-32): save it as UTF-8")
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return "json"
    if head == b"<":
        return "xml"
    raise ScheduleError("not a schedule: expected a schedule.xml or schedule.json document")


def parse_schedule(raw: bytes, *, fallback_zone: str | None = None) -> Schedule:
    """Parse either format; ``fallback_zone`` reads local times when the file names no zone."""
    if detect_format(raw) == "json":
        return schedule_from_json(read_json(raw), fallback_zone=fallback_zone)
    return schedule_from_xml(raw, fallback_zone=fallback_zone)
