"""Erasure on request blanks what the retention purge blanks, the check-in code included.

``services.erase`` and ``retention.purge`` share ``services.blank_personal_data``.
Through the services, cancelling already drops the code; erasure no longer relies
on that, so a row that still holds one (written by an earlier version, or
imported) loses it too.
"""

import pytest

from congress.core import tokens
from congress.extensions import db
from congress.registration import services
from congress.registration.models import Registration, RegistrationStatus
from tests.factories import make_category, make_event, make_registration

pytestmark = pytest.mark.integration


def test_erase_clears_the_check_in_code_a_cancelled_registration_still_holds(app):
    event = make_event()
    registration, _ = make_registration(event, make_category(event), "code@chu-exemple.fr")
    services.cancel(registration, notify=False)
    registration.checkin_code_hash = tokens.hash_token(services.checkin_code(registration))
    db.session.commit()

    services.erase(registration)

    db.session.expire_all()
    row = db.session.get(Registration, registration.id)
    assert row.status is RegistrationStatus.CANCELLED
    assert row.checkin_code_hash is None
    assert row.email == f"erased-{row.uid}"
    assert row.erased_at is not None
