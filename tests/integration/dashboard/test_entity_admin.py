"""The generic pages of rooms, tracks and speakers: one description, three routes each."""

from datetime import date

import pytest
from werkzeug.exceptions import NotFound

from congress.accounts.permissions import Permission
from congress.dashboard.entities import ROOMS, SPEAKERS, TRACKS
from tests.factories import make_event, make_room

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("admin", "plural", "name"),
    [(ROOMS, "rooms", "room"), (TRACKS, "tracks", "track"), (SPEAKERS, "speakers", "speaker")],
)
def test_registered_entity_has_its_three_routes_and_permission(app, admin, plural, name):
    rules = {
        rule.endpoint: (rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"}))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(f"dashboard.{name}") or rule.endpoint == f"dashboard.{plural}"
    }

    image = {  # a speaker's photo: two more routes
        f"dashboard.{name}_image": (f"/dashboard/{plural}/<int:{name}_id>/image", ["POST"]),
        f"dashboard.{name}_image_delete": (
            f"/dashboard/{plural}/<int:{name}_id>/image/delete",
            ["POST"],
        ),
    }
    assert rules == {
        f"dashboard.{plural}": (f"/dashboard/{plural}", ["GET", "POST"]),
        f"dashboard.{name}_edit": (f"/dashboard/{plural}/<int:{name}_id>", ["GET", "POST"]),
        f"dashboard.{name}_delete": (f"/dashboard/{plural}/<int:{name}_id>/delete", ["POST"]),
        **(image if admin.image is not None else {}),
    }
    assert admin.permission is Permission.EDIT_PROGRAMME
    assert {app.view_functions[endpoint].required_permission for endpoint in rules} == {
        Permission.EDIT_PROGRAMME
    }


def test_owned_object_of_another_edition_is_not_found(app):
    old = make_event(first_day=date(2013, 4, 2), last_day=date(2013, 4, 4))
    current = make_event()
    theirs, ours = make_room(old, "Ancienne"), make_room(current, "Nouvelle")

    assert ROOMS.owned(ours.id, current) is ours
    with pytest.raises(NotFound):
        ROOMS.owned(theirs.id, current)
    with pytest.raises(NotFound):
        ROOMS.owned(999_999, current)
