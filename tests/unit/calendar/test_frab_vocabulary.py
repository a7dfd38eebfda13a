"""The frab vocabulary shared by our schedule writer and the importer."""

from __future__ import annotations

import pytest

from congress.calendar.frab_vocabulary import (
    cancelled_title,
    frab_type,
    kind_for,
    split_cancelled,
)
from congress.programme.models import TalkKind

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("lecture", TalkKind.TALK),
        ("Talk", TalkKind.TALK),
        ("Workshop", TalkKind.WORKSHOP),
        ("keynote", TalkKind.KEYNOTE),
        ("Panel", TalkKind.ROUND_TABLE),
        ("podium", TalkKind.ROUND_TABLE),
        ("Round Table", TalkKind.ROUND_TABLE),
        ("round_table", TalkKind.ROUND_TABLE),
        ("break", TalkKind.BREAK),
        ("Social", TalkKind.SOCIAL),
        ("party", TalkKind.SOCIAL),
        ("attack_analysis", TalkKind.ATTACK_ANALYSIS),
        ("Lightning talk", TalkKind.TALK),
        ("", TalkKind.TALK),
        (None, TalkKind.TALK),
    ],
)
def test_kind_for_maps_frab_types(value, kind):
    assert kind_for(value) is kind


@pytest.mark.parametrize("kind", list(TalkKind))
def test_kind_for_reads_back_every_type_we_write(kind):
    assert kind_for(frab_type(kind)) is kind


def test_cancelled_title_is_the_ics_wording_in_french():
    # The .ics feeds' "[Cancelled] %(title)s", as the French catalogue translates it.
    assert cancelled_title("Table ronde") == "[Annulé] Table ronde"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("[Annulé] Table ronde", ("Table ronde", True)),
        ("[Cancelled] Table ronde", ("Table ronde", True)),
        ("[ANNULÉ] Table ronde", ("Table ronde", True)),
        ("Table ronde", ("Table ronde", False)),
        ("[Annulé] ", ("[Annulé] ", False)),
        ("Le [Annulé] du jour", ("Le [Annulé] du jour", False)),
    ],
    ids=["french", "english", "written-before", "not-cancelled", "marking-alone", "inside"],
)
def test_split_cancelled_reads_every_wording(title, expected):
    assert split_cancelled(title) == expected
