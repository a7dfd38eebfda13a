"""``queries.published_criteria``: the one definition of the published talks a filter selects.

Both the ORM reads (``queries.published_talks``) and the light records
(``listing.published_records``) use it, so each filter means the same on the
programme page, in the feeds and in the agenda.
"""

from datetime import date

import pytest
from flask import Flask

from congress.extensions import db
from congress.programme.models import Talk, TalkKind, TalkStatus
from congress.programme.queries import ProgrammeFilters, published_criteria, search_terms
from tests.factories import make_event, make_room, make_talk, make_track, paris

pytestmark = pytest.mark.integration


def _titles(*criteria) -> list[str]:
    stmt = db.select(Talk.title).where(*criteria).order_by(Talk.starts_at, Talk.id)
    return list(db.session.scalars(stmt))


def test_published_criteria_select_the_talks_each_filter_names(app: Flask) -> None:
    event = make_event()
    other = make_event()
    room, track = make_room(event, "Amphi"), make_track(event, "Gouvernance")
    make_talk(event, "Ouverture", starts_at=paris(1, "09:00"), kind=TalkKind.KEYNOTE)
    make_talk(event, "Sécurité des PACS", starts_at=paris(1, "10:00"), room=room)
    make_talk(event, "Annulée", starts_at=paris(2, "09:00"), status=TalkStatus.CANCELLED)
    make_talk(event, "Brouillon", starts_at=paris(2, "10:00"), status=TalkStatus.DRAFT, room=room)
    make_talk(event, "Gouvernance SSI", starts_at=paris(2, "00:30"), track=track)
    make_talk(other, "Autre édition", starts_at=paris(1, "09:00"))

    cases = {
        None: ["Ouverture", "Sécurité des PACS", "Gouvernance SSI", "Annulée"],
        # 00:30 in Le Mans on the 2nd is still the 1st in UTC: days are the edition's.
        ProgrammeFilters(day=date(2014, 4, 2)): ["Gouvernance SSI", "Annulée"],
        ProgrammeFilters(room=room): ["Sécurité des PACS"],
        ProgrammeFilters(track=track): ["Gouvernance SSI"],
        ProgrammeFilters(kind=TalkKind.KEYNOTE): ["Ouverture"],
        ProgrammeFilters(q="securite pacs", terms=search_terms("securite pacs")): [
            "Sécurité des PACS"
        ],
        ProgrammeFilters(day=date(2014, 4, 1), kind=TalkKind.TALK): ["Sécurité des PACS"],
    }
    assert {filters: _titles(*published_criteria(event, filters)) for filters in cases} == cases
