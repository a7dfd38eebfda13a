"""What the call for papers' tests share: the demo call's window and reading the outbox.

The window is the demo edition's (1 October 2013 to 15 January 2014, Paris time);
``DURING`` is a moment inside it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from congress.extensions import db
from congress.mail.models import OutboxMessage

OPENS = datetime(2013, 10, 1, 7, 0, tzinfo=UTC)
CLOSES = datetime(2014, 1, 15, 22, 59, tzinfo=UTC)
DURING = datetime(2013, 12, 1, 9, 0, tzinfo=UTC)
# What the stored attachment of ``amber_from_rennes`` decrypts to.
ATTACHMENT = b"%PDF-1.4 committee only"
# The submission form's fields, as a browser sends them (no co-speaker).
PROPOSAL_FORM = {
    "title": "Sauvegardes hors ligne",
    "abstract": "Trois ans de retour d'expérience.",
    "kind": "attack_analysis",
    "track_id": "0",
    "duration_minutes": "45",
    "language": "fr",
    "disclosure": "tlp_green",
    "notes": "",
    "name": "Alice Martin",
    "email": "alice@chu-test.fr",
    "organisation": "CHU de test",
}


def mails(kind: str) -> list[OutboxMessage]:
    """The outbox's messages of ``kind``, oldest first."""
    return list(
        db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
    )


def link(message: OutboxMessage, path: str) -> str:
    """The token of the first ``path`` link in the message's text."""
    return re.search(rf"http://congress\.test{path}([A-Za-z0-9_-]+)", message.body_text).group(1)


def amber_from_rennes(event: object, abstract: str, notes: str) -> object:
    """A submitted TLP:AMBER attack analysis from the CHU de Rennes, with a stored attachment."""
    from congress.cfp import files
    from tests.factories import make_submission

    submission = make_submission(
        event,
        "Analyse d'une attaque en cours",
        disclosure="tlp_amber",
        abstract=abstract,
        notes=notes,
        name="Alice Martin",
        email="alice@chu-rennes.fr",
        organisation="CHU de Rennes",
    )
    content = ATTACHMENT
    submission.attachment_key = files.store(content)
    submission.attachment_name = "analyse.pdf"
    submission.attachment_size = len(content)
    db.session.commit()
    return submission
