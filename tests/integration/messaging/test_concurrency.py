"""Two organisers (or a double click) sending the same message at the same instant.

PostgreSQL only: real row locks between real concurrent transactions, each
thread with its own connection (like tests/integration/registration/test_concurrency.py).
"""

from __future__ import annotations

import threading

import pytest

from congress.accounts.models import Role
from congress.accounts.services import create_organiser
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.messaging import services
from congress.messaging.models import Message, MessageRecipient
from tests.conftest import IS_POSTGRES
from tests.factories import make_category, make_event, make_registration

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not IS_POSTGRES,
        reason="needs PostgreSQL's concurrent writers; make test runs this file on PostgreSQL",
    ),
]

SENDERS = 6


def test_concurrent_sends_give_each_attendee_the_message_once(app):
    event = make_event()
    category = make_category(event, capacity=20)
    for index in range(8):
        make_registration(event, category, f"r{index}@chu.fr")
    organiser = create_organiser("orga@apssis-orga.fr", "correct horse battery staple", Role.EDITOR)
    message = services.create_draft(
        event,
        services.Composition(subject="Accueil", body="Bonjour", audience="confirmed"),
        organiser,
    )
    message_id = message.id
    db.session.remove()
    barrier = threading.Barrier(SENDERS)
    outcomes: list[object] = [None] * SENDERS

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                outcomes[index] = services.send(db.session.get(Message, message_id))
            except Exception as error:
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == [0] * (SENDERS - 1) + [8]
    assert db.session.scalar(db.select(db.func.count()).select_from(MessageRecipient)) == 8
    addresses = db.session.scalars(
        db.select(OutboxMessage.to_address).where(OutboxMessage.kind == "message")
    ).all()
    assert sorted(addresses) == sorted(f"r{index}@chu.fr" for index in range(8))
