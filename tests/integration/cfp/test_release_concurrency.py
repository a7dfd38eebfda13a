"""Eight administrators pressing "release" at the same instant: each speaker is told once.

PostgreSQL only: real row locks between concurrent transactions, each thread
with its own connection (SQLite runs one writer at a time).
"""

from __future__ import annotations

import threading

import pytest

from congress.cfp import decisions
from congress.cfp.models import Decision, Submission
from congress.edition.models import Event
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.programme.models import Talk
from tests.conftest import IS_POSTGRES
from tests.factories import make_submission

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not IS_POSTGRES,
        reason="needs PostgreSQL's concurrent writers; make test runs this file on PostgreSQL",
    ),
]

PRESSES = 8
PROPOSALS = 5


def test_concurrent_releases_send_each_decision_once(app, event: Event, moment):
    for number in range(PROPOSALS):
        submission = make_submission(
            event,
            f"Proposition {number}",
            email=f"s{number}@ch-test.fr",
            organisation=f"CH {number}",
        )
        decisions.decide(submission, Decision.ACCEPTED if number % 2 else Decision.REJECTED)
    event_id = event.id
    db.session.remove()
    barrier = threading.Barrier(PRESSES)
    told: list[int] = []
    errors: list[BaseException] = []

    def press() -> None:
        with app.app_context():
            try:
                barrier.wait()
                told.append(decisions.release(db.session.get(Event, event_id)))
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=press) for _ in range(PRESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(told) == PROPOSALS
    kinds = db.session.scalars(
        db.select(OutboxMessage.kind).where(
            OutboxMessage.kind.in_(["cfp_accepted", "cfp_rejected"])
        )
    ).all()
    assert sorted(kinds) == ["cfp_accepted"] * 2 + ["cfp_rejected"] * 3
    assert db.session.scalar(db.select(db.func.count(Talk.id))) == 2
    assert all(s.decision_released_at for s in db.session.scalars(db.select(Submission)))
