"""The dashboard form that sets the call for papers' window and rules, and the footer link."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from congress.audit.models import AuditEntry
from congress.cfp import services
from congress.cfp.models import CallForPapers
from congress.core import clock
from congress.edition.models import Event
from congress.extensions import db
from tests.factories import make_event
from tests.http import submit

pytestmark = pytest.mark.integration

DURING = datetime(2013, 12, 1, 9, 0, tzinfo=UTC)
FORM = {
    "opens_at": "2013-10-01T09:00",
    "closes_at": "2014-01-15T23:59",
    "rules": "- Propositions **inédites**",
    "rules_en": "- Original work",
}


@pytest.fixture
def event(app) -> Iterator[Event]:
    clock.set_clock(lambda: DURING)
    yield make_event()
    clock.set_clock(None)


def test_saving_the_form_opens_the_call_shown_on_the_public_page(client, event, login_as):
    admin = login_as("admin")

    response = submit(admin, "/dashboard/cfp/call", FORM)

    assert response.status_code == 302
    call = db.session.scalars(db.select(CallForPapers)).one()
    assert call.opens_at.astimezone(UTC) == datetime(2013, 10, 1, 7, 0, tzinfo=UTC)
    assert call.closes_at.astimezone(UTC) == datetime(2014, 1, 15, 22, 59, tzinfo=UTC)
    html = client.get("/cfp").get_data(as_text=True)
    assert "L’appel à communications est ouvert." in html
    assert "du mardi 1er octobre 2013 09:00 au mercredi 15 janvier 2014 23:59" in html
    assert "<strong>inédites</strong>" in html
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert "cfp.call_set" in actions


def test_the_form_shows_the_stored_window_in_the_editions_zone(event, login_as):
    services.set_call(
        event,
        datetime(2013, 10, 1, 7, 0, tzinfo=UTC),
        datetime(2014, 1, 15, 22, 59, tzinfo=UTC),
        "Règles",
    )
    admin = login_as("admin")

    html = admin.get("/dashboard/cfp/call").get_data(as_text=True)

    assert 'value="2013-10-01T09:00"' in html
    assert 'value="2014-01-15T23:59"' in html
    assert "Règles</textarea>" in html


def test_closing_before_opening_is_refused_keeping_the_typed_values(event, login_as):
    admin = login_as("admin")

    response = submit(admin, "/dashboard/cfp/call", {**FORM, "closes_at": "2013-09-30T18:00"})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "La date de clôture doit suivre la date d’ouverture." in html
    assert 'value="2013-09-30T18:00"' in html
    assert 'value="2013-10-01T09:00"' in html
    assert "Propositions **inédites**" in html
    assert db.session.scalars(db.select(CallForPapers)).first() is None


def test_missing_dates_are_refused_each_beside_its_field(event, login_as):
    admin = login_as("admin")

    response = submit(admin, "/dashboard/cfp/call", {**FORM, "opens_at": "", "closes_at": ""})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Saisissez la date et l’heure d’ouverture." in html
    assert "Saisissez la date et l’heure de clôture." in html
    assert db.session.scalars(db.select(CallForPapers)).first() is None


def test_an_unreadable_date_is_refused_with_a_message(event, login_as):
    admin = login_as("admin")

    response = submit(admin, "/dashboard/cfp/call", {**FORM, "opens_at": "demain"})

    assert response.status_code == 400
    assert "Saisissez une date et une heure" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["editor", "desk"])
def test_editor_and_desk_may_not_set_the_call(event, login_as, role):
    user = login_as(role)

    assert user.get("/dashboard/cfp/call").status_code == 403
    assert db.session.scalars(db.select(CallForPapers)).first() is None


def test_editor_sees_no_link_to_the_form(event, login_as):
    editor_html = login_as("editor").get("/dashboard/cfp").get_data(as_text=True)

    assert 'href="/dashboard/cfp/call"' not in editor_html


def test_admin_sees_the_link_to_the_form(event, login_as):
    admin_html = login_as("admin").get("/dashboard/cfp").get_data(as_text=True)

    assert 'href="/dashboard/cfp/call"' in admin_html


def test_every_public_page_links_to_the_call_for_papers_in_its_footer(client, event):
    html = client.get("/").get_data(as_text=True)

    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/cfp">Appel à communications</a>' in footer


def test_the_speakers_deadline_and_notes_are_saved_for_their_space(event, login_as):
    admin = login_as("admin")
    form = {
        **FORM,
        "respond_by": "2014-02-15T18:00",
        "speaker_info": "Dîner des intervenants le 1er avril",
        "technical_setup": "HDMI et USB-C",
    }

    assert submit(admin, "/dashboard/cfp/call", form).status_code == 302

    call = db.session.scalars(db.select(CallForPapers)).one()
    assert call.respond_by.astimezone(UTC) == datetime(2014, 2, 15, 17, 0, tzinfo=UTC)
    assert call.speaker_info == "Dîner des intervenants le 1er avril"
    assert call.technical_setup == "HDMI et USB-C"
    assert 'value="2014-02-15T18:00"' in admin.get("/dashboard/cfp/call").get_data(as_text=True)


def test_a_speakers_deadline_before_the_close_is_refused_beside_its_field(event, login_as):
    admin = login_as("admin")

    response = submit(admin, "/dashboard/cfp/call", {**FORM, "respond_by": "2014-01-10T18:00"})

    assert response.status_code == 400
    assert "qu’après la clôture" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(CallForPapers)).first() is None
