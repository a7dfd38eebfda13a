"""No page is wider than the viewport, from a 320 px phone to a 1280 px desktop.

The data is the worst the forms accept: 100-character words with no break
opportunity in a speaker's name, a talk's title, a room, a track and a
registration. Every public page and every dashboard GET page is loaded at each
width, and all the pages that scroll sideways are reported at once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from congress.accounts.models import Role
from congress.accounts.services import confirm_totp_setup, create_organiser, start_totp_setup
from congress.cfp import review
from congress.core import clock
from congress.edition.queries import current_event
from congress.extensions import db
from congress.partners.models import PartnerLevel
from congress.partners.services import PartnerData, create_partner
from congress.registration.models import TicketCategory
from tests.conftest import ORGANISER_PASSWORD
from tests.factories import (
    make_invoice,
    make_message,
    make_registration,
    make_reviewer,
    make_room,
    make_speaker,
    make_submission,
    make_talk,
    make_track,
    paris,
)
from tests.integration.cfp.test_space import accepted

pytestmark = pytest.mark.browser

WIDTHS = (320, 375, 768, 1280)
ADMIN = "admin-largeur@apssis-orga.fr"
# Dashboard routes that are not HTML pages (a download) are left out.
NOT_PAGES = {
    "dashboard.registrations_csv",
    "dashboard.export_registrations",
    "dashboard.export_waiting_list",
    "dashboard.export_checkins",
    "dashboard.export_session_attendance",
    "dashboard.export_speakers",
    "dashboard.export_accounting",
    "dashboard.invoice_pdf",
    "dashboard.badges_pdf",
    "dashboard.registration_badge",
    "dashboard.cfp_proposal_attachment",
}


def _word(letter: str) -> str:
    """A 100-character word: no space, no hyphen, nothing a browser may break on."""
    return letter * 100


def _long_data(app: Flask) -> dict[str, str]:
    """Long-named room, track, speaker, talk and registration; their ids for the URLs."""
    event = current_event()
    assert event is not None
    room = make_room(event, _word("R"))
    track = make_track(event, _word("T"))
    speaker = make_speaker(event, _word("S"))
    talk = make_talk(
        event,
        _word("W"),
        starts_at=paris(1, "21:00"),
        room=room,
        track=track,
        speakers=[speaker],
    )
    category = db.session.scalars(
        db.select(TicketCategory)
        .where(TicketCategory.event_id == event.id, TicketCategory.public.is_(True))
        .order_by(TicketCategory.position)
    ).first()
    assert category is not None
    registration, token = make_registration(
        event,
        category,
        f"{_word('m')[:60]}@chu-exemple.fr",
        first_name=_word("P"),
        last_name=_word("N"),
        organisation=_word("O"),
        days=[date(2014, 4, 1)],
    )
    assert token is not None
    partner = create_partner(
        event,
        PartnerData(_word("Q"), PartnerLevel.GOLD, description=_word("D"), published=True),
    )
    message_id = make_message(event, subject=_word("M"), body=_word("B"))
    proposal = make_submission(
        event,
        _word("U"),
        disclosure="tlp_amber",
        abstract=_word("Y"),
        notes=_word("N"),
        name=_word("Z"),
        organisation=_word("O"),
        email="longue-cfp@chu-exemple.fr",
    )
    reviewer = make_reviewer("relecteur-largeur@anssi.fr", _word("G"), _word("V"))
    review.assign(proposal, reviewer)
    scores = {"relevance": 5, "originality": 4, "depth": 3, "clarity": 2}
    review.save_review(reviewer, proposal, scores, _word("C"))
    _, space_token = accepted(event, title=_word("Z"), starts_at=paris(2, "21:00"))
    invoice = make_invoice(
        registration,
        legal_name=_word("L"),
        street=_word("A"),
        city=_word("V"),
        order_number="E" * 50,
    )
    return {
        "reference": invoice.reference,
        "message_id": str(message_id),
        "partner_id": str(partner.id),
        "talk_id": str(talk.id),
        "talk_slug": talk.slug,
        "speaker_id": str(speaker.id),
        "speaker_slug": speaker.slug,
        "room_id": str(room.id),
        "room_slug": room.slug,
        "track_id": str(track.id),
        "track_slug": track.slug,
        "uid": registration.uid,
        "submission_uid": proposal.uid,
        "token": token,
        "space_token": space_token,
        "category_id": str(category.id),
    }


def _public_pages(ids: dict[str, str]) -> list[str]:
    token = ids["token"]
    return [
        "/",
        "/programme",
        f"/programme?day=2014-04-01&track={ids['track_slug']}&room={ids['room_slug']}&q=W",
        f"/sessions/{ids['talk_slug']}",
        "/speakers",
        f"/speakers/{ids['speaker_slug']}",
        "/now",
        "/register",
        "/cfp",
        "/privacy",
        "/accessibility",
        "/partenaires",
        "/infos-pratiques",
        "/login",
        f"/r/{token}",
        f"/r/{token}/agenda",
        f"/r/{token}/print",
        f"/r/{token}/edit",
        f"/r/{token}/cancel",
        f"/speaker/{ids['space_token']}",
    ]


def _dashboard_pages(app: Flask, ids: dict[str, str]) -> list[str]:
    """Every GET route under /dashboard, its id placeholders filled with the long data."""
    values = {
        "talk_id": ids["talk_id"],
        "speaker_id": ids["speaker_id"],
        "room_id": ids["room_id"],
        "track_id": ids["track_id"],
        "uid": ids["uid"],
        "submission_uid": ids["submission_uid"],
        "partner_id": ids["partner_id"],
        "key": "venue",
        "message_id": ids["message_id"],
        "category_id": ids["category_id"],
        "reference": ids["reference"],
    }
    pages = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if not rule.rule.startswith("/dashboard") or "GET" not in (rule.methods or ()):
            continue
        if rule.endpoint in NOT_PAGES:
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<int:{argument}>", values[argument])
            path = path.replace(f"<{argument}>", values[argument])
        pages.append(path)
    pages.append("/dashboard/registrations?q=P")
    pages.append("/dashboard/programme?day=2014-04-01")
    pages.append("/account")
    return pages


def _admin_secret() -> str:
    user = create_organiser(ADMIN, ORGANISER_PASSWORD, Role.ADMIN)
    secret = start_totp_setup(user)
    confirm_totp_setup(user, pyotp.TOTP(secret).at(clock.now()))
    return secret


def _log_in(page: Page, secret: str) -> None:
    """Through the real forms; the next time step's code, as the setup used this one."""
    page.goto("/login")
    page.get_by_label("Adresse e-mail").fill(ADMIN)
    page.get_by_label("Mot de passe").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).at(clock.now().timestamp() + 30))
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page.locator(".dash-nav")).to_be_visible()


def _overflow(page: Page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def _wide_pages(
    browser: Browser, live_server: str, width: int, paths: list[str], storage_state: Any
) -> list[tuple[str, int, int]]:
    """(path, width, page width) of each of ``paths`` that scrolls sideways at ``width``."""
    context = browser.new_context(
        service_workers="block",
        base_url=live_server,
        viewport={"width": width, "height": 800},
        locale="fr-FR",
        storage_state=storage_state,
    )
    page = context.new_page()
    wide = []
    for path in paths:
        response = page.goto(path)
        assert response is not None, (path, width)
        assert response.status == 200, (path, width)
        scroll_width, inner_width = _overflow(page)
        if scroll_width > inner_width:
            wide.append((path, width, scroll_width))
    context.close()
    return wide


def test_every_page_fits_the_viewport_with_unbroken_long_names(
    browser: Browser, live_server: str, app: Flask, demo
):
    ids = _long_data(app)
    secret = _admin_secret()
    public = _public_pages(ids)
    dashboard = _dashboard_pages(app, ids)
    login = browser.new_context(service_workers="block", base_url=live_server, locale="fr-FR")
    _log_in(login.new_page(), secret)
    session = login.storage_state()
    login.close()
    failures = []
    for width in WIDTHS:
        failures += _wide_pages(browser, live_server, width, public, storage_state=None)
        failures += _wide_pages(browser, live_server, width, dashboard, storage_state=session)
    report = "\n".join(f"{path} at {width} px: {wide} px wide" for path, width, wide in failures)
    assert failures == [], report


def test_phone_header_folds_the_navigation_behind_a_menu_button(page: Page, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/programme")
    menu = page.get_by_role("button", name="Menu")
    navigation = page.get_by_role("navigation", name="Navigation principale")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(navigation).to_be_hidden()

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(navigation.get_by_role("link", name="Programme")).to_have_attribute(
        "aria-current", "page"
    )
    expect(navigation.get_by_role("link", name="Accueil")).not_to_have_attribute(
        "aria-current", "page"
    )
    page.keyboard.press("Escape")
    expect(navigation).to_be_hidden()
    expect(menu).to_be_focused()


def test_desktop_header_shows_the_navigation_without_a_menu_button(page: Page, demo):
    page.goto("/speakers")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    navigation = page.get_by_role("navigation", name="Navigation principale")
    expect(navigation.get_by_role("link", name="Intervenants")).to_have_attribute(
        "aria-current", "page"
    )


def test_header_without_script_keeps_the_navigation_visible_on_a_phone(
    browser: Browser, live_server: str, demo
):
    context = browser.new_context(
        service_workers="block",
        base_url=live_server,
        viewport={"width": 375, "height": 740},
        locale="fr-FR",
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()
    expect(page.locator(".menu-button")).to_be_hidden()
    context.close()
