"""Retention: personal data of past editions are erased, anonymous counts stay.

What the privacy notice promises, applied. The periods come from
``congress.edition.privacy.retention_policy()``, the same place the notice reads
them, so the two cannot drift apart.

An edition is "past" once its last day is more than ``older_than_days`` ago
(by default, and at most, the configured ``RETENTION_DAYS``).
Each registration is blanked as the attendee's own erasure blanks it, by the
same function (``services.blank_personal_data``: names, address, organisation,
needs, newsletter choice, check-in code); its private links and every e-mail
queued or sent to it are deleted; its category, organisation type, role, days,
status and check-ins stay, attached to a row that no longer names anyone, so
the statistics still add up. This runs in batches,
each batch one transaction, so an interrupted purge resumes where it stopped.
Then the audit log loses its entries older than ``AUDIT_RETENTION_DAYS``
(``congress.audit.log.forget_before``), its chain kept verifiable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from congress.audit.log import SYSTEM, forget_before, record
from congress.core.clock import now
from congress.edition.models import Event
from congress.edition.privacy import retention_policy
from congress.extensions import db
from congress.mail.outbox import forget_registrations
from congress.registration.models import AccessToken, Registration
from congress.registration.services import blank_personal_data

BATCH = 200


class LongerThanNotice(ValueError):
    """A purge asked to keep registrations longer than the privacy notice says."""


@dataclass(slots=True)
class PurgeReport:
    editions: int = 0
    registrations: int = 0
    audit_entries: int = 0
    audit_days: int = 0


def registration_days(older_than_days: int | None = None) -> int:
    """The age past which editions are purged: the configured period, or a shorter one.

    Longer is refused: the notice promises erasure after the configured period,
    so keeping data longer means changing ``CONGRESS_RETENTION_DAYS`` (and with it
    the notice), not passing a bigger number to one run.
    """
    configured = retention_policy().registration_days
    if older_than_days is None:
        return configured
    if older_than_days < 0:
        raise ValueError("older_than_days must be positive")
    if older_than_days > configured:
        raise LongerThanNotice(
            f"{older_than_days} days is longer than the {configured} days the privacy notice "
            "states (CONGRESS_RETENTION_DAYS)"
        )
    return older_than_days


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


def purge(
    older_than_days: int | None = None, progress: Callable[[int], None] | None = None
) -> PurgeReport:
    """Erase what the privacy notice says is erased once its period is over.

    Registrations of past editions first (committed batch by batch), then old
    audit entries; a broken audit chain (``ChainBroken``) stops only the second step.
    """
    days = registration_days(older_than_days)
    events = past_editions(days)
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
                # The status stays: who came, in which category, is history, not identity.
                blank_personal_data(registration, moment)
            db.session.execute(db.delete(AccessToken).where(AccessToken.registration_id.in_(ids)))
            forget_registrations(ids)
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
    report.audit_days = retention_policy().audit_days
    report.audit_entries = forget_before(now() - timedelta(days=report.audit_days))
    db.session.commit()
    return report
