"""The card of a talk in lists: the programme grid, a speaker's talks, what is on now.

Written in Python rather than as a Jinja macro, for one reason: the full
programme prints a card per talk (1,000 in the benchmark), and a macro call
with its thirty-odd attribute lookups and escapes cost about 100 µs per card,
two thirds of a cold build's budget (``bench/programme_bench.py``). Here each
card is one string format over escaped values: every value that comes from
the database goes through ``escape``; labels are translations (trusted markup,
see ``congress.i18n``). The session page, the agenda and the dashboard, which show one
talk at a time, use the same fragments (``time_range``, ``talk_badges``,
``speaker_names``), so the markup of a talk is written in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from flask import g
from flask_babel import get_locale
from markupsafe import Markup, escape

from congress.core.urls import slug_prefix, with_slug
from congress.edition.models import Event
from congress.programme.labels import (
    DISCLOSURE_CODES,
    DISCLOSURE_HELP_TEXT,
    KIND_TEXT,
    ROLE_TEXT,
    STATUS_TEXT,
)
from congress.programme.models import Disclosure, SpeakerRole, TalkKind, TalkStatus
from congress.typography import long_date

ATTACK_MARK = '<span aria-hidden="true">⚠ </span>'


def _clock(moment: datetime, zone: ZoneInfo) -> str:
    """``HH:MM`` in the edition's zone (24-hour clock in every language we speak)."""
    local = moment.astimezone(zone)
    return f"{local.hour:02d}:{local.minute:02d}"


def _time_range(talk: Any, zone: ZoneInfo) -> str:
    return (
        f'<time datetime="{talk.starts_at.isoformat()}">{_clock(talk.starts_at, zone)}</time>–'
        f'<time datetime="{talk.ends_at.isoformat()}">{_clock(talk.ends_at, zone)}</time>'
    )


class _CardContext(NamedTuple):
    """What every card of a request shares: labels in its language, paths of its links."""

    kinds: Mapping[TalkKind, Markup]
    statuses: Mapping[TalkStatus, Markup]
    disclosure_help: Mapping[Disclosure, Markup]
    roles: Mapping[SpeakerRole, Markup]
    session_prefix: str
    speaker_prefix: str


def _card_context() -> _CardContext:
    """Built once per request and language (a page may print a thousand cards)."""
    language = str(get_locale())
    built: dict[str, _CardContext] = g.setdefault("talk_card_contexts", {})
    context = built.get(language)
    if context is None:
        context = built[language] = _CardContext(
            KIND_TEXT.table(language),
            STATUS_TEXT.table(language),
            DISCLOSURE_HELP_TEXT.table(language),
            ROLE_TEXT.table(language),
            slug_prefix("programme.session"),
            slug_prefix("programme.speaker"),
        )
    return context


def _badges(talk: Any, with_track: bool, context: _CardContext) -> str:
    kind: TalkKind = talk.kind
    parts = []
    if talk.status is TalkStatus.CANCELLED:
        parts.append(f'<span class="badge cancelled">{context.statuses[talk.status]}</span>')
    mark = ATTACK_MARK if kind is TalkKind.ATTACK_ANALYSIS else ""
    parts.append(f'<span class="badge kind kind-{kind.value}">{mark}{context.kinds[kind]}</span>')
    disclosure: Disclosure = talk.disclosure
    if disclosure is not Disclosure.NONE:
        parts.append(
            f'<span class="badge tlp tlp-{disclosure.value}" '
            f'title="{context.disclosure_help[disclosure]}">'
            f"{escape(DISCLOSURE_CODES[disclosure])}</span>"
        )
    if with_track and talk.track is not None:
        parts.append(f'<span class="badge track-name">{escape(talk.track.name)}</span>')
    return " ".join(parts)


def _speakers(talk: Any, context: _CardContext) -> str:
    links = talk.speaker_links
    if not links:
        return ""
    items = []
    for link in links:
        speaker = link.speaker
        role = ""
        if link.role is not SpeakerRole.SPEAKER:
            role = f' <span class="role">({context.roles[link.role]})</span>'
        href = escape(with_slug(context.speaker_prefix, speaker.slug))
        items.append(f'<li><a href="{href}">{escape(speaker.name)}</a>{role}</li>')
    return f'<ul class="speaker-names">{"".join(items)}</ul>'


def _trusted(html: str) -> Markup:
    """Markup built by this module, where every database value went through ``escape``."""
    return Markup(html)  # noqa: S704  # nosec B704


def time_range(talk: Any, event: Event) -> Markup:
    """Start and end of ``talk`` in the edition's zone, as ``<time>`` elements."""
    return _trusted(_time_range(talk, event.zone))


def talk_badges(talk: Any, with_track: bool = False) -> Markup:
    """Cancelled, kind (attack analyses marked), disclosure label and, if asked, track."""
    return _trusted(_badges(talk, with_track, _card_context()))


def speaker_names(talk: Any) -> Markup:
    """The talk's speakers as a list of links, with their role when not plain speaker."""
    return _trusted(_speakers(talk, _card_context()))


def talk_card(talk: Any, event: Event, show_day: bool = False, heading_level: int = 4) -> Markup:
    """The card of ``talk`` (a ``Talk`` or a ``listing.TalkRecord``)."""
    return _trusted(_card(talk, event.zone, _card_context(), show_day, int(heading_level)))


def slot_items(talks: Iterable[Any], event: Event, columns: Mapping[int, int]) -> Markup:
    """The cells of one time slot of the grid: each card in its room's column.

    One call per slot rather than per talk: the labels and link paths are
    looked up once, and Jinja's call overhead is paid once.
    """
    zone, context = event.zone, _card_context()
    cells = []
    for talk in talks:
        column = columns.get(talk.room_id, "all") if talk.room_id else "all"
        card = _card(talk, zone, context, False, 4)
        cells.append(f'<li class="slot-item col-{column}">{card}</li>')
    return _trusted("".join(cells))


def _card(talk: Any, zone: ZoneInfo, context: _CardContext, show_day: bool, level: int) -> str:
    talk_id = int(talk.id)
    kind: TalkKind = talk.kind
    classes = ["talk"]
    if talk.track is not None:
        classes.append(f"track-{escape(talk.track.slug)}")
    classes.append(f"kind-{kind.value}")
    if talk.status is TalkStatus.CANCELLED:
        classes.append("is-cancelled")
    day = ""
    if show_day:
        local_day = talk.starts_at.astimezone(zone).date()
        day = f'<span class="talk-day">{escape(long_date(local_day))}</span> · '
    room = ""
    if talk.room is not None:
        room = f' · <span class="talk-room">{escape(talk.room.name)}</span>'
    title = escape(talk.title)
    if kind is not TalkKind.BREAK:
        href = escape(with_slug(context.session_prefix, talk.slug))
        title = f'<a href="{href}">{title}</a>'
    return (
        f'<article class="{" ".join(classes)}" aria-labelledby="talk-{talk_id}">'
        f'<p class="talk-when">{day}{_time_range(talk, zone)}{room}</p>'
        f'<h{level} class="talk-title" id="talk-{talk_id}">{title}</h{level}>'
        f'<p class="talk-badges">{_badges(talk, True, context)}</p>'
        f"{_speakers(talk, context)}</article>"
    )
