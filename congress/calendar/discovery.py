"""Where people find the feeds: subscribe, download and "add to" links, and the apps page.

Why here: the feeds are excellent but were linked only from the dashboard and
the whole-programme button, so visitors never found the day, track, room and
speaker feeds, and conference-app users never found ``schedule.xml``. These
helpers build every such link in one place, for the templates (as globals):

* a feed's address is absolute (``BASE_URL``) and carries ``lang=en`` on an
  English page, so an English reader subscribes to the English feed;
* ``webcal://`` subscribes where plain ``https://`` would download once;
* Google Calendar and Outlook.com get links built from the data (subscribe
  to a feed by its address, or add one session with its times): plain links,
  no request leaves the page until the visitor follows one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import segno
from flask import Blueprint, current_app, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from markupsafe import Markup, escape

from congress.edition.queries import current_event_or_404
from congress.i18n import lazy_gettext as _l

bp = Blueprint("discovery", __name__)

GOOGLE_ADD = "https://calendar.google.com/calendar/render"
GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r"
OUTLOOK_ADD = "https://outlook.live.com/calendar/0/deeplink/compose"
OUTLOOK_SUBSCRIBE = "https://outlook.live.com/calendar/0/addfromweb"


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One calendar feed as the page offers it."""

    label: str
    url: str  # https address, to download or paste
    webcal: str  # the same address for "subscribe"
    google: str  # subscribe in Google Calendar
    outlook: str  # subscribe in Outlook.com


def _english() -> bool:
    return str(get_locale() or "fr").startswith("en")


def feed_url(endpoint: str, **values: Any) -> str:
    """The absolute address of a feed or schedule file, in the page's language."""
    if _english():
        values["lang"] = "en"
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


def webcal(url: str) -> str:
    """``webcal://`` form of an address: calendar apps subscribe rather than import once."""
    return re.sub(r"^https?://", "webcal://", url)


def feed_link(label: str, endpoint: str, **values: Any) -> FeedLink:
    url = feed_url(endpoint, **values)
    return FeedLink(
        label=label,
        url=url,
        webcal=webcal(url),
        google=f"{GOOGLE_SUBSCRIBE}?{urlencode({'cid': webcal(url)})}",
        outlook=f"{OUTLOOK_SUBSCRIBE}?{urlencode({'url': url, 'name': label})}",
    )


def filter_feeds(filters: Any) -> list[FeedLink]:
    """The feeds matching a filtered view of ``/programme``: one per filter that has a feed.

    A view filtered by day, track or room offers that day's, track's or room's
    feed (each, when several are combined); any other view, the whole programme.
    """
    links = []
    if filters.day is not None:
        label = str(_l("This day"))
        links.append(feed_link(label, "calendar.day_feed", day=filters.day.isoformat()))
    if filters.track is not None:
        label = str(_l("Track “%(name)s”", name=filters.track.name))
        links.append(feed_link(label, "calendar.track_feed", slug=filters.track.slug))
    if filters.room is not None:
        label = str(_l("Room “%(name)s”", name=filters.room.name))
        links.append(feed_link(label, "calendar.room_feed", slug=filters.room.slug))
    if not links:
        links.append(feed_link(str(_l("Whole programme")), "calendar.programme_feed"))
    return links


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def add_links(talk: Any, event: Any) -> dict[str, str]:
    """Google Calendar and Outlook.com links that add one session, from its data."""
    session_url = current_app.config["BASE_URL"] + url_for("programme.session", slug=talk.slug)
    place = ", ".join(
        part for part in (talk.room.name if talk.room else "", event.venue, event.city) if part
    )
    google = {
        "action": "TEMPLATE",
        "text": talk.title,
        "dates": f"{_utc_text(talk.starts_at)}/{_utc_text(talk.ends_at)}",
        "details": session_url,
        "location": place,
        "ctz": event.timezone,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": talk.title,
        "startdt": talk.starts_at.astimezone(UTC).isoformat(),
        "enddt": talk.ends_at.astimezone(UTC).isoformat(),
        "body": session_url,
        "location": place,
    }
    return {
        "google": f"{GOOGLE_ADD}?{urlencode(google)}",
        "outlook": f"{OUTLOOK_ADD}?{urlencode(outlook)}",
    }


def qr_svg(url: str, label: str) -> Markup:
    """An inline SVG QR code of ``url``, announced as an image named ``label``."""
    svg = segno.make(url, error="m").svg_inline(scale=3, svgclass="qr", lineclass="qr-line")
    named = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    # segno writes the SVG from the URL's bits alone; the one text put in is escaped.
    return Markup(named)  # noqa: S704  # nosec B704


@bp.record_once
def _globals(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals.update(
        feed_url=feed_url, feed_link=feed_link, filter_feeds=filter_feeds, add_links=add_links
    )


@bp.get("/applications")
def applications() -> str:
    """The schedule files conference apps read, with QR codes to open them on a phone."""
    event = current_event_or_404()
    files = [
        ("xml", feed_url("calendar.schedule_xml")),
        ("json", feed_url("calendar.schedule_json")),
        ("ics", feed_url("calendar.programme_feed")),
    ]
    return render_template(
        "programme/applications.html",
        event=event,
        files=files,
        programme=feed_link(str(_l("Whole programme")), "calendar.programme_feed"),
        qr={kind: qr_svg(url, str(_l("QR code of %(url)s", url=url))) for kind, url in files},
    )
