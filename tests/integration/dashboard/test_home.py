"""The dashboard home answers "where are we?", each figure to the roles that may see it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from congress.core.clock import now, set_clock
from congress.extensions import db
from congress.mail.models import OutboxMessage, OutboxStatus
from congress.programme.models import TalkStatus
from tests.factories import make_category, make_event, make_registration, make_talk, paris

pytestmark = pytest.mark.integration


@pytest.fixture
def edition(app):
    event = make_event()
    category = make_category(event, capacity=3, name="Hôpitaux")
    started = now()
    set_clock(lambda: started - timedelta(hours=72))
    make_registration(event, category, "ancienne@chu-exemple.fr", confirm=False)
    set_clock(lambda: started - timedelta(hours=2))
    make_registration(event, category, "recente@chu-exemple.fr", confirm=False)
    set_clock(None)
    for index in range(4):  # three seats, then the waiting list
        make_registration(event, category, f"p{index}@chu-exemple.fr")
    failed = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).first()
    failed.status = OutboxStatus.FAILED
    db.session.commit()
    make_talk(event, "Brouillon à publier", starts_at=paris(2, "09:00"), status=TalkStatus.DRAFT)
    return event


def _figure(html: str, label: str) -> int:
    found = re.search(rf"<strong>(\d+)</strong> {re.escape(label)}", html)
    assert found, label
    return int(found.group(1))


def test_admin_sees_where_we_are(client, login_as, edition):
    login_as("admin")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert _figure(html, "confirmées") == 3
    assert _figure(html, "en liste d'attente") == 1
    assert _figure(html, "adresses non confirmées depuis plus de 48 h") == 1
    assert _figure(html, "e-mails en échec") == 1
    assert _figure(html, "sessions pas encore publiées") == 1
    assert "<td>3</td><td>3</td><td>0</td><td>1</td><td>2</td>" in html  # seats left 0
    assert "Nouvelles inscriptions par jour, six dernières semaines" in html
    assert "Brouillon à publier" in html


def test_editor_sees_drafts_but_no_registration_figures(client, login_as, edition):
    login_as("editor")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "Brouillon à publier" in html
    assert "en liste d'attente" not in html


def test_desk_sees_figures_but_no_drafts(client, login_as, edition):
    login_as("desk")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert _figure(html, "confirmées") == 3
    assert "Brouillon à publier" not in html
