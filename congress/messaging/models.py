"""A composed message and the people it went to.

``Message`` keeps what was written (French, and English when given), who the
audience was (its code, its parameter and the label shown at the time) and who
sent it. ``MessageRecipient`` is the record that one registration received it:
UNIQUE(message_id, registration_id), so however often a send is retried, no one
is given the same message twice. Delivery states are not copied here: they are
read from the outbox row each recipient points to (``outbox_uid``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.core.clock import now
from congress.core.models import Base, intpk, str300
from congress.edition.models import Event


class Message(Base):
    """A message composed by an organiser; a draft until ``sent_at`` is set."""

    __tablename__ = "message"

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str300]
    body: Mapped[str] = mapped_column(Text)
    subject_en: Mapped[str] = mapped_column(String(300), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(40))
    # The audience's parameter (a category, day, or session id), "" when it has none.
    audience_parameter: Mapped[str] = mapped_column(String(40), default="")
    # As the sender saw it: the category or session may be renamed or deleted later.
    audience_label: Mapped[str] = mapped_column(String(400), default="")
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    sender_label: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship()

    def text(self, language: str) -> tuple[str, str]:
        """Subject and body for a reader of ``language``: English when written, else French."""
        if language == "en" and self.subject_en.strip() and self.body_en.strip():
            return self.subject_en, self.body_en
        return self.subject, self.body

    def __repr__(self) -> str:
        return f"<Message {self.id} {self.audience}>"


class MessageRecipient(Base):
    """One registration that was given a message, and the outbox row carrying it."""

    __tablename__ = "message_recipient"
    __table_args__ = (
        UniqueConstraint(
            "message_id", "registration_id", name="uq_message_recipient_message_registration"
        ),
    )

    id: Mapped[intpk]
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    # The outbox row's uid, not a foreign key: the outbox forgets rows (erasure, purge)
    # on its own terms, and the record that the message was given stays.
    outbox_uid: Mapped[str] = mapped_column(String(36), index=True)
    language: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=now)

    message: Mapped[Message] = relationship()
