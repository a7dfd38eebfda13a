"""The session editor obeys the programme's conflict rule through the services.

The view decides nothing: an edit that moves a session into a taken room is
refused by ``services.update_talk`` (409), shown beside the room field, and
the session keeps its slot.
"""

from __future__ import annotations

import pytest

from congress.extensions import db
from congress.programme.models import Talk
from tests.factories import make_event, make_room, make_talk, paris
from tests.http import submit

pytestmark = pytest.mark.integration


def test_edit_into_a_taken_room_is_refused_beside_the_room_and_keeps_the_slot(
    client, app, login_as
):
    event = make_event()
    amphi = make_room(event, "Amphi", capacity=100)
    salle = make_room(event, "Salle B", capacity=20)
    make_talk(event, "Ouverture", starts_at=paris(1, "09:00"), room=amphi, allow_conflicts=False)
    later = make_talk(
        event, "Menaces 2014", starts_at=paris(1, "09:15"), room=salle, allow_conflicts=False
    )
    login_as("editor")
    response = submit(
        client,
        f"/dashboard/talks/{later.id}",
        {
            "title": "Menaces 2014",
            "kind": "talk",
            "status": "confirmed",
            "disclosure": "none",
            "language": "fr",
            "day": "2014-04-01",
            "starts_at": "09:15",
            "ends_at": "10:00",
            "room": amphi.id,
            "track": 0,
            "seat_limit": "",
            "moderator": 0,
            "abstract": "",
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert (
        '<p class="field-error" id="room-error">'
        "Salle déjà occupée par «\u202fOuverture\u202f» de 09:00 à 09:45.</p>"
    ) in html
    db.session.expire_all()
    kept = db.session.get(Talk, later.id)
    assert (kept.room_id, kept.ends_at, kept.sequence) == (salle.id, paris(1, "10:00"), 0)
