"""The venue's screens: what is on in each room now and next, in large type.

Why a page of its own: the screens at the doors of the rooms and in the hall
run a television's or a kiosk's browser, often old, with no one to click. A
small script (``static/js/screen.js``) reloads the page each minute once the
server answers, so a screen that loses the network keeps its last page rather
than an error; a browser without script reloads through a ``<noscript>``
meta refresh (inside ``noscript`` it is not in the page for browsers that run
scripts, where an automatic refresh would fail WCAG 2.2.1). The page fits a
16:9 screen without scrolling and says the time it was drawn, so a frozen
screen shows as frozen. ``/now`` stays the
visitor's page; ``/now/screen`` shows every room, ``/now/screen/<room>`` one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import Blueprint, Response, abort, render_template

from congress.core.clock import now
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404
from congress.programme import queries
from congress.programme.models import Room, Talk, TalkStatus

bp = Blueprint("screens", __name__)

REFRESH_SECONDS = 60


@dataclass(frozen=True, slots=True)
class RoomScreen:
    """One room's line on a screen: the session running and the next one, if any."""

    room: Room
    current: Talk | None
    following: Talk | None


def room_screens(rooms: list[Room], talks: list[Talk], moment: datetime) -> list[RoomScreen]:
    """Each room's running and next session at ``moment``; cancelled ones are shown as such.

    ``talks`` are the day's published talks in time order. A cancelled session
    keeps its place so people at the door learn why the room is empty.
    """
    lines = []
    for room in rooms:
        here = [talk for talk in talks if talk.room_id == room.id]
        current = next((t for t in here if t.starts_at <= moment < t.ends_at), None)
        following = next((t for t in here if t.starts_at > moment), None)
        lines.append(RoomScreen(room, current, following))
    return lines


def _shown_day(event: Event, moment: datetime) -> date:
    """The congress day a screen shows: today during the congress, else the nearest one."""
    today = moment.astimezone(event.zone).date()
    return min(max(today, event.first_day), event.last_day)


def _render(event: Event, rooms: list[Room], single: Room | None) -> Response:
    moment = now().astimezone(event.zone)
    day = _shown_day(event, moment)
    talks = queries.published_talks(event, queries.ProgrammeFilters(day=day))
    if day != moment.date():
        # Before the congress every session is "next"; after it, none is on.
        reference = datetime.combine(day, time.min, tzinfo=event.zone)
        if moment.date() > day:
            reference += timedelta(days=1)
    else:
        reference = moment
    body = render_template(
        "programme/screen.html",
        event=event,
        moment=moment,
        day=day,
        today=day == moment.date(),
        lines=room_screens(rooms, talks, reference),
        single=single,
        refresh=REFRESH_SECONDS,
        cancelled=TalkStatus.CANCELLED,
    )
    response = Response(body)
    response.cache_control.public = True
    response.cache_control.max_age = 30
    return response


@bp.get("/now/screen")
def all_rooms() -> Response:
    event = current_event_or_404()
    return _render(event, queries.rooms(event), None)


@bp.get("/now/screen/<slug>")
def one_room(slug: str) -> Response:
    event = current_event_or_404()
    room = queries.room_by_slug(event, slug)
    if room is None:
        abort(404)
    return _render(event, [room], room)
