"""Tell attendees when a session in their agenda moves or is cancelled.

Subscribed to ``programme.signals.talk_changed``: it runs inside the editor's
transaction, so the e-mails are queued (outbox) and committed with the change,
or not at all. Each e-mail carries the session's updated calendar object
(``calendar.one_off``) so a copy imported once, without a subscription, is
updated or cancelled too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_datetime

from congress.calendar.one_off import SESSION_CONTENT_TYPE, session_calendar
from congress.core.clock import now
from congress.extensions import db
from congress.i18n import gettext
from congress.mail.outbox import Attachment, render_and_queue
from congress.programme.models import Talk
from congress.programme.signals import talk_changed
from congress.registration.models import AgendaItem, Registration, RegistrationStatus


def _when(value: Any, talk: Talk) -> str:
    if not value:
        return "—"
    moment = datetime.fromisoformat(value).astimezone(talk.event.zone)
    return format_datetime(moment, "EEEE d MMMM, HH:mm")


def _lines(talk: Talk, changes: dict[str, list[Any]]) -> list[tuple[str, str, str]]:
    """(what, before, after) in the current language."""
    lines = []
    if "starts_at" in changes:
        before, after = changes["starts_at"]
        lines.append((gettext("Start"), _when(before, talk), _when(after, talk)))
    if "ends_at" in changes:
        before, after = changes["ends_at"]
        lines.append((gettext("End"), _when(before, talk), _when(after, talk)))
    if "room_name" in changes:
        before, after = changes["room_name"]
        lines.append((gettext("Room"), before or "—", after or "—"))
    if "status" in changes and changes["status"][1] == "cancelled":
        lines.append((gettext("Status"), gettext("Confirmed"), gettext("Cancelled")))
    return lines


def notify_attendees(talk: Talk, changes: dict[str, list[Any]]) -> int:
    """Queue one e-mail per confirmed attendee who chose ``talk``; returns how many."""
    attendees = db.session.scalars(
        db.select(Registration)
        .join(AgendaItem, AgendaItem.registration_id == Registration.id)
        .where(AgendaItem.talk_id == talk.id, Registration.status == RegistrationStatus.CONFIRMED)
    ).all()
    calendars: dict[str, Attachment] = {}  # one build per language, not per attendee
    for registration in attendees:
        language = registration.language
        with force_locale(language):
            lines = _lines(talk, changes)
            if lines and language not in calendars:
                calendars[language] = _session_attachment(talk)
        if not lines:
            continue
        render_and_queue(
            "programme_change",
            registration.email,
            kind="programme_change",
            language=registration.language,
            registration_id=registration.id,
            registration=registration,
            event=talk.event,
            talk=talk,
            lines=lines,
            cancelled=talk.status.value == "cancelled",
            attachments=[calendars[language]],
        )
    return len(attendees)


def _session_attachment(talk: Talk) -> Attachment:
    """The session's calendar object in the current language, as an attachment."""
    config = current_app.config
    content = session_calendar(
        talk,
        talk.event,
        base_url=config["BASE_URL"],
        uid_domain=config["UID_DOMAIN"],
        generated_at=now(),
    )
    return Attachment(f"{talk.slug}.ics", SESSION_CONTENT_TYPE, content.decode("utf-8"))


def _on_talk_changed(talk: Talk, changes: dict[str, list[Any]], **_: Any) -> None:
    notify_attendees(talk, changes)


def connect() -> None:
    talk_changed.connect(_on_talk_changed)
