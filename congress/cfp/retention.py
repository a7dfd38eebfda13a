"""What the call for papers keeps after the congress, and for how long.

Two promises of the privacy notice, applied by ``flask congress purge``:

- **TLP:RED material is destroyed**, not hidden, ``CFP_RED_DAYS`` days after
  the edition's last day: the abstract, the notes, the attachment, the
  reviewers' comments and the session's slides. The title, the scores and the
  decision stay, so the committee's record still adds up; ``destroyed_at``
  says it happened. Files are deleted before the commit: if the commit fails,
  the next run finds the proposal again and finishes (deleting a file twice
  is harmless), whereas a file left behind would break the promise.
- **Proposals that will never be a session** (rejected or withdrawn) are
  deleted entirely ``RETENTION_DAYS`` after the edition's last day, like the
  registrations of that edition (``registration.retention``).

Each proposal is one transaction with its own audit entry (its title only),
so an interrupted purge resumes where it stopped. Days are counted in the
edition's own time zone, as its ``last_day`` is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from congress.audit.log import SYSTEM, record
from congress.cfp import files
from congress.cfp.models import (
    ConflictOfInterest,
    Decision,
    Reminder,
    Review,
    ReviewAssignment,
    Slides,
    Submission,
    SubmissionSpeaker,
    SubmissionStatus,
)
from congress.edition.models import Event
from congress.edition.privacy import retention_policy
from congress.extensions import db
from congress.programme.models import Disclosure


@dataclass(slots=True)
class CfpPurgeReport:
    red_destroyed: int = 0
    deleted: int = 0


def red_days() -> int:
    return int(current_app.config["CFP_RED_DAYS"])


def _ended_before(moment: datetime, days: int) -> list[int]:
    """The editions whose last day plus ``days`` is past at ``moment`` (in their zone)."""
    return [
        event.id
        for event in db.session.scalars(db.select(Event))
        if moment.astimezone(event.zone).date() > event.last_day + timedelta(days=days)
    ]


def destroy_red(moment: datetime) -> int:
    """Destroy the content of TLP:RED proposals past their period; how many were."""
    events = _ended_before(moment, red_days())
    if not events:
        return 0
    ids = list(
        db.session.scalars(
            db.select(Submission.id)
            .where(
                Submission.event_id.in_(events),
                Submission.disclosure == Disclosure.TLP_RED,
                Submission.destroyed_at.is_(None),
            )
            .order_by(Submission.id)
        )
    )
    for submission_id in ids:
        submission = db.session.get(Submission, submission_id)
        if submission is not None:
            _destroy_one(submission, moment)
    return len(ids)


def _destroy_one(submission: Submission, moment: datetime) -> None:
    destroyed: list[str] = [name for name in ("abstract", "notes") if getattr(submission, name)]
    submission.abstract = ""
    submission.notes = ""
    if submission.attachment_key or submission.attachment_name:
        files.destroy(submission.attachment_key)
        destroyed.append("attachment")
    submission.attachment_key = None
    submission.attachment_name = ""
    submission.attachment_size = None
    reviews = db.session.scalars(
        db.select(Review).where(Review.submission_id == submission.id)
    ).all()
    commented = [review for review in reviews if review.comment]
    for review in commented:
        review.comment = ""
    if commented:
        destroyed.append("review_comments")
    if submission.talk_id is not None:
        slides = db.session.scalars(
            db.select(Slides).where(Slides.talk_id == submission.talk_id)
        ).first()
        if slides is not None:
            files.destroy(slides.file_key)
            db.session.delete(slides)
            destroyed.append("slides")
    submission.destroyed_at = moment
    record(
        "cfp.red_destroyed",
        object_type="submission",
        object_id=submission.uid,
        changes={"title": submission.title, "destroyed": destroyed},
        actor=SYSTEM,
    )
    db.session.commit()


def delete_expired(moment: datetime, days: int | None = None) -> int:
    """Delete rejected and withdrawn proposals ``days`` after their edition; how many.

    ``days`` defaults to ``RETENTION_DAYS`` (the notice's period); the purge
    command may pass a shorter one.
    """
    period = retention_policy().registration_days if days is None else days
    events = _ended_before(moment, period)
    if not events:
        return 0
    ids = list(
        db.session.scalars(
            db.select(Submission.id)
            .where(
                Submission.event_id.in_(events),
                db.or_(
                    Submission.status == SubmissionStatus.WITHDRAWN,
                    Submission.decision == Decision.REJECTED,
                ),
            )
            .order_by(Submission.id)
        )
    )
    for submission_id in ids:
        submission = db.session.get(Submission, submission_id)
        if submission is not None:
            _delete_one(submission)
    return len(ids)


def _delete_one(submission: Submission) -> None:
    """The proposal and everything hanging from it, its file first."""
    files.destroy(submission.attachment_key)
    uid, title = submission.uid, submission.title
    speakers = db.select(SubmissionSpeaker.id).where(
        SubmissionSpeaker.submission_id == submission.id
    )
    # Explicit deletes: the rows below hang from the proposal by database
    # cascades that the ORM does not know of.
    db.session.execute(db.delete(Reminder).where(Reminder.speaker_id.in_(speakers)))
    for model in (Review, ReviewAssignment, ConflictOfInterest):
        db.session.execute(db.delete(model).where(model.submission_id == submission.id))
    db.session.delete(submission)
    record(
        "cfp.purged",
        object_type="submission",
        object_id=uid,
        changes={"title": title},
        actor=SYSTEM,
    )
    db.session.commit()


def purge(moment: datetime, days: int | None = None) -> CfpPurgeReport:
    """Both, TLP:RED first (a rejected RED proposal is destroyed, then deleted)."""
    return CfpPurgeReport(red_destroyed=destroy_red(moment), deleted=delete_expired(moment, days))
