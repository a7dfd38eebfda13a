"""The check-in desk in Chromium: a keyboard-wedge scan, a second scan, the camera.

A desk organiser logs in through /login, types the attendee's code and Enter
(what a keyboard-wedge scanner does) and sees the green panel; the same code
again shows when and by whom the first check-in was made. The camera path runs
with a stand-in BarcodeDetector and camera (headless Chromium has neither).
"Now" is 2014-04-01 09:00 in Le Mans, the first day of the edition.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from congress.accounts.models import Role
from congress.accounts.services import create_organiser
from congress.core.clock import set_clock
from congress.extensions import db
from congress.registration import services
from congress.registration.models import CheckIn
from tests.browser.conftest import serious_violations
from tests.conftest import ORGANISER_PASSWORD
from tests.factories import make_category, make_event, make_registration, paris

pytestmark = pytest.mark.browser

DESK_EMAIL = "accueil@apssis-orga.fr"
DESK_NAME = "Accueil 1"


@pytest.fixture
def desk_setup(app) -> Iterator[str]:
    """A confirmed attendee (Marie Curie) and a desk organiser; yields her check-in code."""
    set_clock(lambda: paris(1, "09:00"))
    try:
        event = make_event()
        category = make_category(event, capacity=20, name="Plein tarif")
        registration, _ = make_registration(event, category, "marie@chu-exemple.fr")
        code = services.checkin_code(registration)
        create_organiser(DESK_EMAIL, ORGANISER_PASSWORD, Role.DESK, DESK_NAME)
        db.session.commit()  # hold no transaction open against the server's writes
        yield code
    finally:
        set_clock(None)


def log_in(page: Page) -> None:
    page.goto("/login?next=/dashboard/checkin")
    page.get_by_label("Adresse e-mail", exact=True).fill(DESK_EMAIL)
    page.get_by_label(re.compile(r"^(Mot de passe|Password)")).fill(ORGANISER_PASSWORD)
    page.get_by_label(re.compile(r"^(Mot de passe|Password)")).press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard/checkin$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Émargement")


def code_field(page: Page):
    return page.get_by_role("textbox", name="Code")


def stored_checkins() -> int:
    count = db.session.scalar(db.select(db.func.count()).select_from(CheckIn))
    db.session.rollback()
    return count or 0


def test_desk_scans_a_code_twice_with_the_keyboard(page: Page, axe, desk_setup: str):
    code = desk_setup
    log_in(page)
    expect(page.get_by_text("0 arrivée(s) aujourd'hui / 1 attendue(s)")).to_be_visible()
    field = code_field(page)
    expect(field).to_be_focused()
    # No BarcodeDetector in this Chromium: the camera button stays hidden.
    expect(page.get_by_role("button", name="Scanner avec la caméra")).to_be_hidden()

    field.press_sequentially(code)
    field.press("Enter")
    ok = page.get_by_role("status").filter(has_text="Arrivée enregistrée")
    expect(ok).to_contain_text("Arrivée enregistrée\u202f: Marie Curie")
    expect(ok).to_contain_text(f"À 09:00 par {DESK_NAME}.")
    expect(page.get_by_text("1 arrivée(s) aujourd'hui / 1 attendue(s)")).to_be_visible()
    expect(code_field(page)).to_have_value("")
    expect(code_field(page)).to_be_focused()

    code_field(page).press_sequentially(code)
    code_field(page).press("Enter")
    expect(page.get_by_role("alert")).to_have_text(
        f"Marie Curie\u202f: déjà arrivé·e à 09:00, enregistré·e par {DESK_NAME}. "
        "CHU de Nulle-Part · Plein tarif",
        use_inner_text=True,
    )
    assert stored_checkins() == 1
    assert serious_violations(axe, page) == []


def test_desk_finds_a_person_by_name_and_checks_them_in(page: Page, axe, desk_setup: str):
    log_in(page)
    page.get_by_role("searchbox", name="Nom ou organisme").fill("curie")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Marie Curie")
    expect(row).to_contain_text("Confirmée")
    assert serious_violations(axe, page) == []
    row.get_by_role("button", name="Enregistrer l'arrivée de Marie Curie").click()
    expect(page.get_by_role("status").filter(has_text="Arrivée enregistrée")).to_contain_text(
        "Marie Curie"
    )
    expect(page.get_by_role("row").filter(has_text="Marie Curie")).to_contain_text(
        f"Arrivé·e à 09:00, enregistré·e par {DESK_NAME}"
    )
    assert stored_checkins() == 1


# A stand-in BarcodeDetector that "reads" the code once the camera runs, and a
# camera that is a canvas stream: the page's own script does the rest.
FAKE_CAMERA = """
window.BarcodeDetector = class {
  constructor(options) { this.options = options; }
  async detect(source) { return source.srcObject ? [{ rawValue: %s }] : []; }
};
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return canvas.captureStream(5);
};
"""


def test_desk_scans_with_the_camera_where_the_browser_reads_qr_codes(page: Page, desk_setup: str):
    page.add_init_script(FAKE_CAMERA % json.dumps(f" {desk_setup}\n"))
    log_in(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.get_by_role("button", name="Scanner avec la caméra").click()
    expect(page.get_by_role("status").filter(has_text="Arrivée enregistrée")).to_contain_text(
        "Marie Curie"
    )
    assert errors == []
    assert stored_checkins() == 1
