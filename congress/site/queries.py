"""Reads for the home and practical pages: a fixed number of statements each.

The home page reads the edition (in the layout), its sections, the categories'
seats, the key figures, the highlighted sessions with their speakers and the
partners: six statements whatever the size of the programme
(``tests/integration/programme/test_statement_counts.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func
from sqlalchemy.orm import defer, joinedload

from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import Talk, TalkKind, TalkSpeaker, TalkStatus
from congress.programme.queries import PUBLIC_STATUSES, published_criteria
from congress.registration.models import TicketCategory
from congress.site.models import SiteSection

#: Talks that are not sessions in the figures: breaks, meals, evenings.
NOT_SESSIONS = (TalkKind.BREAK, TalkKind.SOCIAL)
#: Highlighted on the home page after the keynotes, in programme order.
HIGHLIGHT_KINDS = (TalkKind.KEYNOTE, TalkKind.ATTACK_ANALYSIS)
MAX_HIGHLIGHTS = 6


def sections(event: Event) -> dict[str, SiteSection]:
    """The edition's saved sections by key (one statement); a missing key was never written."""
    rows = db.session.scalars(db.select(SiteSection).where(SiteSection.event_id == event.id))
    return {row.key: row for row in rows}


@dataclass(frozen=True, slots=True)
class Figures:
    days: int
    sessions: int
    attack_analyses: int
    speakers: int


def figures(event: Event) -> Figures:
    """Key figures of the published programme, in one statement.

    Sessions and attack analyses count confirmed talks (a cancelled one is no
    longer on offer); speakers are those the public ``/speakers`` page lists.
    """
    confirmed = (Talk.event_id == event.id, Talk.status == TalkStatus.CONFIRMED)
    sessions = (
        db.select(func.count(Talk.id))
        .where(*confirmed, Talk.kind.not_in(NOT_SESSIONS))
        .scalar_subquery()
    )
    attacks = (
        db.select(func.count(Talk.id))
        .where(*confirmed, Talk.kind == TalkKind.ATTACK_ANALYSIS)
        .scalar_subquery()
    )
    speakers = (
        db.select(func.count(func.distinct(TalkSpeaker.speaker_id)))
        .join(Talk, Talk.id == TalkSpeaker.talk_id)
        .where(Talk.event_id == event.id, Talk.status.in_(PUBLIC_STATUSES))
        .scalar_subquery()
    )
    row = db.session.execute(db.select(sessions, attacks, speakers)).one()
    return Figures(len(event.days), int(row[0]), int(row[1]), int(row[2]))


def highlights(event: Event) -> list[Talk]:
    """Keynotes first, then attack analyses, each in programme order (one statement).

    The speakers come in the same statement (a joined collection): these are a few
    dozen talks at most, so the repeated rows cost less than a second round trip.
    """
    stmt = (
        db.select(Talk)
        .where(
            *published_criteria(event),
            Talk.status == TalkStatus.CONFIRMED,
            Talk.kind.in_(HIGHLIGHT_KINDS),
        )
        .options(
            joinedload(Talk.room),
            joinedload(Talk.speaker_links).joinedload(TalkSpeaker.speaker),
            defer(Talk.search_text, raiseload=True),
        )
        .order_by(Talk.starts_at, Talk.id)
    )
    talks = list(db.session.scalars(stmt).unique())
    talks.sort(key=lambda talk: HIGHLIGHT_KINDS.index(talk.kind))  # stable: time order kept
    return talks[:MAX_HIGHLIGHTS]


@dataclass(frozen=True, slots=True)
class CategorySeats:
    category: TicketCategory

    @property
    def seats_left(self) -> int:
        return self.category.seats_left

    @property
    def waiting_list(self) -> bool:
        return self.category.seats_left == 0


@dataclass(frozen=True, slots=True)
class RegistrationState:
    """Where registration stands at ``moment``: what the home page's banner says."""

    state: Literal["open", "closed", "not_yet_open"]
    opens_at: datetime | None
    categories: list[CategorySeats]


def registration_state(event: Event, moment: datetime) -> RegistrationState:
    """Open (with the public categories' seats left), closed or not yet open (one statement).

    Seats left are the categories' counters, the same ones registration takes
    seats from (``registration.capacity``); a full category takes registrations
    on its waiting list.
    """
    if event.registration_open(moment):
        rows = db.session.scalars(
            db.select(TicketCategory)
            .where(TicketCategory.event_id == event.id, TicketCategory.public.is_(True))
            .order_by(TicketCategory.position, TicketCategory.id)
        )
        return RegistrationState("open", None, [CategorySeats(row) for row in rows])
    if event.registration_opens_at is not None and moment < event.registration_opens_at:
        return RegistrationState("not_yet_open", event.registration_opens_at, [])
    return RegistrationState("closed", None, [])
