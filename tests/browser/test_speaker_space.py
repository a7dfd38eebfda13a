"""An accepted speaker on a phone: open their space, confirm, write their biography, send slides.

At 375 px each state of the page has no serious or critical axe violation and
nothing wider than the viewport. The clock is set a month before the demo
edition, within the time to answer and to send slides.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from congress.cfp import services
from congress.cfp.models import Participation, Slides, SubmissionSpeaker
from congress.core.clock import set_clock
from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import Speaker, TalkStatus
from tests.browser.conftest import PHONE, serious_violations
from tests.browser.test_overflow import _overflow
from tests.factories import make_pdf
from tests.integration.cfp.test_space import accepted

pytestmark = pytest.mark.browser

BEFORE_THE_CONGRESS = datetime(2014, 3, 1, 9, 0, tzinfo=UTC)
BIO = "Responsable de la sécurité des systèmes d’information d’un groupement hospitalier."


@pytest.fixture
def frozen() -> Iterator[None]:
    set_clock(lambda: BEFORE_THE_CONGRESS)
    yield
    set_clock(None)


def _checked(page: Page, axe) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace intervenant")
    assert serious_violations(axe, page) == [], page.url
    scroll_width, inner_width = _overflow(page)
    assert scroll_width <= inner_width, page.url


def test_speaker_confirms_writes_a_bio_and_sends_slides_on_a_phone(
    page: Page, app: Flask, live_server: str, axe, demo, frozen
):
    event = db.session.scalars(db.select(Event)).one()
    call = services.call_for(event)
    assert call is not None
    call.respond_by = datetime(2014, 3, 15, 22, 59, tzinfo=UTC)
    call.technical_setup = "Vidéoprojecteur **HDMI**, micro-cravate."
    call.speaker_info = "Dîner des intervenants le 1er avril."
    db.session.commit()
    speaker, token = accepted(event, status=TalkStatus.CONFIRMED)
    speaker_id, person_id = speaker.id, speaker.speaker_id
    db.session.rollback()
    page.set_viewport_size(PHONE)

    page.goto(f"/speaker/{token}")
    _checked(page, axe)
    expect(page.get_by_text("Dîner des intervenants le 1er avril.")).to_be_visible()
    page.get_by_label("Je confirme mon intervention").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    _checked(page, axe)
    expect(page.get_by_text("Merci\u202f: votre participation est confirmée.")).to_be_visible()

    page.get_by_label("Biographie").fill(BIO)
    page.get_by_role("button", name="Enregistrer mon profil").click()
    _checked(page, axe)
    expect(page.get_by_text("Votre profil a été enregistré.")).to_be_visible()

    page.get_by_label("Supports (PDF)").set_input_files(
        {"name": "mes supports.pdf", "mimeType": "application/pdf", "buffer": make_pdf("DIAPO")}
    )
    page.get_by_role("button", name="Envoyer mes supports").click()
    _checked(page, axe)
    expect(page.get_by_text("Vos supports ont été enregistrés.")).to_be_visible()
    expect(page.get_by_role("link", name="mes-supports.pdf")).to_be_visible()
    page.set_viewport_size({"width": 320, "height": 740})
    page.reload()
    _checked(page, axe)

    assert db.session.get(SubmissionSpeaker, speaker_id).participation is Participation.CONFIRMED
    assert db.session.get(Speaker, person_id).bio == BIO
    assert db.session.scalars(db.select(Slides.file_name)).one() == "mes-supports.pdf"
    db.session.rollback()
