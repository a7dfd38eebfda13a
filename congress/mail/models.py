"""The outbox table: one row per e-mail to send, written by the causing transaction.

``registration_id`` is a plain indexed integer, deliberately without a foreign
key: the mail package sits below registration (registration imports mail, never
the reverse), a foreign key would make this table depend on the registration
schema and its migrations, and a purge of registrations must not be blocked by,
nor cascade into, the record of mail already sent about them.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from congress.core.clock import now
from congress.core.models import Base, intpk, str300, str_enum


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its ``next_attempt_at``
    SENDING = "sending"  # claimed by a worker until ``locked_until``
    SENT = "sent"  # accepted by the SMTP server (or written to the .eml folder)
    FAILED = "failed"  # given up after too many attempts or a permanent refusal


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (
        # The worker's claim: ``status = ... AND next_attempt_at <= now``.
        Index("ix_outbox_message_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[intpk]
    # Drawn once and used in the Message-ID, so a retried message keeps its identity
    # and a receiving server or client can drop a duplicate.
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    kind: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str300]
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # [{"filename": ..., "content_type": ..., "content": <str>}, ...]
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    registration_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    locked_until: Mapped[datetime | None]
    # The last delivery error, scrubbed of credentials and cut to fit.
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"
