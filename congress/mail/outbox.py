"""Queueing e-mail inside the caller's transaction.

Nothing here commits: the service that causes a mail (a registration, a
promotion from the waiting list, a cancelled talk) commits once, and the outbox
row is written with its change or not at all. Delivery is the worker's business
(:mod:`congress.mail.delivery`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask_babel import force_locale

from congress.extensions import db
from congress.i18n import LANGUAGES
from congress.mail.models import OutboxMessage, OutboxStatus

__all__ = [
    "ICS_CONTENT_TYPE",
    "Attachment",
    "drop_queued",
    "forget_registrations",
    "queue",
    "render_and_queue",
]

# An invitation a calendar client offers to add (RFC 6047); pass as an attachment's type.
ICS_CONTENT_TYPE = "text/calendar; method=REQUEST; charset=utf-8"


@dataclass(frozen=True)
class Attachment:
    """A text attachment (an .ics agenda, a CSV...), stored as-is in the outbox row."""

    filename: str
    content_type: str
    content: str

    def as_dict(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "content": self.content,
        }


def _attachment_dict(item: Attachment | Mapping[str, str]) -> dict[str, str]:
    if isinstance(item, Attachment):
        return item.as_dict()
    attachment = Attachment(
        filename=str(item["filename"]),
        content_type=str(item["content_type"]),
        content=str(item["content"]),
    )
    return attachment.as_dict()


def queue(
    to_address: str,
    subject: str,
    body_text: str,
    body_html: str,
    *,
    kind: str,
    language: str,
    registration_id: int | None = None,
    attachments: Iterable[Attachment | Mapping[str, str]] = (),
) -> OutboxMessage:
    """Add a message to the session, due now; the caller commits (or rolls back).

    The subject is folded to one line: a header never carries a line break
    taken from data.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unsupported mail language {language!r}")
    message = OutboxMessage(
        uid=str(uuid.uuid4()),  # known before the flush: the caller may log or link it
        kind=kind,
        to_address=to_address.strip(),
        language=language,
        subject=" ".join(subject.split()),
        body_text=body_text,
        body_html=body_html,
        attachments=[_attachment_dict(item) for item in attachments],
        registration_id=registration_id,
    )
    db.session.add(message)
    return message


def render_and_queue(
    template_base: str,
    to_address: str,
    *,
    kind: str,
    language: str,
    registration_id: int | None = None,
    attachments: Iterable[Attachment | Mapping[str, str]] = (),
    **context: Any,
) -> OutboxMessage:
    """Render ``templates/email/<template_base>.{subject.txt,txt,html}`` and queue them.

    Rendering happens in the attendee's ``language`` (not the language of the
    page or worker that triggers it), so an English registrant gets English
    mail even from an organiser's French dashboard. Links in ``context`` must be
    absolute (``BASE_URL``): a mail is read far from the request that made it.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unsupported mail language {language!r}")
    with force_locale(language):
        subject = render_template(f"email/{template_base}.subject.txt", **context)
        body_text = render_template(f"email/{template_base}.txt", **context)
        body_html = render_template(f"email/{template_base}.html", **context)
    return queue(
        to_address,
        subject,
        body_text,
        body_html,
        kind=kind,
        language=language,
        registration_id=registration_id,
        attachments=attachments,
    )


def drop_queued(registration_id: int, kind: str) -> int:
    """Withdraw the messages of ``kind`` about a registration that still wait to be sent.

    For a message made pointless before it left (an organiser confirmed the
    address, so the confirmation link is moot). Only ``PENDING`` rows go: one
    a worker has claimed may already be on the wire, and one sent is a record.
    No commit; returns how many were withdrawn.
    """
    result = db.session.execute(
        db.delete(OutboxMessage).where(
            OutboxMessage.registration_id == registration_id,
            OutboxMessage.kind == kind,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    )
    return result.rowcount


def forget_registrations(registration_ids: Iterable[int]) -> int:
    """Delete every message about these registrations, queued or sent, in one statement.

    Erasure and the retention purge: a sent message still holds the address,
    the name and the links, so it goes with the personal data it carries. No
    commit; returns how many rows were deleted.
    """
    result = db.session.execute(
        db.delete(OutboxMessage).where(OutboxMessage.registration_id.in_(list(registration_ids)))
    )
    return result.rowcount
