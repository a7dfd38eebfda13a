"""Reading single fields of a schedule file, the same way for the XML and the JSON.

Each function takes a raw value and the place it came from (``event 'x' title``)
and gives a clean value or a ``ScheduleError`` naming that place, so a bad file
is refused with a message an operator can act on. Values longer than their
column (``programme.models``) are refused rather than cut.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from congress.interchange.frab_schedule import ScheduleError

__all__ = [
    "LANGUAGE_MAX",
    "NAME_MAX",
    "TITLE_MAX",
    "UUID_PATTERN",
    "capacity",
    "colour",
    "decode",
    "derived_uid",
    "iso_day",
    "required_name",
    "text_value",
    "to_utc",
    "within",
    "zone_named",
]

UUID_PATTERN: Final = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
# Column sizes (``programme.models``).
TITLE_MAX: Final = 300
NAME_MAX: Final = 200
LANGUAGE_MAX: Final = 8
_COLOUR: Final = re.compile(r"#[0-9a-fA-F]{6}")
_SHORT_COLOUR: Final = re.compile(r"#[0-9a-fA-F]{3}")


def decode(raw: bytes, what: str) -> str:
    """The file as text: UTF-8, with or without a byte order mark."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScheduleError(f"{what} is not UTF-8 text ({error.reason})") from error


def text_value(value: Any, where: str) -> str | None:
    """A text field; numbers are taken as their text (JSON ids), anything else refused."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ScheduleError(f"{where}: a text value is expected")


def capacity(value: Any, where: str) -> int | None:
    """A room's capacity: a whole number; zero or less means unknown."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScheduleError(f"{where}: a whole number is expected")
    return value if value > 0 else None


def required_name(value: str | None, where: str) -> str:
    """A name (room, track, person, conference): required, within its column."""
    if not value or not value.strip():
        raise ScheduleError(f"{where}: name is missing")
    return within(value.strip(), NAME_MAX, where)


def within(value: str, limit: int, where: str) -> str:
    """``value`` itself, refused when longer than its column holds."""
    if len(value) > limit:
        raise ScheduleError(f"{where}: longer than {limit} characters")
    return value


def colour(value: str | None) -> str | None:
    """``#rrggbb`` in lower case (``#rgb`` widened), or nothing for anything else."""
    if not value:
        return None
    value = value.strip()
    if _SHORT_COLOUR.fullmatch(value):
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value.lower() if _COLOUR.fullmatch(value) else None


def iso_day(value: str | None, where: str) -> date | None:
    """The date at the start of an ISO 8601 value, or ``None`` when empty."""
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError as error:
        raise ScheduleError(f"{where} {value!r} is not an ISO 8601 date") from error


def zone_named(name: str) -> ZoneInfo:
    """An IANA zone by name, or a ``ScheduleError`` naming the unknown one."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as error:  # ZoneInfoNotFoundError is a KeyError
        raise ScheduleError(f"unknown time zone {name!r}") from error


def to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def derived_uid(scope: str, key: str) -> str:
    """A stable UUID for an identifier that is not one, scoped by the conference."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:congress:schedule:{scope}:{key}"))
