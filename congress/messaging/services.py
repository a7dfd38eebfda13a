"""Composing, testing and sending a message: validate, change, audit, queue, commit once.

Exactly once: ``send`` locks the message, inserts one ``MessageRecipient`` per
registration of the audience and queues its outbox row in the same transaction,
then marks the message sent. A second call finds it sent and adds nobody; two
calls racing are kept apart by the row lock (PostgreSQL), the database's write
lock (SQLite) and, whatever happens, by UNIQUE(message_id, registration_id).

Throttling: the outbox rows are due in steps of one minute, ``MESSAGE_BATCH``
rows per step, so the worker hands the relay a bounded flow whatever the size
of the audience.

The body is Markdown, rendered and sanitised by ``core.markup.render_markdown``
(the site's editable sections use the same function); nothing here cleans HTML
itself. The text part of the mail is the Markdown as written, with anything
shaped like a tag removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from congress.audit.log import record
from congress.core.clock import now
from congress.core.errors import Conflict, DomainError
from congress.core.markup import markdown_source_as_text, render_markdown
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import LANGUAGES
from congress.i18n import lazy_gettext as _l
from congress.mail.models import OutboxMessage
from congress.mail.outbox import queue
from congress.messaging import audiences
from congress.messaging.models import Message, MessageRecipient

KIND = "message"
TEST_KIND = "message_test"
SUBJECT_MAX = 200
BODY_MAX = 20_000


@dataclass(frozen=True, slots=True)
class Composition:
    """What the organiser typed; the service decides whether it makes a message."""

    subject: str
    body: str
    audience: str
    parameter: str = ""
    subject_en: str = ""
    body_en: str = ""


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    body_html: str
    body_text: str


def check(event: Event, composition: Composition) -> audiences.Selection:
    """Refuse an incomplete message or an unknown audience; the audience it names."""
    for name, value, limit in (
        ("subject", composition.subject, SUBJECT_MAX),
        ("subject_en", composition.subject_en, SUBJECT_MAX),
        ("body", composition.body, BODY_MAX),
        ("body_en", composition.body_en, BODY_MAX),
    ):
        if len(value) > limit:
            raise DomainError(_l("At most %(count)d characters.", count=limit), field=name)
    if not composition.subject.strip():
        raise DomainError(_l("Write the subject in French."), field="subject")
    if not composition.body.strip():
        raise DomainError(_l("Write the message in French."), field="body")
    if bool(composition.subject_en.strip()) != bool(composition.body_en.strip()):
        field = "body_en" if composition.subject_en.strip() else "subject_en"
        raise DomainError(_l("Give both the English subject and text, or neither."), field=field)
    return audiences.resolve(event, composition.audience, composition.parameter)


def render(event: Event, subject: str, body: str, language: str) -> RenderedMail:
    """The mail an attendee reading ``language`` receives (the layout in their language)."""
    with force_locale(language):
        context: dict[str, Any] = {
            "event": event,
            "subject": " ".join(subject.split()),
            "body_html": render_markdown(body),
            "body_text": markdown_source_as_text(body),
        }
        return RenderedMail(
            subject=context["subject"],
            body_html=render_template("email/message.html", **context),
            body_text=render_template("email/message.txt", **context),
        )


def _texts(composition: Composition | Message, language: str) -> tuple[str, str]:
    if language == "en" and composition.subject_en.strip() and composition.body_en.strip():
        return composition.subject_en, composition.body_en
    return composition.subject, composition.body


def send_test(event: Event, composition: Composition, user: Any) -> int:
    """Queue the message to the organiser alone, once per language written; how many.

    The rows carry no registration and their own kind: they count in no
    message's figures. Audited, committed.
    """
    selection = check(event, composition)
    languages = ["fr", "en"] if composition.subject_en.strip() else ["fr"]
    for language in languages:
        subject, body = _texts(composition, language)
        mail = render(event, subject, body, language)
        queue(
            user.email,
            mail.subject,
            mail.body_text,
            mail.body_html,
            kind=TEST_KIND,
            language=language,
        )
    record(
        "message.test_sent",
        object_type="message",
        changes={"subject": composition.subject, "audience": str(selection.label)},
    )
    db.session.commit()
    return len(languages)


def create_draft(event: Event, composition: Composition, user: Any) -> Message:
    """Keep the message, not sent yet: the organiser confirms the count before it leaves."""
    selection = check(event, composition)
    message = Message(
        event=event,
        subject=composition.subject.strip(),
        body=composition.body,
        subject_en=composition.subject_en.strip(),
        body_en=composition.body_en,
        audience=selection.code,
        audience_parameter=selection.parameter,
        audience_label=str(selection.label)[:400],
        sender_id=user.id,
        sender_label=user.email,
        created_at=now(),
    )
    db.session.add(message)
    db.session.flush()
    record(
        "message.drafted",
        object_type="message",
        object_id=message.id,
        changes={"subject": message.subject, "audience": message.audience_label},
    )
    db.session.commit()
    return message


def selection_of(message: Message) -> audiences.Selection:
    return audiences.resolve(message.event, message.audience, message.audience_parameter)


def send(message: Message) -> int:
    """Give the message to everyone in its audience who has not had it; how many were added.

    Returns 0, adding nobody, when the message was already sent.
    """
    locked = db.session.scalars(
        db.select(Message)
        .where(Message.id == message.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if locked.sent_at is not None:
        db.session.rollback()
        return 0
    event = locked.event
    selection = selection_of(locked)
    already = set(
        db.session.scalars(
            db.select(MessageRecipient.registration_id).where(
                MessageRecipient.message_id == locked.id
            )
        )
    )
    people = [person for person in audiences.members(selection) if person.id not in already]
    if not people and not already:
        db.session.rollback()
        raise DomainError(_l("Nobody is in this audience: the message was not sent."))
    start = now()
    per_minute = int(current_app.config.get("MESSAGE_BATCH", 50)) or 50
    rendered: dict[str, RenderedMail] = {}
    for position, person in enumerate(people):
        language = person.language if person.language in LANGUAGES else "fr"
        if language not in rendered:
            rendered[language] = render(event, *_texts(locked, language), language)
        mail = rendered[language]
        row: OutboxMessage = queue(
            person.email,
            mail.subject,
            mail.body_text,
            mail.body_html,
            kind=KIND,
            language=language,
            registration_id=person.id,
        )
        row.next_attempt_at = start + timedelta(minutes=position // per_minute)
        db.session.add(
            MessageRecipient(
                message_id=locked.id,
                registration_id=person.id,
                outbox_uid=row.uid,
                language=language,
                created_at=start,
            )
        )
    locked.sent_at = start
    locked.recipient_count = len(already) + len(people)
    record(
        "message.sent",
        object_type="message",
        object_id=locked.id,
        changes={
            "subject": locked.subject,
            "audience": locked.audience_label,
            "recipients": len(people),
        },
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("This message is already being sent.")) from None
    return len(people)


def render_body(body: str) -> Any:
    """The body as safe HTML, as the attendee's mail and private page show it."""
    return render_markdown(body)
