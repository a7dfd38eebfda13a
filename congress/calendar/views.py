"""Public calendar feeds and schedule exports, all served by one view.

Each URL names a format and a scope; the view selects the published talks of
that scope, asks the registry for the exporter and sends its bytes with a file
name. Caching, ETag and 304 come from ``public_cached`` (programme version).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Response, abort, current_app
from flask_babel import format_date, gettext

from congress.caching.pages import public_cached
from congress.calendar.exporters.base import Audience, ExportScope
from congress.calendar.exporters.registry import exporter_for
from congress.core.text import parse_day
from congress.edition.models import Event
from congress.edition.queries import request_event
from congress.programme import listing, queries
from congress.programme.models import Speaker, Talk

bp = Blueprint("calendar", __name__)

FEED_MAX_AGE = 300


def _select(
    event: Event, scope: str, key: str | None
) -> tuple[str, str, Sequence[Talk | listing.TalkRecord]]:
    """(file key, calendar title, talks) of a scope; 404 for anything unknown."""
    name = event.acronym or event.name
    if scope == "programme":
        return "programme", gettext("%(name)s – programme", name=name), _talks(event)
    if scope == "day" and key:
        day = parse_day(key)
        if day is None or day not in event.days:
            abort(404)
        talks = _talks(event, queries.ProgrammeFilters(day=day))
        return f"day-{day.isoformat()}", f"{name} – {format_date(day, 'full')}", talks
    if scope == "track" and key:
        track = queries.track_by_slug(event, key) or abort(404)
        return (
            f"track-{track.slug}",
            f"{name} – {track.name}",
            _talks(event, queries.ProgrammeFilters(track=track)),
        )
    if scope == "room" and key:
        room = queries.room_by_slug(event, key) or abort(404)
        return (
            f"room-{room.slug}",
            f"{name} – {room.name}",
            _talks(event, queries.ProgrammeFilters(room=room)),
        )
    if scope == "session" and key:
        talk = queries.published_talk(event, key) or abort(404)
        return f"session-{talk.slug}", f"{name} – {talk.title}", [talk]
    if scope == "speaker" and key:
        found = queries.public_speaker(event, key) or abort(404)
        person: Speaker = found[0]
        return f"speaker-{person.slug}", f"{name} – {person.name}", found[1]
    abort(404)


def _talks(
    event: Event, filters: queries.ProgrammeFilters | None = None
) -> list[listing.TalkRecord]:
    """Whole scopes (programme, day, track, room) read as records: see ``listing``."""
    return listing.published_records(event, filters)


def render_export(
    fmt: str,
    event: Event,
    file_key: str,
    title: str,
    talks: Sequence[Talk | listing.TalkRecord],
    audience: Audience = Audience.PUBLIC,
) -> Response:
    """Render ``talks`` in ``fmt``; shared by public feeds and the attendee's agenda."""
    exporter = exporter_for(fmt)
    if audience not in exporter.audiences:
        abort(404)
    needs_layout = fmt != "ics"
    scope = ExportScope(
        key=file_key,
        title=title,
        event=event,
        talks=talks,
        rooms=queries.rooms(event) if needs_layout else (),
        tracks=queries.tracks(event) if needs_layout else (),
        base_url=current_app.config["BASE_URL"],
        uid_domain=current_app.config["UID_DOMAIN"],
        generated_at=event.programme_updated_at,
        audience=audience,
    )
    response = Response(exporter.render(scope), content_type=exporter.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{exporter.filename(scope)}"'
    return response


def _feed(fmt: str, scope: str, key: str | None = None) -> Response:
    event = request_event()
    if event is None:
        abort(404)
    file_key, title, talks = _select(event, scope, key)
    return render_export(fmt, event, file_key, title, talks)


@bp.get("/programme.ics")
@public_cached(max_age=FEED_MAX_AGE)
def programme_feed() -> Response:
    return _feed("ics", "programme")


@bp.get("/programme/<day>.ics")
@public_cached(max_age=FEED_MAX_AGE)
def day_feed(day: str) -> Response:
    return _feed("ics", "day", day)


@bp.get("/tracks/<slug>.ics")
@public_cached(max_age=FEED_MAX_AGE)
def track_feed(slug: str) -> Response:
    return _feed("ics", "track", slug)


@bp.get("/rooms/<slug>.ics")
@public_cached(max_age=FEED_MAX_AGE)
def room_feed(slug: str) -> Response:
    return _feed("ics", "room", slug)


@bp.get("/sessions/<slug>.ics")
@public_cached(max_age=FEED_MAX_AGE)
def session_feed(slug: str) -> Response:
    return _feed("ics", "session", slug)


@bp.get("/speakers/<slug>.ics")
@public_cached(max_age=FEED_MAX_AGE)
def speaker_feed(slug: str) -> Response:
    return _feed("ics", "speaker", slug)


@bp.get("/schedule.xml")
@public_cached(max_age=FEED_MAX_AGE)
def schedule_xml() -> Response:
    return _feed("schedule.xml", "programme")


@bp.get("/schedule.json")
@public_cached(max_age=FEED_MAX_AGE)
def schedule_json() -> Response:
    return _feed("schedule.json", "programme")
