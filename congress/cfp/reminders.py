"""Reminders of the call for papers, each sent once per person through the outbox.

Two reminders exist, both about an answer still missing before a deadline:

- ``cospeaker``: a co-speaker who has not confirmed taking part in a submitted
  proposal, ``DAYS_BEFORE`` days before the call closes. The first link may be
  lost, and only its hash is stored, so the reminder carries a new link (the
  old one keeps working);
- ``respond``: an accepted speaker who has neither confirmed nor declined,
  ``DAYS_BEFORE`` days before the organisers' answer deadline, with a new link
  to their space.

"Once" is held by the database: a ``cfp_reminder`` row per (kind, person),
unique, written in the same transaction as the e-mail. ``flask congress
cfp-reminders`` runs them; run it daily (the README's cron line).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from congress.cfp import services
from congress.cfp.models import (
    CallForPapers,
    Decision,
    Reminder,
    SpeakerRole,
    Submission,
    SubmissionSpeaker,
    SubmissionStatus,
    SubmissionTokenPurpose,
)
from congress.core.clock import now
from congress.extensions import db

DAYS_BEFORE = 3
COSPEAKER = "cospeaker"
RESPOND = "respond"


def _already(kind: str) -> object:
    return db.select(Reminder.speaker_id).where(Reminder.kind == kind)


def _due_calls(attribute: object, moment: datetime) -> list[CallForPapers]:
    """Calls whose deadline (``attribute``) falls within the reminder's window."""
    return list(
        db.session.scalars(
            db.select(CallForPapers).where(
                attribute.is_not(None),  # type: ignore[attr-defined]
                attribute > moment,  # type: ignore[operator]
                attribute <= moment + timedelta(days=DAYS_BEFORE),  # type: ignore[operator]
            )
        )
    )


def _remind(
    kind: str, person: SubmissionSpeaker, purpose: SubmissionTokenPurpose, path: str
) -> None:
    submission = person.submission
    token = services.issue_link(submission, purpose, speaker=person)
    db.session.add(Reminder(kind=kind, speaker_id=person.id))
    services.mail_about(
        submission,
        person.email,
        f"cfp_reminder_{kind}",
        kind=f"cfp_reminder_{kind}",
        person=person,
        call=services.call_for(submission.event),
        link=f"{current_app.config['BASE_URL']}{path}{token}",
    )


def _silent(kind: str, call: CallForPapers, *conditions: object) -> list[SubmissionSpeaker]:
    """The people of ``call``'s submitted proposals matching ``conditions``, not yet reminded."""
    return list(
        db.session.scalars(
            db.select(SubmissionSpeaker)
            .join(Submission)
            .where(
                Submission.event_id == call.event_id,
                Submission.status == SubmissionStatus.SUBMITTED,
                SubmissionSpeaker.id.not_in(_already(kind)),
                *conditions,  # type: ignore[arg-type]
            )
        )
    )


def send_due(moment: datetime | None = None) -> int:
    """Queue every reminder due now that was never sent; one commit; returns how many."""
    moment = moment or now()
    due: list[tuple[str, SubmissionSpeaker, SubmissionTokenPurpose, str]] = []
    for call in _due_calls(CallForPapers.closes_at, moment):
        waiting = _silent(
            COSPEAKER,
            call,
            SubmissionSpeaker.role == SpeakerRole.CO_SPEAKER,
            SubmissionSpeaker.confirmed_at.is_(None),
        )
        due += [
            (COSPEAKER, person, SubmissionTokenPurpose.COSPEAKER, "/cfp/speaker-confirm/")
            for person in waiting
        ]
    for call in _due_calls(CallForPapers.respond_by, moment):
        waiting = _silent(
            RESPOND,
            call,
            Submission.decision == Decision.ACCEPTED,
            Submission.decision_released_at.is_not(None),
            SubmissionSpeaker.speaker_id.is_not(None),
            SubmissionSpeaker.participation.is_(None),
        )
        due += [(RESPOND, person, SubmissionTokenPurpose.SPACE, "/speaker/") for person in waiting]
    for kind, person, purpose, path in due:
        _remind(kind, person, purpose, path)
    db.session.commit()
    return len(due)
