"""Programme tables.

A ``Talk`` keeps a ``uid`` drawn at creation and never derived from its title,
time or room, so calendar clients recognise it after any edit; ``sequence``
rises whenever its time, room or status changes (RFC 5545 section 3.8.7.4).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.core.clock import now
from congress.core.models import Base, intpk, str80, str200, str300, str_enum
from congress.edition.models import Event


class TalkKind(enum.StrEnum):
    KEYNOTE = "keynote"
    TALK = "talk"
    ROUND_TABLE = "round_table"
    WORKSHOP = "workshop"
    ATTACK_ANALYSIS = "attack_analysis"
    BREAK = "break"
    SOCIAL = "social"


class TalkStatus(enum.StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Disclosure(enum.StrEnum):
    """Sharing label of a talk: Traffic Light Protocol 2.0 or the Chatham House rule."""

    NONE = "none"
    TLP_CLEAR = "tlp_clear"
    TLP_GREEN = "tlp_green"
    TLP_AMBER = "tlp_amber"
    TLP_RED = "tlp_red"
    CHATHAM_HOUSE = "chatham_house"

    @property
    def restricts_abstract(self) -> bool:
        """AMBER and RED abstracts are for registered attendees only."""
        return self in (Disclosure.TLP_AMBER, Disclosure.TLP_RED)


class SpeakerRole(enum.StrEnum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    PANELIST = "panelist"


class Room(Base):
    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("event_id", "slug", name="uq_room_event_slug"),)

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str80]
    name: Mapped[str200]
    capacity: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship()

    def __repr__(self) -> str:
        return f"<Room {self.slug}>"


class Track(Base):
    __tablename__ = "track"
    __table_args__ = (UniqueConstraint("event_id", "slug", name="uq_track_event_slug"),)

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str80]
    name: Mapped[str200]
    colour: Mapped[str] = mapped_column(String(7), default="#4a5568")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship()

    def __repr__(self) -> str:
        return f"<Track {self.slug}>"


class Speaker(Base):
    __tablename__ = "speaker"
    __table_args__ = (UniqueConstraint("event_id", "slug", name="uq_speaker_event_slug"),)

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str80]
    name: Mapped[str200]
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    position_title: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    # The photo's content key (congress.media): pages build its address without a join.
    photo_key: Mapped[str | None] = mapped_column(
        ForeignKey("media_image.key", ondelete="SET NULL")
    )
    # Private contact details for the programme committee (personal data): no public
    # page, feed, search index or edition export to attendees reads them; only the
    # dashboard (EDIT_PROGRAMME), its speakers export and the whole-edition transfer.
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))

    event: Mapped[Event] = relationship()
    talk_links: Mapped[list[TalkSpeaker]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="TalkSpeaker.position"
    )

    def __repr__(self) -> str:
        return f"<Speaker {self.slug}>"


class TalkFacts:
    """What a talk says of itself beyond its columns, for ``Talk`` and ``listing.TalkRecord``.

    Both carry ``speaker_links``, ``room``, ``track``, ``starts_at`` and ``ends_at``
    under the same names; templates and exporters read either.
    """

    __slots__ = ()
    speaker_links: Any
    room: Any
    track: Any
    starts_at: datetime
    ends_at: datetime

    @property
    def speakers(self) -> list[Any]:
        return [link.speaker for link in self.speaker_links]

    @property
    def room_name(self) -> str:
        return self.room.name if self.room else ""

    @property
    def track_name(self) -> str:
        return self.track.name if self.track else ""

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Talk(TalkFacts, Base):
    __tablename__ = "talk"
    __table_args__ = (
        UniqueConstraint("event_id", "slug", name="uq_talk_event_slug"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("sequence >= 0", name="sequence_positive"),
        CheckConstraint("seat_limit IS NULL OR seat_limit > 0", name="seat_limit_positive"),
        Index("ix_talk_event_starts", "event_id", "starts_at"),
    )

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    slug: Mapped[str80]
    title: Mapped[str300]
    abstract: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[TalkKind] = mapped_column(str_enum(TalkKind, "talk_kind"))
    status: Mapped[TalkStatus] = mapped_column(
        str_enum(TalkStatus, "talk_status"), default=TalkStatus.DRAFT
    )
    disclosure: Mapped[Disclosure] = mapped_column(
        str_enum(Disclosure, "disclosure"), default=Disclosure.NONE
    )
    language: Mapped[str] = mapped_column(String(8), default="fr")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("room.id", ondelete="SET NULL"), index=True
    )
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("track.id", ondelete="SET NULL"), index=True
    )
    seat_limit: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Folded title, abstract and speaker names, kept by the services for search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    event: Mapped[Event] = relationship()
    room: Mapped[Room | None] = relationship()
    track: Mapped[Track | None] = relationship()
    speaker_links: Mapped[list[TalkSpeaker]] = relationship(
        back_populates="talk", cascade="all, delete-orphan", order_by="TalkSpeaker.position"
    )

    def __repr__(self) -> str:
        return f"<Talk {self.slug}>"


class TalkSpeaker(Base):
    __tablename__ = "talk_speaker"

    talk_id: Mapped[int] = mapped_column(
        ForeignKey("talk.id", ondelete="CASCADE"), primary_key=True
    )
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speaker.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    role: Mapped[SpeakerRole] = mapped_column(
        str_enum(SpeakerRole, "speaker_role"), default=SpeakerRole.SPEAKER
    )

    talk: Mapped[Talk] = relationship(back_populates="speaker_links")
    speaker: Mapped[Speaker] = relationship(back_populates="talk_links")
