"""Public programme pages: the schedule, a session, speakers and what is on now."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.blueprints import BlueprintSetupState

from congress.caching.pages import public_cached
from congress.core.clock import now
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404
from congress.extensions import limiter
from congress.programme import cards, labels, listing, queries, search
from congress.programme.filters import FILTER_NAMES, parse_filters
from congress.programme.models import Talk, TalkKind
from congress.programme.schedule_view import grid_columns, group_by_day

bp = Blueprint("programme", __name__)

PAGE_MAX_AGE = 60
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@bp.record_once
def _label_globals(state: BlueprintSetupState) -> None:
    """Labels and the talk card as template globals, so imported macros see them too."""
    state.app.jinja_env.globals.update(
        kind_labels=labels.KIND_TEXT,
        kind_plurals=labels.KIND_PLURAL_TEXT,
        disclosure_codes=labels.DISCLOSURE_CODES,
        disclosure_help=labels.DISCLOSURE_HELP_TEXT,
        status_labels=labels.STATUS_TEXT,
        role_labels=labels.ROLE_TEXT,
        restricted_notice=labels.RESTRICTED_ABSTRACT_NOTICE,
        talk_card=cards.talk_card,
        slot_items=cards.slot_items,
        time_range=cards.time_range,
        talk_badges=cards.talk_badges,
        speaker_names=cards.speaker_names,
    )


def _not_a_search() -> bool:
    return not (request.args.get("q") or "").strip()


@bp.get("/programme")
# Each distinct search text is a page built afresh (every other address of the
# programme comes from the cache), so searches are the one way to make the site
# build pages on demand: they are limited per address; browsing is not.
@limiter.limit(lambda: current_app.config["RATELIMIT_SEARCH"], exempt_when=_not_a_search)
@public_cached(max_age=PAGE_MAX_AGE, query=FILTER_NAMES)
def index() -> tuple[str, int]:
    event = current_event_or_404()
    result = parse_filters(event, request.args)
    talks = listing.published_records(event, result.filters)
    days = [result.filters.day] if result.filters.day else event.days
    rooms = queries.rooms(event)
    terms = result.filters.terms
    ranked = search.rank(talks, terms) if terms else []
    suggested = search.suggestions(terms, queries.vocabulary(event)) if terms and not talks else []
    return (
        render_template(
            "programme/index.html",
            event=event,
            schedule=group_by_day(event, talks, days),
            total=len(talks),
            result=result,
            rooms=rooms,
            columns=grid_columns(rooms),
            tracks=queries.tracks(event),
            kinds=list(TalkKind),
            ranked=ranked,
            suggested=suggested,
        ),
        400 if result.errors else 200,
    )


@bp.get("/sessions/<slug>")
@public_cached(max_age=PAGE_MAX_AGE)
def session(slug: str) -> str:
    event = current_event_or_404()
    talk = queries.published_talk(event, slug)
    if talk is None:
        abort(404)
    return render_template(
        "programme/session.html",
        event=event,
        talk=talk,
    )


@bp.get("/speakers")
@public_cached(max_age=PAGE_MAX_AGE)
def speakers() -> str:
    event = current_event_or_404()
    return render_template(
        "programme/speakers.html", event=event, speakers=queries.public_speakers(event)
    )


@bp.get("/speakers/<slug>")
@public_cached(max_age=PAGE_MAX_AGE)
def speaker(slug: str) -> str:
    event = current_event_or_404()
    found = queries.public_speaker(event, slug)
    if found is None:
        abort(404)
    person, talks = found
    return render_template("programme/speaker.html", event=event, speaker=person, talks=talks)


@bp.get("/now")
def on_now() -> Response:
    """What is on now and in the next hour; before or after the congress, says so.

    Not version-cached: it depends on the clock. A short max-age still spares a
    flood of identical requests.
    """
    event = current_event_or_404()
    moment = now().astimezone(event.zone)
    first_start = datetime.combine(event.first_day, time.min, tzinfo=event.zone)
    last_end = datetime.combine(event.last_day + timedelta(days=1), time.min, tzinfo=event.zone)
    context: dict[str, object] = {
        "event": event,
        "moment": moment,
        "rooms": queries.rooms(event),
    }
    if moment < first_start:
        context.update(phase="before", day=event.first_day)
        context["day_talks"] = _day_talks(event, event.first_day)
    elif moment >= last_end:
        context.update(phase="after", day=event.last_day)
        context["day_talks"] = _day_talks(event, event.last_day)
    else:
        current = queries.talks_in_range(event, moment, moment + timedelta(hours=1))
        context.update(
            phase="during",
            on_now=[t for t in current if t.starts_at <= moment],
            upcoming=[t for t in current if t.starts_at > moment],
        )
    response = Response(render_template("programme/now.html", **context))
    response.cache_control.public = True
    response.cache_control.max_age = 30
    return response


def _day_talks(event: Event, day: date) -> list[Talk]:
    filters = queries.ProgrammeFilters(day=day)
    return queries.published_talks(event, filters)


@bp.get("/tracks.css")
@public_cached(max_age=PAGE_MAX_AGE)
def tracks_css() -> Response:
    """Track colours as classes: the strict CSP forbids inline style attributes."""
    event = current_event_or_404()
    rules = [
        f".track-{track.slug} {{ --track-colour: {track.colour}; }}"
        for track in queries.tracks(event)
        if HEX_COLOUR.match(track.colour)
    ]
    return Response("\n".join(rules) + "\n", mimetype="text/css")
