"""iCalendar (RFC 5545) feeds: the whole programme or any part of it."""

from __future__ import annotations

from typing import ClassVar

from flask_babel import gettext

from congress.calendar.exporters.base import Audience, Exporter, ExportScope
from congress.calendar.ical import IcsCalendar, IcsEvent, build_calendar
from congress.core.markup import markdown_to_text
from congress.edition.models import Event
from congress.programme import labels
from congress.programme.models import Disclosure, Talk, TalkStatus

FEED_REFRESH_HOURS = 1


def talk_event(
    talk: Talk, event: Event, *, base_url: str, uid_domain: str, restricted_visible: bool
) -> IcsEvent:
    """The VEVENT of a talk: its UID never changes, its SEQUENCE follows its edits."""
    code = labels.DISCLOSURE_CODES.get(talk.disclosure)
    lines: list[str] = []
    if code:
        lines.append(f"[{code}] {labels.DISCLOSURE_HELP[talk.disclosure]}")
    if talk.speakers:
        lines.append(gettext("Speakers: %(names)s", names=", ".join(s.name for s in talk.speakers)))
    if talk.disclosure.restricts_abstract and not restricted_visible:
        lines.append(str(labels.RESTRICTED_ABSTRACT_NOTICE % {"label": code}))
    elif talk.abstract:
        lines.append(markdown_to_text(talk.abstract))
    cancelled = talk.status is TalkStatus.CANCELLED
    if cancelled:
        lines.insert(0, gettext("This session has been cancelled."))
    url = f"{base_url}/sessions/{talk.slug}"
    lines.append(url)
    place = [talk.room.name] if talk.room else []
    categories = [str(labels.KIND_LABELS[talk.kind])]
    if talk.track:
        categories.append(talk.track.name)
    if talk.disclosure is not Disclosure.NONE and code:
        categories.append(code)
    summary = talk.title
    if cancelled:
        summary = gettext("[Cancelled] %(title)s", title=talk.title)
    return IcsEvent(
        uid=f"{talk.uid}@{uid_domain}",
        summary=summary,
        description="\n\n".join(lines),
        starts_at=talk.starts_at,
        ends_at=talk.ends_at,
        location=", ".join([*place, event.venue, event.city]),
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
        calendar = IcsCalendar(
            name=scope.title,
            description=f"{event.name}, {event.venue}, {event.city}",
            timezone=event.timezone,
            events=tuple(
                talk_event(
                    talk,
                    event,
                    base_url=scope.base_url,
                    uid_domain=scope.uid_domain,
                    restricted_visible=restricted_visible,
                )
                for talk in scope.talks
            ),
            url=None,
        )
        return build_calendar(calendar, dtstamp=scope.generated_at)
