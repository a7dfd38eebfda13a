"""Retention: personal data of past editions are erased, anonymous counts stay.

An edition is "past" once its last day is more than ``older_than_days`` ago.
Each registration is blanked as the attendee's own erasure would blank it
(names, address, organisation, needs, links, e-mails), in batches, each batch
one transaction, so an interrupted purge resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from congress.audit.log import SYSTEM, record
from congress.core.clock import now
from congress.edition.models import Event
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.registration.models import AccessToken, Registration

BATCH = 200


@dataclass(slots=True)
class PurgeReport:
    editions: int = 0
    registrations: int = 0


def past_editions(older_than_days: int) -> list[Event]:
    limit = (now() - timedelta(days=older_than_days)).date()
    return list(db.session.scalars(db.select(Event).where(Event.last_day < limit)))


def to_purge(events: list[Event]) -> int:
    if not events:
        return 0
    return (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(Registration)
            .where(
                Registration.event_id.in_([e.id for e in events]), Registration.erased_at.is_(None)
            )
        )
        or 0
    )


def purge(older_than_days: int, progress: Callable[[int], None] | None = None) -> PurgeReport:
    """Erase the personal data of every registration of every past edition."""
    if older_than_days < 0:
        raise ValueError("older_than_days must be positive")
    events = past_editions(older_than_days)
    report = PurgeReport(editions=len(events))
    for event in events:
        while True:
            batch = db.session.scalars(
                db.select(Registration)
                .where(Registration.event_id == event.id, Registration.erased_at.is_(None))
                .limit(BATCH)
            ).all()
            if not batch:
                break
            ids = [registration.id for registration in batch]
            moment = now()
            for registration in batch:
                registration.first_name = ""
                registration.last_name = ""
                registration.email = f"erased-{registration.uid}"
                registration.organisation = ""
                registration.accessibility_needs = ""
                registration.dietary_needs = ""
                registration.needs_consent_at = None
                registration.newsletter = False
                registration.search_text = ""
                registration.checkin_code_hash = None
                # The status stays: who came, in which category, is history, not identity.
                registration.erased_at = moment
            db.session.execute(db.delete(AccessToken).where(AccessToken.registration_id.in_(ids)))
            db.session.execute(
                db.delete(OutboxMessage).where(OutboxMessage.registration_id.in_(ids))
            )
            record(
                "retention.purged",
                object_type="event",
                object_id=event.slug,
                changes={"registrations": len(ids)},
                actor=SYSTEM,
            )
            db.session.commit()
            report.registrations += len(ids)
            if progress is not None:
                progress(len(ids))
    return report
