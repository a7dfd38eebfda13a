"""The desk rehearses: training mode answers as the real desk, marked, and writes nothing.

Also the printed desk sheet: alphabetical (accents folded), the start of each
code, who is already in, audited as a print of personal data.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from congress.audit.models import AuditEntry
from congress.core.clock import set_clock
from congress.extensions import db
from congress.registration import services
from congress.registration.models import CheckIn
from tests.factories import make_category, make_event, make_registration, paris
from tests.http import csrf_from

pytestmark = pytest.mark.integration

TRAINING = "/dashboard/checkin?training=1&day=2014-04-01"


@pytest.fixture
def before_congress() -> Iterator[None]:
    """Now is a week before the edition: the real desk refuses every code."""
    set_clock(lambda: paris(1, "09:00").replace(day=25, month=3))
    yield
    set_clock(None)


@pytest.fixture
def attendees(app, before_congress):
    event = make_event()
    category = make_category(event, capacity=50, name="Plein tarif")
    zoe, _ = make_registration(
        event, category, "zoe@chu-exemple.fr", first_name="Zoé", last_name="Zola"
    )
    eric, _ = make_registration(
        event, category, "eric@chu-exemple.fr", first_name="Éric", last_name="Étienne"
    )
    return event, zoe, eric


def _counts() -> tuple[int, int]:
    db.session.expire_all()
    checkins = db.session.scalar(db.select(db.func.count()).select_from(CheckIn))
    entries = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
    return checkins, entries


def _scan(client, url: str, code: str):
    page = client.get(url)
    token = csrf_from(page.get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, "code": code})


def test_real_desk_refuses_a_code_before_the_congress(client, login_as, attendees):
    _event, zoe, _eric = attendees
    login_as("desk")
    html = _scan(client, "/dashboard/checkin", services.checkin_code(zoe)).get_data(as_text=True)
    assert "Refusé\u202f: aujourd'hui n'est pas un jour du congrès." in html


def test_training_desk_accepts_the_code_as_on_the_chosen_day_and_writes_nothing(
    client, login_as, attendees
):
    _event, zoe, _eric = attendees
    login_as("desk")
    before = _counts()
    response = _scan(client, TRAINING, services.checkin_code(zoe))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "MODE ENTRAÎNEMENT\u202f: rien n'est enregistré" in html
    assert "Zoé Zola" in html
    assert "Entraînement\u202f: ce passage n'a pas été enregistré." in html
    assert 'action="/dashboard/checkin?training=1&amp;day=2014-04-01"' in html
    assert _counts() == before

    again = _scan(client, TRAINING, services.checkin_code(zoe)).get_data(as_text=True)
    assert "Entraînement\u202f: ce passage n'a pas été enregistré." in again  # not "already"
    refused = _scan(client, TRAINING, "not-a-code").get_data(as_text=True)
    assert "Code inconnu" in refused
    assert _counts() == before


def test_training_day_must_be_a_day_of_the_congress(client, login_as, attendees):
    login_as("desk")
    assert client.get("/dashboard/checkin?training=1&day=2014-05-01").status_code == 400
    assert client.get("/dashboard/checkin?training=1&day=nope").status_code == 400
    default = client.get("/dashboard/checkin?training=1").get_data(as_text=True)
    assert "Répétition du mardi 1er avril 2014" in default


def test_training_mode_is_refused_to_editors(client, login_as, attendees):
    login_as("editor")
    assert client.get(TRAINING).status_code == 403


def test_desk_sheet_lists_expected_attendees_alphabetically_and_is_audited(
    client, login_as, attendees
):
    _event, _zoe, eric = attendees
    login_as("desk")
    html = client.get("/dashboard/checkin/sheet?day=2014-04-01").get_data(as_text=True)
    assert html.index("ÉTIENNE Éric") < html.index("ZOLA Zoé")
    assert f"<code>{services.checkin_code(eric)[:8]}</code>" in html
    assert "Confidentiel\u202f: données personnelles." in html
    db.session.expire_all()
    (entry,) = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "checkin.sheet_printed")
    )
    assert entry.changes == {"day": "2014-04-01", "lines": 2}
    assert client.get("/dashboard/checkin/sheet?day=2014-05-01").status_code == 400


def test_desk_sheet_is_refused_to_editors(client, login_as, attendees):
    login_as("editor")
    assert client.get("/dashboard/checkin/sheet").status_code == 403
