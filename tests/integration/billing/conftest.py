"""A public hospital's registration with its billing details, on a clock in March 2014."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from congress.core import clock
from congress.registration.models import BillingDetails, Registration
from tests.factories import (
    make_billing_details,
    make_category,
    make_event,
    make_organiser,
    make_registration,
)

ISSUE_TIME = datetime(2014, 3, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def march(app) -> Iterator[datetime]:
    clock.set_clock(lambda: ISSUE_TIME)
    yield ISSUE_TIME
    clock.set_clock(None)


def hospital_details(registration: Registration, **overrides: object) -> BillingDetails:
    """Billing details of a public hospital paying through Chorus Pro."""
    return make_billing_details(registration, **overrides)


@pytest.fixture
def edition(app, march):
    event = make_event(acronym="APSSIS 2014")
    make_organiser(event)
    return event


@pytest.fixture
def hospital_registration(edition) -> Registration:
    category = make_category(edition, name="Établissements de santé")
    registration, _token = make_registration(
        edition, category, "rssi@ch-lemans.example", first_name="Marie", last_name="Durand"
    )
    hospital_details(registration)
    return registration
