"""Pure parts of the check-in desk: the edition's local day, day bits, labels."""

from datetime import UTC, date, datetime

import pytest

from congress.core.clock import set_clock
from congress.edition.models import Event
from congress.registration.checkin import (
    REASON_MESSAGES,
    CheckInResult,
    Outcome,
    Reason,
    day_bit,
    staff_label,
    today,
)

pytestmark = pytest.mark.unit


def _event(zone: str = "Europe/Paris") -> Event:
    return Event(timezone=zone, first_day=date(2014, 4, 1), last_day=date(2014, 4, 3))


@pytest.fixture
def at():
    def _set(moment: datetime) -> None:
        set_clock(lambda: moment)

    yield _set
    set_clock(None)


def test_today_is_the_local_date_in_the_edition_zone(at):
    at(datetime(2014, 3, 31, 22, 30, tzinfo=UTC))  # 00:30 in Paris (UTC+2)
    assert today(_event()) == date(2014, 4, 1)
    assert today(_event("America/Montreal")) == date(2014, 3, 31)


def test_day_bit_of_each_congress_day_and_none_outside():
    event = _event()
    assert [day_bit(event, date(2014, 4, d)) for d in (1, 2, 3)] == [1, 2, 4]
    assert day_bit(event, date(2014, 3, 31)) == 0
    assert day_bit(event, date(2014, 4, 4)) == 0


def test_staff_label_prefers_the_display_name():
    class Staff:
        display_name = " Accueil 1 "
        email = "accueil@apssis-orga.fr"

    class Anonymous:
        display_name = ""
        email = "accueil@apssis-orga.fr"

    assert staff_label(Staff()) == "Accueil 1"
    assert staff_label(Anonymous()) == "accueil@apssis-orga.fr"


def test_every_refusal_reason_has_a_message():
    assert set(REASON_MESSAGES) == set(Reason)
    refused = CheckInResult(Outcome.REFUSED, date(2014, 4, 1), reason=Reason.CANCELLED)
    assert refused.message is REASON_MESSAGES[Reason.CANCELLED]
    assert CheckInResult(Outcome.OK, date(2014, 4, 1)).message == ""
