"""Who may download a session's slides, and when: the whole label x moment matrix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from congress.cfp.slides import audience, eventual_audience, keeps_slides
from congress.programme.models import Disclosure

pytestmark = pytest.mark.unit

ENDS = datetime(2014, 4, 1, 10, 0, tzinfo=UTC)
BEFORE = ENDS - timedelta(minutes=1)
AFTER = ENDS + timedelta(days=40)

EXPECTED_AFTER = {
    Disclosure.NONE: "public",
    Disclosure.TLP_CLEAR: "public",
    Disclosure.TLP_GREEN: "public",
    Disclosure.TLP_AMBER: "attendees",
    Disclosure.CHATHAM_HOUSE: "attendees",
    Disclosure.TLP_RED: "nobody",
}


def test_the_matrix_names_every_label():
    assert set(EXPECTED_AFTER) == set(Disclosure)


@pytest.mark.parametrize("label", list(Disclosure))
def test_nobody_before_the_session_has_ended(label):
    assert audience(label, ENDS, BEFORE) == "nobody"


@pytest.mark.parametrize(("label", "expected"), EXPECTED_AFTER.items())
def test_audience_from_the_end_of_the_session(label, expected):
    assert audience(label, ENDS, ENDS) == expected
    assert audience(label, ENDS, AFTER) == expected
    assert eventual_audience(label) == expected


@pytest.mark.parametrize(("label", "expected"), EXPECTED_AFTER.items())
def test_only_red_slides_are_never_kept(label, expected):
    assert keeps_slides(label) is (expected != "nobody")
