"""Call for papers: the edition's call, its submissions, their speakers and links.

Why a table of its own (``cfp_call``) rather than columns on ``event``: the call
belongs to this package, so the edition knows nothing of it and stays below it
in the layers; and a change to the call's dates or rules is no programme change,
whereas any write to the ``event`` row republishes the programme stamp and
empties every page cache (``caching/stamp.py``). One row per edition; no row
means the edition has no call, shown as closed.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.core.clock import now
from congress.core.models import Base, intpk, str_enum
from congress.edition.models import Event
from congress.programme.models import Disclosure, TalkKind, Track

# The kinds a proposal may take: keynotes, breaks and social events are the
# organisers' own sessions, never proposed.
SUBMITTABLE_KINDS = (
    TalkKind.TALK,
    TalkKind.ROUND_TABLE,
    TalkKind.WORKSHOP,
    TalkKind.ATTACK_ANALYSIS,
)
DURATIONS = (20, 30, 45, 60, 90, 180)  # minutes
LANGUAGES = ("fr", "en")


class SubmissionStatus(enum.StrEnum):
    PENDING = "pending"  # the submitter's e-mail address is not confirmed yet
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"  # final


class SpeakerRole(enum.StrEnum):
    SUBMITTER = "submitter"
    CO_SPEAKER = "co_speaker"


class SubmissionTokenPurpose(enum.StrEnum):
    CONFIRM = "confirm"  # the submitter's address, once
    MANAGE = "manage"  # the submission's private page
    COSPEAKER = "cospeaker"  # one co-speaker's agreement, once


class CallForPapers(Base):
    """When an edition takes proposals, and its rules (Markdown, French and English)."""

    __tablename__ = "cfp_call"

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    rules: Mapped[str] = mapped_column(Text, default="")
    rules_en: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship()

    def is_open(self, moment: datetime) -> bool:
        return self.opens_at <= moment < self.closes_at


class Submission(Base):
    """One proposal, owned by whoever holds its private link (no account, no password)."""

    __tablename__ = "cfp_submission"

    id: Mapped[intpk]
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    abstract: Mapped[str] = mapped_column(Text)
    kind: Mapped[TalkKind] = mapped_column(str_enum(TalkKind, "cfp_kind"))
    track_id: Mapped[int | None] = mapped_column(ForeignKey("track.id", ondelete="SET NULL"))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(2))
    disclosure: Mapped[Disclosure] = mapped_column(str_enum(Disclosure, "cfp_disclosure"))
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SubmissionStatus] = mapped_column(
        str_enum(SubmissionStatus, "cfp_status"), default=SubmissionStatus.PENDING
    )
    email: Mapped[str] = mapped_column(String(254))
    # The language the submitter's e-mails are written in (the page's when submitting).
    mail_language: Mapped[str] = mapped_column(String(2), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    confirmed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    track: Mapped[Track | None] = relationship()
    speakers: Mapped[list[SubmissionSpeaker]] = relationship(
        back_populates="submission",
        cascade="all, delete-orphan",
        order_by="SubmissionSpeaker.position",
    )
    tokens: Mapped[list[SubmissionToken]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )

    @property
    def submitter(self) -> SubmissionSpeaker:
        return next(s for s in self.speakers if s.role is SpeakerRole.SUBMITTER)

    @property
    def co_speakers(self) -> list[SubmissionSpeaker]:
        return [s for s in self.speakers if s.role is SpeakerRole.CO_SPEAKER]


class SubmissionSpeaker(Base):
    """A person on a proposal: its submitter, or a co-speaker who confirms by their own link."""

    __tablename__ = "cfp_speaker"

    id: Mapped[intpk]
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("cfp_submission.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    role: Mapped[SpeakerRole] = mapped_column(str_enum(SpeakerRole, "cfp_speaker_role"))
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    confirmed_at: Mapped[datetime | None]

    submission: Mapped[Submission] = relationship(back_populates="speakers")


class SubmissionToken(Base):
    """A private link's hash (``core.tokens``): the link itself is only in the e-mail."""

    __tablename__ = "cfp_token"

    id: Mapped[intpk]
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("cfp_submission.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("cfp_speaker.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[SubmissionTokenPurpose] = mapped_column(
        str_enum(SubmissionTokenPurpose, "cfp_token_purpose")
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    submission: Mapped[Submission] = relationship(back_populates="tokens")
    speaker: Mapped[SubmissionSpeaker | None] = relationship()
