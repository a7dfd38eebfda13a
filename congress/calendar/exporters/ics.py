"""iCalendar (RFC 5545) feeds: the whole programme or any part of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from flask_babel import gettext

from congress.calendar.exporters.base import Audience, Exporter, ExportScope
from congress.calendar.ical import IcsCalendar, IcsEvent, build_calendar, location_text
from congress.core.markup import markdown_to_text
from congress.edition.models import Event
from congress.programme import labels
from congress.programme.models import Disclosure, Talk, TalkKind, TalkStatus

FEED_REFRESH_HOURS = 1


@dataclass(frozen=True, slots=True)
class FeedWording:
    """Every translated phrase a feed needs, looked up once per feed.

    Why: a feed of 1,000 talks asked Babel for the same handful of phrases
    several thousand times; the catalogue lookups alone were a tenth of the
    build. ``for_current_language`` must run where ``gettext`` answers in the
    visitor's language (a request, or a ``force_locale`` block).
    """

    speakers: str  # "%(names)s" placeholder
    cancelled_notice: str
    cancelled_title: str  # "%(title)s" placeholder
    kinds: dict[TalkKind, str]
    disclosure_help: dict[Disclosure, str]
    restricted_notice: dict[Disclosure, str]

    @classmethod
    def for_current_language(cls) -> FeedWording:
        return cls(
            speakers=gettext("Speakers: %(names)s"),
            cancelled_notice=gettext("This session has been cancelled."),
            cancelled_title=gettext("[Cancelled] %(title)s"),
            kinds={kind: str(label) for kind, label in labels.KIND_LABELS.items()},
            disclosure_help={key: str(text) for key, text in labels.DISCLOSURE_HELP.items()},
            restricted_notice={
                key: str(labels.RESTRICTED_ABSTRACT_NOTICE % {"label": code})
                for key, code in labels.DISCLOSURE_CODES.items()
            },
        )


def talk_event(
    talk: Talk,
    event: Event,
    *,
    base_url: str,
    uid_domain: str,
    restricted_visible: bool,
    wording: FeedWording | None = None,
) -> IcsEvent:
    """The VEVENT of a talk: its UID never changes, its SEQUENCE follows its edits."""
    words = wording or FeedWording.for_current_language()
    code = labels.DISCLOSURE_CODES.get(talk.disclosure)
    lines: list[str] = []
    if code:
        lines.append(f"[{code}] {words.disclosure_help[talk.disclosure]}")
    speakers = talk.speakers
    if speakers:
        lines.append(words.speakers % {"names": ", ".join(s.name for s in speakers)})
    if talk.disclosure.restricts_abstract and not restricted_visible:
        lines.append(words.restricted_notice[talk.disclosure])
    elif talk.abstract:
        lines.append(markdown_to_text(talk.abstract))
    cancelled = talk.status is TalkStatus.CANCELLED
    if cancelled:
        lines.insert(0, words.cancelled_notice)
    url = f"{base_url}/sessions/{talk.slug}"
    lines.append(url)
    room = talk.room
    place = [room.name] if room else []
    categories = [words.kinds[talk.kind]]
    track = talk.track
    if track:
        categories.append(track.name)
    if talk.disclosure is not Disclosure.NONE and code:
        categories.append(code)
    summary = talk.title
    if cancelled:
        summary = words.cancelled_title % {"title": talk.title}
    return IcsEvent(
        uid=f"{talk.uid}@{uid_domain}",
        summary=summary,
        description="\n\n".join(lines),
        starts_at=talk.starts_at,
        ends_at=talk.ends_at,
        location=location_text(*place, event.venue, event.city),
        url=url,
        categories=tuple(categories),
        cancelled=cancelled,
        sequence=talk.sequence,
        last_modified=talk.updated_at,
        created=talk.created_at,
    )


class IcsExporter(Exporter):
    name: ClassVar[str] = "ics"
    media_type: ClassVar[str] = "text/calendar; charset=utf-8"
    extension: ClassVar[str] = "ics"
    audiences = frozenset(Audience)

    def render(self, scope: ExportScope) -> bytes:
        event = scope.event
        restricted_visible = scope.audience.sees_restricted
        wording = FeedWording.for_current_language()
        calendar = IcsCalendar(
            name=scope.title,
            description=location_text(event.name, event.venue, event.city),
            timezone=event.timezone,
            events=tuple(
                talk_event(
                    talk,
                    event,
                    base_url=scope.base_url,
                    uid_domain=scope.uid_domain,
                    restricted_visible=restricted_visible,
                    wording=wording,
                )
                for talk in scope.talks
            ),
            url=None,
        )
        return build_calendar(calendar, dtstamp=scope.generated_at)
