"""Reads of messages: the organisers' list, delivery figures, what one attendee received.

Delivery figures are counted from the outbox rows themselves (joined through
``MessageRecipient.outbox_uid``), never copied: they follow the worker as it
sends, retries and gives up.
"""

from __future__ import annotations

from dataclasses import dataclass

from congress.edition.models import Event
from congress.extensions import db
from congress.mail.models import OutboxMessage, OutboxStatus
from congress.messaging.models import Message, MessageRecipient


@dataclass(slots=True)
class Delivery:
    queued: int = 0  # waiting or being handed to the relay
    sent: int = 0
    failed: int = 0


def messages(event: Event) -> list[Message]:
    """The edition's messages, newest first (drafts included)."""
    return list(
        db.session.scalars(
            db.select(Message)
            .where(Message.event_id == event.id)
            .order_by(Message.created_at.desc(), Message.id.desc())
        )
    )


def message(event: Event, message_id: int) -> Message | None:
    found = db.session.get(Message, message_id)
    return found if found is not None and found.event_id == event.id else None


def delivery(message_ids: list[int]) -> dict[int, Delivery]:
    """Per message, its outbox rows by state, in one statement."""
    figures = {message_id: Delivery() for message_id in message_ids}
    if not message_ids:
        return figures
    rows = db.session.execute(
        db.select(MessageRecipient.message_id, OutboxMessage.status, db.func.count())
        .join(OutboxMessage, OutboxMessage.uid == MessageRecipient.outbox_uid)
        .where(MessageRecipient.message_id.in_(message_ids))
        .group_by(MessageRecipient.message_id, OutboxMessage.status)
    )
    for message_id, status, number in rows:
        entry = figures[message_id]
        if status is OutboxStatus.SENT:
            entry.sent += number
        elif status is OutboxStatus.FAILED:
            entry.failed += number
        else:
            entry.queued += number
    return figures


def received(registration_id: int) -> list[tuple[Message, MessageRecipient]]:
    """The messages one registration was given, newest first."""
    rows = db.session.execute(
        db.select(Message, MessageRecipient)
        .join(MessageRecipient, MessageRecipient.message_id == Message.id)
        .where(MessageRecipient.registration_id == registration_id)
        .order_by(MessageRecipient.created_at.desc(), Message.id.desc())
    )
    return [(row[0], row[1]) for row in rows]
