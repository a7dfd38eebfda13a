"""Capacity holds when many attendees confirm at the same instant.

Run on PostgreSQL in CI (``make test`` runs the suite there too): real row locks,
real concurrent transactions from threads, each with its own connection.
"""

import threading

import pytest

from congress.core.errors import CapacityReached
from congress.extensions import db
from congress.programme.models import Talk, TalkKind
from congress.registration import services
from congress.registration.models import (
    AgendaItem,
    Registration,
    RegistrationStatus,
    SeatCounter,
    TicketCategory,
)
from tests.conftest import IS_POSTGRES
from tests.factories import (
    confirm_token_for,
    make_category,
    make_event,
    make_registration,
    make_talk,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not IS_POSTGRES,
        reason="needs PostgreSQL's concurrent writers; make test runs this file on PostgreSQL",
    ),
]

ATTENDEES = 60


def _race(app, work, items):
    """Run ``work(item)`` for every item in its own thread and app context, all at once."""
    barrier = threading.Barrier(len(items))
    outcomes: list[object] = [None] * len(items)

    def run(index, item):
        with app.app_context():
            barrier.wait()
            try:
                outcomes[index] = work(item)
            except Exception as error:
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, item)) for i, item in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_sixty_concurrent_confirmations_for_twenty_five_seats(app):
    event = make_event()
    category = make_category(event, capacity=25)
    pending = [
        make_registration(event, category, f"rush{i}@chu-exemple.fr", confirm=False)[0]
        for i in range(ATTENDEES)
    ]
    tokens = [confirm_token_for(registration) for registration in pending]
    category_id = category.id
    db.session.remove()

    outcomes = _race(app, lambda token: services.confirm(token).registration.id, tokens)

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    statuses = db.session.execute(
        db.select(Registration.status, db.func.count()).group_by(Registration.status)
    ).all()
    assert dict(statuses) == {RegistrationStatus.CONFIRMED: 25, RegistrationStatus.WAITING: 35}
    assert db.session.get(TicketCategory, category_id).seats_taken == 25
    waiting = db.session.scalars(
        db.select(Registration)
        .where(Registration.status == RegistrationStatus.WAITING)
        .order_by(Registration.waiting_since, Registration.id)
    ).all()
    assert len({r.waiting_since for r in waiting}) == 35

    # Freed seats go to the head of the waiting list, in its order.
    confirmed = db.session.scalars(
        db.select(Registration).where(Registration.status == RegistrationStatus.CONFIRMED)
    ).all()
    for registration in confirmed[:3]:
        services.cancel(registration)
    db.session.expire_all()
    promoted = [db.session.get(Registration, r.id).status for r in waiting[:4]]
    assert promoted == [RegistrationStatus.CONFIRMED] * 3 + [RegistrationStatus.WAITING]


def test_concurrent_workshop_reservations_never_oversell(app):
    event = make_event()
    category = make_category(event, capacity=ATTENDEES)
    workshop = make_talk(event, "Atelier", kind=TalkKind.WORKSHOP, seat_limit=10)
    people = [
        make_registration(event, category, f"ws{i}@chu-exemple.fr")[0].id for i in range(ATTENDEES)
    ]
    workshop_id = workshop.id
    db.session.remove()

    def reserve(registration_id):
        registration = db.session.get(Registration, registration_id)
        services.add_to_agenda(registration, db.session.get(Talk, workshop_id))
        return "seat"

    outcomes = _race(app, reserve, people)

    assert outcomes.count("seat") == 10, outcomes
    assert all(isinstance(o, CapacityReached) for o in outcomes if o != "seat")
    assert db.session.get(SeatCounter, workshop_id).taken == 10
    assert db.session.scalar(db.select(db.func.count()).select_from(AgendaItem)) == 10
