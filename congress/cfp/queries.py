"""Reads of the call for papers, each one statement with what its page shows."""

from __future__ import annotations

from sqlalchemy.orm import joinedload, selectinload

from congress.cfp.models import Submission
from congress.edition.models import Event
from congress.extensions import db


def submissions(event: Event) -> list[Submission]:
    """The edition's proposals, newest first, with their speakers and theme."""
    stmt = (
        db.select(Submission)
        .where(Submission.event_id == event.id)
        .options(selectinload(Submission.speakers), joinedload(Submission.track))
        .order_by(Submission.created_at.desc(), Submission.id.desc())
    )
    return list(db.session.scalars(stmt))
