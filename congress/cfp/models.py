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
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.accounts.models import User
from congress.core.clock import now
from congress.core.models import Base, intpk, str_enum
from congress.edition.models import Event
from congress.programme.models import Disclosure, Speaker, Talk, TalkKind, Track

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


class Decision(enum.StrEnum):
    """The committee's decision; told to the speakers only once released."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WAITING = "waiting"  # waiting list: may be accepted if a slot frees


class Participation(enum.StrEnum):
    """An accepted speaker's answer from their space."""

    CONFIRMED = "confirmed"
    DECLINED = "declined"


class SpeakerRole(enum.StrEnum):
    SUBMITTER = "submitter"
    CO_SPEAKER = "co_speaker"


class SubmissionTokenPurpose(enum.StrEnum):
    CONFIRM = "confirm"  # the submitter's address, once
    MANAGE = "manage"  # the submission's private page
    COSPEAKER = "cospeaker"  # one co-speaker's agreement, once
    SPACE = "space"  # one accepted speaker's space (/speaker/<token>)


class CallForPapers(Base):
    """When an edition takes proposals, and its rules (Markdown, French and English)."""

    __tablename__ = "cfp_call"

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    rules: Mapped[str] = mapped_column(Text, default="")
    rules_en: Mapped[str] = mapped_column(Text, default="")
    # Accepted speakers confirm or decline before this instant (None: no deadline).
    respond_by: Mapped[datetime | None]
    # What the speakers' space tells accepted speakers (Markdown, FR and EN):
    # dinner, travel, hotel; the rooms' technical setup.
    speaker_info: Mapped[str] = mapped_column(Text, default="")
    speaker_info_en: Mapped[str] = mapped_column(Text, default="")
    technical_setup: Mapped[str] = mapped_column(Text, default="")
    technical_setup_en: Mapped[str] = mapped_column(Text, default="")

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
    # The attachment (a PDF, re-encoded, encrypted at rest: ``cfp.files``): its
    # stored key, never a path; its cleaned name and size for the pages.
    attachment_key: Mapped[str | None] = mapped_column(String(64))
    attachment_name: Mapped[str] = mapped_column(String(200), default="")
    attachment_size: Mapped[int | None] = mapped_column(Integer)
    # The committee's decision, and when the speakers were told (once).
    decision: Mapped[Decision | None] = mapped_column(str_enum(Decision, "cfp_decision"))
    decided_at: Mapped[datetime | None]
    decision_released_at: Mapped[datetime | None]
    # The draft session created at acceptance.
    talk_id: Mapped[int | None] = mapped_column(ForeignKey("talk.id", ondelete="SET NULL"))
    # TLP:RED material destroyed by the purge after the congress (abstract, notes,
    # attachment, reviews' comments): the title and the decision stay.
    destroyed_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    track: Mapped[Track | None] = relationship()
    talk: Mapped[Talk | None] = relationship()
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
    # Once accepted: the programme's speaker this person became, and their answer.
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speaker.id", ondelete="SET NULL"))
    participation: Mapped[Participation | None] = mapped_column(
        str_enum(Participation, "cfp_participation")
    )
    responded_at: Mapped[datetime | None]

    submission: Mapped[Submission] = relationship(back_populates="speakers")
    speaker: Mapped[Speaker | None] = relationship()


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


def _of_submission() -> Any:
    return mapped_column(ForeignKey("cfp_submission.id", ondelete="CASCADE"), index=True)


def _of_reviewer() -> Any:
    return mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)


class ReviewAssignment(Base):
    """A reviewer asked to review a proposal, by its track or by hand."""

    __tablename__ = "cfp_assignment"
    __table_args__ = (UniqueConstraint("submission_id", "user_id"),)

    id: Mapped[intpk]
    submission_id: Mapped[int] = _of_submission()
    user_id: Mapped[int] = _of_reviewer()
    assigned_at: Mapped[datetime] = mapped_column(default=now)

    submission: Mapped[Submission] = relationship()
    user: Mapped[User] = relationship()


class ConflictOfInterest(Base):
    """A reviewer's declared conflict with a proposal: they can neither see nor score it."""

    __tablename__ = "cfp_conflict"
    __table_args__ = (UniqueConstraint("submission_id", "user_id"),)

    id: Mapped[intpk]
    submission_id: Mapped[int] = _of_submission()
    user_id: Mapped[int] = _of_reviewer()
    declared_at: Mapped[datetime] = mapped_column(default=now)


# The criteria every review scores, from 1 (weak) to 5 (excellent); their labels
# and the questions they answer are in ``cfp.labels``.
CRITERIA = ("relevance", "originality", "depth", "clarity")
SCORE_MIN, SCORE_MAX = 1, 5


class Review(Base):
    """One reviewer's scores and comment on one proposal (never shown to its speakers)."""

    __tablename__ = "cfp_review"
    __table_args__ = (
        UniqueConstraint("submission_id", "user_id"),
        *(
            CheckConstraint(f"{name} BETWEEN {SCORE_MIN} AND {SCORE_MAX}", name=f"{name}_range")
            for name in CRITERIA
        ),
    )

    id: Mapped[intpk]
    submission_id: Mapped[int] = _of_submission()
    user_id: Mapped[int] = _of_reviewer()
    relevance: Mapped[int] = mapped_column(Integer)
    originality: Mapped[int] = mapped_column(Integer)
    depth: Mapped[int] = mapped_column(Integer)
    clarity: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    submission: Mapped[Submission] = relationship()
    user: Mapped[User] = relationship()

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in CRITERIA)


class Slides(Base):
    """A session's slides uploaded from a speaker's space (a PDF, encrypted at rest)."""

    __tablename__ = "cfp_slides"

    id: Mapped[intpk]
    talk_id: Mapped[int] = mapped_column(ForeignKey("talk.id", ondelete="CASCADE"), unique=True)
    file_key: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(default=now)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("cfp_speaker.id", ondelete="SET NULL")
    )

    talk: Mapped[Talk] = relationship()


class Reminder(Base):
    """A reminder sent to one speaker, so each kind goes once."""

    __tablename__ = "cfp_reminder"
    __table_args__ = (UniqueConstraint("kind", "speaker_id"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(40))
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("cfp_speaker.id", ondelete="CASCADE"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(default=now)
