"""Reads the programme filters from the query string (shape and lookups only)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import LazyString

from congress.core.text import parse_day
from congress.edition.models import Event
from congress.i18n import lazy_gettext as _l
from congress.programme import queries
from congress.programme.models import TalkKind

MAX_QUERY_LENGTH = 100
#: The query arguments of the programme page; any other is ignored (and not cached apart).
FILTER_NAMES = ("day", "track", "kind", "room", "q")


@dataclass(slots=True)
class FilterResult:
    filters: queries.ProgrammeFilters
    errors: dict[str, LazyString] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)


def parse_filters(event: Event, args: Mapping[str, str]) -> FilterResult:
    """Validated filters; an invalid value is reported and ignored, never a 500."""
    raw = {name: (args.get(name) or "").strip() for name in FILTER_NAMES}
    errors: dict[str, LazyString] = {}

    day = None
    if raw["day"]:
        day = parse_day(raw["day"])
        if day is None or day not in event.days:
            errors["day"] = _l("This day is not a day of the congress.")
            day = None

    track = queries.track_by_slug(event, raw["track"]) if raw["track"] else None
    if raw["track"] and track is None:
        errors["track"] = _l("Unknown track.")

    room = queries.room_by_slug(event, raw["room"]) if raw["room"] else None
    if raw["room"] and room is None:
        errors["room"] = _l("Unknown room.")

    kind = None
    if raw["kind"]:
        try:
            kind = TalkKind(raw["kind"])
        except ValueError:
            errors["kind"] = _l("Unknown kind of session.")

    q = raw["q"]
    if len(q) > MAX_QUERY_LENGTH or "\x00" in q:
        errors["q"] = _l("The search may not exceed %(n)d characters.", n=MAX_QUERY_LENGTH)
        q = ""

    filters = queries.ProgrammeFilters(
        day=day, track=track, kind=kind, room=room, q=q, terms=queries.search_terms(q)
    )
    return FilterResult(filters=filters, errors=errors, raw=raw)
