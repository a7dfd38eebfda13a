"""Reads of the edition."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import abort, current_app, g

from congress.edition.models import Event, Organiser
from congress.extensions import db


def current_event() -> Event | None:
    """The edition the site shows: the latest by first day.

    A site serves one congress at a time; earlier editions stay in the database
    for statistics until the retention command removes their personal data.
    """
    stmt = db.select(Event).order_by(Event.first_day.desc(), Event.id.desc()).limit(1)
    return db.session.scalars(stmt).first()


def request_event() -> Event | None:
    """``current_event`` read once per request and shared by the view and the layout."""
    if "event" not in g:
        g.event = current_event()
    return g.event


def current_event_or_404() -> Event:
    """The edition a page is about (``request_event``, read once per request), or 404.

    Every public and organiser page needs an edition; before the first one is
    created there is nothing to show or edit, which is "not found", not an error.
    """
    event = request_event()
    if event is None:
        abort(404)
    return event


def display_zone() -> ZoneInfo:
    """The zone organisers read times in: the edition's, or the site's default before one exists.

    One answer for every dashboard page, so a day filter and the times it shows
    never disagree (the audit trail once filtered in UTC and displayed in Paris time).
    """
    event = request_event()
    if event is not None:
        return event.zone
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def day_of_edition_or_400(event: Event, wanted: str) -> date:
    """``wanted`` (``YYYY-MM-DD`` from a query string) as one of the edition's days, or 400.

    A day outside the congress is a wrong request, not an empty answer: the
    desk would otherwise rehearse, or an export list, a day nobody attends.
    """
    try:
        day = date.fromisoformat(wanted)
    except ValueError:
        abort(400)
    if day not in event.days:
        abort(400)
    return day


def organiser_of(event: Event) -> Organiser | None:
    """The edition's seller (quotes, invoices, certificates), or None until entered."""
    return db.session.scalar(db.select(Organiser).where(Organiser.event_id == event.id))
